package sweep

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
)

func TestRegionsCoverCloudFrontsRegion(t *testing.T) {
	for main, want := range map[string][]string{
		"ap-northeast-1": {"ap-northeast-1", "us-east-1"},
		"us-east-1":      {"us-east-1"},
	} {
		if got := Regions(main); !slices.Equal(got, want) {
			t.Errorf("Regions(%s) = %v, want %v", main, got, want)
		}
	}
}

func TestResourceConfigTakesTheARNsRegion(t *testing.T) {
	cfg := aws.Config{Region: "ap-northeast-1"}
	for arn, want := range map[string]string{
		"arn:aws:acm:us-east-1:123456789012:certificate/abc":      "us-east-1",
		"arn:aws:sqs:ap-northeast-1:123456789012:q":               "ap-northeast-1",
		"arn:aws:iam::123456789012:role/r":                        "ap-northeast-1", // global: the caller's
		"arn:aws:cloudfront::123456789012:distribution/E1":        "ap-northeast-1",
		"arn:aws:wafv2:us-east-1:123456789012:global/webacl/a/id": "us-east-1",
	} {
		if got := (Resource{ARN: arn}).config(cfg).Region; got != want {
			t.Errorf("%s: region %s, want %s", arn, got, want)
		}
	}
}

func TestDependencyViolationsAreWaitedFor(t *testing.T) {
	dependency := fmt.Errorf("vpc-1: %w", &smithy.GenericAPIError{Code: "DependencyViolation", Message: "has dependencies"})
	other := fmt.Errorf("vpc-2: %w", &smithy.GenericAPIError{Code: "UnauthorizedOperation"})
	if !anyDependencyViolation([]error{other, dependency}) {
		t.Error("a DependencyViolation beside another error is not waited for")
	}
	if anyDependencyViolation([]error{other}) || anyDependencyViolation([]error{errors.New("plain")}) || anyDependencyViolation(nil) {
		t.Error("permanent errors alone are waited for")
	}
}
