package test

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/gruntwork-io/terratest/modules/random"

	"github.com/calinks/terraform-provider-calinks/internal/sweep"
	"github.com/calinks/terraform-provider-calinks/internal/testtarget"
)

// Where the suite runs, decided once per test process by TestMain from the
// variables internal/testtarget reads (CALINKS_TEST_TARGET moto, localstack
// or aws; AWS_ENDPOINT_URL or EMULATOR_URL; CALINKS_TEST_REGION). Against
// AWS it refuses to start unless CALINKS_TEST_AWS_ACCOUNT names the account
// the credentials reach, so nobody creates resources in an account by
// accident.
//
// Every resource a test creates carries the tag calinks:test=<run id>/<case>;
// make sweep deletes what a crashed run left, by that tag.
const testTagKey = sweep.TagKey

type testTarget struct {
	testtarget.Target
	account string
	runID   string
	parent  parentZone // CALINKS_TEST_PARENT_ZONE (zones.go)
	// stateBucket holds the roots' states against an emulator (state.go).
	stateBucket string
}

var target testTarget

func setupTarget(ctx context.Context) (testTarget, error) {
	resolved, err := testtarget.Resolve(os.Getenv)
	tgt := testTarget{Target: resolved, runID: os.Getenv("CALINKS_TEST_RUN_ID")}
	if err != nil {
		return tgt, err
	}
	if tgt.runID == "" {
		tgt.runID = "r" + random.UniqueID()
	}
	if err := tgt.Export(); err != nil {
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
	if tgt.Kind == testtarget.AWS && os.Getenv("CALINKS_TEST_AWS_ACCOUNT") != tgt.account {
		return tgt, fmt.Errorf("CALINKS_TEST_TARGET=aws creates and deletes real resources in account %s (%s): set CALINKS_TEST_AWS_ACCOUNT=%s to confirm",
			tgt.account, aws.ToString(id.Arn), tgt.account)
	}
	if tgt.parent, err = lookupParentZone(ctx, route53.NewFromConfig(cfg), tgt.Kind == testtarget.AWS); err != nil {
		return tgt, err
	}
	if tgt.Emulated() {
		tgt.stateBucket, err = createStateBucket(ctx, cfg, tgt.Region)
	}
	return tgt, err
}

func (t testTarget) String() string {
	if t.Kind == testtarget.AWS {
		return "AWS account " + t.account + " in " + t.Region
	}
	return t.Target.String()
}

// emulated tells whether the suite runs against an endpoint rather than AWS.
func emulated() bool { return target.Emulated() }

// onMoto tells whether moto answers: its gaps and bugs (module examples'
// switches, the drift allowances) apply to it alone.
func onMoto() bool { return target.Kind == testtarget.Moto }
