package contract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// The checker's unit test: no AWS, no Terraform; a small contract over two
// fixture plans (testdata/), one of them broken on purpose.

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func runFixture(t *testing.T, plan string) *Report {
	t.Helper()
	repo := repoRoot(t)
	report, err := Run(t.Context(), repo, filepath.Join(repo, "test/contract/testdata/contract.yaml"), filepath.Join(repo, "test/contract/testdata", plan), "fixture",
		filepath.Join(repo, "test/contract/testdata/external-policies.json"))
	if err != nil {
		t.Fatal(err)
	}
	t.Log(report.Summary())
	return report
}

func TestCheckerPassesTheGoodPlan(t *testing.T) {
	report := runFixture(t, "plan-good.json")
	for _, r := range report.Results {
		if r.Status == "fail" {
			t.Errorf("%s", r.Message)
		}
	}
	if report.Passed != 43 || report.NotApplicable != 4 {
		t.Errorf("want 43 passed and 4 not applicable (table key, database: null in the fixture; worker-product's queue: no adopted key; worker-item's only secret: shared with pos-web-app), got %s", report.Summary())
	}
	reasons := map[string]string{
		"tables-key-not-in-this-root/kms:Decrypt":                                                                     "access_inventory.table_kms_key_arn is null in this root (switched off)",
		"database-not-in-this-root/rds-db:connect":                                                                    "access_inventory.database is null in this root (switched off)",
		"worker-decrypts-its-adopted-queue-key(worker-product)/kms:Decrypt":                                           "worker-product's queue is not under an adopted Copilot key in this root",
		"execution-role-cannot-read-another-workloads-secrets(pos-web-app,worker-item)/secretsmanager:GetSecretValue": "worker-item reads no secret that pos-web-app is not given too",
	}
	parts := map[string]string{
		"tables-key-not-in-this-root/kms:Decrypt":                                                                     "switched-off",
		"database-not-in-this-root/rds-db:connect":                                                                    "switched-off",
		"worker-decrypts-its-adopted-queue-key(worker-product)/kms:Decrypt":                                           "cutover",
		"execution-role-cannot-read-another-workloads-secrets(pos-web-app,worker-item)/secretsmanager:GetSecretValue": "secrets-shared",
	}
	for _, r := range report.Results {
		if r.Status == "not_applicable" && (reasons[r.ID] != r.Reason || parts[r.ID] != r.Part) {
			t.Errorf("%s: not applicable with the reason %q (part %q), want %q (part %q)", r.ID, r.Reason, r.Part, reasons[r.ID], parts[r.ID])
		}
	}
}

// The broken plan: worker-item's task policy lets it receive from any queue
// (Sid ConsumeAnyQueue), worker-product's queue policy admits SNS without
// aws:SourceArn and Copilot's worker-item consumer (AllowCopilotConsumer), and
// worker-item's task role trusts ECS acting for any account (no
// aws:SourceAccount or aws:SourceArn in its trust policy).
func TestCheckerFailsTheBrokenPlan(t *testing.T) {
	report := runFixture(t, "plan-broken.json")
	want := map[string]string{
		"worker-cannot-consume-another-workers-queue(worker-item,worker-product)/sqs:ReceiveMessage": `fixture worker-cannot-consume-another-workers-queue(worker-item,worker-product)/sqs:ReceiveMessage: worker-item must_not sqs:ReceiveMessage on arn:aws:sqs:ap-northeast-1:111111111111:calinks-fixture-worker-product-EventsQueue.fifo: got Allowed; decided by module.worker["worker-item"].module.task.aws_iam_role_policy.task[0]#ConsumeAnyQueue`,
		"worker-cannot-consume-another-workers-queue(worker-item,worker-product)/sqs:DeleteMessage":  `fixture worker-cannot-consume-another-workers-queue(worker-item,worker-product)/sqs:DeleteMessage: worker-item must_not sqs:DeleteMessage on arn:aws:sqs:ap-northeast-1:111111111111:calinks-fixture-worker-product-EventsQueue.fifo: got Allowed; decided by module.worker["worker-item"].module.task.aws_iam_role_policy.task[0]#ConsumeAnyQueue`,
		"sns-cannot-deliver-from-an-unsubscribed-topic(item,worker-product)/sqs:SendMessage":         `fixture sns-cannot-deliver-from-an-unsubscribed-topic(item,worker-product)/sqs:SendMessage: sns must_not sqs:SendMessage on arn:aws:sqs:ap-northeast-1:111111111111:calinks-fixture-worker-product-EventsQueue.fifo: got Allowed; decided by module.worker["worker-product"].calinks_worker_pipeline.this.queue_policy#AllowSubscribedTopics`,
		"ecs-for-another-account-cannot-assume-the-task-role(worker-item)/sts:AssumeRole":            `fixture ecs-for-another-account-cannot-assume-the-task-role(worker-item)/sts:AssumeRole: ecs must_not sts:AssumeRole on arn:aws:iam::111111111111:role/calinks-fixture-worker-item-task: got Allowed; decided by module.worker["worker-item"].module.task.aws_iam_role.task.assume_role_policy#statement 1`,
		"copilot-consumer-cannot-consume-another-workers-queue/sqs:ReceiveMessage":                   `fixture copilot-consumer-cannot-consume-another-workers-queue/sqs:ReceiveMessage: worker-item must_not sqs:ReceiveMessage on arn:aws:sqs:ap-northeast-1:111111111111:calinks-fixture-worker-product-EventsQueue.fifo as arn:aws:iam::111111111111:role/calinks-fixture-worker-item-TaskRole-1A2B3C: got Allowed; decided by module.worker["worker-product"].calinks_worker_pipeline.this.queue_policy#AllowCopilotConsumer`,
	}
	failed := map[string]string{}
	for _, r := range report.Results {
		if r.Status == "fail" {
			failed[r.ID] = r.Message
		}
	}
	for id, message := range want {
		if failed[id] != message {
			t.Errorf("%s:\n got  %q\n want %q", id, failed[id], message)
		}
	}
	if len(failed) != len(want) {
		t.Errorf("want exactly %d failures, got %d: %v", len(want), len(failed), failed)
	}
	if report.Failed != len(want) {
		t.Errorf("the report counts %d failures", report.Failed)
	}
}

// secrets-of:<o>:except:<w> leaves out the secret both are given: worker-item's
// execution role reads the shared one (ReadItsSecrets), and the line about
// pos-web-app's secrets evaluates pos-web-app's own only.
func TestCheckerLeavesOutASharedSecret(t *testing.T) {
	report := runFixture(t, "plan-good.json")
	for _, r := range report.Results {
		if r.ID != "execution-role-cannot-read-another-workloads-secrets(worker-item,pos-web-app)/secretsmanager:GetSecretValue" {
			continue
		}
		if r.Status != "pass" || r.ARN != "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:calinks-fixture-pos-web-app-signing-AbCdEf" {
			t.Errorf("want a pass on pos-web-app's own secret only, got %s on %s: %s", r.Status, r.ARN, r.Message)
		}
		return
	}
	t.Error("the report has no line execution-role-cannot-read-another-workloads-secrets(worker-item,pos-web-app)")
}

// A must line that is denied names the missing statement; a plain-HTTP line
// names the deny statement that decides it.
func TestCheckerNamesTheDecidingStatement(t *testing.T) {
	report := runFixture(t, "plan-good.json")
	byID := map[string]Result{}
	for _, r := range report.Results {
		byID[r.ID] = r
	}
	for id, want := range map[string]string{
		"queue-refuses-plain-http(worker-item)/sqs:ReceiveMessage":                        `module.worker["worker-item"].calinks_worker_pipeline.this.queue_policy#DenyInsecureTransport`,
		"publisher-encrypts/kms:Decrypt":                                                  `module.web_service["pos-web-app"].module.task.aws_iam_role_policy.task[0]#EncryptTopicMessages + module.messaging.module.kms[0].aws_kms_key.this.policy#AccountAdministers`,
		"outside-account-cannot-use-the-topic-key/kms:Decrypt":                            `no statement allows it (no statement of module.messaging.module.kms[0].aws_kms_key.this.policy allows it)`,
		"workers-cannot-publish(worker-item,item)/sns:Publish":                            `module.messaging.aws_sns_topic_policy.this["item"]#OnlyThePublisherPublishes`,
		"execution-role-writes-logs/ecr:GetAuthorizationToken":                            `arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy (attached by module.worker["worker-item"].module.task.aws_iam_role_policy_attachment.execution)#statement 1`,
		"sns-delivers-to-the-subscribed-queue(item>worker-item)/sqs:SendMessage":          `module.worker["worker-item"].calinks_worker_pipeline.this.queue_policy#AllowSubscribedTopics`,
		"ecs-assumes-the-task-role(worker-item)/sts:AssumeRole":                           `module.worker["worker-item"].module.task.aws_iam_role.task.assume_role_policy#statement 1`,
		"chatbot-assumes-its-role/sts:AssumeRole":                                         `module.ops[0].module.chatbot_role[0].aws_iam_role.this.assume_role_policy#statement 1`,
		"copilot-consumer-keeps-its-queue/sqs:ReceiveMessage":                             `module.worker["worker-item"].calinks_worker_pipeline.this.queue_policy#AllowCopilotConsumer`,
		"worker-decrypts-its-adopted-queue-key(worker-item)/kms:Decrypt":                  `module.worker["worker-item"].module.task.aws_iam_role_policy.task[0]#DecryptAdoptedQueue + arn:aws:kms:ap-northeast-1:111111111111:key/99999999-8888-7777-6666-555555555555 (read from the account)#Allow key use`,
		"ecs-for-another-account-cannot-assume-the-task-role(worker-item)/sts:AssumeRole": `no statement allows it (the principal has no identity policy; no statement of module.worker["worker-item"].module.task.aws_iam_role.task.assume_role_policy allows it)`,
	} {
		if got := byID[id].DecidedBy; got != want {
			t.Errorf("%s: decided by\n got  %q\n want %q", id, got, want)
		}
	}
}

// The contract itself: a line for every arrow, at least as many must not
// lines as must lines, every entry with its source.
func TestContractShape(t *testing.T) {
	repo := repoRoot(t)
	report, err := Run(t.Context(), repo, filepath.Join(repo, ContractPath), filepath.Join(repo, "test/contract/testdata/plan-good.json"), "fixture", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Log(report.Summary())
	if report.Counts.MustNot < report.Counts.Must {
		t.Errorf("the contract has %d must lines and only %d must not lines", report.Counts.Must, report.Counts.MustNot)
	}
	entries := map[string]bool{}
	for _, r := range report.Results {
		entries[r.Entry] = true
	}
	// docs/architecture.md's arrows and data stores, each with the entry that covers it.
	for arrow, entry := range map[string]string{
		"pos-web-app/backend-outbox publish their topics": "publisher-publishes-its-topic",
		"topic -> worker queue (SNS)":                     "sns-delivers-to-the-subscribed-queue",
		"worker consumes its queue":                       "worker-consumes-its-queue",
		"EventBridge schedules -> worker-scheduled":       "schedules-send-to-worker-scheduled",
		"database through RDS Proxy":                      "app-connects-as-its-own-database-user",
		"RDS Proxy -> Aurora":                             "proxy-reaches-the-cluster",
		"RDS Proxy reads the user secrets":                "proxy-reads-each-user-secret",
		"DynamoDB tables":                                 "app-uses-the-tables",
		"cache (Valkey)":                                  "pos-web-app-reaches-the-cache",
		"private bucket":                                  "pos-web-app-uses-the-private-bucket",
		"CloudFront private-static -> bucket":             "cloudfront-reads-the-private-bucket",
		"mail (SES)":                                      "worker-notification-sends-mail",
		"alarms -> alarm topic":                           "cloudwatch-publishes-alarms",
		"scheduled jobs run as Fargate tasks":             "job-schedule-runs-its-task",
	} {
		if !entries[entry] {
			t.Errorf("no contract entry %s for %s", entry, arrow)
		}
	}
}

// The SimulatePrincipalPolicy request of a real-account run carries the
// role, the action, the resource, its owner and every context key with its
// IAM type.
func TestSimulationInput(t *testing.T) {
	r := Result{
		Kind: "iam", Effect: "must", Action: "kms:Decrypt",
		Request: &Request{
			Principal: "arn:aws:sts::111111111111:assumed-role/calinks-staging-worker-item-task/access-contract", PrincipalKind: "role",
			RoleARN: "arn:aws:iam::111111111111:role/calinks-staging-worker-item-task", Action: "kms:Decrypt",
			ResourceARN: "arn:aws:kms:ap-northeast-1:111111111111:key/k", ResourceAccount: "111111111111",
			Context: map[string]string{
				"aws:SecureTransport": "true", "aws:CurrentTime": "2026-01-01T00:00:00Z", "aws:PrincipalArn": "arn:aws:iam::111111111111:role/calinks-staging-worker-item-task",
				"kms:ViaService": "dynamodb.ap-northeast-1.amazonaws.com", "kms:CallerAccount": "111111111111",
			},
			ResourcePolicy: &NamedPolicy{Name: "key", Policy: json.RawMessage(`{}`)},
		},
	}
	in, ok := SimulationInput(r)
	if !ok {
		t.Fatal("a role line must be simulated")
	}
	if aws.ToString(in.PolicySourceArn) != r.Request.RoleARN || len(in.ActionNames) != 1 || in.ActionNames[0] != "kms:Decrypt" ||
		len(in.ResourceArns) != 1 || in.ResourceArns[0] != r.Request.ResourceARN || aws.ToString(in.ResourceOwner) != "arn:aws:iam::111111111111:root" {
		t.Errorf("request: %+v", in)
	}
	if in.ResourcePolicy != nil || in.CallerArn != nil {
		t.Errorf("IAM evaluates a resource policy only for an IAM user caller: none may be sent for a role")
	}
	want := []struct {
		key   string
		typ   iamtypes.ContextKeyTypeEnum
		value string
	}{
		{"aws:CurrentTime", iamtypes.ContextKeyTypeEnumDate, "2026-01-01T00:00:00Z"},
		{"aws:PrincipalArn", iamtypes.ContextKeyTypeEnumString, "arn:aws:iam::111111111111:role/calinks-staging-worker-item-task"},
		{"aws:SecureTransport", iamtypes.ContextKeyTypeEnumBoolean, "true"},
		{"kms:CallerAccount", iamtypes.ContextKeyTypeEnumString, "111111111111"},
		{"kms:ViaService", iamtypes.ContextKeyTypeEnumString, "dynamodb.ap-northeast-1.amazonaws.com"},
	}
	if len(in.ContextEntries) != len(want) {
		t.Fatalf("context entries: %+v", in.ContextEntries)
	}
	for i, w := range want {
		got := in.ContextEntries[i]
		if aws.ToString(got.ContextKeyName) != w.key || got.ContextKeyType != w.typ || len(got.ContextKeyValues) != 1 || got.ContextKeyValues[0] != w.value {
			t.Errorf("context entry %d: got %s %s %v, want %s %s %s", i, aws.ToString(got.ContextKeyName), got.ContextKeyType, got.ContextKeyValues, w.key, w.typ, w.value)
		}
	}
	for _, skipped := range []Result{
		{Kind: "iam", Request: &Request{PrincipalKind: "service", Action: "sqs:SendMessage"}},
		{Kind: "iam", Request: &Request{PrincipalKind: "outsider", RoleARN: "arn:aws:iam::999999999999:role/outsider"}},
		{Kind: "network"},
	} {
		if _, ok := SimulationInput(skipped); ok {
			t.Errorf("%+v: IAM cannot simulate it", skipped)
		}
	}
	if IdentityVerdict(iamtypes.PolicyEvaluationDecisionTypeExplicitDeny) != "ExplicitlyDenied" || IdentityVerdict(iamtypes.PolicyEvaluationDecisionTypeImplicitDeny) != "ImplicitlyDenied" {
		t.Error("IdentityVerdict")
	}
}

// The wrapper never passes silently: a checker crash, or fewer lines than the
// contract's minimum_lines, is an error, not an empty report.
func TestRunRefusesMissingLines(t *testing.T) {
	repo := repoRoot(t)
	fixture := filepath.Join(repo, "test/contract/testdata/contract.yaml")
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	raised := filepath.Join(t.TempDir(), "contract.yaml")
	if err := os.WriteFile(raised, []byte(strings.Replace(string(data), "version: 1\n", "version: 1\nminimum_lines: 100\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(t.Context(), repo, raised, filepath.Join(repo, "test/contract/testdata/plan-good.json"), "fixture", ""); err == nil || !strings.Contains(err.Error(), "minimum_lines 100") {
		t.Errorf("a contract expanding to fewer lines than minimum_lines: got %v", err)
	}
	if _, err := Run(t.Context(), repo, fixture, filepath.Join(t.TempDir(), "missing.json"), "fixture", ""); err == nil {
		t.Error("a checker that cannot read its plan must be an error")
	}
}
