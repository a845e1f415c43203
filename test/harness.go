// Package test holds the Go-driven tests that apply Terraform roots to an AWS
// endpoint: the local emulator by default (AWS_ENDPOINT_URL), any
// LocalStack-compatible endpoint the same way, or a real account (target.go).
package test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
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

// copyRoot copies a Terraform root (path relative to the repository) to a
// temporary folder, so that parallel tests do not share .terraform or state.
func copyRoot(t *testing.T, rel string) string {
	t.Helper()
	return teststructure.CopyTerraformFolderToTemp(t, repoRoot(), rel)
}

// tfOptions are the terratest options for a root copied with copyRoot, in
// the target's region; against an emulator the AWS providers make as many
// attempts per call as the environments' profile for it gives.
func tfOptions(t *testing.T, dir string, vars map[string]any) *terraform.Options {
	t.Helper()
	if vars == nil {
		vars = map[string]any{}
	}
	// Every root the suite applies declares region: it deploys where the
	// checks and the sweep look.
	if _, set := vars["region"]; !set {
		vars["region"] = target.Region
	}
	if emulated() {
		vars["aws_max_retries"] = emulatorMaxRetries()
	}
	if err := writeStateBackend(dir); err != nil {
		t.Fatal(err)
	}
	opts := terraform.WithDefaultRetryableErrors(t, &terraform.Options{
		TerraformDir:    dir,
		TerraformBinary: tfBinary(),
		Vars:            vars,
		NoColor:         true,
	})
	// Under the load of parallel stacks the emulator now and then drops a
	// connection; the command is run again (Terraform resumes from state).
	opts.RetryableTerraformErrors[".*use of closed network connection.*"] = "the endpoint dropped a connection"
	opts.RetryableTerraformErrors[".*connection reset by peer.*"] = "the endpoint reset a connection"
	if emulated() {
		// moto's IAM backend is not thread-safe: a call racing a create answers
		// 500 with a crash page instead of an XML error (RuntimeError:
		// dictionary changed size during iteration).
		opts.RetryableTerraformErrors[".*error while deserializing xml error response.*"] = "the endpoint crashed on a call"
	}
	return opts
}

// emulatorMaxRetries is aws_max_retries of the environments' emulator
// profiles: against moto 3 (it resets a connection now and then, which the
// SDK retries, and answers a missing API with HTTP 500, which three attempts
// fail within seconds), against LocalStack 1.
func emulatorMaxRetries() int {
	if onMoto() {
		return 3
	}
	return 1
}

// awsConfig is an aws-sdk-go-v2 configuration for the same endpoint the
// Terraform roots use (the SDK reads AWS_ENDPOINT_URL itself).
func awsConfig() aws.Config {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		// TestMain loaded the same configuration already.
		panic(fmt.Sprintf("loading AWS config: %v", err))
	}
	return cfg
}

// uniqueName makes resource names unique per test run.
func uniqueName(prefix, id string) string {
	return strings.ToLower(prefix + "-" + id)
}

// must turns a call's (value, error) into the value, failing the test on
// error: must(client.Describe(ctx, in))(t).
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// cidrSeq hands out /16 networks no other root of this process uses: the
// emulator rejects subnets that overlap subnets of any VPC.
var cidrSeq atomic.Int32

func init() { cidrSeq.Store(rand.Int32N(100)) }

func randomCIDR() string { return fmt.Sprintf("10.%d.0.0/16", 100+cidrSeq.Add(1)%150) }

// createImportedVPC makes through the SDK a VPC like the ones develop and
// customer import: two private subnets and two public ones (public IPs on
// launch) in two zones, tagged for the sweep. It returns the VPC's ID.
func createImportedVPC(t *testing.T, name string) importedVPC {
	t.Helper()
	client := ec2.NewFromConfig(awsConfig())
	cidr := randomCIDR()
	tags := []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpc, Tags: []ec2types.Tag{
		{Key: aws.String("Name"), Value: aws.String(name + "-imported")}, {Key: aws.String(testTagKey), Value: aws.String(caseTag(name))}}}}
	vpc := must(client.CreateVpc(t.Context(), &ec2.CreateVpcInput{CidrBlock: aws.String(cidr), TagSpecifications: tags}))(t)
	imported := importedVPC{ID: aws.ToString(vpc.Vpc.VpcId)}
	prefix := strings.TrimSuffix(cidr, ".0.0/16")
	for i, zone := range []string{"a", "c", "a", "c"} {
		subnet := must(client.CreateSubnet(t.Context(), &ec2.CreateSubnetInput{
			VpcId: aws.String(imported.ID), AvailabilityZone: aws.String(target.Region + zone), CidrBlock: aws.String(fmt.Sprintf("%s.%d.0/24", prefix, i)),
		}))(t)
		if i < 2 {
			imported.Private = append(imported.Private, aws.ToString(subnet.Subnet.SubnetId))
		} else {
			imported.Public = append(imported.Public, aws.ToString(subnet.Subnet.SubnetId))
		}
	}
	return imported
}

// importedVPC is an existing VPC and the subnets an environment is told to use.
type importedVPC struct {
	ID              string
	Private, Public []string
}

// deleteImportedVPC removes what createImportedVPC made.
func deleteImportedVPC(t *testing.T, vpcID string) {
	t.Helper()
	client := ec2.NewFromConfig(awsConfig())
	subnets := must(client.DescribeSubnets(t.Context(), &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}}}))(t)
	// NotFound: the SDK retried a delete whose answer the endpoint lost.
	for _, s := range subnets.Subnets {
		if _, err := client.DeleteSubnet(t.Context(), &ec2.DeleteSubnetInput{SubnetId: s.SubnetId}); err != nil && !isAPIError(err, "InvalidSubnetID.NotFound") {
			t.Fatal(err)
		}
	}
	if _, err := client.DeleteVpc(t.Context(), &ec2.DeleteVpcInput{VpcId: aws.String(vpcID)}); err != nil && !isAPIError(err, "InvalidVpcID.NotFound") {
		t.Fatal(err)
	}
}

// isAPIError tells whether err is the AWS error code.
func isAPIError(err error, code string) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == code
}

// signingPublicKey is the public key private-static verifies signed URLs
// with in test stacks; its private half exists nowhere.
func signingPublicKey() string {
	key, err := os.ReadFile(filepath.Join(repoRoot(), "test", "testdata", "private-static-signing.pub.pem"))
	if err != nil {
		panic(err)
	}
	return string(key)
}
