package provider

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

func TestBacklogTarget(t *testing.T) {
	for _, tc := range []struct{ latency, processing, want int64 }{
		{300, 10, 30}, {95, 10, 10}, {10, 10, 1}, {1, 30, 1}, {61, 2, 31},
	} {
		if got := backlogTarget(tc.latency, tc.processing); got != tc.want {
			t.Errorf("backlogTarget(%d, %d) = %d, want %d", tc.latency, tc.processing, got, tc.want)
		}
	}
}

func TestCheckQueueName(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fifo  bool
		valid bool
	}{
		{"calinks-staging-worker-item.fifo", true, true},
		{"calinks-staging-worker-item", true, false},
		{"calinks-staging-worker-item.fifo", false, false},
		{"calinks-staging-worker-item", false, true},
		{strings.Repeat("a", 75) + ".fifo", true, true},
		{strings.Repeat("a", 76) + ".fifo", true, false},
		{"bad name.fifo", true, false},
	} {
		if err := checkQueueName(tc.name, tc.fifo); (err == nil) != tc.valid {
			t.Errorf("checkQueueName(%q, fifo=%v) = %v, want valid=%v", tc.name, tc.fifo, err, tc.valid)
		}
	}
}

func TestDeadLetterQueueNameKeepsFIFOSuffixLast(t *testing.T) {
	if got := deadLetterQueueName("a-b.fifo"); got != "a-b-dlq.fifo" {
		t.Errorf("got %q", got)
	}
	if got := deadLetterQueueName("a-b"); got != "a-b-dlq" {
		t.Errorf("got %q", got)
	}
}

func TestCheckFargateSize(t *testing.T) {
	for _, tc := range []struct {
		cpu, memory int64
		valid       bool
	}{
		{256, 512, true}, {256, 1536, false}, {256, 2048, true}, {256, 4096, false},
		{512, 1024, true}, {1024, 1024, false}, {4096, 30720, true}, {8192, 20480, true}, {8192, 18432, false},
	} {
		if err := checkFargateSize(tc.cpu, tc.memory); (err == nil) != tc.valid {
			t.Errorf("checkFargateSize(%d, %d) = %v, want valid=%v", tc.cpu, tc.memory, err, tc.valid)
		}
	}
}

func TestQueueARNFromURL(t *testing.T) {
	for url, want := range map[string]string{
		"https://sqs.ap-northeast-1.amazonaws.com/123456789012/q.fifo": "arn:aws:sqs:ap-northeast-1:123456789012:q.fifo",
		"http://127.0.0.1:4566/000000000000/q":                         "arn:aws:sqs:ap-northeast-1:000000000000:q",
	} {
		got, err := queueARNFromURL(url, "ap-northeast-1")
		if err != nil || got != want {
			t.Errorf("queueARNFromURL(%q) = %q, %v; want %q", url, got, err, want)
		}
	}
	if _, err := queueARNFromURL("http://127.0.0.1:4566/q", "ap-northeast-1"); err == nil {
		t.Error("a URL without account accepted")
	}
	if got, _ := queueARNFromURL("https://sqs.cn-north-1.amazonaws.com.cn/1/q", "cn-north-1"); !strings.HasPrefix(got, "arn:aws-cn:") {
		t.Errorf("China partition not derived: %q", got)
	}
}

func TestBuildQueuePolicy(t *testing.T) {
	policy := buildQueuePolicy(queuePolicyInput{
		queueARN:            "arn:aws:sqs:ap-northeast-1:123456789012:q.fifo",
		topicARNs:           []string{"arn:aws:sns:ap-northeast-1:123456789012:b.fifo", "arn:aws:sns:ap-northeast-1:123456789012:a.fifo"},
		eventBridgeRuleARNs: []string{"arn:aws:events:ap-northeast-1:123456789012:rule/r"},
		senderRoleARNs:      []string{"arn:aws:iam::123456789012:role/scheduler"},
		consumerRoleARN:     "arn:aws:iam::123456789012:role/task",
	})
	var doc policyDocument
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		t.Fatal(err)
	}
	bySid := map[string]policyStatement{}
	for _, s := range doc.Statement {
		bySid[s.Sid] = s
	}
	sns := bySid["AllowSubscribedTopics"]
	if sns.Principal["Service"] != "sns.amazonaws.com" || sns.Action[0] != "sqs:SendMessage" {
		t.Errorf("SNS statement = %+v", sns)
	}
	sources := sns.Condition["ArnEquals"].(map[string]any)["aws:SourceArn"].([]any)
	if len(sources) != 2 || sources[0] != "arn:aws:sns:ap-northeast-1:123456789012:a.fifo" {
		t.Errorf("SNS senders = %v, want both topics, sorted", sources)
	}
	if bySid["AllowEventBridgeRules"].Principal["Service"] != "events.amazonaws.com" {
		t.Errorf("EventBridge statement = %+v", bySid["AllowEventBridgeRules"])
	}
	consume := bySid["AllowWorkerConsume"]
	if consume.Principal["AWS"] != "arn:aws:iam::123456789012:role/task" || !strings.Contains(strings.Join(consume.Action, ","), "sqs:ChangeMessageVisibility") {
		t.Errorf("consumer statement = %+v", consume)
	}
	deny := bySid["DenyInsecureTransport"]
	if deny.Effect != "Deny" || deny.Condition["Bool"].(map[string]any)["aws:SecureTransport"] != "false" {
		t.Errorf("TLS statement = %+v", deny)
	}
	if _, ok := bySid["AllowSubscribedTopics"]; !ok {
		t.Error("no SNS statement")
	}
	noTopics := buildQueuePolicy(queuePolicyInput{queueARN: "arn:aws:sqs:ap-northeast-1:1:q", consumerRoleARN: "arn:aws:iam::1:role/t"})
	if strings.Contains(noTopics, "sns.amazonaws.com") {
		t.Errorf("a queue without topics admits SNS: %s", noTopics)
	}
}

func TestPoliciesEquivalent(t *testing.T) {
	a := `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["sqs:B","sqs:A"],"Principal":{"AWS":"x"}},{"Sid":"B","Effect":"Deny","Action":"sqs:*"}]}`
	b := `{"Statement":[{"Effect":"Deny","Sid":"B","Action":["sqs:*"]},{"Principal":{"AWS":["x"]},"Sid":"A","Effect":"Allow","Action":["sqs:A","sqs:B"]}], "Version": "2012-10-17"}`
	if !policiesEquivalent(a, b) {
		t.Error("reordered policy with scalar/list forms not equivalent")
	}
	c := strings.Replace(b, "sqs:A", "sqs:C", 1)
	if policiesEquivalent(a, c) {
		t.Error("different actions taken as equivalent")
	}
	if policiesEquivalent(a, "not json") {
		t.Error("invalid JSON taken as equivalent")
	}
}

func TestInjectedEnvironment(t *testing.T) {
	env := injectedEnvironment("calinks", "staging", "worker-item", "https://q", map[string]string{"item": "https://qi"})
	want := map[string]string{
		"COPILOT_APPLICATION_NAME": "calinks", "COPILOT_ENVIRONMENT_NAME": "staging", "COPILOT_SERVICE_NAME": "worker-item",
		"COPILOT_QUEUE_URI": "https://q", "COPILOT_TOPIC_QUEUE_URIS": `{"item":"https://qi"}`,
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q, want %q", k, env[k], v)
		}
	}
	if _, set := injectedEnvironment("a", "b", "c", "u", nil)[envTopicQueueURIs]; set {
		t.Error("COPILOT_TOPIC_QUEUE_URIS injected without topic queues")
	}
}

// TestWorkerPipelinePlanTimeErrors runs terraform plan against invalid
// configurations; every one fails before any AWS call, naming the attribute.
func TestWorkerPipelinePlanTimeErrors(t *testing.T) {
	base := `
provider "calinks" {
  region = "ap-northeast-1"
}
resource "calinks_worker_pipeline" "test" {
  app           = "calinks"
  environment   = "staging"
  name          = "worker-item"
  cluster       = "calinks-staging"
  subnet_ids    = ["subnet-0123456789abcdef0"]
  task_role_arn = "arn:aws:iam::123456789012:role/task"
  %s
}`
	container := `container = { image = "worker:1" }`
	for name, tc := range map[string]struct{ body, want string }{
		// Cases that change a base attribute replace its line: "attr = value" in body wins.
		"queue name without .fifo":    {container + "\n queue_name = \"plain\"", `(?s)queue_name.*must end in ".fifo"`},
		"FIFO option on standard":     {container + "\n fifo = false\n deduplication_scope = \"messageGroup\"", `(?s)deduplication_scope.*FIFO queues only`},
		"high throughput dedup":       {container + "\n fifo_throughput_limit = \"perMessageGroupId\"", `(?s)fifo_throughput_limit.*requires\s+deduplication_scope`},
		"standard topic on FIFO":      {container + "\n subscriptions = { a = { topic_arn = \"arn:aws:sns:ap-northeast-1:123456789012:plain\" } }", `(?s)subscriptions\["a"\].topic_arn.*only to FIFO topics`},
		"bad filter policy JSON":      {container + "\n subscriptions = { a = { topic_arn = \"arn:aws:sns:ap-northeast-1:123456789012:t.fifo\", filter_policy = \"{\" } }", `(?s)filter_policy.*JSON object`},
		"not a role ARN":              {container + "\n execution_role_arn = \"arn:aws:iam::123456789012:user/u\"", `(?s)execution_role_arn.*"role/"`},
		"external without ARN":        {`task_definition_ownership = "external"`, `(?s)task_definition_arn is required`},
		"external with container":     {container + "\n task_definition_ownership = \"external\"\n task_definition_arn = \"arn:aws:ecs:ap-northeast-1:123456789012:task-definition/x:1\"", `(?s)container cannot be set`},
		"missing container":           {``, `(?s)container is required`},
		"fargate size":                {`container = { image = "w", cpu = 256, memory = 4096 }`, `(?s)container.memory.*memory must be 512 to 2048 MiB`},
		"reserved variable":           {`container = { image = "w", environment = { COPILOT_QUEUE_URI = "x" } }`, `(?s)COPILOT_QUEUE_URI.*injected`},
		"secrets need exec role":      {`container = { image = "w", secrets = { DB = "arn:aws:secretsmanager:ap-northeast-1:1:secret:db" } }`, `(?s)execution_role_arn is required`},
		"autoscaling range":           {container + "\n autoscaling = { min_capacity = 5, max_capacity = 2, acceptable_latency_seconds = 60, message_processing_seconds = 1 }", `(?s)min_capacity 5 is above max_capacity 2`},
		"retention over 14 days":      {container + "\n message_retention_seconds = 1209601", `(?s)message_retention_seconds.*between 60 and 1209600`},
		"bad subnet":                  {container + "\n subnet_ids = [\"sub-1\"]", `(?s)subnet_ids.*subnet ID`},
		"uppercase name":              {container + "\n queue_name = \"Q.fifo\"\n name = \"Worker\"", `(?s)name.*lower-case`},
		"default queue name too long": {container + "\n app = \"" + strings.Repeat("a", 40) + "\"\n environment = \"" + strings.Repeat("b", 38) + "\"", `(?s)Default queue name too long`},
	} {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      pipelineConfig(base, tc.body),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

// pipelineConfig puts body into base; a body line setting an attribute base
// sets too replaces base's line.
func pipelineConfig(base, body string) string {
	lines := strings.Split(base, "\n")
	for _, bl := range strings.Split(body, "\n") {
		name, _, ok := strings.Cut(strings.TrimSpace(bl), " = ")
		if !ok {
			continue
		}
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), name+" ") {
				lines[i] = ""
			}
		}
	}
	return strings.Replace(strings.Join(lines, "\n"), "%s", body, 1)
}

// An adopted Copilot object carries CloudFormation's aws: tags: they are
// never removed (AWS reserves the prefix), the copilot-* ones follow the
// configuration.
func TestTagDiffKeepsAWSTags(t *testing.T) {
	removed, changed := tagDiff(
		map[string]string{"aws:cloudformation:stack-name": "calinks-staging-worker-item", "copilot-service": "worker-item", "calinks:app": "calinks"},
		map[string]string{"calinks:app": "calinks", "calinks:environment": "staging"})
	if len(removed) != 1 || removed[0] != "copilot-service" {
		t.Errorf("removed = %v, want only copilot-service", removed)
	}
	if len(changed) != 1 || changed["calinks:environment"] != "staging" {
		t.Errorf("changed = %v, want calinks:environment added", changed)
	}
}
