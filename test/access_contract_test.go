package test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/gruntwork-io/terratest/modules/logger"
	"github.com/gruntwork-io/terratest/modules/terraform"

	"github.com/calinks/terraform-provider-calinks/test/contract"
)

// checkAccessContract evaluates every line of contract/access-contract.yaml
// against the policies of an applied environment root, one subtest per line
// (<root>/contract/<line id>): the checker (tools/iam-contract) reads
// `terraform show -json` of the state, which assertConverged has just shown
// to be what the configuration plans. Lines whose part is switched off in
// the root are skipped with the reason. Against a real account, each line
// whose principal is a role of the account also goes through IAM's
// SimulatePrincipalPolicy, which must agree with the checker on what the
// role's identity policies decide.
func checkAccessContract(t *testing.T, c environmentCase, opts *terraform.Options) {
	env := c.env
	t.Run("contract", func(t *testing.T) {
		defer failOnPanic(t)
		showing := *opts
		showing.Logger = logger.Discard // the JSON is megabytes
		state, err := terraform.RunTerraformCommandAndGetStdoutContextE(t, t.Context(), &showing, "show", "-json", "-no-color")
		if err != nil {
			t.Fatalf("terraform show -json: %v", err)
		}
		path := filepath.Join(t.TempDir(), env+".json")
		if err := os.WriteFile(path, []byte(state), 0o644); err != nil {
			t.Fatal(err)
		}
		external := filepath.Join(t.TempDir(), env+"-external-policies.json")
		if err := writeExternalKeyPolicies(t, []byte(state), external); err != nil {
			t.Fatal(err)
		}
		report, err := contract.Run(t.Context(), repoRoot(), filepath.Join(repoRoot(), contract.ContractPath), path, env, external)
		if err != nil {
			t.Fatal(err)
		}
		var client *iam.Client
		if !emulated() {
			client = iam.NewFromConfig(awsConfig())
		}
		for _, line := range report.Results {
			t.Run(line.ID, func(t *testing.T) {
				defer failOnPanic(t)
				switch line.Status {
				case "not_applicable":
					// A part the case has must not turn its lines into skips.
					if has, what := c.hasPart(line.Part); has {
						t.Fatalf("%s, but %s has %s", line.Reason, env, what)
					}
					t.Skipf("not applicable: %s", line.Reason)
				case "fail":
					t.Error(line.Message)
				case "pass":
				default:
					t.Fatalf("unknown status %q: %+v", line.Status, line)
				}
				if client != nil {
					checkWithIAMSimulation(t, client, line)
				}
			})
		}
		t.Log(report.Summary())
	})
}

// hasPart says whether the case has the part of a root a not-applicable
// line names as missing (tools/iam-contract: NotApplicable's part).
func (c environmentCase) hasPart(part string) (bool, string) {
	switch {
	case part == "switched-off":
		return c.addons, "the add-ons"
	case part == "static-site":
		return c.staticSite, "the public static site"
	case part == "cutover":
		return c.adopt, "an adopted Copilot estate (every worker's queue key and consumer, both publishers)"
	case part == "cutover-storage":
		return c.adopt && c.addons, "Copilot's storage add-ons adopted"
	case strings.HasPrefix(part, "secrets:"):
		_, has := testSecrets[strings.TrimPrefix(part, "secrets:")]
		return has, "a secret in service_secrets"
	case part == "root", part == "chatbot", part == "cache", part == "secrets-shared":
		// A line for other roots (envs), and parts no test case has.
		return false, ""
	}
	// A skip that names no part (or an unknown one) is a checker defect.
	return true, "a line that names no known part (" + part + ")"
}

// writeExternalKeyPolicies writes, for every key the root's access inventory
// names but does not manage (Copilot's queue keys, kept during a cutover),
// the key policy the account holds (kms:GetKeyPolicy), so the checker
// evaluates the real one instead of none.
func writeExternalKeyPolicies(t *testing.T, state []byte, path string) error {
	var doc struct {
		Values struct {
			Outputs struct {
				Inventory struct {
					Value struct {
						Copilot struct {
							QueueKeyARNs map[string]string `json:"queue_key_arns"`
						} `json:"copilot"`
					} `json:"value"`
				} `json:"access_inventory"`
			} `json:"outputs"`
		} `json:"values"`
	}
	if err := json.Unmarshal(state, &doc); err != nil {
		return fmt.Errorf("reading the state's access_inventory: %w", err)
	}
	client := kms.NewFromConfig(awsConfig())
	policies := map[string]json.RawMessage{}
	for worker, key := range doc.Values.Outputs.Inventory.Value.Copilot.QueueKeyARNs {
		out, err := client.GetKeyPolicy(t.Context(), &kms.GetKeyPolicyInput{KeyId: aws.String(key), PolicyName: aws.String("default")})
		if err != nil {
			return fmt.Errorf("kms:GetKeyPolicy of %s's adopted queue key %s: %w", worker, key, err)
		}
		policies[key] = json.RawMessage(aws.ToString(out.Policy))
	}
	data, err := json.Marshal(policies)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// checkWithIAMSimulation asks IAM what the role's identity policies decide
// for the line and compares with the checker's identity-side verdict.
func checkWithIAMSimulation(t *testing.T, client *iam.Client, line contract.Result) {
	t.Helper()
	in, ok := contract.SimulationInput(line)
	if !ok {
		return
	}
	out, err := client.SimulatePrincipalPolicy(t.Context(), in)
	if err != nil {
		t.Errorf("iam:SimulatePrincipalPolicy %s: %v", line.ID, err)
		return
	}
	if len(out.EvaluationResults) != 1 {
		t.Errorf("iam:SimulatePrincipalPolicy %s: %d results", line.ID, len(out.EvaluationResults))
		return
	}
	got := contract.IdentityVerdict(out.EvaluationResults[0].EvalDecision)
	if got != line.IdentityResult {
		var statements []string
		for _, s := range out.EvaluationResults[0].MatchedStatements {
			statements = append(statements, aws.ToString(s.SourcePolicyId))
		}
		t.Errorf("%s: IAM's SimulatePrincipalPolicy decides %s for %s's identity policies (matched %v), the checker %s from the plan: the account's policies differ from the plan's",
			line.ID, got, aws.ToString(in.PolicySourceArn), statements, line.IdentityResult)
	}
}
