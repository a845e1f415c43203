// Package contract runs the access contract (contract/access-contract.yaml)
// against the policies of an environment root with the pinned checker in
// tools/iam-contract (@cloud-copilot/iam-simulate), and builds the IAM
// SimulatePrincipalPolicy requests that check the same lines in a real
// account.
package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// Paths inside the repository.
const (
	ContractPath = "contract/access-contract.yaml"
	CheckerDir   = "tools/iam-contract"
)

// Report is the checker's JSON output for one root.
type Report struct {
	Root          string   `json:"root"`
	Entries       int      `json:"entries"`
	Total         int      `json:"total"`
	Passed        int      `json:"passed"`
	Failed        int      `json:"failed"`
	NotApplicable int      `json:"not_applicable"`
	Results       []Result `json:"results"`
	Counts        struct {
		Must    int `json:"must"`
		MustNot int `json:"must_not"`
	} `json:"counts"`
}

// Result is one expanded contract line.
type Result struct {
	ID             string   `json:"id"`
	Entry          string   `json:"entry"`
	Kind           string   `json:"kind"` // iam or network
	Workload       string   `json:"workload"`
	Effect         string   `json:"effect"` // must or must_not
	Action         string   `json:"action"`
	Resource       string   `json:"resource"`
	As             string   `json:"as"`
	Status         string   `json:"status"` // pass, fail, not_applicable
	Reason         string   `json:"reason"` // why not applicable
	Part           string   `json:"part"`   // what the root lacks when not applicable: switched-off, static-site, chatbot, cache, cutover, cutover-storage, secrets:<workload>
	Message        string   `json:"message"`
	ARN            string   `json:"arn"`
	Got            string   `json:"got"`
	DecidedBy      string   `json:"decidedBy"`
	IdentityResult string   `json:"identityResult"`
	Request        *Request `json:"request"`
}

// Request is what the checker evaluated: principal, action, resource,
// context keys and the policies.
type Request struct {
	Principal        string            `json:"principal"`
	PrincipalKind    string            `json:"principalKind"` // role, service, outsider
	RoleARN          string            `json:"roleArn"`
	Action           string            `json:"action"`
	ResourceARN      string            `json:"resourceArn"`
	ResourceAccount  string            `json:"resourceAccount"`
	Context          map[string]string `json:"context"`
	IdentityPolicies []NamedPolicy     `json:"identityPolicies"`
	ResourcePolicy   *NamedPolicy      `json:"resourcePolicy"`
}

// NamedPolicy is a policy document with the address that sets it.
type NamedPolicy struct {
	Name   string          `json:"name"`
	Policy json.RawMessage `json:"policy"`
}

// Run evaluates the contract at contractPath against planJSON (`terraform
// show -json` of a plan or of the state) with the checker in repo. It fails
// when the checker crashes, returns no line, or returns fewer lines than the
// contract's minimum_lines or than its entries. externalPoliciesJSON, when
// not empty, names a file of {"<ARN>": policy} for resources the root uses but
// does not manage (Copilot's queue keys during a cutover).
func Run(ctx context.Context, repo, contractPath, planJSON, root, externalPoliciesJSON string) (*Report, error) {
	checker := filepath.Join(repo, CheckerDir)
	if _, err := os.Stat(filepath.Join(checker, "node_modules", "@cloud-copilot", "iam-simulate")); err != nil {
		return nil, fmt.Errorf("the checker's packages are not installed (run make tools): %w", err)
	}
	args := []string{filepath.Join(checker, "check.mjs"), "--plan", planJSON, "--contract", contractPath, "--format", "json"}
	if root != "" {
		args = append(args, "--root", root)
	}
	if externalPoliciesJSON != "" {
		args = append(args, "--external-policies", externalPoliciesJSON)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = checker
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	// 0: every line passed; 1: some failed. Anything else is a crash.
	if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != 1) {
		return nil, fmt.Errorf("node check.mjs: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var report Report
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		return nil, fmt.Errorf("reading the checker's report: %w (stderr: %s)", err, strings.TrimSpace(stderr.String()))
	}
	if err := report.consistent(contractPath); err != nil {
		return nil, err
	}
	return &report, nil
}

var (
	entryID      = regexp.MustCompile(`(?m)^  - id: (\S+)\s*$`)
	minimumLines = regexp.MustCompile(`(?m)^minimum_lines: (\d+)\s*$`)
)

// ContractShape reads, without a YAML parser, what the report must cover: the
// entry ids and the minimum number of expanded lines.
func ContractShape(contractPath string) (ids []string, minimum int, err error) {
	data, err := os.ReadFile(contractPath)
	if err != nil {
		return nil, 0, err
	}
	for _, m := range entryID.FindAllSubmatch(data, -1) {
		ids = append(ids, string(m[1]))
	}
	if m := minimumLines.FindSubmatch(data); m != nil {
		minimum, _ = strconv.Atoi(string(m[1]))
	}
	return ids, minimum, nil
}

// consistent refuses a report that cannot be the whole contract.
func (r *Report) consistent(contractPath string) error {
	ids, minimum, err := ContractShape(contractPath)
	if err != nil {
		return err
	}
	if len(r.Results) == 0 || len(r.Results) != r.Total {
		return fmt.Errorf("the checker reported %d results for %d lines", len(r.Results), r.Total)
	}
	if len(r.Results) < minimum {
		return fmt.Errorf("the checker reported %d lines, fewer than the contract's minimum_lines %d", len(r.Results), minimum)
	}
	if r.Passed+r.Failed+r.NotApplicable != r.Total {
		return fmt.Errorf("the checker's counts (%d passed, %d failed, %d not applicable) do not add up to %d", r.Passed, r.Failed, r.NotApplicable, r.Total)
	}
	seen := map[string]bool{}
	for _, res := range r.Results {
		seen[res.Entry] = true
	}
	var missing []string
	for _, id := range ids {
		if !seen[id] {
			missing = append(missing, id)
		}
	}
	if len(ids) == 0 || len(missing) > 0 {
		return fmt.Errorf("the report has no line of contract entries %v (%d entries read)", missing, len(ids))
	}
	return nil
}

// Summary is the count line a test prints.
func (r *Report) Summary() string {
	return fmt.Sprintf("access contract (%s): %d lines from %d entries (%d must, %d must not): %d passed, %d failed, %d not applicable",
		r.Root, r.Total, r.Entries, r.Counts.Must, r.Counts.MustNot, r.Passed, r.Failed, r.NotApplicable)
}

// contextKeyTypes are the IAM types of the non-string context keys the
// checker sets (IAM's SimulatePrincipalPolicy needs each key's type).
var contextKeyTypes = map[string]iamtypes.ContextKeyTypeEnum{
	"aws:SecureTransport":       iamtypes.ContextKeyTypeEnumBoolean,
	"aws:PrincipalIsAWSService": iamtypes.ContextKeyTypeEnumBoolean,
	"aws:CurrentTime":           iamtypes.ContextKeyTypeEnumDate,
}

// SimulationInput is the IAM SimulatePrincipalPolicy request for one line
// whose principal is a role of the account, false for lines IAM cannot
// simulate (service principals, the outside account, network lines).
//
// It evaluates the role's identity policies as IAM has them, with the line's
// context keys, and its answer is compared with the checker's identity-side
// verdict (Result.IdentityResult). The resource policy is not sent: IAM
// evaluates a ResourcePolicy only for a CallerArn that is an IAM user
// ("You cannot specify the ARN of an assumed role"), so a queue or topic
// policy naming the role could not match; the checker evaluates that half.
func SimulationInput(r Result) (*iam.SimulatePrincipalPolicyInput, bool) {
	if r.Kind == "network" || r.Request == nil || r.Request.PrincipalKind != "role" || r.Request.RoleARN == "" {
		return nil, false
	}
	in := &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String(r.Request.RoleARN),
		ActionNames:     []string{r.Request.Action},
		ResourceArns:    []string{r.Request.ResourceARN},
	}
	if r.Request.ResourceAccount != "" {
		in.ResourceOwner = aws.String("arn:aws:iam::" + r.Request.ResourceAccount + ":root")
	}
	for _, key := range slices.Sorted(maps.Keys(r.Request.Context)) {
		typ, ok := contextKeyTypes[key]
		if !ok {
			typ = iamtypes.ContextKeyTypeEnumString
		}
		in.ContextEntries = append(in.ContextEntries, iamtypes.ContextEntry{
			ContextKeyName:   aws.String(key),
			ContextKeyType:   typ,
			ContextKeyValues: []string{r.Request.Context[key]},
		})
	}
	return in, true
}

// IdentityVerdict turns IAM's EvalDecision into the checker's words.
func IdentityVerdict(decision iamtypes.PolicyEvaluationDecisionType) string {
	switch decision {
	case iamtypes.PolicyEvaluationDecisionTypeAllowed:
		return "Allowed"
	case iamtypes.PolicyEvaluationDecisionTypeExplicitDeny:
		return "ExplicitlyDenied"
	default:
		return "ImplicitlyDenied"
	}
}
