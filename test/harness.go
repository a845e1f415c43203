// Package test holds the Go-driven tests that apply Terraform roots to an AWS
// endpoint: the local emulator by default (AWS_ENDPOINT_URL), any
// LocalStack-compatible endpoint the same way.
package test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/gruntwork-io/terratest/modules/terraform"
	teststructure "github.com/gruntwork-io/terratest/modules/test-structure"
)

// repoRoot is the repository's top folder, whatever the test's working dir.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// tfBinary is the CLI under test: TF_BIN, default terraform.
func tfBinary() string {
	if bin := os.Getenv("TF_BIN"); bin != "" {
		return bin
	}
	return "terraform"
}

// emulated tells whether the tests run against an emulator rather than AWS.
func emulated() bool { return os.Getenv("AWS_ENDPOINT_URL") != "" }

// copyRoot copies a Terraform root (path relative to the repository) to a
// temporary folder, so that parallel tests do not share .terraform or state.
func copyRoot(t *testing.T, rel string) string {
	t.Helper()
	return teststructure.CopyTerraformFolderToTemp(t, repoRoot(), rel)
}

// tfOptions are the terratest options for a root copied with copyRoot;
// against the emulator the AWS providers retry once only.
func tfOptions(t *testing.T, dir string, vars map[string]any) *terraform.Options {
	t.Helper()
	if vars == nil {
		vars = map[string]any{}
	}
	if emulated() {
		vars["aws_max_retries"] = 1
	}
	return terraform.WithDefaultRetryableErrors(t, &terraform.Options{
		TerraformDir:    dir,
		TerraformBinary: tfBinary(),
		Vars:            vars,
		NoColor:         true,
	})
}

// awsConfig is an aws-sdk-go-v2 configuration for the same endpoint the
// Terraform roots use (the SDK reads AWS_ENDPOINT_URL itself).
func awsConfig(t *testing.T) aws.Config {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatalf("loading AWS config: %v", err)
	}
	return cfg
}

// uniqueName makes resource names unique per test run.
func uniqueName(prefix, id string) string {
	return strings.ToLower(prefix + "-" + id)
}
