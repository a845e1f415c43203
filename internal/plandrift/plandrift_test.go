package plandrift

import (
	"encoding/json"
	"fmt"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// A second plan as `terraform show -json` writes it: a service whose
// rebalancing the emulator does not return, a security group rule whose
// description it drops, a distribution whose origin loses its access control
// id, and a queue whose visibility really changed.
const secondPlan = `{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "module.web[\"pos-web-app\"].aws_ecs_service.this[0]", "type": "aws_ecs_service", "name": "this",
     "change": {"actions": ["update"],
       "before": {"name": "pos-web-app", "availability_zone_rebalancing": null, "desired_count": 2},
       "after":  {"name": "pos-web-app", "availability_zone_rebalancing": "ENABLED", "desired_count": 2},
       "after_unknown": {}}},
    {"address": "module.web[\"pos-web-app\"].aws_vpc_security_group_ingress_rule.this[0]", "type": "aws_vpc_security_group_ingress_rule", "name": "this",
     "change": {"actions": ["update"],
       "before": {"description": "", "from_port": 80},
       "after":  {"description": "from the ALB", "from_port": 80},
       "after_unknown": {}}},
    {"address": "module.private_assets[0].aws_cloudfront_distribution.this", "type": "aws_cloudfront_distribution", "name": "this",
     "change": {"actions": ["update"],
       "before": {"origin": [{"domain_name": "b.s3", "origin_access_control_id": ""}], "tags": {}},
       "after":  {"origin": [{"domain_name": "b.s3", "origin_access_control_id": "E2OAC"}], "tags": null},
       "after_unknown": {"origin": [{}]}}},
    {"address": "module.worker[\"worker-item\"].calinks_worker_pipeline.this", "type": "calinks_worker_pipeline", "name": "this",
     "change": {"actions": ["update"],
       "before": {"visibility_timeout_seconds": 30, "queue_url": "https://q"},
       "after":  {"visibility_timeout_seconds": 60},
       "after_unknown": {"queue_url": true}}},
    {"address": "aws_sqs_queue.gone", "type": "aws_sqs_queue", "name": "gone",
     "change": {"actions": ["create"], "before": null, "after": {"name": "gone"}, "after_unknown": {}}},
    {"address": "module.db.aws_vpc_security_group_ingress_rule.cidr", "type": "aws_vpc_security_group_ingress_rule", "name": "cidr",
     "change": {"actions": ["update"],
       "before": {"description": "old text", "from_port": 3306},
       "after":  {"description": "new text", "from_port": 3306},
       "after_unknown": {}}},
    {"address": "aws_iam_role.tags_only", "type": "aws_iam_role", "name": "tags_only",
     "change": {"actions": ["update"], "before": {"tags": {}}, "after": {"tags": null}, "after_unknown": {}}},
    {"address": "aws_secretsmanager_secret_version.db", "type": "aws_secretsmanager_secret_version", "name": "db",
     "change": {"actions": ["update"],
       "before": {"secret_string": "hunter2", "version_stages": ["AWSCURRENT"]},
       "after":  {"secret_string": "hunter3", "version_stages": ["AWSCURRENT"]},
       "after_unknown": {}, "before_sensitive": {"secret_string": true}, "after_sensitive": {"secret_string": true}}},
    {"address": "aws_s3_bucket.same", "type": "aws_s3_bucket", "name": "same",
     "change": {"actions": ["no-op"], "before": {"bucket": "b"}, "after": {"bucket": "b"}, "after_unknown": {}}}
  ]
}`

func parsePlan(t *testing.T, text string) *tfjson.Plan {
	t.Helper()
	var plan tfjson.Plan
	if err := json.Unmarshal([]byte(text), &plan); err != nil {
		t.Fatal(err)
	}
	return &plan
}

var (
	rebalancing = Allowance{Address: `.*aws_ecs_service\.this\[0\]`, Path: "availability_zone_rebalancing", Bug: "DescribeServices omits availabilityZoneRebalancing"}
	ruleDesc    = Allowance{Address: `.*aws_vpc_security_group_(ingress|egress)_rule\..*`, Path: "description", EmptyBefore: true, Bug: "group rules lose their description"}
	oac         = Allowance{Address: `.*aws_cloudfront_distribution\..*`, Path: "origin[*].origin_access_control_id", Bug: "CloudFront drops the OAC id"}
	rdsInsights = Allowance{Address: `.*aws_rds_cluster\..*`, Path: "performance_insights_enabled", Bug: "RDS drops Performance Insights"}
)

func TestCheckExcusesOnlyTheNamedAttributes(t *testing.T) {
	res, err := Check(parsePlan(t, secondPlan), []Allowance{rebalancing, ruleDesc, oac, rdsInsights})
	if err != nil {
		t.Fatal(err)
	}
	// Every excused difference, as the plan above writes it.
	want := map[string]Allowance{
		`module.web["pos-web-app"].aws_ecs_service.this[0] availability_zone_rebalancing: <nil> -> ENABLED`:       rebalancing,
		`module.web["pos-web-app"].aws_vpc_security_group_ingress_rule.this[0] description:  -> from the ALB`:     ruleDesc,
		`module.private_assets[0].aws_cloudfront_distribution.this origin[0].origin_access_control_id:  -> E2OAC`: oac,
	}
	got := map[string]Allowance{}
	for d, a := range res.Excused {
		got[d.String()] = a
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("excused:\n%v\nwant:\n%v", got, want)
	}
	// The queue's real change (and the queue it re-creates), the create, a
	// description changed between two real texts (the allowance excuses only
	// the emulator's empty answer), an update that shows no attribute (tags
	// {} -> null is no difference), and a secret's change, masked: nothing
	// excuses them.
	wantUnexpected := []string{
		"[create] aws_sqs_queue.gone",
		"update aws_iam_role.tags_only (no attribute differs)",
		"update aws_secretsmanager_secret_version.db secret_string: (sensitive) -> (sensitive)",
		"update module.db.aws_vpc_security_group_ingress_rule.cidr description: old text -> new text",
		`update module.worker["worker-item"].calinks_worker_pipeline.this queue_url: https://q -> (known after apply)`,
		`update module.worker["worker-item"].calinks_worker_pipeline.this visibility_timeout_seconds: 30 -> 60`,
	}
	if fmt.Sprint(res.Unexpected) != fmt.Sprint(wantUnexpected) {
		t.Errorf("unexpected:\n%q\nwant:\n%q", res.Unexpected, wantUnexpected)
	}
	// Aurora is not in this plan: its allowance is stale and must be removed.
	if len(res.Stale) != 1 || res.Stale[0] != rdsInsights {
		t.Errorf("stale = %v, want only %v", res.Stale, rdsInsights)
	}
}

func TestCheckAllowanceForAnotherAttributeExcusesNothing(t *testing.T) {
	// The service's desired count is not what the emulator gets wrong: an
	// allowance for it must not hide the rebalancing difference.
	wrongPath := Allowance{Address: rebalancing.Address, Path: "desired_count", Bug: rebalancing.Bug}
	res, err := Check(parsePlan(t, secondPlan), []Allowance{wrongPath})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range res.Unexpected {
		if u == `update module.web["pos-web-app"].aws_ecs_service.this[0] availability_zone_rebalancing: <nil> -> ENABLED` {
			if len(res.Stale) != 1 {
				t.Errorf("stale = %v, want the desired_count allowance", res.Stale)
			}
			return
		}
	}
	t.Errorf("the rebalancing difference was excused by an allowance for desired_count: %v", res.Unexpected)
}

func TestAllowancePaths(t *testing.T) {
	for _, c := range []struct {
		path, attribute string
		want            bool
	}{
		{"origin[*].origin_access_control_id", "origin[2].origin_access_control_id", true},
		{"origin[*].origin_access_control_id", "origin[2].domain_name", false},
		{"scaling_configuration[*].*", "scaling_configuration[0].max_capacity", true},
		{"scaling_configuration[*].*", "scaling_configuration", false},
		{"description", "description_extra", false},
	} {
		got, err := Allowance{Address: ".*", Path: c.path}.matches("x", c.attribute)
		if err != nil || got != c.want {
			t.Errorf("%s matches %s = %v (%v), want %v", c.path, c.attribute, got, err, c.want)
		}
	}
}

func TestCheckEmptyPlan(t *testing.T) {
	res, err := Check(parsePlan(t, `{"format_version": "1.2", "resource_changes": []}`), nil)
	if err != nil || len(res.Unexpected) != 0 || len(res.Stale) != 0 || len(res.Excused) != 0 {
		t.Errorf("empty plan: %+v, %v", res, err)
	}
}

func TestCheckBadAddressPattern(t *testing.T) {
	if _, err := Check(parsePlan(t, secondPlan), []Allowance{{Address: "(", Path: "x", Bug: "b"}}); err == nil {
		t.Error("an allowance with a broken pattern was accepted")
	}
}
