package test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/gruntwork-io/terratest/modules/random"

	"github.com/calinks/terraform-provider-calinks/internal/sweep"
)

// Where the suite runs, decided once per test process by TestMain:
//
//	CALINKS_TEST_TARGET unset or "emulator": AWS_ENDPOINT_URL, by default the
//	  local emulator http://127.0.0.1:4566 (make emulator-up), or any
//	  LocalStack-compatible endpoint; dummy credentials unless some are set.
//	CALINKS_TEST_TARGET=aws: a real account through the usual credential chain,
//	  in CALINKS_TEST_REGION (default ap-northeast-1), and only when
//	  CALINKS_TEST_AWS_ACCOUNT names the account the credentials reach, so
//	  nobody creates resources in an account by accident.
//
// Every resource a test creates carries the tag calinks:test=<run id>-<case>;
// make sweep deletes what a crashed run left, by that tag.
const (
	defaultEndpoint = "http://127.0.0.1:4566"
	defaultRegion   = "ap-northeast-1"
	testTagKey      = sweep.TagKey
)

type testTarget struct {
	kind     string // "emulator" or "aws"
	endpoint string // emulator only
	region   string
	account  string
	runID    string
}

var target testTarget

func setupTarget(ctx context.Context) (testTarget, error) {
	tgt := testTarget{kind: os.Getenv("CALINKS_TEST_TARGET"), region: os.Getenv("CALINKS_TEST_REGION"), runID: os.Getenv("CALINKS_TEST_RUN_ID")}
	if tgt.runID == "" {
		tgt.runID = "r" + random.UniqueID()
	}
	if tgt.region == "" {
		tgt.region = defaultRegion
	}
	switch tgt.kind {
	case "", "emulator":
		tgt.kind = "emulator"
		tgt.endpoint = os.Getenv("AWS_ENDPOINT_URL")
		if tgt.endpoint == "" {
			tgt.endpoint = defaultEndpoint
		}
		for key, value := range map[string]string{"AWS_ENDPOINT_URL": tgt.endpoint, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_EC2_METADATA_DISABLED": "true"} {
			if err := setDefault(key, value); err != nil {
				return tgt, err
			}
		}
	case "aws":
		if os.Getenv("AWS_ENDPOINT_URL") != "" {
			return tgt, fmt.Errorf("CALINKS_TEST_TARGET=aws with AWS_ENDPOINT_URL set: unset it to reach AWS")
		}
	default:
		return tgt, fmt.Errorf("CALINKS_TEST_TARGET=%q: want emulator (default) or aws", tgt.kind)
	}
	if err := errors.Join(os.Setenv("AWS_REGION", tgt.region), os.Setenv("AWS_DEFAULT_REGION", tgt.region)); err != nil {
		return tgt, err
	}

	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return tgt, fmt.Errorf("loading AWS credentials: %w", err)
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return tgt, fmt.Errorf("reaching %s: %w (is the emulator up? make emulator-up)", tgt, err)
	}
	tgt.account = aws.ToString(id.Account)
	if tgt.kind == "aws" && os.Getenv("CALINKS_TEST_AWS_ACCOUNT") != tgt.account {
		return tgt, fmt.Errorf("CALINKS_TEST_TARGET=aws creates and deletes real resources in account %s (%s): set CALINKS_TEST_AWS_ACCOUNT=%s to confirm",
			tgt.account, aws.ToString(id.Arn), tgt.account)
	}
	return tgt, nil
}

func setDefault(key, value string) error {
	if os.Getenv(key) != "" {
		return nil
	}
	return os.Setenv(key, value)
}

func (t testTarget) String() string {
	if t.kind == "emulator" {
		return "endpoint " + t.endpoint
	}
	return "AWS account " + t.account + " in " + t.region
}

// emulated tells whether the suite runs against an endpoint rather than AWS.
func emulated() bool { return target.kind == "emulator" }
