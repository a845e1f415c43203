package test

import (
	"context"
	"crypto/md5" //nolint:gosec // S3's ETag, not a secret
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	route53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/gruntwork-io/terratest/modules/logger"
	"github.com/gruntwork-io/terratest/modules/terraform"

	"github.com/calinks/terraform-provider-calinks/internal/adopt"
	"github.com/calinks/terraform-provider-calinks/internal/copilotfixture"
	"github.com/calinks/terraform-provider-calinks/internal/testfixture"
)

// copilotEstate is what a case built under Copilot's names before adopting it.
type copilotEstate struct {
	fixture *copilotfixture.Estate
	cluster string
	workers map[string]copilotfixture.Worker
	sent    map[string]string // worker -> body of the message in its queue before adoption
	// publisherRoles: Copilot's task role of each publisher, which keeps
	// publishing until the web services are cut over.
	publisherRoles map[string]string
	topicARNs      map[string]string
	domain         string
	// loadBalancerDNS is Copilot's load balancer, serving the hostnames.
	loadBalancerDNS string
	// straySubscription subscribes worker-product to strayTopic, which the
	// root does not: the adoption removes it.
	strayTopic, straySubscription string
	// tables are Copilot's DynamoDB add-on tables by the root's table name,
	// each holding one item written before adoption; bucket is its
	// private-static bucket, holding beforeAdoptionObject, and distribution
	// the add-on's CloudFront distribution serving it.
	tables       map[string]string
	bucket       string
	distribution struct{ id, domainName string }
	// database is its Aurora add-on and databaseResourceID the cluster's
	// resource ID before adoption (a replaced cluster gets a new one).
	database           *copilotfixture.Database
	databaseResourceID string
	writerResourceID   string // the writer's (DbiResourceId), likewise
	// mail is the SES identity of ses_domain an add-on made, with its records.
	mail *copilotfixture.MailIdentity
	// network is Copilot's VPC, where a root without one of its own runs
	// once it adopts the database.
	network copilotfixture.Network
}

// copilotInitialDatabase is the add-on's --initial-db: not the root's
// default database name (calinks), so that keeping it shows.
const copilotInitialDatabase = "calinks_main"

// copilotTables are the DynamoDB storage add-ons as Copilot made them, with
// the estate's keys (modules/dynamodb, variable tables).
var copilotTables = []copilotfixture.TableSpec{
	{Name: "Ec_Product", HashKey: "ProductId"}, {Name: "Ec_Order", HashKey: "OrderId"}, {Name: "Outbox_Ec_Order", HashKey: "OrderId", RangeKey: "EventId"},
}

// beforeAdoptionObject is the object written to Copilot's private-static
// bucket before adoption, and its content.
const beforeAdoptionObject, beforeAdoptionContent = "assets/before-adoption.txt", "written under Copilot"

// beforeAdoptionItem is the item written to each Copilot table: its keys
// (the range key only where the table has one) and a marker attribute.
func beforeAdoptionItem(spec copilotfixture.TableSpec) map[string]ddbtypes.AttributeValue {
	item := map[string]ddbtypes.AttributeValue{spec.HashKey: &ddbtypes.AttributeValueMemberS{Value: "before-adoption"}}
	if spec.RangeKey != "" {
		item[spec.RangeKey] = &ddbtypes.AttributeValueMemberS{Value: "1"}
	}
	return item
}

func arnName(arn string) string { return arn[strings.LastIndex(arn, ":")+1:] }

// webHostnames are the web services' hostnames (docs/architecture.md).
func webHostnames(domain string) []string { return []string{"pos." + domain, "ec." + domain} }

func hostedZoneID(t *testing.T, zone string) string {
	id, found := testZoneID(t, zone)
	if !found {
		t.Fatalf("no hosted zone %s", zone)
	}
	return id
}

func setAlias(t *testing.T, zone, host, target, targetZone string) {
	_, err := route53.NewFromConfig(awsConfig()).ChangeResourceRecordSets(t.Context(), &route53.ChangeResourceRecordSetsInput{
		HostedZoneId: aws.String(hostedZoneID(t, zone)), ChangeBatch: &route53types.ChangeBatch{Changes: []route53types.Change{{
			Action: route53types.ChangeActionUpsert, ResourceRecordSet: &route53types.ResourceRecordSet{Name: aws.String(host), Type: route53types.RRTypeA,
				AliasTarget: &route53types.AliasTarget{DNSName: aws.String(target), HostedZoneId: aws.String(targetZone), EvaluateTargetHealth: true}}}}}})
	if err != nil {
		t.Fatal(err)
	}
}

// aliasTarget is where a hostname's A record points ("" without one).
func aliasTarget(t *testing.T, zone, host string) string {
	out := must(route53.NewFromConfig(awsConfig()).ListResourceRecordSets(t.Context(), &route53.ListResourceRecordSetsInput{
		HostedZoneId: aws.String(hostedZoneID(t, zone)), StartRecordName: aws.String(host), StartRecordType: route53types.RRTypeA}))(t)
	for _, r := range out.ResourceRecordSets {
		if strings.TrimSuffix(aws.ToString(r.Name), ".") == host && r.Type == route53types.RRTypeA && r.AliasTarget != nil {
			return strings.ToLower(strings.TrimSuffix(aws.ToString(r.AliasTarget.DNSName), "."))
		}
	}
	return ""
}

// switchTraffic is the cutover's traffic step (docs/migrating-from-copilot.md):
// adoption.copilot_serves_traffic = false, apply; the hostnames then point
// at the environment's load balancer. Against the emulator the apply takes
// only the records (and what they depend on): a whole apply would also
// update again every object moto's bugs leave differing (emulator_drift_test.go),
// two minutes of waits that test nothing here; the second plan of the
// validate stage has already shown the root converged.
func switchTraffic(t *testing.T, opts *terraform.Options) {
	path := filepath.Join(opts.TerraformDir, "adoption.auto.tfvars")
	tfvars := string(must(os.ReadFile(path))(t))
	flipped := regexp.MustCompile(`copilot_serves_traffic\s*=\s*true`).ReplaceAllString(tfvars, "copilot_serves_traffic = false")
	if flipped == tfvars {
		t.Fatalf("adoption.auto.tfvars does not say copilot_serves_traffic = true:\n%s", tfvars)
	}
	must(0, os.WriteFile(path, []byte(flipped), 0o644))(t)
	apply := *opts
	if onMoto() {
		apply.Targets = []string{"module.edge.aws_route53_record.hostname"}
	}
	terraform.ApplyContext(t, t.Context(), &apply)
	alb := strings.ToLower(terraform.OutputContext(t, t.Context(), opts, "alb_dns_name"))
	for _, host := range webHostnames(opts.Vars["domain_name"].(string)) {
		if got := aliasTarget(t, opts.Vars["public_zone_name"].(string), host); !strings.Contains(got, alb) {
			t.Errorf("after the switch %s points at %q, want the environment's load balancer %s", host, got, alb)
		}
	}
}

// copilotLogGroupsBesidesPublishers: the services and jobs of the estate
// (docs/architecture.md) that publish to no topic, whose log groups Copilot
// made too.
var copilotLogGroupsBesidesPublishers = []string{"ec-web-app", "job-daily-calculate", "job-ensure-consistency", "job-temporary-task"}

// copilotDeadLetterTries is the manifests' dead_letter.tries: not the
// worker module's default (5), so that keeping it shows.
const copilotDeadLetterTries = 3

// copilotEstates keeps each adopting case's estate, by working directory,
// for its validate and teardown stages.
var copilotEstates sync.Map

// withCopilotEstate builds every worker and topic of the root as Copilot
// left them (docs/architecture.md, "Compatibility with what runs under
// Copilot"), with one message waiting in each topic's queue, and with the
// add-ons the storage add-ons' tables and bucket, each holding data; in the
// environment's VPC where it imports one, else in a VPC of Copilot's own.
// It runs the adoption into the root and checks the first plan with the
// adoption gate: nothing destroyed or replaced, every adopted object
// imported, no new stateful object. The deploy stage then applies it.
func withCopilotEstate(t *testing.T, opts *terraform.Options, name, env string, addons bool) {
	t.Helper()
	ctx := t.Context()
	cfg := awsConfig()
	messaging, err := adopt.LoadMessaging(filepath.Join(repoRoot(), "environments", "_common", "messaging.json"))
	if err != nil {
		t.Fatal(err)
	}
	e := copilotEstate{fixture: copilotfixture.New(t, cfg, name, env, caseTag(name)), workers: map[string]copilotfixture.Worker{}, sent: map[string]string{}}
	var network copilotfixture.Network
	if vpcID, imported := opts.Vars["vpc_id"].(string); imported {
		subnets := opts.Vars["imported_subnet_ids"].(map[string]any)
		network = copilotfixture.Network{VPCID: vpcID, PrivateSubnetIDs: subnets["private"].([]string), PublicSubnetIDs: subnets["public"].([]string)}
	} else {
		network = e.fixture.Network()
	}
	e.network = network
	subnets := network.PrivateSubnetIDs
	sg := e.fixture.SecurityGroup(network.VPCID)
	e.cluster = e.fixture.Cluster()
	topicARNs := map[string]string{}
	published := map[string]map[string]string{} // publisher -> its topics
	for topic, spec := range messaging.Topics {
		topicARNs[topic] = e.fixture.Topic(spec.Publisher, topic)
		if published[spec.Publisher] == nil {
			published[spec.Publisher] = map[string]string{}
		}
		published[spec.Publisher][topic] = topicARNs[topic]
	}
	e.publisherRoles = map[string]string{}
	for publisher, topics := range published {
		e.publisherRoles[publisher] = e.fixture.Publisher(publisher, e.cluster, subnets[0], sg, topics)
	}
	e.topicARNs = topicARNs
	// The log groups of Copilot's other services and of its jobs (the
	// publishers made theirs): the root's have the same names.
	for _, name := range copilotLogGroupsBesidesPublishers {
		e.fixture.LogGroup(name)
	}
	for worker, spec := range messaging.Workers {
		var topics []string
		for _, topic := range spec.Topics {
			topics = append(topics, topicARNs[topic])
		}
		// worker-item as Copilot makes a worker without dead_letter.tries,
		// with its BacklogPerTask autoscaling; the others with both. Each
		// has a CPU rollback alarm, which the root has no counterpart of.
		tries := int32(copilotDeadLetterTries)
		if worker == "worker-item" {
			tries = 0
		}
		e.workers[worker] = e.fixture.Worker(copilotfixture.WorkerSpec{Name: worker, Cluster: e.cluster, SubnetID: subnets[0],
			SecurityGroup: sg, Image: "public.ecr.aws/docker/library/busybox:1", TopicARNs: topics,
			DeadLetterTries: tries, Autoscaling: true, RollbackAlarm: true})
		if len(spec.Topics) > 0 {
			body := fmt.Sprintf(`{"sent":"before adoption","to":%q}`, worker)
			must(sns.NewFromConfig(cfg).Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARNs[spec.Topics[0]]), Message: aws.String(body),
				MessageGroupId: aws.String("adoption"), MessageDeduplicationId: aws.String("before-" + worker)}))(t)
			e.sent[worker] = body
		}
	}
	// A subscription the root does not make (no worker consumes outbox):
	// make adopt must say that the first apply removes it, and it must.
	e.strayTopic = topicARNs["outbox"]
	e.straySubscription = aws.ToString(must(sns.NewFromConfig(cfg).Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(e.strayTopic), Protocol: aws.String("sqs"),
		Endpoint: aws.String(e.workers["worker-product"].QueueARN), ReturnSubscriptionArn: true}))(t).SubscriptionArn)

	// Copilot's load balancer serves the web hostnames.
	e.domain = opts.Vars["domain_name"].(string)
	var zoneID string
	e.loadBalancerDNS, zoneID = e.fixture.LoadBalancer(network.PublicSubnetIDs)
	for _, host := range webHostnames(e.domain) {
		setAlias(t, opts.Vars["public_zone_name"].(string), host, e.loadBalancerDNS, zoneID)
	}
	if addons {
		e.tables = map[string]string{}
		for _, spec := range copilotTables {
			e.tables[spec.Name] = e.fixture.Table(spec)
			must(dynamodb.NewFromConfig(cfg).PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(e.tables[spec.Name]), Item: beforeAdoptionItem(spec)}))(t)
		}
		e.bucket = e.fixture.Bucket("private-static", map[string]string{beforeAdoptionObject: beforeAdoptionContent})
		e.distribution.id, e.distribution.domainName = e.fixture.Distribution(e.bucket)
		mail := e.fixture.MailIdentity(opts.Vars["ses_domain"].(string), hostedZoneID(t, opts.Vars["public_zone_name"].(string)))
		e.mail = &mail
		database := e.fixture.Database(network, "calinksdb", copilotInitialDatabase)
		e.database = &database
		e.databaseResourceID = aws.ToString(describeCluster(t, database.ClusterIdentifier).DbClusterResourceId)
		e.writerResourceID = writerResourceID(t, database.WriterIdentifier)
	}
	copilotEstates.Store(opts.TerraformDir, e)

	// make adopt reads the root's variable files, as Terraform does: the
	// case's own zone and mail domain go into one.
	caseVars := fmt.Sprintf("# The test case's values (also given with -var).\npublic_zone_name = %q\n", opts.Vars["public_zone_name"])
	if domain, ok := opts.Vars["ses_domain"].(string); ok {
		caseVars += fmt.Sprintf("ses_domain = %q\n", domain)
	}
	must(0, os.WriteFile(filepath.Join(opts.TerraformDir, "test-case.auto.tfvars"), []byte(caseVars), 0o644))(t)
	// As `make adopt` and `make adopt-check` run it.
	out := runAdopt(t, "discover", "-app", name, "-env", env, "-root", opts.TerraformDir)
	t.Logf("make adopt:\n%s", out)
	// Copilot's VPC here has no NAT gateway (Copilot makes them only for
	// private placement): make adopt must say the root cannot run in it as is.
	if addons && !strings.Contains(out, "VPC egress") {
		t.Error("make adopt does not warn that the adopted database's subnets have no route through NAT")
	}
	for worker, w := range e.workers {
		if !regexp.MustCompile(`CloudWatch alarm\s+alarm:` + regexp.QuoteMeta(w.RollbackAlarmName) + `\s+\(not adopted\)`).MatchString(out) {
			t.Errorf("make adopt does not list %s's rollback alarm %s as not adopted", worker, w.RollbackAlarmName)
		}
	}
	if addons && !regexp.MustCompile(`CloudFront distribution\s+`+regexp.QuoteMeta(e.distribution.id+" ("+e.distribution.domainName+")")+
		`\s+module\.private_assets\[0\]\.aws_cloudfront_distribution\.this\s+import; update in place`).MatchString(out) {
		t.Errorf("make adopt does not import Copilot's distribution %s in front of the private-static bucket", e.distribution.id)
	}
	if want := arnName(e.strayTopic) + " -> worker-product"; !strings.Contains(out, want) {
		t.Errorf("make adopt does not say that the first apply unsubscribes %s", want)
	}
	// The environment stack holds the cluster without DeletionPolicy: Retain,
	// as Copilot renders it: deleting the stack would delete the cluster.
	if want := e.fixture.EnvironmentStack() + "/Cluster (AWS::ECS::Cluster " + e.cluster + "): DeletionPolicy: Retain, UpdateReplacePolicy: Retain"; !strings.Contains(out, want) {
		t.Errorf("make adopt does not report %q as not retained", want)
	}
	// One cluster, every topic, for each worker its pipeline and log group,
	// the log groups of the web services and jobs, and the add-ons' tables,
	// bucket and its distribution, database cluster, writer and subnet group, and the SES identity
	// with its DKIM and MAIL FROM settings and its records (a verification
	// TXT, three DKIM CNAMEs, the MAIL FROM MX and SPF TXT).
	wantImports := 1 + len(messaging.Topics) + 2*len(messaging.Workers) + len(published) + len(copilotLogGroupsBesidesPublishers) + len(e.tables)
	if addons {
		wantImports += 2 + 3 + 3 + 6
	}
	imports := adopt.ImportAddresses(must(os.ReadFile(filepath.Join(opts.TerraformDir, "adoption.tf")))(t))
	if len(imports) != wantImports {
		t.Fatalf("adoption.tf imports %d objects, want %d: %v", len(imports), wantImports, imports)
	}

	terraform.InitContext(t, t.Context(), opts)
	planOpts := *opts
	planOpts.PlanFilePath = adoptionPlan(opts)
	terraform.PlanContext(t, t.Context(), &planOpts)
	planJSON := filepath.Join(opts.TerraformDir, "adopt.json")
	planOpts.Logger = logger.Discard // the JSON is megabytes
	if err := os.WriteFile(planJSON, []byte(terraform.ShowContext(t, t.Context(), &planOpts)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("make adopt-check:\n%s", runAdopt(t, "check", "-root", opts.TerraformDir, "-plan", planJSON, "-allow-create", adopt.DefaultAllowCreate))
}

// adoptionPlan is the saved first plan that make adopt-check checks.
func adoptionPlan(opts *terraform.Options) string {
	return filepath.Join(opts.TerraformDir, "adopt.tfplan")
}

// applyAdoptionPlan applies the plan make adopt-check passed, as step 4 of
// the runbook does (terraform apply adopt.tfplan). A saved plan cannot be
// retried once partly applied (it is stale then): after a failure the next
// apply plans again, and the validate stage checks it converged.
func applyAdoptionPlan(t *testing.T, opts *terraform.Options) {
	applying := *opts
	applying.PlanFilePath = adoptionPlan(opts)
	if _, err := terraform.ApplyContextE(t, t.Context(), &applying); err != nil {
		t.Logf("the checked adoption plan did not apply in full (%v): applying again from a new plan", err)
		terraform.ApplyContext(t, t.Context(), opts)
	}
}

var adoptCommand = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(repoRoot(), ".build", "adopt")
	build := exec.Command("go", "build", "-o", bin, "./cmd/adopt")
	build.Dir = repoRoot()
	out, err := build.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("building cmd/adopt: %w\n%s", err, out)
	}
	return bin, nil
})

// runAdopt runs cmd/adopt against the test's endpoint and fails on a
// non-zero exit (for check: an unsafe first plan).
func runAdopt(t *testing.T, args ...string) string {
	t.Helper()
	bin, err := adoptCommand()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), bin, args...)
	cmd.Dir = repoRoot()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("adopt %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// checkCopilotPublishersAdmitted: each topic's policy lets its Copilot
// publisher publish (its own topics only), so that publishing goes on
// through the cutover.
func checkCopilotPublishersAdmitted(t *testing.T, e copilotEstate, messaging adopt.Messaging) {
	client := sns.NewFromConfig(awsConfig())
	for topic, spec := range messaging.Topics {
		attrs := must(client.GetTopicAttributes(t.Context(), &sns.GetTopicAttributesInput{TopicArn: aws.String(e.topicARNs[topic])}))(t)
		principals, found, err := testfixture.AWSPrincipals(attrs.Attributes["Policy"], "PublisherPublishes")
		if err != nil || !found {
			t.Errorf("topic %s: no PublisherPublishes statement (%v): %s", topic, err, attrs.Attributes["Policy"])
			continue
		}
		admitted := map[string]bool{}
		for _, p := range principals {
			admitted[p] = true
		}
		for publisher, role := range e.publisherRoles {
			if want := publisher == spec.Publisher; admitted[role] != want {
				t.Errorf("topic %s: Copilot's %s role admitted = %v, want %v", topic, publisher, admitted[role], want)
			}
		}
	}
}

// checkAdopted: after the apply, the services kept their ARNs, every
// message sent before adoption is still in its queue, Copilot's scaling
// policies are gone (develop runs a fixed count), and a dead-letter queue
// was added where Copilot had none.
func checkAdopted(t *testing.T, opts *terraform.Options) {
	v, ok := copilotEstates.Load(opts.TerraformDir)
	if !ok {
		t.Error("no Copilot estate in this process (SKIP_deploy?): the adoption checks need the deploy stage")
		return
	}
	e := v.(copilotEstate)
	ctx := context.Background()
	cfg := awsConfig()
	messaging, err := adopt.LoadMessaging(filepath.Join(repoRoot(), "environments", "_common", "messaging.json"))
	if err != nil {
		t.Fatal(err)
	}
	checkCopilotPublishersAdmitted(t, e, messaging)
	subs := must(sns.NewFromConfig(cfg).ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(e.strayTopic)}))(t)
	for _, sub := range subs.Subscriptions {
		if aws.ToString(sub.SubscriptionArn) == e.straySubscription {
			t.Errorf("worker-product is still subscribed to %s, which the root does not subscribe it to", e.strayTopic)
		}
	}
	for _, host := range webHostnames(e.domain) {
		if got := aliasTarget(t, opts.Vars["public_zone_name"].(string), host); got != strings.ToLower(e.loadBalancerDNS) {
			t.Errorf("%s points at %q after the adoption's apply, want Copilot's load balancer still (no traffic moved)", host, got)
		}
	}
	var workers map[string]struct {
		QueueURL           string `json:"queue_url"`
		DeadLetterQueueURL string `json:"dead_letter_queue_url"`
		ServiceARN         string `json:"service_arn"`
	}
	terraform.OutputStructContext(t, t.Context(), opts, "workers", &workers)
	for name, copilot := range e.workers {
		got, ok := workers[name]
		switch {
		case !ok:
			t.Errorf("%s: not in the workers output", name)
			continue
		case got.ServiceARN != copilot.ServiceARN:
			t.Errorf("%s: service %s, want Copilot's %s kept", name, got.ServiceARN, copilot.ServiceARN)
		case got.QueueURL != copilot.QueueURL:
			t.Errorf("%s: queue %s, want Copilot's %s kept", name, got.QueueURL, copilot.QueueURL)
		case got.DeadLetterQueueURL == "":
			t.Errorf("%s: no dead-letter queue", name)
		case copilot.DeadLetterQueueName != "" && !strings.HasSuffix(got.DeadLetterQueueURL, "/"+copilot.DeadLetterQueueName):
			t.Errorf("%s: dead-letter queue %s, want Copilot's %s kept", name, got.DeadLetterQueueURL, copilot.DeadLetterQueueName)
		}
		attrs := must(sqs.NewFromConfig(cfg).GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(copilot.QueueURL),
			AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}}))(t).Attributes
		for attr, want := range map[string]string{"VisibilityTimeout": copilotfixture.QueueVisibilityTimeout,
			"MessageRetentionPeriod": copilotfixture.QueueRetention, "DelaySeconds": copilotfixture.QueueDelay} {
			if attrs[attr] != want {
				t.Errorf("%s: %s = %s, want Copilot's %s kept", name, attr, attrs[attr], want)
			}
		}
		// Copilot's dead_letter.tries is kept; a worker that had no dead-letter
		// queue gets the module's default with its new one.
		wantTries := copilotDeadLetterTries
		if copilot.DeadLetterQueueName == "" {
			wantTries = 5
		}
		var redrive struct{ MaxReceiveCount json.Number }
		if err := json.Unmarshal([]byte(attrs["RedrivePolicy"]), &redrive); err != nil || redrive.MaxReceiveCount.String() != fmt.Sprint(wantTries) {
			t.Errorf("%s: RedrivePolicy %s, want maxReceiveCount %d", name, attrs["RedrivePolicy"], wantTries)
		}
		if body, sent := e.sent[name]; sent {
			// Hidden for 1 s only, and the wait longer: a receive whose
			// answer the endpoint lost (it resets connections now and then)
			// and the SDK retried must still find the message.
			out := must(sqs.NewFromConfig(cfg).ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(copilot.QueueURL), MaxNumberOfMessages: 10,
				WaitTimeSeconds: 2, VisibilityTimeout: 1}))(t)
			found := false
			for _, m := range out.Messages {
				var envelope struct{ Type, Message string }
				if json.Unmarshal([]byte(aws.ToString(m.Body)), &envelope) == nil && envelope.Message == body && envelope.Type == "Notification" {
					found = true
					must(sqs.NewFromConfig(cfg).DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(copilot.QueueURL), ReceiptHandle: m.ReceiptHandle}))(t)
				}
			}
			if !found {
				t.Errorf("%s: the message sent before adoption is not in %s", name, copilot.QueueURL)
			}
		}
		policies := must(applicationautoscaling.NewFromConfig(cfg).DescribeScalingPolicies(ctx, &applicationautoscaling.DescribeScalingPoliciesInput{
			ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String("service/" + e.cluster + "/" + copilot.ServiceName)}))(t)
		for _, p := range policies.ScalingPolicies {
			if aws.ToString(p.PolicyName) == copilot.ScalingPolicyName {
				t.Errorf("%s: Copilot's scaling policy %s is left beside the pipeline's", name, copilot.ScalingPolicyName)
			}
		}
		svc := must(ecs.NewFromConfig(cfg).DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(e.cluster), Services: []string{copilot.ServiceName}}))(t)
		if len(svc.Services) != 1 || aws.ToString(svc.Services[0].Status) != "ACTIVE" {
			t.Errorf("%s: service %s is not running in Copilot's cluster", name, copilot.ServiceName)
		}
	}
	checkDataKept(t, opts, e)
	if e.database != nil {
		checkDatabaseKept(t, opts, e)
	}
	if e.mail != nil {
		checkMailKept(t, opts, e)
	}
}

// checkMailKept: SES still reports the verification token, DKIM tokens and
// MAIL FROM domain the add-on's identity had, so the records in DNS stay
// valid. That the root took the identity over rather than creating its own
// is the adoption gate's (every import block imported, counted above); moto
// answers constant tokens, so against it these values show only that the
// identity is still there with its MAIL FROM domain.
func checkMailKept(t *testing.T, opts *terraform.Options, e copilotEstate) {
	domain := opts.Vars["ses_domain"].(string)
	client := ses.NewFromConfig(awsConfig())
	verification := must(client.GetIdentityVerificationAttributes(t.Context(), &ses.GetIdentityVerificationAttributesInput{Identities: []string{domain}}))(t)
	if got := aws.ToString(verification.VerificationAttributes[domain].VerificationToken); got != e.mail.VerificationToken {
		t.Errorf("SES identity %s: verification token %q, want the add-on's %q kept", domain, got, e.mail.VerificationToken)
	}
	dkim := must(client.GetIdentityDkimAttributes(t.Context(), &ses.GetIdentityDkimAttributesInput{Identities: []string{domain}}))(t)
	if got := dkim.DkimAttributes[domain].DkimTokens; !slices.Equal(got, e.mail.DKIMTokens) {
		t.Errorf("SES identity %s: DKIM tokens %v, want the add-on's %v kept", domain, got, e.mail.DKIMTokens)
	}
	mailFrom := must(client.GetIdentityMailFromDomainAttributes(t.Context(), &ses.GetIdentityMailFromDomainAttributesInput{Identities: []string{domain}}))(t)
	if got := aws.ToString(mailFrom.MailFromDomainAttributes[domain].MailFromDomain); got != e.mail.MailFromDomain {
		t.Errorf("SES identity %s: MAIL FROM domain %q, want %q", domain, got, e.mail.MailFromDomain)
	}
}

// checkDataKept: the root's tables and private-static bucket are Copilot's,
// with the item and the object written before adoption, and (against AWS)
// the tables are now encrypted with the environment's key, the root's
// setting applied in place.
func checkDataKept(t *testing.T, opts *terraform.Options, e copilotEstate) {
	if e.tables == nil {
		return
	}
	ctx := t.Context()
	cfg := awsConfig()
	var tableARNs []string
	terraform.OutputStructContext(t, ctx, opts, "dynamodb_table_arns", &tableARNs)
	for _, spec := range copilotTables {
		table := e.tables[spec.Name]
		if !slices.ContainsFunc(tableARNs, func(arn string) bool { return strings.HasSuffix(arn, ":table/"+table) }) {
			t.Errorf("table %s: the root's tables are %v, want Copilot's %s kept", spec.Name, tableARNs, table)
		}
		got := must(dynamodb.NewFromConfig(cfg).GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: beforeAdoptionItem(spec), ConsistentRead: aws.Bool(true)}))(t)
		if len(got.Item) == 0 {
			t.Errorf("table %s: the item written before adoption is gone", table)
		}
		// moto does not change a table's encryption (driftDynamoDBAdoptedEncryption,
		// which the second plan must show instead).
		if !onMoto() {
			sse := must(dynamodb.NewFromConfig(cfg).DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)}))(t).Table.SSEDescription
			if sse == nil || sse.SSEType != ddbtypes.SSETypeKms {
				t.Errorf("table %s: encryption %+v after the apply, want the environment's KMS key", table, sse)
			}
		}
	}
	var inventory struct {
		TableKey      string `json:"table_kms_key_arn"`
		PrivateBucket struct {
			ARN    string `json:"arn"`
			KeyARN string `json:"kms_key_arn"`
		} `json:"private_bucket"`
	}
	terraform.OutputStructContext(t, ctx, opts, "access_inventory", &inventory)
	if want := "arn:aws:s3:::" + e.bucket; inventory.PrivateBucket.ARN != want {
		t.Errorf("private-static bucket %s, want Copilot's %s kept", inventory.PrivateBucket.ARN, want)
	}
	// Copilot's services keep using the tables and the bucket, now under the
	// environment's keys: each key's policy names every Copilot task role
	// (the statements' ViaService conditions are the modules' tests).
	var copilotRoles []string
	for _, w := range e.workers {
		copilotRoles = append(copilotRoles, w.TaskRoleARN)
	}
	for _, role := range e.publisherRoles {
		copilotRoles = append(copilotRoles, role)
	}
	slices.Sort(copilotRoles)
	for key, sid := range map[string]string{inventory.TableKey: "TableUsersThroughDynamodb", inventory.PrivateBucket.KeyARN: "ObjectUsersThroughS3"} {
		policy := must(kms.NewFromConfig(cfg).GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(key), PolicyName: aws.String("default")}))(t)
		principals, found, err := testfixture.AWSPrincipals(aws.ToString(policy.Policy), sid)
		if err != nil || !found || !slices.Equal(principals, copilotRoles) {
			t.Errorf("key %s: statement %s admits %v (found %v, %v), want Copilot's task roles %v", key, sid, principals, found, err, copilotRoles)
		}
	}
	// The distribution serving the bucket is Copilot's, and the bucket policy
	// admits it, and it only, by its ARN (CloudFront Developer Guide,
	// "Restrict access to an Amazon S3 origin": the service principal with
	// aws:SourceArn). moto evaluates no policy: a fetch through it proves
	// nothing here.
	if got := terraform.OutputContext(t, ctx, opts, "private_assets_domain_name"); got != e.distribution.domainName {
		t.Errorf("private-static is served by %s, want Copilot's distribution %s kept", got, e.distribution.domainName)
	}
	// A distribution's ARN as the Service Authorization Reference gives it
	// (Amazon CloudFront, resource types), with an empty region field, which
	// moto's ARNs lack: the endpoint's own value is not the reference.
	distributionARN := "arn:aws:cloudfront::" + target.account + ":distribution/" + e.distribution.id
	bucketPolicy := aws.ToString(must(s3.NewFromConfig(cfg).GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(e.bucket)}))(t).Policy)
	if got := cloudFrontSourceARNs(t, bucketPolicy); !slices.Equal(got, []string{distributionARN}) {
		t.Errorf("%s: the bucket policy admits CloudFront for %v, want Copilot's distribution %s only", e.bucket, got, distributionARN)
	}
	// Listed, not read: the buckets' policies deny object calls over plain
	// HTTP. The ETag of a single-part SSE-S3 object is the MD5 of its content
	// (S3 API reference, Object: ETag).
	versions := must(s3.NewFromConfig(cfg).ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(e.bucket), Prefix: aws.String(beforeAdoptionObject)}))(t)
	want := fmt.Sprintf("%x", md5.Sum([]byte(beforeAdoptionContent)))
	if len(versions.Versions) != 1 || strings.Trim(aws.ToString(versions.Versions[0].ETag), `"`) != want || len(versions.DeleteMarkers) != 0 {
		t.Errorf("%s: versions of %s are %+v (delete markers %d), want the one written before adoption, ETag %s", e.bucket, beforeAdoptionObject, versions.Versions, len(versions.DeleteMarkers), want)
	}
}

// cloudFrontSourceARNs are the aws:SourceArn values of the statements of
// policy allowing the CloudFront service principal.
func cloudFrontSourceARNs(t *testing.T, policy string) []string {
	var doc struct {
		Statement []struct {
			Effect    string
			Principal any // "*" or {"Service": ...}
			Condition map[string]map[string]any
		}
	}
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		t.Fatalf("reading bucket policy %s: %v", policy, err)
	}
	var arns []string
	for _, st := range doc.Statement {
		principal, _ := st.Principal.(map[string]any)
		if st.Effect != "Allow" || principal == nil || !slices.Contains(policyValues(principal["Service"]), "cloudfront.amazonaws.com") {
			continue
		}
		for _, values := range st.Condition {
			for key, v := range values {
				if strings.EqualFold(key, "aws:SourceArn") { // condition keys are case-insensitive
					arns = append(arns, policyValues(v)...)
				}
			}
		}
	}
	slices.Sort(arns)
	return arns
}

// policyValues is a policy element that is one string or a list of them.
func policyValues(v any) []string {
	list, ok := v.([]any)
	if !ok {
		return []string{fmt.Sprint(v)}
	}
	out := make([]string, len(list))
	for i, item := range list {
		out[i] = fmt.Sprint(item)
	}
	return out
}

func writerResourceID(t *testing.T, identifier string) string {
	out := must(rds.NewFromConfig(awsConfig()).DescribeDBInstances(t.Context(), &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(identifier)}))(t)
	if len(out.DBInstances) != 1 {
		t.Fatalf("no instance %s", identifier)
	}
	return aws.ToString(out.DBInstances[0].DbiResourceId)
}

func describeCluster(t *testing.T, identifier string) rdstypes.DBCluster {
	out := must(rds.NewFromConfig(awsConfig()).DescribeDBClusters(t.Context(), &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(identifier)}))(t)
	if len(out.DBClusters) != 1 {
		t.Fatalf("no Aurora cluster %s", identifier)
	}
	return out.DBClusters[0]
}

// checkDatabaseKept: the root's database is Copilot's cluster, the same
// one (its resource ID), with its data's settings, and still open to
// Copilot's services as before: its security group attached and the master
// password the one in Copilot's secret (RDS manages none).
func checkDatabaseKept(t *testing.T, opts *terraform.Options, e copilotEstate) {
	cluster := describeCluster(t, e.database.ClusterIdentifier)
	if got := aws.ToString(cluster.DbClusterResourceId); got != e.databaseResourceID {
		t.Errorf("cluster %s: resource ID %s, want %s: the cluster was replaced", e.database.ClusterIdentifier, got, e.databaseResourceID)
	}
	if aws.ToString(cluster.DatabaseName) != copilotInitialDatabase || aws.ToString(cluster.MasterUsername) != copilotfixture.DatabaseMasterUser || aws.ToBool(cluster.StorageEncrypted) {
		t.Errorf("cluster %s: database %q, master user %q, encrypted %v; want Copilot's %q, %q, unencrypted", e.database.ClusterIdentifier,
			aws.ToString(cluster.DatabaseName), aws.ToString(cluster.MasterUsername), aws.ToBool(cluster.StorageEncrypted), copilotInitialDatabase, copilotfixture.DatabaseMasterUser)
	}
	if cluster.MasterUserSecret != nil {
		t.Errorf("cluster %s: RDS now manages the master password (%s): Copilot's services, which read theirs from %s, are locked out", e.database.ClusterIdentifier,
			aws.ToString(cluster.MasterUserSecret.SecretArn), e.database.SecretARN)
	}
	if !slices.ContainsFunc(cluster.VpcSecurityGroups, func(g rdstypes.VpcSecurityGroupMembership) bool {
		return aws.ToString(g.VpcSecurityGroupId) == e.database.ClusterSecurityGroupID
	}) {
		t.Errorf("cluster %s: security groups %+v, want Copilot's %s still attached", e.database.ClusterIdentifier, cluster.VpcSecurityGroups, e.database.ClusterSecurityGroupID)
	}
	if got := writerResourceID(t, e.database.WriterIdentifier); got != e.writerResourceID {
		t.Errorf("writer %s: resource ID %s, want %s: the writer was replaced", e.database.WriterIdentifier, got, e.writerResourceID)
	}
	var inventory struct {
		Database struct {
			MasterSecretARN string `json:"master_secret_arn"`
		} `json:"database"`
	}
	terraform.OutputStructContext(t, t.Context(), opts, "access_inventory", &inventory)
	if inventory.Database.MasterSecretARN != e.database.SecretARN {
		t.Errorf("access_inventory.database.master_secret_arn = %q, want Copilot's secret %s, which still holds the password", inventory.Database.MasterSecretARN, e.database.SecretARN)
	}
}

// removeCopilotEstate deletes what the adoption did not take over (Copilot's
// roles, keys and network), before the teardown looks for anything left.
func removeCopilotEstate(opts *terraform.Options) {
	if v, ok := copilotEstates.LoadAndDelete(opts.TerraformDir); ok {
		v.(copilotEstate).fixture.Close()
	}
}
