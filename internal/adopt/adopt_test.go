package adopt

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
)

// plan builds `terraform show -json` output with the given resource changes.
func plan(changes ...string) []byte {
	return []byte(`{"format_version":"1.2","resource_changes":[` + strings.Join(changes, ",") + `]}`)
}

func change(address, typ, actions string, importing bool) string {
	imp := "null"
	if importing {
		imp = `{"id":"x"}`
	}
	quoted, _ := json.Marshal(address)
	return `{"address":` + string(quoted) + `,"type":"` + typ + `","mode":"managed","change":{"actions":` + actions + `,"importing":` + imp + `}}`
}

const pipeline = `module.worker["worker-item"].calinks_worker_pipeline.this`

func TestCheckPlan(t *testing.T) {
	allow := regexp.MustCompile(DefaultAllowCreate)
	cases := []struct {
		name    string
		plan    []byte
		imports []string
		want    []string // substrings of the problems, in order
	}{
		{"imported and updated in place", plan(change(pipeline, "calinks_worker_pipeline", `["update"]`, true),
			change("module.edge.aws_lb.this", "aws_lb", `["create"]`, false)), []string{pipeline}, nil},
		{"replacement", plan(change(pipeline, "calinks_worker_pipeline", `["delete","create"]`, true)), []string{pipeline},
			[]string{pipeline + ": planned delete, create"}},
		{"create before destroy is a replacement too", plan(change(pipeline, "calinks_worker_pipeline", `["create","delete"]`, true)), []string{pipeline},
			[]string{pipeline + ": planned create, delete"}},
		{"destroy", plan(change("module.dynamodb[0].aws_dynamodb_table.this[\"Ec_Order\"]", "aws_dynamodb_table", `["delete"]`, false)), nil,
			[]string{"aws_dynamodb_table.this[\"Ec_Order\"]: planned delete"}},
		{"import block not imported", plan(change(pipeline, "calinks_worker_pipeline", `["create"]`, false)), []string{pipeline},
			[]string{pipeline + ": a new calinks_worker_pipeline", pipeline + ": has an import block but the plan does not import it"}},
		{"new stateful object", plan(change(`module.messaging.aws_sns_topic.this["item"]`, "aws_sns_topic", `["create"]`, false)), nil,
			[]string{`module.messaging.aws_sns_topic.this["item"]: a new aws_sns_topic`}},
		{"new stateful objects Copilot never had", plan(change("module.ops[0].aws_sns_topic.alarms", "aws_sns_topic", `["create"]`, false),
			change("module.edge.module.access_logs.aws_s3_bucket.this", "aws_s3_bucket", `["create"]`, false),
			change("module.private_assets[0].module.logs.aws_s3_bucket.this", "aws_s3_bucket", `["create"]`, false),
			change("module.static_site[0].module.site.module.logs.aws_s3_bucket.this", "aws_s3_bucket", `["create"]`, false)), nil, nil},
		{"a new content bucket beside the adopted one", plan(change("module.private_assets[0].module.content.aws_s3_bucket.this", "aws_s3_bucket", `["create"]`, false)), nil,
			[]string{"module.private_assets[0].module.content.aws_s3_bucket.this: a new aws_s3_bucket"}},
		{"a reader added to the adopted cluster", plan(change("module.aurora[0].aws_rds_cluster.this", "aws_rds_cluster", `["update"]`, true),
			change("module.aurora[0].aws_rds_cluster_instance.this[1]", "aws_rds_cluster_instance", `["create"]`, false)), []string{"module.aurora[0].aws_rds_cluster.this"}, nil},
		{"a new database", plan(change("module.aurora[0].aws_rds_cluster.this", "aws_rds_cluster", `["create"]`, false)), nil,
			[]string{"module.aurora[0].aws_rds_cluster.this: a new aws_rds_cluster"}},
		{"data sources are not changes", plan(`{"address":"data.aws_region.current","type":"aws_region","mode":"data","change":{"actions":["delete"]}}`), nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := CheckPlan(c.plan, c.imports, allow)
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Problems) != len(c.want) {
				t.Fatalf("problems = %q, want %d matching %q", v.Problems, len(c.want), c.want)
			}
			for i, want := range c.want {
				if !strings.Contains(v.Problems[i], want) {
					t.Errorf("problem %d = %q, want it to say %q", i, v.Problems[i], want)
				}
			}
		})
	}
	if _, err := CheckPlan([]byte("not json"), nil, allow); err == nil {
		t.Error("a plan that is not JSON is accepted")
	}
}

func testEstate() Estate {
	return Estate{App: "calinks", Env: "develop", ClusterName: "calinks-develop-Cluster-1A2B3C4D5E6F",
		Topics: []Topic{{Key: "item", ARN: "arn:aws:sns:ap-northeast-1:123456789012:calinks-develop-pos-web-app-item.fifo", Publisher: "pos-web-app"}},
		Workers: []Worker{{
			Name: "worker-item", QueueName: "calinks-develop-worker-item-EventsQueue-7G8H9I0J1K2L.fifo",
			ServiceName: "calinks-develop-worker-item-Service-3M4N5O6P7Q8R", QueueKMSKeyARN: "arn:aws:kms:ap-northeast-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
			TaskRoleARN: "arn:aws:iam::123456789012:role/calinks-develop-worker-item-TaskRole-9S0T1U2V3W4X", ServiceDiscoveryEndpoint: "develop.calinks.local",
			LogGroupName: "/copilot/calinks-develop-worker-item", VisibilityTimeout: 120, MessageRetention: 1209600, Delay: 1, ScalingPolicies: []string{"worker-item-BacklogPerTask-calinks-develop-worker-item-EventsQueue-7G8H9I0J1K2L.fifo"},
		}},
		PublisherRoles: map[string]string{"pos-web-app": "arn:aws:iam::123456789012:role/calinks-develop-pos-web-app-TaskRole-5Y6Z7A8B9C0D"},
		TaskRoles: map[string]string{"pos-web-app": "arn:aws:iam::123456789012:role/calinks-develop-pos-web-app-TaskRole-5Y6Z7A8B9C0D",
			"ec-web-app":  "arn:aws:iam::123456789012:role/calinks-develop-ec-web-app-TaskRole-1E2F3G4H5I6J",
			"worker-item": "arn:aws:iam::123456789012:role/calinks-develop-worker-item-TaskRole-9S0T1U2V3W4X"},
		CopilotLoadBalancer: &LoadBalancer{DNSName: "calinks-Publi-1A2B3C4D5E6F-123456789.ap-northeast-1.elb.amazonaws.com", ZoneID: "Z14GRHDCWA56QT"},
		Tables:              []Table{{Key: "Ec_Order", Name: "calinks-develop-Ec_Order"}},
		Buckets: []Bucket{{Storage: "private-static", Name: copilotPrivateStaticBucket, Variable: "private_static_bucket_name",
			Address: "module.private_assets[0].module.content.aws_s3_bucket.this"}},
		Database:  copilotDatabase(),
		LogGroups: []LogGroup{{Workload: "pos-web-app", Name: "/copilot/calinks-develop-pos-web-app", Address: `module.web_service["pos-web-app"].module.task.aws_cloudwatch_log_group.this`}},
		Mail: &MailIdentity{Domain: "develop.mycalinks.io", Status: "Success", DKIM: true, MailFromDomain: "mail.develop.mycalinks.io", ZoneID: "Z0PUBLIC0ZONE0ID",
			Records: mailRecordsOf("develop.mycalinks.io", []string{"token0"}, "mail.develop.mycalinks.io")[:2]},
	}
}

const copilotDatabaseSecret = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:calinksdbAuroraSecret-1A2B3C4D5E6F-AbCdEf"

// copilotDatabase is Copilot's Aurora Serverless v2 add-on as discovery
// reads it (aws/copilot-cli, templates/addons/aurora/env/serverlessv2.yml):
// unencrypted, the password in Copilot's secret, 0.5 to 8 ACUs.
func copilotDatabase() *Database {
	minACU, maxACU := 0.5, 8.0
	return &Database{ClusterIdentifier: "calinks-develop-addonsstack-1x2y3z-calinksdbdbcluster-5f6g7h8i9j0k",
		Instances: []Instance{{Identifier: "calinks-develop-addonsstack-1x2y3z-calinksdbdbwriterinstance-1l2m3n4o5p6q", Class: "db.serverless"},
			{Identifier: "calinks-develop-addonsstack-1x2y3z-reader-7r8s9t0u1v2w", Class: "db.r6g.large"}},
		SubnetGroupName: "calinks-develop-addonsstack-1x2y3z-dbsubnetgroup-3x4y5z6a7b8c", SubnetGroupDescription: "Group of private subnets for Aurora Serverless v2 cluster.",
		VPCID: "vpc-0c0p110t0000000a1", SubnetIDs: []string{"subnet-0priv0", "subnet-0priv1"}, PublicSubnetIDs: []string{"subnet-0pub0", "subnet-0pub1"},
		DatabaseName: "calinks", MasterUsername: "admin", PreferredBackupWindow: "01:37-02:07",
		ServerlessMinCapacity: &minACU, ServerlessMaxCapacity: &maxACU, ClusterParameterGroup: "calinks-develop-addonsstack-1x2y3z-dbclusterparametergroup-9d0e",
		SecurityGroupIDs: []string{"sg-0c0p110tdbc1u5t3r"}, KeepMasterPassword: true, MasterSecretARN: copilotDatabaseSecret}
}

// copilotPrivateStaticBucket: CloudFormation's name for the bucket of
// `copilot storage init -t S3 -n private-static` (stack, logical ID, random).
const copilotPrivateStaticBucket = "calinks-develop-addonsstack-1x2y3z-privatestaticbucket-4a5b6c7d8e9f"

// TestImportsHCL: one import block per adopted object, with the import IDs
// each resource type takes (cluster name, topic ARN, cluster/service/queue
// for the pipeline, log group name), and valid HCL.
func TestImportsHCL(t *testing.T) {
	src := testEstate().ImportsHCL()
	file, diags := hclparse.NewParser().ParseHCL(src, "adoption.tf")
	if diags.HasErrors() {
		t.Fatalf("adoption.tf does not parse: %v\n%s", diags, src)
	}
	content, _ := file.Body.Content(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "import"}}})
	got := map[string]string{}
	for _, b := range content.Blocks {
		attrs, _ := b.Body.JustAttributes()
		to := string(attrs["to"].Expr.Range().SliceBytes(src))
		id, _ := attrs["id"].Expr.Value(nil)
		got[to] = id.AsString()
	}
	want := map[string]string{
		"module.cluster.aws_ecs_cluster.this":         "calinks-develop-Cluster-1A2B3C4D5E6F",
		`module.messaging.aws_sns_topic.this["item"]`: "arn:aws:sns:ap-northeast-1:123456789012:calinks-develop-pos-web-app-item.fifo",
		pipeline: "calinks-develop-Cluster-1A2B3C4D5E6F/calinks-develop-worker-item-Service-3M4N5O6P7Q8R/calinks-develop-worker-item-EventsQueue-7G8H9I0J1K2L.fifo",
		`module.worker["worker-item"].module.task.aws_cloudwatch_log_group.this`:      "/copilot/calinks-develop-worker-item",
		`module.dynamodb[0].aws_dynamodb_table.this["Ec_Order"]`:                      "calinks-develop-Ec_Order",
		"module.private_assets[0].module.content.aws_s3_bucket.this":                  copilotPrivateStaticBucket,
		"module.aurora[0].aws_rds_cluster.this":                                       "calinks-develop-addonsstack-1x2y3z-calinksdbdbcluster-5f6g7h8i9j0k",
		"module.aurora[0].aws_rds_cluster_instance.this[0]":                           "calinks-develop-addonsstack-1x2y3z-calinksdbdbwriterinstance-1l2m3n4o5p6q",
		"module.aurora[0].aws_rds_cluster_instance.this[1]":                           "calinks-develop-addonsstack-1x2y3z-reader-7r8s9t0u1v2w",
		"module.aurora[0].aws_db_subnet_group.this":                                   "calinks-develop-addonsstack-1x2y3z-dbsubnetgroup-3x4y5z6a7b8c",
		`module.web_service["pos-web-app"].module.task.aws_cloudwatch_log_group.this`: "/copilot/calinks-develop-pos-web-app",
		// SES identities, their DKIM and MAIL FROM settings import by domain,
		// records by zone_name_type.
		"module.ops[0].aws_ses_domain_identity.this[0]":        "develop.mycalinks.io",
		"module.ops[0].aws_ses_domain_dkim.this[0]":            "develop.mycalinks.io",
		"module.ops[0].aws_ses_domain_mail_from.this[0]":       "develop.mycalinks.io",
		`module.ops[0].aws_route53_record.ses["verification"]`: "Z0PUBLIC0ZONE0ID__amazonses.develop.mycalinks.io_TXT",
		`module.ops[0].aws_route53_record.ses["dkim-0"]`:       "Z0PUBLIC0ZONE0ID_token0._domainkey.develop.mycalinks.io_CNAME",
	}
	if len(got) != len(want) {
		t.Fatalf("imports = %v, want %v", got, want)
	}
	for to, id := range want {
		if got[to] != id {
			t.Errorf("import %s id = %q, want %q", to, got[to], id)
		}
	}
	addresses := ImportAddresses(src)
	slices.Sort(addresses)
	if len(addresses) != len(want) || !slices.Contains(addresses, pipeline) {
		t.Errorf("ImportAddresses = %v, want the %d targets", addresses, len(want))
	}
	if again := testEstate().ImportsHCL(); string(again) != string(src) {
		t.Error("a second run writes another adoption.tf: make adopt is not idempotent")
	}
}

// TestTFVars: the adoption variable carries the names and ARNs to keep;
// a worker without a dead-letter queue gets null, not an empty name.
func TestTFVars(t *testing.T) {
	src := testEstate().TFVars()
	file, diags := hclparse.NewParser().ParseHCL(src, "adoption.auto.tfvars")
	if diags.HasErrors() {
		t.Fatalf("adoption.auto.tfvars does not parse: %v\n%s", diags, src)
	}
	attrs, _ := file.Body.JustAttributes()
	v, diags := attrs["adoption"].Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if got := v.GetAttr("cluster_name").AsString(); got != "calinks-develop-Cluster-1A2B3C4D5E6F" {
		t.Errorf("cluster_name = %q", got)
	}
	w := v.GetAttr("workers").GetAttr("worker-item")
	for attr, want := range map[string]string{
		"queue_name": "calinks-develop-worker-item-EventsQueue-7G8H9I0J1K2L.fifo", "service_name": "calinks-develop-worker-item-Service-3M4N5O6P7Q8R",
		"queue_kms_key_arn":          "arn:aws:kms:ap-northeast-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
		"copilot_task_role_arn":      "arn:aws:iam::123456789012:role/calinks-develop-worker-item-TaskRole-9S0T1U2V3W4X",
		"service_discovery_endpoint": "develop.calinks.local",
	} {
		if got := w.GetAttr(attr).AsString(); got != want {
			t.Errorf("workers.worker-item.%s = %q, want %q", attr, got, want)
		}
	}
	for attr, want := range map[string]int64{"visibility_timeout_seconds": 120, "message_retention_seconds": 1209600, "delay_seconds": 1} {
		if got, _ := w.GetAttr(attr).AsBigFloat().Int64(); got != want {
			t.Errorf("workers.worker-item.%s = %d, want Copilot's %d kept", attr, got, want)
		}
	}
	if !w.GetAttr("max_receive_count").IsNull() {
		t.Errorf("max_receive_count = %#v, want null without a redrive policy", w.GetAttr("max_receive_count"))
	}
	if !w.GetAttr("dead_letter_queue_name").IsNull() {
		t.Errorf("dead_letter_queue_name = %#v, want null (Copilot made none)", w.GetAttr("dead_letter_queue_name"))
	}
	if !v.GetAttr("copilot_serves_traffic").True() {
		t.Error("copilot_serves_traffic is not true while Copilot's load balancer serves: the apply would move traffic")
	}
	if lb := v.GetAttr("copilot_load_balancer"); lb.GetAttr("dns_name").AsString() != testEstate().CopilotLoadBalancer.DNSName || lb.GetAttr("zone_id").AsString() != "Z14GRHDCWA56QT" {
		t.Errorf("copilot_load_balancer = %#v", lb)
	}
	if got := v.GetAttr("publisher_role_arns").GetAttr("pos-web-app").AsString(); got != testEstate().PublisherRoles["pos-web-app"] {
		t.Errorf("publisher_role_arns.pos-web-app = %q", got)
	}
	if got := v.GetAttr("dynamodb_table_names").GetAttr("Ec_Order").AsString(); got != "calinks-develop-Ec_Order" {
		t.Errorf("dynamodb_table_names.Ec_Order = %q, want Copilot's table kept", got)
	}
	if got := v.GetAttr("private_static_bucket_name").AsString(); got != copilotPrivateStaticBucket {
		t.Errorf("private_static_bucket_name = %q, want Copilot's bucket kept", got)
	}
	var roles []string
	for _, r := range v.GetAttr("copilot_task_role_arns").AsValueSlice() {
		roles = append(roles, r.AsString())
	}
	if want := []string{"arn:aws:iam::123456789012:role/calinks-develop-ec-web-app-TaskRole-1E2F3G4H5I6J",
		"arn:aws:iam::123456789012:role/calinks-develop-pos-web-app-TaskRole-5Y6Z7A8B9C0D",
		"arn:aws:iam::123456789012:role/calinks-develop-worker-item-TaskRole-9S0T1U2V3W4X"}; !slices.Equal(roles, want) {
		t.Errorf("copilot_task_role_arns = %v, want every Copilot service's task role (they keep using the tables and the bucket): %v", roles, want)
	}
	if v.Type().HasAttribute("static_bucket_name") {
		t.Error("static_bucket_name is set, but Copilot had no static bucket")
	}
	db := v.GetAttr("aurora")
	for attr, want := range map[string]string{"cluster_identifier": "calinks-develop-addonsstack-1x2y3z-calinksdbdbcluster-5f6g7h8i9j0k",
		"subnet_group_name": "calinks-develop-addonsstack-1x2y3z-dbsubnetgroup-3x4y5z6a7b8c", "subnet_group_description": "Group of private subnets for Aurora Serverless v2 cluster.",
		"vpc_id": "vpc-0c0p110t0000000a1", "database_name": "calinks", "master_username": "admin", "preferred_backup_window": "01:37-02:07",
		"cluster_parameter_group_name": "calinks-develop-addonsstack-1x2y3z-dbclusterparametergroup-9d0e",
		"master_secret_arn":            copilotDatabaseSecret} {
		if got := db.GetAttr(attr).AsString(); got != want {
			t.Errorf("aurora.%s = %q, want Copilot's %q kept", attr, got, want)
		}
	}
	if !db.GetAttr("storage_kms_key_arn").IsNull() || !db.GetAttr("keep_master_password").True() {
		t.Errorf("aurora: storage_kms_key_arn %#v, keep_master_password %#v; want null (unencrypted) and true (Copilot's secret)", db.GetAttr("storage_kms_key_arn"), db.GetAttr("keep_master_password"))
	}
	if got := db.GetAttr("serverless_v2_scaling"); got.GetAttr("min_capacity").AsBigFloat().String() != "0.5" || got.GetAttr("max_capacity").AsBigFloat().String() != "8" {
		t.Errorf("aurora.serverless_v2_scaling = %#v, want 0.5 to 8", got)
	}
	if got := db.GetAttr("instances").AsValueSlice(); len(got) != 2 || got[1].GetAttr("identifier").AsString() != "calinks-develop-addonsstack-1x2y3z-reader-7r8s9t0u1v2w" ||
		got[1].GetAttr("instance_class").AsString() != "db.r6g.large" {
		t.Errorf("aurora.instances = %#v, want each instance with its own class", got)
	}
	if got := db.GetAttr("security_group_ids").AsValueSlice(); len(got) != 1 || got[0].AsString() != "sg-0c0p110tdbc1u5t3r" {
		t.Errorf("aurora.security_group_ids = %#v, want Copilot's kept attached", got)
	}
	if _, set := attrs["vpc_id"]; set {
		t.Error("vpc_id is written, but the root imports its VPC already")
	}
}

// TestTFVarsCopilotsVPC: where the root makes its own VPC, the adopted
// database brings the environment into Copilot's (it cannot move).
func TestTFVarsCopilotsVPC(t *testing.T) {
	e := testEstate()
	e.Database.WriteVPC = true
	src := e.TFVars()
	file, diags := hclparse.NewParser().ParseHCL(src, "adoption.auto.tfvars")
	if diags.HasErrors() {
		t.Fatalf("adoption.auto.tfvars does not parse: %v\n%s", diags, src)
	}
	attrs, _ := file.Body.JustAttributes()
	vpc, _ := attrs["vpc_id"].Expr.Value(nil)
	subnets, _ := attrs["imported_subnet_ids"].Expr.Value(nil)
	if vpc.AsString() != "vpc-0c0p110t0000000a1" || subnets.GetAttr("private").LengthInt() != 2 || subnets.GetAttr("public").AsValueSlice()[0].AsString() != "subnet-0pub0" {
		t.Errorf("vpc_id = %#v, imported_subnet_ids = %#v; want Copilot's VPC, the subnet group's subnets private, its public subnets public", vpc, subnets)
	}
}

// TestAddDataStores maps Copilot's storage add-ons to the root's tables and
// buckets by the names Copilot's templates give them (addons/ddb:
// `${App}-${Env}-<name>`; addons/s3: CloudFormation's generated name).
func TestAddDataStores(t *testing.T) {
	e := Estate{App: "calinks", Env: "staging"}
	tables := []string{"Ec_Order", "Ec_Product", "Outbox_Ec_Order"}
	for _, name := range []string{
		"calinks-staging-Ec_Order",                    // an environment add-on
		"calinks-staging-worker-item-Outbox_Ec_Order", // worker-item's add-on
		"calinks-staging-Sessions",                    // not the root's
		"Ec_Product", "calinks-develop-Ec_Product",    // not this environment's
		"calinks-staging-pos-web-app-Ec_Order",           // a second Ec_Order
		"calinks-staging-pos-web-app-Legacy_Ec_Product2", // not the root's
	} {
		e.addTable(name, tables)
	}
	for _, name := range []string{
		"calinks-staging-addonsstack-a1-staticbucket-b2",        // static
		"calinks-staging-addonsstack-a1-privatestaticbucket-c3", // private-static, not static
		"calinks-staging-addonsstack-a1-privatestaticbucket-d4", // a second one
		"calinks-staging-addonsstack-a1-uploadsbucket-e5",       // not the root's
	} {
		e.addBucket(name, true)
	}
	if want := []Table{{Key: "Ec_Order", Name: "calinks-staging-Ec_Order"}, {Key: "Outbox_Ec_Order", Name: "calinks-staging-worker-item-Outbox_Ec_Order"}}; !slices.Equal(e.Tables, want) {
		t.Errorf("tables = %+v, want %+v", e.Tables, want)
	}
	got := map[string]string{}
	for _, b := range e.Buckets {
		got[b.Storage] = b.Name + " -> " + b.Address
	}
	want := map[string]string{
		"static":         "calinks-staging-addonsstack-a1-staticbucket-b2 -> module.static_site[0].module.site.module.content.aws_s3_bucket.this",
		"private-static": "calinks-staging-addonsstack-a1-privatestaticbucket-c3 -> module.private_assets[0].module.content.aws_s3_bucket.this",
	}
	if len(got) != len(want) || got["static"] != want["static"] || got["private-static"] != want["private-static"] {
		t.Errorf("buckets = %v, want %v", got, want)
	}
	skipped := map[string]bool{}
	for _, s := range e.Skipped {
		skipped[s.Name] = true
	}
	for _, name := range []string{"calinks-staging-Sessions", "Ec_Product", "calinks-develop-Ec_Product", "calinks-staging-pos-web-app-Ec_Order",
		"calinks-staging-pos-web-app-Legacy_Ec_Product2", "calinks-staging-addonsstack-a1-privatestaticbucket-d4", "calinks-staging-addonsstack-a1-uploadsbucket-e5"} {
		if !skipped[name] {
			t.Errorf("%s is neither adopted nor listed as not adopted: %+v", name, e.Skipped)
		}
	}
}

// TestStaticBucketNeedsTheStaticSite: without static_site_enabled the root
// has no static bucket to import into.
func TestStaticBucketNeedsTheStaticSite(t *testing.T) {
	e := Estate{App: "calinks", Env: "staging"}
	e.addBucket("calinks-staging-addonsstack-a1-staticbucket-b2", false)
	if len(e.Buckets) != 0 || len(e.Skipped) != 1 || !strings.Contains(e.Skipped[0].Reason, "static_site_enabled") {
		t.Errorf("buckets %+v, skipped %+v: want the static bucket not adopted, naming static_site_enabled", e.Buckets, e.Skipped)
	}
}

// TestLoadRoot reads the roots' switches as written in terraform.tfvars.
func TestLoadRoot(t *testing.T) {
	vpcs := map[string]string{"develop": "vpc-01e2cc9c6c0ec2e19"} // staging and production make their own
	for env, want := range map[string][2]bool{"develop": {false, false}, "staging": {true, false}, "production": {true, true}} {
		got, err := LoadRoot("../../environments/" + env)
		if err != nil || got.Addons != want[0] || got.StaticSiteEnabled != want[1] {
			t.Errorf("%s: addons_enabled, static_site_enabled = %v, %v (%v), want %v (docs/architecture.md, Environments)", env, got.Addons, got.StaticSiteEnabled, err, want)
		}
		if got.VPCID != vpcs[env] {
			t.Errorf("%s: vpc_id = %q, want %q", env, got.VPCID, vpcs[env])
		}
		// The web services and jobs of docs/architecture.md, at their modules.
		var addresses []string
		for _, w := range got.webAndJobs() {
			addresses = append(addresses, w.module+"/"+w.name)
		}
		if want := []string{"web_service/backend-outbox", "web_service/ec-web-app", "web_service/pos-web-app",
			"job/job-daily-calculate", "job/job-ensure-consistency", "job/job-temporary-task"}; !slices.Equal(addresses, want) {
			t.Errorf("%s: web services and jobs %v, want %v", env, addresses, want)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfvars"), []byte("vpc_id = \"vpc-0123\"\naddons_enabled = \"yes\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tfvars := []string{filepath.Join(dir, "terraform.tfvars")}
	values, err := tfvarsLiterals(tfvars, map[string]cty.Value{"vpc_id": cty.StringVal("")})
	if err != nil || values["vpc_id"].AsString() != "vpc-0123" {
		t.Errorf("vpc_id = %#v (%v), want vpc-0123", values["vpc_id"], err)
	}
	if _, err := tfvarsLiterals(tfvars, map[string]cty.Value{"addons_enabled": cty.False}); err == nil || !strings.Contains(err.Error(), "addons_enabled is not a literal bool") {
		t.Errorf("a string addons_enabled: error %v, want one naming it", err)
	}
}

// TestMailRecords: the records SES asks for, under the keys modules/ops
// gives them: the verification TXT (_amazonses), a CNAME per DKIM token
// (<token>._domainkey), the MAIL FROM domain's MX and SPF TXT
// (https://docs.aws.amazon.com/ses/latest/dg/creating-identities.html,
// https://docs.aws.amazon.com/ses/latest/dg/mail-from.html).
func TestMailRecords(t *testing.T) {
	got := mailRecordsOf("example.com", []string{"t0", "t1", "t2"}, "mail.example.com")
	want := []MailRecord{{"verification", "_amazonses.example.com", "TXT"}, {"dkim-0", "t0._domainkey.example.com", "CNAME"},
		{"dkim-1", "t1._domainkey.example.com", "CNAME"}, {"dkim-2", "t2._domainkey.example.com", "CNAME"},
		{"mail-from-mx", "mail.example.com", "MX"}, {"mail-from-spf", "mail.example.com", "TXT"}}
	if !slices.Equal(got, want) {
		t.Errorf("records %v, want %v", got, want)
	}
}

// TestVariableFilesInTerraformsOrder: terraform.tfvars, then the
// *.auto.tfvars in lexical order, a later one overriding, null giving a
// nullable variable no value rather than its default (https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence);
// the files make adopt writes are not read back.
func TestVariableFilesInTerraformsOrder(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"terraform.tfvars":     "ses_domain = \"first.example\"\npublic_zone_name = \"zone.example\"\n",
		"b.auto.tfvars":        "ses_domain = \"last.example\"\n",
		"a.auto.tfvars":        "ses_domain = \"middle.example\"\npublic_zone_name = null\n",
		"adoption.auto.tfvars": "vpc_id = \"vpc-0c0p110t\"\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := variableFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	values, err := tfvarsLiterals(files, map[string]cty.Value{"ses_domain": cty.StringVal(""), "public_zone_name": cty.StringVal("default.example"), "vpc_id": cty.StringVal("")})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"ses_domain": "last.example", "public_zone_name": "", "vpc_id": ""} {
		if got := values[name].AsString(); got != want {
			t.Errorf("%s = %q, want %q (files %v)", name, got, want, files)
		}
	}
}

// TestModuleTables reads the table names from the dynamodb module itself.
func TestModuleTables(t *testing.T) {
	got, err := moduleTables("../../modules/dynamodb/variables.tf")
	if err != nil {
		t.Fatal(err)
	}
	// The estate's tables (docs/architecture.md, "Data").
	if want := []string{"Ec_Order", "Ec_Product", "Outbox_Ec_Order"}; !slices.Equal(got, want) {
		t.Errorf("tables = %v, want %v", got, want)
	}
}

// TestTable names the plan's consequences of each adoption.
func TestTable(t *testing.T) {
	table := testEstate().Table()
	for _, want := range []string{"a dead-letter queue is created", "worker-item-BacklogPerTask-", "is removed", pipeline, "kept: pos-web-app may publish"} {
		if !strings.Contains(table, want) {
			t.Errorf("table does not say %q:\n%s", want, table)
		}
	}
}

// TestAddTopic maps Copilot topic names to the root's topic keys by the
// publisher in their copilot-service tag.
func TestAddTopic(t *testing.T) {
	m := Messaging{Topics: map[string]struct{ Publisher string }{"ec-order": {"pos-web-app"}, "external-ec": {"backend-outbox"}}}
	e := Estate{App: "calinks", Env: "develop"}
	for name, publisher := range map[string]string{
		"calinks-develop-pos-web-app-ec-order.fifo":       "pos-web-app",    // adopted
		"calinks-develop-pos-web-app-external-ec.fifo":    "pos-web-app",    // published by another service here
		"calinks-develop-backend-outbox-unknown.fifo":     "backend-outbox", // not a topic of the root
		"calinks-develop-backend-outbox-external-ec.fifo": "backend-outbox", // adopted
	} {
		e.addTopic(tagged{arn: "arn:aws:sns:ap-northeast-1:123456789012:" + name, tags: map[string]string{tagService: publisher}}, name, m)
	}
	var keys []string
	for _, topic := range e.Topics {
		keys = append(keys, topic.Key)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"ec-order", "external-ec"}) {
		t.Errorf("adopted topics = %v, want [ec-order external-ec]", keys)
	}
	if len(e.Skipped) != 2 {
		t.Errorf("skipped = %+v, want the other two with their reasons", e.Skipped)
	}
}

// TestWriteKeepsWhatWasAdopted: a second run that no longer finds a worker,
// a table or a bucket (its tags are the root's after a partial apply)
// leaves the files alone.
func TestWriteKeepsWhatWasAdopted(t *testing.T) {
	root := t.TempDir()
	if err := testEstate().Write(root); err != nil {
		t.Fatal(err)
	}
	for name, drop := range map[string]func(*Estate){
		"workers.worker-item":           func(e *Estate) { e.Workers = nil },
		"dynamodb_table_names.Ec_Order": func(e *Estate) { e.Tables = nil },
		"private_static_bucket_name":    func(e *Estate) { e.Buckets = nil },
		"aurora":                        func(e *Estate) { e.Database = nil },
	} {
		again := testEstate()
		drop(&again)
		if err := again.Write(root); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("Write without %s = %v, want a refusal naming it", name, err)
		}
	}
	if err := testEstate().Write(root); err != nil {
		t.Errorf("the same estate again: %v", err)
	}
}

// TestSubscriptionFindings names what the first apply changes in an adopted
// queue's subscriptions, and nothing else.
func TestSubscriptionFindings(t *testing.T) {
	item := "arn:aws:sns:ap-northeast-1:123456789012:calinks-develop-pos-web-app-item.fifo"
	product := "arn:aws:sns:ap-northeast-1:123456789012:calinks-develop-pos-web-app-product.fifo"
	got := subscriptionFindings("worker-item", map[string]bool{item: true}, []queueSubscription{
		{ARN: item + ":1", TopicARN: item},
		{ARN: product + ":2", TopicARN: product},
		{ARN: item + ":3", TopicARN: item, FilterPolicy: `{"store":["42"]}`},
	})
	if len(got) != 2 || got[0].Kind != "SNS subscription" || !strings.Contains(got[0].Name, "product") ||
		got[1].Kind != "SNS filter policy" || !strings.Contains(got[1].Reason, "clears it") {
		t.Errorf("findings = %+v, want the product subscription removed and the filter policy cleared", got)
	}
}

// TestAddDatabaseRefuses: with no add-ons, or more than one cluster, no
// database is adopted and each cluster is listed with the reason.
func TestAddDatabaseRefuses(t *testing.T) {
	for name, c := range map[string]struct {
		root     Root
		clusters []string
		reason   string
	}{
		"no add-ons":   {Root{}, []string{"calinks-develop-db"}, "addons_enabled = false"},
		"two clusters": {Root{Addons: true}, []string{"calinks-staging-a", "calinks-staging-b"}, "2 clusters"},
	} {
		e := Estate{App: "calinks", Env: "staging"}
		if err := e.addDatabase(t.Context(), Clients{}, c.clusters, c.root); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if e.Database != nil || len(e.Skipped) != len(c.clusters) || !strings.Contains(e.Skipped[0].Reason, c.reason) {
			t.Errorf("%s: database %+v, skipped %+v; want none adopted, each listed saying %q", name, e.Database, e.Skipped, c.reason)
		}
	}
}

// TestAddAuroraSecrets keeps the adopted cluster's master secret by the
// add-on's names (<cluster>AuroraSecret-, <cluster>dbcluster-) and lists
// another add-on's as not adopted.
func TestAddAuroraSecrets(t *testing.T) {
	e := testEstate()
	e.Database.MasterSecretARN = ""
	// db's secret: its name ends the adopted cluster's (calinksdb), which must not match.
	db := "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:dbAuroraSecret-5T6Y7U8I9O0P-ZxCvBn"
	other := "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:reportsAuroraSecret-9Z8Y7X6W5V4U-QwErTy"
	e.addAuroraSecrets([]string{db, other, copilotDatabaseSecret})
	if e.Database.MasterSecretARN != copilotDatabaseSecret {
		t.Errorf("master_secret_arn = %q, want %s (calinksdb's)", e.Database.MasterSecretARN, copilotDatabaseSecret)
	}
	if len(e.Skipped) != 3 || !strings.Contains(e.Skipped[0].Reason, "not adopted") || !strings.Contains(e.Skipped[1].Reason, "not adopted") ||
		!strings.Contains(e.Skipped[2].Reason, "adoption.aurora.master_secret_arn") {
		t.Errorf("skipped = %+v, want db's and reports's listed as not adopted and calinksdb's as kept", e.Skipped)
	}
}

// TestWriteKeepsCopilotsVPC: a run that no longer finds the database does
// not drop the VPC an earlier run moved the root into.
func TestWriteKeepsCopilotsVPC(t *testing.T) {
	root := t.TempDir()
	e := testEstate()
	e.Database.WriteVPC = true
	if err := e.Write(root); err != nil {
		t.Fatal(err)
	}
	again := testEstate()
	again.Database = nil
	if err := again.Write(root); err == nil || !strings.Contains(err.Error(), "vpc_id") || !strings.Contains(err.Error(), "After an apply, keep the file") {
		t.Errorf("Write without the database = %v, want a refusal naming vpc_id and saying to keep the file after an apply", err)
	}
}

// TestDatabaseRefusal: only an Aurora MySQL 8.0 provisioned cluster can
// become the root's in place (engine and mode replace a cluster when
// changed; the root's parameter groups are aurora-mysql8.0).
func TestDatabaseRefusal(t *testing.T) {
	for _, c := range []struct {
		engine, mode, version, want string
	}{
		{"aurora-mysql", "provisioned", "8.0.mysql_aurora.3.02.0", ""},
		{"aurora-mysql", "", "8.0.mysql_aurora.3.08.2", ""},
		{"aurora-postgresql", "provisioned", "14.4", "engine aurora-postgresql"},
		{"aurora-mysql", "serverless", "5.7.mysql_aurora.2.11.4", "engine mode serverless"},
		{"aurora-mysql", "provisioned", "5.7.mysql_aurora.2.11.4", "engine version 5.7"},
	} {
		got := databaseRefusal(rdstypes.DBCluster{Engine: aws.String(c.engine), EngineMode: aws.String(c.mode), EngineVersion: aws.String(c.version)})
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s %s %s: refusal %q, want %q", c.engine, c.mode, c.version, got, c.want)
		}
	}
}

// TestDatabaseStackResources: the stacks check names what the adopted
// database needs from Copilot's stacks, and the report takes its subnet
// and parameter groups as adopted, not as objects left behind.
func TestDatabaseStackResources(t *testing.T) {
	e := testEstate()
	d := e.Database
	resources := []stackResource{
		{Stack: "calinks-develop-AddonsStack-1x2y3z", LogicalID: "calinksdbDBCluster", Type: "AWS::RDS::DBCluster", PhysicalID: d.ClusterIdentifier},
		{Stack: "calinks-develop-AddonsStack-1x2y3z", LogicalID: "calinksdbAuroraSecret", Type: "AWS::SecretsManager::Secret", PhysicalID: copilotDatabaseSecret},
		{Stack: "calinks-develop-AddonsStack-1x2y3z", LogicalID: "calinksdbDBClusterSecurityGroup", Type: "AWS::EC2::SecurityGroup", PhysicalID: "sg-0c0p110tdbc1u5t3r"},
		{Stack: "calinks-develop-AddonsStack-1x2y3z", LogicalID: "calinksdbDBWriterInstance", Type: "AWS::RDS::DBInstance", PhysicalID: d.Instances[0].Identifier, DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain"},
	}
	got := notRetained(resources, e.keeps())
	var logical []string
	for _, r := range got {
		logical = append(logical, r.LogicalID)
	}
	if want := []string{"calinksdbAuroraSecret", "calinksdbDBCluster", "calinksdbDBClusterSecurityGroup"}; !slices.Equal(logical, want) {
		t.Errorf("not retained = %v, want %v (the writer is retained)", logical, want)
	}
	arn := "arn:aws:rds:ap-northeast-1:123456789012:"
	for resource, want := range map[string]bool{"subgrp:" + d.SubnetGroupName: true, "cluster-pg:" + d.ClusterParameterGroup: true,
		"db:" + d.Instances[1].Identifier: true, "db:calinks-develop-other": false, "subgrp:default": false} {
		if got := d.covers(arn + resource); got != want {
			t.Errorf("covers(%s) = %v, want %v", resource, got, want)
		}
	}
}
