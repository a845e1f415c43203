package test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Against an emulator every root the suite applies keeps its state in the
// emulator's S3, as the environments' real stacks do, not in a local file.
// Terraform's local backend rewrites the whole state file after every
// resource it changes (the state serialised and compared at each write); an
// S3 backend keeps the state in memory and writes it every 20 seconds and at
// the end. For a 300-resource root that was most of an apply's CPU: a 3 MB
// state of 300 terraform_data took 13.7 s of CPU to apply with the local
// backend and 1.4 s with S3 on moto. Against a real account the states stay
// local (nothing is written to the account beyond what the cases make).
const stateBucketName = "calinks-test-state"

// createStateBucket makes the emulator's state bucket, or finds it made by
// an earlier run (a stack kept with SKIP_teardown keeps its state there).
func createStateBucket(ctx context.Context, cfg aws.Config, region string) (string, error) {
	input := &s3.CreateBucketInput{Bucket: aws.String(stateBucketName)}
	if region != "us-east-1" {
		input.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}
	}
	_, err := s3.NewFromConfig(cfg).CreateBucket(ctx, input)
	var owned *s3types.BucketAlreadyOwnedByYou
	if err != nil && !errors.As(err, &owned) {
		return "", fmt.Errorf("creating the state bucket %s: %w", stateBucketName, err)
	}
	return stateBucketName, nil
}

// writeStateBackend gives the copy of a root at dir its backend: the
// emulator's state bucket under a key unique to the copy, else the local
// file. It replaces a backend the root declares (an override file,
// https://developer.hashicorp.com/terraform/language/files/override). A root
// used in place (terratest does not copy while a SKIP_<stage> is set) keeps
// its local state and gets no file.
func writeStateBackend(dir string) error {
	key, err := filepath.Rel(os.TempDir(), dir)
	if err != nil || key == "." || strings.HasPrefix(key, "..") {
		return nil
	}
	backend := "terraform {\n  backend \"local\" {}\n}\n"
	if target.stateBucket != "" {
		backend = fmt.Sprintf(`terraform {
  backend "s3" {
    bucket                      = %q
    key                         = %q
    region                      = %q
    endpoints                   = { s3 = %q }
    use_path_style              = true
    skip_credentials_validation = true
    skip_requesting_account_id  = true
  }
}
`, target.stateBucket, filepath.ToSlash(key)+"/terraform.tfstate", target.Region, target.Endpoint)
	}
	return writeFile(filepath.Join(dir, "backend_override.tf"), backend)
}
