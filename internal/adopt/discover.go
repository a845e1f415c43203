// Package adopt finds what a Copilot environment has in an account, read
// only, and writes what an environment root needs to take it over without
// recreating it: import blocks and the names to keep (docs/migrating-from-copilot.md).
package adopt

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
)

// Copilot's tags on every object of an environment.
const (
	tagApplication = "copilot-application"
	tagEnvironment = "copilot-environment"
	tagService     = "copilot-service"
)

// Messaging is the root's wiring (environments/_common/messaging.json).
type Messaging struct {
	Topics  map[string]struct{ Publisher string } `json:"topics"`
	Workers map[string]struct{ Topics []string }  `json:"workers"`
}

// Workloads are the root's web services and jobs
// (environments/_common/workloads.json).
type Workloads struct {
	WebServices map[string]struct{} `json:"web_services"`
	Jobs        []string            `json:"jobs"`
}

type workload struct{ name, module string }

// webAndJobs: the web services (module.web_service) and jobs (module.job),
// in name order.
func (r Root) webAndJobs() []workload {
	var out []workload
	for _, name := range slices.Sorted(maps.Keys(r.WebServices)) {
		out = append(out, workload{name, "web_service"})
	}
	for _, name := range slices.Sorted(slices.Values(r.Jobs)) {
		out = append(out, workload{name, "job"})
	}
	return out
}

// LoadMessaging reads the wiring the roots read.
func LoadMessaging(path string) (Messaging, error) {
	var m Messaging
	b, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Root is what discovery needs to know of an environment root: its
// messaging wiring, the names of its DynamoDB tables, and whether it has
// the add-ons (tables, private-static) and the static site.
type Root struct {
	Messaging
	Workloads
	Tables                    []string
	Addons, StaticSiteEnabled bool
	VPCID                     string // the imported VPC (vpc_id); empty: the root makes its own
	SESDomain                 string // ses_domain; empty: the root sends no mail
	PublicZoneName            string // public_zone_name
	PrivateAssetsSignedURLs   bool   // private_assets_signed_urls
	MailFromSubdomain         string // modules/ops' ses_mail_from_subdomain
}

// LoadRoot reads the wiring (environments/_common/messaging.json), the
// table names (the default of modules/dynamodb's variable tables), and the
// root's settings discovery depends on (addons_enabled, static_site_enabled,
// vpc_id, ses_domain, public_zone_name, private_assets_signed_urls) from its
// variable files in the order Terraform reads them: terraform.tfvars, then
// the *.auto.tfvars in lexical order (those make adopt writes left out), a
// later file overriding an earlier one. The .json forms, -var-file and
// TF_VAR_ are not read.
func LoadRoot(dir string) (Root, error) {
	m, err := LoadMessaging(filepath.Join(dir, "..", "_common", "messaging.json"))
	if err != nil {
		return Root{}, err
	}
	root := Root{Messaging: m}
	b, err := os.ReadFile(filepath.Join(dir, "..", "_common", "workloads.json"))
	if err != nil {
		return root, err
	}
	if err := json.Unmarshal(b, &root.Workloads); err != nil {
		return root, fmt.Errorf("workloads.json: %w", err)
	}
	if root.Tables, err = moduleTables(filepath.Join(dir, "..", "..", "modules", "dynamodb", "variables.tf")); err != nil {
		return root, err
	}
	zone, err := variableDefault(filepath.Join(dir, "..", "_common", "variables.tf"), "public_zone_name")
	if err != nil {
		return root, err
	}
	mailFrom, err := variableDefault(filepath.Join(dir, "..", "..", "modules", "ops", "variables.tf"), "ses_mail_from_subdomain")
	if err != nil {
		return root, err
	}
	signedURLs, err := variableDefault(filepath.Join(dir, "..", "_common", "variables.tf"), "private_assets_signed_urls")
	if err != nil {
		return root, err
	}
	files, err := variableFiles(dir)
	if err != nil {
		return root, err
	}
	values, err := tfvarsLiterals(files, map[string]cty.Value{"addons_enabled": cty.False, "static_site_enabled": cty.False,
		"vpc_id": cty.StringVal(""), "ses_domain": cty.StringVal(""), "public_zone_name": zone, "private_assets_signed_urls": signedURLs})
	if err != nil {
		return root, err
	}
	root.Addons = values["addons_enabled"].True()
	root.StaticSiteEnabled = values["static_site_enabled"].True()
	root.VPCID = values["vpc_id"].AsString()
	root.SESDomain = values["ses_domain"].AsString()
	root.PublicZoneName = values["public_zone_name"].AsString()
	root.PrivateAssetsSignedURLs = values["private_assets_signed_urls"].True()
	root.MailFromSubdomain = mailFrom.AsString()
	return root, nil
}

// variableFiles are the root's terraform.tfvars and *.auto.tfvars, in the
// order Terraform reads them, without the ones make adopt writes.
func variableFiles(dir string) ([]string, error) {
	auto, err := filepath.Glob(filepath.Join(dir, "*.auto.tfvars"))
	if err != nil {
		return nil, err
	}
	sort.Strings(auto)
	files := []string{filepath.Join(dir, "terraform.tfvars")}
	for _, path := range auto {
		if !slices.Contains(Files, filepath.Base(path)) {
			files = append(files, path)
		}
	}
	return files, nil
}

// tfvarsLiterals reads literal values from variable files, a later file
// overriding an earlier one; an unset value is its default (whose type is
// the one wanted), and null, as Terraform gives a nullable variable set to
// null, is no value: the type's zero ("", false).
func tfvarsLiterals(paths []string, defaults map[string]cty.Value) (map[string]cty.Value, error) {
	out := maps.Clone(defaults)
	for _, path := range paths {
		file, diags := hclparse.NewParser().ParseHCLFile(path)
		if diags.HasErrors() {
			return out, fmt.Errorf("%s: %s", path, diags.Error())
		}
		attrs, _ := file.Body.JustAttributes()
		for name, def := range defaults {
			attr, ok := attrs[name]
			if !ok {
				continue
			}
			v, diags := attr.Expr.Value(nil)
			switch {
			case !diags.HasErrors() && v.IsNull():
				out[name] = map[cty.Type]cty.Value{cty.Bool: cty.False, cty.String: cty.StringVal("")}[def.Type()]
			case diags.HasErrors() || v.Type() != def.Type():
				return out, fmt.Errorf("%s: %s is not a literal %s", path, name, def.Type().FriendlyName())
			default:
				out[name] = v
			}
		}
	}
	return out, nil
}

// moduleTables reads the keys of the default of variable "tables".
func moduleTables(path string) ([]string, error) {
	v, err := variableDefault(path, "tables")
	if err != nil {
		return nil, err
	}
	if !v.CanIterateElements() {
		return nil, fmt.Errorf("%s: the default of variable tables is not a literal map", path)
	}
	return slices.Sorted(maps.Keys(v.AsValueMap())), nil
}

// variableDefault reads the literal default of variable name.
func variableDefault(path, name string) (cty.Value, error) {
	file, diags := hclparse.NewParser().ParseHCLFile(path)
	if diags.HasErrors() {
		return cty.NilVal, fmt.Errorf("%s: %s", path, diags.Error())
	}
	content, _, diags := file.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "variable", LabelNames: []string{"name"}}}})
	if diags.HasErrors() {
		return cty.NilVal, fmt.Errorf("%s: %s", path, diags.Error())
	}
	for _, block := range content.Blocks {
		if block.Labels[0] != name {
			continue
		}
		attrs, _ := block.Body.JustAttributes()
		if def, ok := attrs["default"]; ok {
			v, diags := def.Expr.Value(nil)
			if diags.HasErrors() {
				return cty.NilVal, fmt.Errorf("%s: the default of variable %s is not a literal", path, name)
			}
			return v, nil
		}
	}
	return cty.NilVal, fmt.Errorf("%s: no variable %s with a default", path, name)
}

// notAdoptedKinds are the services whose tagged objects this version does not
// adopt (besides those the cases of Discover decide on), by the service field
// of their ARN, with what to do instead.
var notAdoptedKinds = map[string]struct{ kind, reason string }{
	"rds":            {"RDS object", "not the adopted Aurora cluster or one of its instances: keep it under Copilot, or import it by hand"},
	"elasticache":    {"ElastiCache object", "a cache holds no data to keep: the root makes its own; repoint the clients during the switch"},
	"secretsmanager": {"secret", "not adopted: copy the values the services read into service_secrets (docs/migrating-from-copilot.md, step 5.2)"},
	"ses":            {"SES identity", "not the identity of the root's ses_domain (or the root has no add-ons): keep it under Copilot, or import it by hand (docs/migrating-from-copilot.md, step 5.2)"},
}

// copilotBuckets are the root's buckets that Copilot's S3 storage add-ons
// (`copilot storage init -t S3 -n <storage>`) can hold: CloudFormation names
// such a bucket `<stack>-<storage without hyphens>bucket-<random>`. Each
// has the root's distribution in front of it.
type copilotBucket struct{ storage, variable, address, distributionAddress string }

var copilotBuckets = []copilotBucket{
	{"private-static", "private_static_bucket_name", "module.private_assets[0].module.content.aws_s3_bucket.this", "module.private_assets[0].aws_cloudfront_distribution.this"},
	{"static", "static_bucket_name", "module.static_site[0].module.site.module.content.aws_s3_bucket.this", "module.static_site[0].module.site.aws_cloudfront_distribution.this"},
}

// aliases are the alternate domain names the root gives the bucket's
// distribution (environments/*/main.tf: private-assets none, the static site
// static.<public_zone_name>).
func (b copilotBucket) aliases(root Root) []string {
	if b.storage == "static" {
		return []string{"static." + root.PublicZoneName}
	}
	return nil
}

// Worker is a Copilot worker service as adopted.
type Worker struct {
	Name                     string
	QueueName                string
	DeadLetterQueueName      string // empty: Copilot made none
	ServiceName              string
	QueueKMSKeyARN           string // empty: SSE-SQS or none
	TaskRoleARN              string
	ServiceDiscoveryEndpoint string
	LogGroupName             string // empty: none found
	// Copilot's queue settings, kept (a shorter retention would expire
	// queued messages); MaxReceiveCount is 0 without a dead-letter queue.
	VisibilityTimeout, MessageRetention, Delay, MaxReceiveCount int64
	ScalingPolicies                                             []string
	TopicQueues                                                 []string // Copilot's per-topic queues: not adopted
}

// Table is a table of Copilot's DynamoDB storage add-on, named
// `<app>-<env>-<name>` (`copilot storage init -t DynamoDB`), adopted as the
// root's table Key.
type Table struct{ Key, Name string }

// Bucket is a bucket of Copilot's S3 storage add-on, adopted as the root's
// bucket of the same storage name.
type Bucket struct{ Storage, Name, Variable, Address string }

// LogGroup is the log group of a Copilot service or job that is not a
// worker, adopted by the root's workload of the same name.
type LogGroup struct{ Workload, Name, Address string }

// Topic is a Copilot topic a root's messaging module adopts.
type Topic struct{ Key, ARN, Publisher string }

// LoadBalancer is where an alias record points.
type LoadBalancer struct{ DNSName, ZoneID string }

// Skipped is a Copilot object that is not adopted, and why.
type Skipped struct{ Kind, Name, Reason string }

// Estate is what was found of one Copilot environment.
type Estate struct {
	App, Env    string
	ClusterName string
	Workers     []Worker
	Topics      []Topic
	// PublisherRoles are the task roles of the services publishing to the
	// adopted topics, by service name: they keep publishing during the cutover.
	PublisherRoles map[string]string
	// TaskRoles are the task roles of every Copilot service, by service
	// name: they keep using the adopted tables and buckets until the cutover
	// ends.
	TaskRoles map[string]string
	// CopilotLoadBalancer is Copilot's internet-facing load balancer (nil:
	// none), which keeps serving the web hostnames until the switch.
	CopilotLoadBalancer *LoadBalancer
	Tables              []Table
	Buckets             []Bucket
	Distributions       []Distribution
	LogGroups           []LogGroup    // of the web services and jobs
	Database            *Database     // nil: none adopted
	Mail                *MailIdentity // nil: none adopted
	Skipped             []Skipped
	// Stacks are Copilot's CloudFormation stacks of the environment;
	// NotRetained the adopted objects they would still delete.
	Stacks      []string
	NotRetained []NotRetained
	// logGroups are Copilot's log groups of the environment, by name.
	logGroups map[string]bool
}

// Clients are the read-only calls discovery makes.
type Clients struct {
	Tagging *resourcegroupstaggingapi.Client
	// GlobalTagging lists the tags of global objects (CloudFront): us-east-1.
	GlobalTagging *resourcegroupstaggingapi.Client
	ECS           *ecs.Client
	SQS           *sqs.Client
	KMS           *kms.Client
	Logs          *cloudwatchlogs.Client
	Autoscaling   *applicationautoscaling.Client
	ELB           *elasticloadbalancingv2.Client
	SNS           *sns.Client
	CFN           *cloudformation.Client
	RDS           *rds.Client
	EC2           *ec2.Client
	SES           *ses.Client
	Route53       *route53.Client
	CloudFront    *cloudfront.Client
}

// NewClients makes the clients from one SDK configuration.
func NewClients(cfg aws.Config) Clients {
	return Clients{Tagging: resourcegroupstaggingapi.NewFromConfig(cfg),
		GlobalTagging: resourcegroupstaggingapi.NewFromConfig(cfg, func(o *resourcegroupstaggingapi.Options) { o.Region = "us-east-1" }), ECS: ecs.NewFromConfig(cfg), SQS: sqs.NewFromConfig(cfg),
		KMS: kms.NewFromConfig(cfg), Logs: cloudwatchlogs.NewFromConfig(cfg), Autoscaling: applicationautoscaling.NewFromConfig(cfg), ELB: elasticloadbalancingv2.NewFromConfig(cfg), SNS: sns.NewFromConfig(cfg),
		CFN: cloudformation.NewFromConfig(cfg), RDS: rds.NewFromConfig(cfg), EC2: ec2.NewFromConfig(cfg), SES: ses.NewFromConfig(cfg), Route53: route53.NewFromConfig(cfg),
		CloudFront: cloudfront.NewFromConfig(cfg)}
}

type tagged struct {
	arn  string
	tags map[string]string
}

// Discover finds the environment's objects by Copilot's tags, then reads
// each worker's queue, key and role from what its service runs: the queue
// is the task definition's COPILOT_QUEUE_URI, the dead-letter queue the
// queue's redrive target. Last it reads Copilot's stacks for the adopted
// objects they would still delete. Nothing is changed.
func Discover(ctx context.Context, c Clients, app, env string, root Root) (Estate, error) {
	m := root.Messaging
	e := Estate{App: app, Env: env}
	objects, err := findTagged(ctx, c.Tagging, app, env)
	if err != nil {
		return e, err
	}
	// By ARN: which of two candidates for one table or bucket is adopted must
	// not depend on the API's order.
	sort.Slice(objects, func(i, j int) bool { return objects[i].arn < objects[j].arn })
	var clusters, loadBalancers, databases, rdsObjects, auroraSecrets []string
	services := map[string]string{} // copilot-service -> service ARN
	for _, o := range objects {
		resource := arnResource(o.arn)
		switch {
		case strings.Contains(o.arn, ":rds:") && strings.HasPrefix(resource, "cluster:"):
			databases = append(databases, strings.TrimPrefix(resource, "cluster:"))
			rdsObjects = append(rdsObjects, o.arn)
		case strings.Contains(o.arn, ":rds:"):
			rdsObjects = append(rdsObjects, o.arn) // known once the cluster is

		case strings.Contains(o.arn, ":ecs:") && strings.HasPrefix(resource, "cluster/"):
			clusters = append(clusters, strings.TrimPrefix(resource, "cluster/"))
		case strings.Contains(o.arn, ":ecs:") && strings.HasPrefix(resource, "service/"):
			services[o.tags[tagService]] = o.arn
		case strings.Contains(o.arn, ":sns:"):
			e.addTopic(o, resource, m)
		case strings.Contains(o.arn, ":elasticloadbalancing:") && strings.HasPrefix(resource, "loadbalancer/app/"):
			loadBalancers = append(loadBalancers, o.arn)
		case strings.Contains(o.arn, ":ec2:") && strings.HasPrefix(resource, "vpc/"):
			e.Skipped = append(e.Skipped, Skipped{"VPC", strings.TrimPrefix(resource, "vpc/"),
				"not adopted: staging and production make their own network and the adopted services move to its subnets in place; develop and customer import theirs (vpc_id)"})
		case strings.Contains(o.arn, ":dynamodb:") && strings.HasPrefix(resource, "table/") && root.Addons:
			e.addTable(strings.TrimPrefix(resource, "table/"), root.Tables)
		case strings.Contains(o.arn, ":s3:::") && root.Addons:
			e.addBucket(resource, root.StaticSiteEnabled)
		case strings.Contains(o.arn, ":dynamodb:") || strings.Contains(o.arn, ":s3:::"):
			e.Skipped = append(e.Skipped, Skipped{"data store", resource,
				"the root has no add-ons (addons_enabled = false) and manages no table or bucket: keep it, and point existing_endpoints at it"})
		case strings.Contains(o.arn, ":secretsmanager:") && strings.Contains(resource, "AuroraSecret-"):
			auroraSecrets = append(auroraSecrets, o.arn)
		case strings.Contains(o.arn, ":cloudwatch:") && strings.HasPrefix(resource, "alarm:"):
			e.Skipped = append(e.Skipped, Skipped{"CloudWatch alarm", resource, "no alarm of the root does what this one does (the root's alarms watch each worker's dead-letter queue " +
				"and its oldest message, under names of their own, and an alarm's name forces a replacement); an adopted service keeps a rollback alarm in its " +
				"deployment configuration, where it can roll back the adoption's deployment: remove it there, then delete it by hand (docs/migrating-from-copilot.md, step 7)"})
		case strings.Contains(o.arn, ":cloudfront:"):
			// global: listed in us-east-1 (below), where AWS has their tags
		case strings.Contains(o.arn, ":ses:") && root.Addons && resource == "identity/"+root.SESDomain:
			// adopted below, tagged or not (SES identities made through the v1 API carry no tags)
		default:
			if na, ok := notAdoptedKinds[strings.SplitN(o.arn, ":", 4)[2]]; ok {
				e.Skipped = append(e.Skipped, Skipped{na.kind, resource, na.reason})
			}
		}
	}
	sort.Slice(e.Tables, func(i, j int) bool { return e.Tables[i].Key < e.Tables[j].Key })
	sort.Slice(e.Buckets, func(i, j int) bool { return e.Buckets[i].Storage < e.Buckets[j].Storage })
	if err := e.addDistributions(ctx, c.CloudFront, root); err != nil {
		return e, err
	}
	sort.Strings(clusters)
	if len(clusters) != 1 {
		return e, fmt.Errorf("want one ECS cluster tagged %s=%s, %s=%s, found %d %v (after the first apply the adopted objects carry the root's tags, not Copilot's)",
			tagApplication, app, tagEnvironment, env, len(clusters), clusters)
	}
	e.ClusterName = clusters[0]
	if err := e.findPublicLoadBalancer(ctx, c, loadBalancers); err != nil {
		return e, err
	}
	if err := e.addDatabase(ctx, c, databases, root); err != nil {
		return e, err
	}
	if e.logGroups, err = listCopilotLogGroups(ctx, c, app, env); err != nil {
		return e, err
	}
	e.addLogGroups(root)
	e.addAuroraSecrets(auroraSecrets)
	if err := e.addMailIdentity(ctx, c, root); err != nil {
		return e, err
	}
	for _, arn := range rdsObjects {
		if !e.Database.covers(arn) && !strings.HasPrefix(arnResource(arn), "cluster:") { // a skipped cluster is listed already
			e.Skipped = append(e.Skipped, Skipped{notAdoptedKinds["rds"].kind, arnResource(arn), notAdoptedKinds["rds"].reason})
		}
	}

	publishes := map[string]bool{}
	for _, t := range e.Topics {
		publishes[t.Publisher] = true
	}
	e.PublisherRoles = map[string]string{}
	e.TaskRoles = map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(services)) {
		td, err := runningTaskDefinition(ctx, c, e.ClusterName, serviceName(services[name]))
		if err != nil {
			return e, err
		}
		e.TaskRoles[name] = aws.ToString(td.TaskDefinition.TaskRoleArn)
		if publishes[name] {
			e.PublisherRoles[name] = e.TaskRoles[name]
		}
		if _, isWorker := m.Workers[name]; !isWorker {
			e.Skipped = append(e.Skipped, Skipped{"ECS service", serviceName(services[name]),
				"not a worker of this environment: web services, the load balancer and the data stores stay under Copilot until adopted by hand (docs/migrating-from-copilot.md)"})
			continue
		}
		w, err := readWorker(ctx, c, e, name, services[name], td)
		if err != nil {
			return e, err
		}
		for _, q := range w.TopicQueues {
			e.Skipped = append(e.Skipped, Skipped{"SQS queue", q, "a per-topic queue: the pipeline has one queue; its messages must be drained before Copilot's stack goes"})
		}
		e.Workers = append(e.Workers, w)
	}
	sort.Slice(e.Topics, func(i, j int) bool { return e.Topics[i].Key < e.Topics[j].Key })
	if err := e.checkSubscriptions(ctx, c, m); err != nil {
		return e, err
	}
	if err := e.checkStacks(ctx, c.CFN); err != nil {
		return e, err
	}
	e.listTaggedDistributions(ctx, c.GlobalTagging)
	return e, nil
}

// listTaggedDistributions lists the distributions tagged as the
// environment's that are neither adopted nor in its stacks (a stack deleted
// with DeletionPolicy: Retain leaves its distribution so).
func (e *Estate) listTaggedDistributions(ctx context.Context, client *resourcegroupstaggingapi.Client) {
	objects, err := findTagged(ctx, client, e.App, e.Env, "cloudfront") // a service filter: moto knows no cloudfront:distribution
	if err != nil {
		// us-east-1 may be closed to the credentials (a service control
		// policy): what the stacks and origins showed still stands.
		e.Skipped = append(e.Skipped, Skipped{distributionKind, "(tagged as Copilot's)", "not checked: " + err.Error()})
		return
	}
	for _, o := range objects {
		_, id, isDistribution := strings.Cut(o.arn, ":distribution/") // moto's ARNs lack the empty region field
		if strings.Contains(o.arn, ":cloudfront:") && isDistribution && !slices.ContainsFunc(e.Distributions, func(d Distribution) bool { return d.ID == id }) {
			e.listDistribution(id, "tagged as Copilot's")
		}
	}
}

// queueSubscription is a subscription of a worker's queue as SNS has it.
type queueSubscription struct{ ARN, TopicARN, FilterPolicy string }

// checkSubscriptions lists what the first apply changes in the adopted
// queues' subscriptions: those to topics the root does not subscribe the
// worker to are removed, and filter policies are cleared.
func (e *Estate) checkSubscriptions(ctx context.Context, c Clients, m Messaging) error {
	byQueue := map[string][]queueSubscription{}
	p := sns.NewListSubscriptionsPaginator(c.SNS, &sns.ListSubscriptionsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("listing SNS subscriptions: %w", err)
		}
		for _, sub := range page.Subscriptions {
			if aws.ToString(sub.Protocol) == "sqs" {
				byQueue[arnResource(aws.ToString(sub.Endpoint))] = append(byQueue[arnResource(aws.ToString(sub.Endpoint))],
					queueSubscription{ARN: aws.ToString(sub.SubscriptionArn), TopicARN: aws.ToString(sub.TopicArn)})
			}
		}
	}
	topicARNs := map[string]string{}
	for _, t := range e.Topics {
		topicARNs[t.Key] = t.ARN
	}
	for _, w := range e.Workers {
		subs := byQueue[w.QueueName]
		for i := range subs {
			attrs, err := c.SNS.GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(subs[i].ARN)})
			if err != nil {
				return fmt.Errorf("worker %s: reading subscription %s: %w", w.Name, subs[i].ARN, err)
			}
			subs[i].FilterPolicy = attrs.Attributes["FilterPolicy"]
		}
		wanted := map[string]bool{}
		for _, topic := range m.Workers[w.Name].Topics {
			wanted[topicARNs[topic]] = true
		}
		e.Skipped = append(e.Skipped, subscriptionFindings(w.Name, wanted, subs)...)
	}
	return nil
}

// subscriptionFindings: the subscriptions of worker's queue the root does not
// keep as they are.
func subscriptionFindings(worker string, wanted map[string]bool, subs []queueSubscription) []Skipped {
	var out []Skipped
	for _, sub := range subs {
		topic := arnResource(sub.TopicARN)
		switch {
		case !wanted[sub.TopicARN]:
			out = append(out, Skipped{"SNS subscription", topic + " -> " + worker,
				"the root does not subscribe " + worker + " to this topic (environments/_common/messaging.json): the first apply unsubscribes it"})
		case sub.FilterPolicy != "":
			out = append(out, Skipped{"SNS filter policy", topic + " -> " + worker,
				"the root sets none: the first apply clears it, and " + worker + " then receives every message of the topic"})
		}
	}
	return out
}

func (e *Estate) findPublicLoadBalancer(ctx context.Context, c Clients, arns []string) error {
	if len(arns) == 0 {
		return nil
	}
	out, err := c.ELB.DescribeLoadBalancers(ctx, &elasticloadbalancingv2.DescribeLoadBalancersInput{LoadBalancerArns: arns})
	if err != nil {
		return fmt.Errorf("describing Copilot's load balancers: %w", err)
	}
	for _, lb := range out.LoadBalancers {
		if lb.Scheme == elbtypes.LoadBalancerSchemeEnumInternetFacing {
			e.CopilotLoadBalancer = &LoadBalancer{DNSName: aws.ToString(lb.DNSName), ZoneID: aws.ToString(lb.CanonicalHostedZoneId)}
		}
	}
	return nil
}

// addTable matches a table to the root's by the names Copilot's templates
// give: `<app>-<env>-<table>` (an environment add-on) or
// `<app>-<env>-<service>-<table>` (a service's add-on).
func (e *Estate) addTable(name string, tables []string) {
	rest, ok := strings.CutPrefix(name, e.App+"-"+e.Env+"-")
	i := slices.IndexFunc(tables, func(table string) bool { return rest == table || strings.HasSuffix(rest, "-"+table) })
	if !ok || i < 0 {
		e.Skipped = append(e.Skipped, Skipped{"DynamoDB table", name, fmt.Sprintf("not %s-%s[-<service>]-<table> for a table of this environment (%s)", e.App, e.Env, strings.Join(tables, ", "))})
		return
	}
	for _, found := range e.Tables {
		if found.Key == tables[i] {
			e.Skipped = append(e.Skipped, Skipped{"DynamoDB table", name, "a second table for " + tables[i] + " (" + found.Name + " is adopted): import it by hand"})
			return
		}
	}
	e.Tables = append(e.Tables, Table{Key: tables[i], Name: name})
}

// addBucket matches a bucket to the root's by the storage name in its
// CloudFormation-made name (`-privatestaticbucket-`, `-staticbucket-`);
// the static bucket only where the root has the static site.
func (e *Estate) addBucket(name string, staticSite bool) {
	i := slices.IndexFunc(copilotBuckets, func(b copilotBucket) bool {
		return strings.Contains(name, "-"+strings.ReplaceAll(b.storage, "-", "")+"bucket-")
	})
	if i < 0 {
		e.Skipped = append(e.Skipped, Skipped{"S3 bucket", name, "not the bucket of a storage add-on this environment has (private-static, static): keep it, or import it by hand"})
		return
	}
	b := copilotBuckets[i]
	if b.storage == "static" && !staticSite {
		e.Skipped = append(e.Skipped, Skipped{"S3 bucket", name, "the static site's bucket, but the root has no static site (static_site_enabled = false)"})
		return
	}
	for _, found := range e.Buckets {
		if found.Storage == b.storage {
			e.Skipped = append(e.Skipped, Skipped{"S3 bucket", name, "a second bucket for storage " + b.storage + " (" + found.Name + " is adopted): import it by hand"})
			return
		}
	}
	e.Buckets = append(e.Buckets, Bucket{Storage: b.storage, Name: name, Variable: b.variable, Address: b.address})
}

func (e *Estate) addTopic(o tagged, name string, m Messaging) {
	publisher := o.tags[tagService]
	key := strings.TrimSuffix(strings.TrimPrefix(name, fmt.Sprintf("%s-%s-%s-", e.App, e.Env, publisher)), ".fifo")
	spec, known := m.Topics[key]
	switch {
	case !known || key == name:
		e.Skipped = append(e.Skipped, Skipped{"SNS topic", name, "not a topic of this environment (environments/_common/messaging.json)"})
	case spec.Publisher != publisher:
		e.Skipped = append(e.Skipped, Skipped{"SNS topic", name, fmt.Sprintf("published by %s here, by %s under Copilot", spec.Publisher, publisher)})
	case !strings.HasSuffix(name, ".fifo"):
		e.Skipped = append(e.Skipped, Skipped{"SNS topic", name, "a standard topic: the environment's topics are FIFO, and a topic's type cannot change"})
	default:
		e.Topics = append(e.Topics, Topic{Key: key, ARN: o.arn, Publisher: publisher})
	}
}

func findTagged(ctx context.Context, client *resourcegroupstaggingapi.Client, app, env string, resourceTypes ...string) ([]tagged, error) {
	var out []tagged
	p := resourcegroupstaggingapi.NewGetResourcesPaginator(client, &resourcegroupstaggingapi.GetResourcesInput{TagFilters: []taggingtypes.TagFilter{
		{Key: aws.String(tagApplication), Values: []string{app}}, {Key: aws.String(tagEnvironment), Values: []string{env}}}, ResourceTypeFilters: resourceTypes})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("finding objects tagged %s=%s, %s=%s: %w", tagApplication, app, tagEnvironment, env, err)
		}
		for _, r := range page.ResourceTagMappingList {
			tags := map[string]string{}
			for _, t := range r.Tags {
				tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
			}
			out = append(out, tagged{arn: aws.ToString(r.ResourceARN), tags: tags})
		}
	}
	return out, nil
}

// readWorker reads a worker from td, the task definition its service runs,
// and from its queue, key, log group and scaling policies.
func readWorker(ctx context.Context, c Clients, e Estate, name, serviceARN string, td *ecs.DescribeTaskDefinitionOutput) (Worker, error) {
	w := Worker{Name: name, ServiceName: serviceName(serviceARN)}
	w.TaskRoleARN = aws.ToString(td.TaskDefinition.TaskRoleArn)
	env := map[string]string{}
	for _, cd := range td.TaskDefinition.ContainerDefinitions {
		if aws.ToString(cd.Name) != name {
			continue
		}
		for _, kv := range cd.Environment {
			env[aws.ToString(kv.Name)] = aws.ToString(kv.Value)
		}
	}
	queueURL := env["COPILOT_QUEUE_URI"]
	if queueURL == "" {
		return w, fmt.Errorf("worker %s: container %s of %s has no COPILOT_QUEUE_URI", name, name, aws.ToString(td.TaskDefinition.TaskDefinitionArn))
	}
	w.QueueName = queueURL[strings.LastIndex(queueURL, "/")+1:]
	w.ServiceDiscoveryEndpoint = env["COPILOT_SERVICE_DISCOVERY_ENDPOINT"]
	if raw := env["COPILOT_TOPIC_QUEUE_URIS"]; raw != "" {
		var byKey map[string]string
		if err := json.Unmarshal([]byte(raw), &byKey); err != nil {
			return w, fmt.Errorf("worker %s: COPILOT_TOPIC_QUEUE_URIS: %w", name, err)
		}
		for _, url := range byKey {
			w.TopicQueues = append(w.TopicQueues, url[strings.LastIndex(url, "/")+1:])
		}
		sort.Strings(w.TopicQueues)
	}

	attrs, err := c.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(queueURL), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
	if err != nil {
		return w, fmt.Errorf("worker %s: reading queue %s: %w", name, w.QueueName, err)
	}
	for attr, into := range map[string]*int64{"VisibilityTimeout": &w.VisibilityTimeout, "MessageRetentionPeriod": &w.MessageRetention, "DelaySeconds": &w.Delay} {
		if *into, err = strconv.ParseInt(attrs.Attributes[attr], 10, 64); err != nil {
			return w, fmt.Errorf("worker %s: %s of %s: %w", name, attr, w.QueueName, err)
		}
	}
	if raw := attrs.Attributes["RedrivePolicy"]; raw != "" {
		var rp struct {
			DeadLetterTargetArn string
			MaxReceiveCount     json.Number
		}
		if err := json.Unmarshal([]byte(raw), &rp); err != nil {
			return w, fmt.Errorf("worker %s: RedrivePolicy of %s: %w", name, w.QueueName, err)
		}
		w.DeadLetterQueueName = arnResource(rp.DeadLetterTargetArn)
		if w.MaxReceiveCount, err = rp.MaxReceiveCount.Int64(); err != nil {
			return w, fmt.Errorf("worker %s: maxReceiveCount of %s: %w", name, w.QueueName, err)
		}
	}
	if key := attrs.Attributes["KmsMasterKeyId"]; key != "" && key != "alias/aws/sqs" {
		out, err := c.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(key)})
		if err != nil {
			return w, fmt.Errorf("worker %s: describing queue key %s: %w", name, key, err)
		}
		w.QueueKMSKeyARN = aws.ToString(out.KeyMetadata.Arn)
	}

	w.LogGroupName = e.copilotLogGroup(name)

	policies, err := c.Autoscaling.DescribeScalingPolicies(ctx, &applicationautoscaling.DescribeScalingPoliciesInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String(fmt.Sprintf("service/%s/%s", e.ClusterName, w.ServiceName))})
	if err != nil {
		return w, fmt.Errorf("worker %s: reading scaling policies: %w", name, err)
	}
	for _, p := range policies.ScalingPolicies {
		w.ScalingPolicies = append(w.ScalingPolicies, aws.ToString(p.PolicyName))
	}
	return w, nil
}

// listCopilotLogGroups lists, in one paginated call, the log groups
// Copilot makes for the environment's services and jobs
// (`/copilot/<app>-<env>-<name>`).
func listCopilotLogGroups(ctx context.Context, c Clients, app, env string) (map[string]bool, error) {
	prefix := fmt.Sprintf("/copilot/%s-%s-", app, env)
	groups := map[string]bool{}
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(c.Logs, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the log groups %s*: %w", prefix, err)
		}
		for _, g := range page.LogGroups {
			groups[aws.ToString(g.LogGroupName)] = true
		}
	}
	return groups, nil
}

// copilotLogGroup is the log group Copilot made for a service or job,
// `/copilot/<app>-<env>-<name>` ("": none).
func (e *Estate) copilotLogGroup(name string) string {
	if group := fmt.Sprintf("/copilot/%s-%s-%s", e.App, e.Env, name); e.logGroups[group] {
		return group
	}
	return ""
}

// addLogGroups: the log groups Copilot made for the root's web services and
// jobs. The root's have the same names (/copilot/<app>-<env>-<name>): without
// an import its apply would fail creating them, and with one their logs stay.
func (e *Estate) addLogGroups(root Root) {
	for _, w := range root.webAndJobs() {
		if group := e.copilotLogGroup(w.name); group != "" {
			e.LogGroups = append(e.LogGroups, LogGroup{Workload: w.name, Name: group, Address: fmt.Sprintf("module.%s[%q].module.task.aws_cloudwatch_log_group.this", w.module, w.name)})
		}
	}
}

func serviceName(serviceARN string) string {
	resource := arnResource(serviceARN)
	return resource[strings.LastIndex(resource, "/")+1:]
}

// runningTaskDefinition is the task definition a service runs.
func runningTaskDefinition(ctx context.Context, c Clients, cluster, service string) (*ecs.DescribeTaskDefinitionOutput, error) {
	svcs, err := c.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{service}})
	if err != nil {
		return nil, fmt.Errorf("describing service %s of cluster %s: %w", service, cluster, err)
	}
	if len(svcs.Services) != 1 {
		return nil, fmt.Errorf("no service %s in cluster %s", service, cluster)
	}
	td, err := c.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: svcs.Services[0].TaskDefinition})
	if err != nil {
		return nil, fmt.Errorf("describing the task definition of %s: %w", service, err)
	}
	return td, nil
}

// arnResource is what follows the account field of an ARN (for SQS and SNS
// the name; for logs `log-group:<name>`).
func arnResource(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return arn
	}
	return parts[5]
}
