// Command adopt takes a Copilot environment over into an environment root
// (docs/migrating-from-copilot.md):
//
//	adopt discover -app calinks -env develop -root environments/develop
//	adopt check -root environments/develop -plan adopt.json
//
// discover reads the account (never writes to it) and writes adoption.tf
// (import blocks) and adoption.auto.tfvars (the names to keep) into the root,
// then prints what each object becomes. check reads `terraform show -json`
// of the first plan and fails unless it destroys and replaces nothing,
// imports every adopted object and creates no stateful object.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/calinks/terraform-provider-calinks/internal/adopt"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: adopt discover|check [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "discover":
		err = discover(os.Args[2:])
	case "check":
		err = check(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: want discover or check", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "adopt:", err)
		os.Exit(1)
	}
}

func discover(args []string) error {
	fs := flag.NewFlagSet("discover", flag.ExitOnError)
	app := fs.String("app", "calinks", "Copilot application name")
	env := fs.String("env", "", "Copilot environment name (and environments/<env>)")
	root := fs.String("root", "", "environment root to write into (default environments/<env>)")
	region := fs.String("region", "", "AWS region (default: the SDK's, AWS_REGION)")
	_ = fs.Parse(args)
	if *env == "" {
		return fmt.Errorf("-env is required")
	}
	if *root == "" {
		*root = filepath.Join("environments", *env)
	}
	rootSpec, err := adopt.LoadRoot(*root)
	if err != nil {
		return err
	}
	var opts []func(*config.LoadOptions) error
	if *region != "" {
		opts = append(opts, config.WithRegion(*region))
	}
	cfg, err := config.LoadDefaultConfig(context.Background(), opts...)
	if err != nil {
		return err
	}
	fmt.Printf("finding Copilot's %s/%s in %s (read only)\n", *app, *env, cfg.Region)
	estate, err := adopt.Discover(context.Background(), adopt.NewClients(cfg), *app, *env, rootSpec)
	if err != nil {
		return err
	}
	if err := estate.Write(*root); err != nil {
		return err
	}
	fmt.Print(estate.Table())
	fmt.Printf("wrote %s and %s; next: terraform plan, then make adopt-check\n", filepath.Join(*root, "adoption.tf"), filepath.Join(*root, "adoption.auto.tfvars"))
	return nil
}

func check(args []string) error {
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	root := fs.String("root", "", "environment root holding adoption.tf")
	planPath := fs.String("plan", "", "`terraform show -json` of the plan")
	allow := fs.String("allow-create", adopt.DefaultAllowCreate, "regexp of addresses whose new stateful objects are intended (Copilot had none)")
	_ = fs.Parse(args)
	imports, err := os.ReadFile(filepath.Join(*root, "adoption.tf"))
	if err != nil {
		return err
	}
	plan, err := os.ReadFile(*planPath)
	if err != nil {
		return err
	}
	allowCreate, err := regexp.Compile(*allow)
	if err != nil {
		return fmt.Errorf("-allow-create: %w", err)
	}
	verdict, err := adopt.CheckPlan(plan, adopt.ImportAddresses(imports), allowCreate)
	if err != nil {
		return err
	}
	fmt.Print(verdict.Report())
	if len(verdict.Problems) > 0 {
		return fmt.Errorf("%d problem(s): this plan is not a safe adoption", len(verdict.Problems))
	}
	fmt.Println("adoption plan: nothing destroyed, nothing replaced, every adopted object imported")
	return nil
}
