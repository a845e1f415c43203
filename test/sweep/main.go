// Command sweep deletes what test runs left behind: every resource tagged
// calinks:test, or only one run's (-run). With -dry-run it lists them.
//
// It reaches the same target as the suite (internal/testtarget: moto by
// default, LocalStack, or with CALINKS_TEST_TARGET=aws the account of the
// usual credential chain, which must be confirmed with
// CALINKS_TEST_AWS_ACCOUNT), in CALINKS_TEST_REGION and us-east-1.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/calinks/terraform-provider-calinks/internal/sweep"
	"github.com/calinks/terraform-provider-calinks/internal/testtarget"
)

func main() {
	run := flag.String("run", "", "only this run id (the calinks:test value starts with it); empty: every test run")
	dryRun := flag.Bool("dry-run", false, "list what would be deleted, delete nothing")
	flag.Parse()
	if err := sweepAccount(context.Background(), *run, *dryRun); err != nil {
		fmt.Fprintln(os.Stderr, "sweep:", err)
		os.Exit(1)
	}
}

func sweepAccount(ctx context.Context, run string, dryRun bool) error {
	// The same target, region and endpoint as the suite.
	tgt, err := testtarget.Resolve(os.Getenv)
	if err != nil {
		return err
	}
	if err := tgt.Export(); err != nil {
		return err
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fmt.Errorf("reaching the account: %w", err)
	}
	endpoint := os.Getenv("AWS_ENDPOINT_URL")
	if account := aws.ToString(id.Account); endpoint == "" && os.Getenv("CALINKS_TEST_AWS_ACCOUNT") != account {
		return fmt.Errorf("this deletes resources in AWS account %s: set CALINKS_TEST_AWS_ACCOUNT=%s to confirm", account, account)
	}
	where := "account " + aws.ToString(id.Account) + " in " + strings.Join(sweep.Regions(cfg.Region), " and ")
	if endpoint != "" {
		where = "endpoint " + endpoint
	}
	prefix := run
	if run != "" {
		prefix = run + "/"
	}
	found, err := sweep.Find(ctx, cfg, prefix)
	if err != nil {
		return err
	}
	fmt.Printf("%d resource(s) tagged %s%s in %s\n", len(found), sweep.TagKey, map[bool]string{true: "=" + run + "/*", false: ""}[run != ""], where)
	return sweep.Delete(ctx, cfg, found, dryRun, os.Stdout)
}
