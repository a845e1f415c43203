package test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
	"github.com/gruntwork-io/terratest/modules/terraform"

	"github.com/calinks/terraform-provider-calinks/internal/plandrift"
)

// moduleExample is one module's examples/complete taken through the stages
// and checked through the SDK.
type moduleExample struct {
	module string
	prefix string
	// skip, when set, is why the endpoint cannot run this example.
	skip string
	// zone: the example looks up a public zone (zone_name), which the case
	// makes before and removes after (zones.go).
	zone       bool
	vars       func(name string) map[string]any
	knownDrift []plandrift.Allowance
	before     func(t *testing.T, name string) map[string]any
	validate   func(t *testing.T, opts *terraform.Options, name string)
	after      func(t *testing.T, opts *terraform.Options)
}

func TestModuleExamples(t *testing.T) {
	t.Parallel()
	for _, ex := range moduleExamples {
		t.Run(ex.module, func(t *testing.T) {
			t.Parallel()
			if ex.skip != "" && onMoto() {
				t.Skipf("the endpoint cannot run it: %s", ex.skip)
			}
			runStaged(t, stagedCase{
				key:    "module-" + ex.module,
				prefix: ex.prefix,
				copy:   []string{"modules"},
				root:   "modules/" + ex.module + "/examples/complete",
				vars: func(name string, tags map[string]string) map[string]any {
					vars := map[string]any{"name": name, "tags": tags}
					if ex.vars != nil {
						for k, v := range ex.vars(name) {
							vars[k] = v
						}
					}
					return vars
				},
				knownDrift: ex.knownDrift,
				before: func(t *testing.T, name string) map[string]any {
					extra := map[string]any{}
					if ex.zone {
						createTestZone(t, name)
						extra["zone_name"] = zoneName(name)
					}
					if ex.before != nil {
						maps.Copy(extra, ex.before(t, name))
					}
					return extra
				},
				validate: ex.validate,
				after: func(t *testing.T, opts *terraform.Options) {
					if ex.after != nil {
						ex.after(t, opts)
					}
					if ex.zone {
						deleteTestZone(t, fmt.Sprint(opts.Vars["zone_name"]))
					}
				},
			})
		})
	}
}

var moduleExamples = []moduleExample{
	{
		module: "network", prefix: "mnet",
		vars: func(string) map[string]any { return map[string]any{"cidr_block": randomCIDR()} },
		before: func(t *testing.T, name string) map[string]any {
			imported := createImportedVPC(t, name)
			return map[string]any{"imported_vpc": map[string]any{"id": imported.ID, "private_subnet_ids": imported.Private, "public_subnet_ids": imported.Public}}
		},
		validate: func(t *testing.T, opts *terraform.Options, name string) {
			client := ec2.NewFromConfig(awsConfig())
			vpcID := terraform.OutputContext(t, t.Context(), opts, "vpc_id")
			subnets := must(client.DescribeSubnets(t.Context(), &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}}}))(t)
			if len(subnets.Subnets) != 4 {
				t.Errorf("subnets of %s = %d, want 2 public + 2 private", vpcID, len(subnets.Subnets))
			}
			for _, s := range subnets.Subnets {
				if aws.ToBool(s.MapPublicIpOnLaunch) {
					t.Errorf("subnet %s maps public IPs on launch", aws.ToString(s.SubnetId))
				}
			}
			nats := must(client.DescribeNatGateways(t.Context(), &ec2.DescribeNatGatewaysInput{Filter: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}}}))(t)
			if len(nats.NatGateways) != 1 {
				t.Errorf("NAT gateways = %d, want 1 (single mode)", len(nats.NatGateways))
			}
			logs := must(client.DescribeFlowLogs(t.Context(), &ec2.DescribeFlowLogsInput{Filter: []ec2types.Filter{{Name: aws.String("resource-id"), Values: []string{vpcID}}}}))(t)
			if len(logs.FlowLogs) != 1 || logs.FlowLogs[0].TrafficType != ec2types.TrafficTypeAll {
				t.Errorf("flow logs of %s = %+v, want one recording ALL", vpcID, logs.FlowLogs)
			}
			// The options may come back from the stage's saved JSON: compare as text.
			given, _ := opts.Vars["imported_vpc"].(map[string]any)
			imported := terraform.OutputContext(t, t.Context(), opts, "imported_vpc_id")
			private := terraform.OutputListContext(t, t.Context(), opts, "imported_private_subnet_ids")
			public := terraform.OutputListContext(t, t.Context(), opts, "imported_public_subnet_ids")
			if fmt.Sprint(imported, private, public) != fmt.Sprint(given["id"], given["private_subnet_ids"], given["public_subnet_ids"]) {
				t.Errorf("imported VPC %s: private %v, public %v; want exactly the given %v", imported, private, public, given)
			}
		},
		after: func(t *testing.T, opts *terraform.Options) {
			if given, ok := opts.Vars["imported_vpc"].(map[string]any); ok {
				deleteImportedVPC(t, fmt.Sprint(given["id"]))
			}
		},
	},
	{
		module: "ecs-cluster", prefix: "mecs",
		validate: func(t *testing.T, opts *terraform.Options, name string) {
			out := must(ecs.NewFromConfig(awsConfig()).DescribeClusters(t.Context(), &ecs.DescribeClustersInput{
				Clusters: []string{name}, Include: []ecstypes.ClusterField{ecstypes.ClusterFieldSettings, ecstypes.ClusterFieldConfigurations}}))(t)
			if len(out.Clusters) != 1 {
				t.Fatalf("cluster %s not found", name)
			}
			c := out.Clusters[0]
			if len(c.Settings) != 1 || aws.ToString(c.Settings[0].Value) != "enabled" {
				t.Errorf("Container Insights = %+v, want enabled", c.Settings)
			}
			if providers := slices.Sorted(slices.Values(c.CapacityProviders)); fmt.Sprint(providers) != "[FARGATE FARGATE_SPOT]" {
				t.Errorf("capacity providers = %v", c.CapacityProviders)
			}
			exec := c.Configuration.ExecuteCommandConfiguration
			if exec == nil || exec.Logging != "OVERRIDE" || aws.ToString(exec.LogConfiguration.CloudWatchLogGroupName) != terraform.OutputContext(t, t.Context(), opts, "exec_log_group_name") || aws.ToString(exec.KmsKeyId) == "" {
				t.Errorf("execute-command configuration = %+v, want logged to the module's group with a KMS key", exec)
			}
		},
	},
	{
		module: "edge", prefix: "medg", zone: true,
		vars: func(name string) map[string]any {
			return map[string]any{"cidr_block": randomCIDR()}
		},
		validate: func(t *testing.T, opts *terraform.Options, name string) {
			cfg := awsConfig()
			client := elbv2.NewFromConfig(cfg)
			albARN := terraform.OutputContext(t, t.Context(), opts, "alb_arn")
			attrs := must(client.DescribeLoadBalancerAttributes(t.Context(), &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(albARN)}))(t)
			want := map[string]string{"routing.http.drop_invalid_header_fields.enabled": "true", "access_logs.s3.enabled": "true", "deletion_protection.enabled": "false"}
			got := map[string]string{}
			for _, a := range attrs.Attributes {
				got[aws.ToString(a.Key)] = aws.ToString(a.Value)
			}
			for key, value := range want {
				if got[key] != value {
					t.Errorf("ALB attribute %s = %q, want %s", key, got[key], value)
				}
			}
			listeners := must(client.DescribeListeners(t.Context(), &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(albARN)}))(t)
			var ports []int32
			for _, l := range listeners.Listeners {
				ports = append(ports, aws.ToInt32(l.Port))
				switch aws.ToInt32(l.Port) {
				case 80:
					if len(l.DefaultActions) != 1 || l.DefaultActions[0].RedirectConfig == nil || aws.ToString(l.DefaultActions[0].RedirectConfig.Protocol) != "HTTPS" {
						t.Errorf("port 80 does not redirect to HTTPS: %+v", l.DefaultActions)
					}
				case 443:
					if len(l.Certificates) == 0 || aws.ToString(l.Certificates[0].CertificateArn) != terraform.OutputContext(t, t.Context(), opts, "certificate_arn") {
						t.Errorf("port 443 certificates = %+v", l.Certificates)
					}
				default:
					t.Errorf("unexpected listener on port %d", aws.ToInt32(l.Port))
				}
			}
			if slices.Sort(ports); fmt.Sprint(ports) != "[80 443]" {
				t.Errorf("listeners on ports %v, want 80 (redirect) and 443", ports)
			}
			acl := must(wafv2.NewFromConfig(cfg).GetWebACLForResource(t.Context(), &wafv2.GetWebACLForResourceInput{ResourceArn: aws.String(albARN)}))(t)
			if acl.WebACL == nil || aws.ToString(acl.WebACL.ARN) != terraform.OutputContext(t, t.Context(), opts, "web_acl_arn") {
				t.Errorf("web ACL of the ALB = %+v", acl.WebACL)
			}
		},
	},
	{
		module: "web-service", prefix: "mweb", zone: true,
		vars: func(name string) map[string]any {
			return map[string]any{"cidr_block": randomCIDR()}
		},
		knownDrift: webServiceDrift,
		validate: func(t *testing.T, opts *terraform.Options, name string) {
			checkCreateBeforeDestroyContained(t, opts)
			client := ecs.NewFromConfig(awsConfig())
			cluster := terraform.OutputContext(t, t.Context(), opts, "cluster_name")
			services := must(client.DescribeServices(t.Context(), &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{"pos-web-app", "backend-outbox"}}))(t)
			if len(services.Services) != 2 {
				t.Fatalf("services = %d, want 2", len(services.Services))
			}
			for _, s := range services.Services {
				net := s.NetworkConfiguration.AwsvpcConfiguration
				if net.AssignPublicIp != "DISABLED" || len(net.SecurityGroups) != 1 {
					t.Errorf("%s network = %+v, want no public IP and its own group", aws.ToString(s.ServiceName), net)
				}
				switch aws.ToString(s.ServiceName) {
				case "pos-web-app":
					if len(s.LoadBalancers) != 1 || aws.ToString(s.LoadBalancers[0].ContainerName) != "nginx" || aws.ToInt32(s.LoadBalancers[0].ContainerPort) != 80 {
						t.Errorf("pos-web-app load balancers = %+v, want the nginx sidecar on 80", s.LoadBalancers)
					}
				case "backend-outbox":
					if len(s.LoadBalancers) != 0 {
						t.Errorf("backend-outbox has load balancers %+v", s.LoadBalancers)
					}
				}
			}
			td := must(client.DescribeTaskDefinition(t.Context(), &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(terraform.OutputContext(t, t.Context(), opts, "web_task_definition_arn"))}))(t)
			var names []string
			for _, c := range td.TaskDefinition.ContainerDefinitions {
				names = append(names, aws.ToString(c.Name))
			}
			if fmt.Sprint(names) != "[pos-web-app nginx]" {
				t.Errorf("containers = %v, want the application and the nginx sidecar", names)
			}
			tgs := must(elbv2.NewFromConfig(awsConfig()).DescribeTargetGroups(t.Context(), &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{terraform.OutputContext(t, t.Context(), opts, "web_target_group_arn")}}))(t)
			if len(tgs.TargetGroups) != 1 {
				t.Fatalf("target groups = %+v, want the one of pos-web-app", tgs.TargetGroups)
			}
			if tg := tgs.TargetGroups[0]; aws.ToString(tg.HealthCheckPath) != "/healthz" || tg.TargetType != "ip" {
				t.Errorf("target group = path %s type %s, want /healthz on IP targets", aws.ToString(tg.HealthCheckPath), tg.TargetType)
			}
			checkTaintedTargetGroupReplaced(t, opts, cluster)
		},
	},
	{
		module: "messaging", prefix: "mmsg",
		validate: func(t *testing.T, opts *terraform.Options, name string) {
			client := sns.NewFromConfig(awsConfig())
			roles := terraform.OutputMapContext(t, t.Context(), opts, "publisher_role_arns")
			arns := terraform.OutputMapContext(t, t.Context(), opts, "topic_arns")
			if len(arns) != len(publishers) {
				t.Errorf("topics = %v, want the seven of docs/architecture.md", arns)
			}
			for topic, publisher := range publishers {
				arn, ok := arns[topic]
				if !ok {
					t.Errorf("no topic %s", topic)
					continue
				}
				if want := fmt.Sprintf("calinks-%s-%s-%s.fifo", name, publisher, topic); !strings.HasSuffix(arn, ":"+want) {
					t.Errorf("topic %s = %s, want Copilot's name %s", topic, arn, want)
				}
				attrs := must(client.GetTopicAttributes(t.Context(), &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)}))(t).Attributes
				if attrs["FifoTopic"] != "true" || attrs["KmsMasterKeyId"] != terraform.OutputContext(t, t.Context(), opts, "kms_key_arn") {
					t.Errorf("%s: FifoTopic %s, KmsMasterKeyId %s", topic, attrs["FifoTopic"], attrs["KmsMasterKeyId"])
				}
				if !strings.Contains(attrs["Policy"], roles[publisher]) || strings.Contains(attrs["Policy"], roles[otherPublisher(publisher)]) {
					t.Errorf("%s policy does not admit exactly %s: %s", topic, publisher, attrs["Policy"])
				}
			}
		},
	},
	{
		module: "worker", prefix: "mwrk",
		vars: func(string) map[string]any {
			return map[string]any{"cidr_block": randomCIDR(), "redrive_allow_policy_enabled": !onMoto(), "max_receive_count": 5}
		},
		validate: func(t *testing.T, opts *terraform.Options, name string) {
			cfg := awsConfig()
			queueURL := terraform.OutputContext(t, t.Context(), opts, "queue_url")
			attrs := must(sqs.NewFromConfig(cfg).GetQueueAttributes(t.Context(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(queueURL), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}}))(t).Attributes
			deadLetterURL := terraform.OutputContext(t, t.Context(), opts, "dead_letter_queue_url")
			deadLetterARN, receives := redrivePolicyOf(t, attrs)
			if attrs["FifoQueue"] != "true" || attrs["SqsManagedSseEnabled"] != "true" || receives != 5 || deadLetterARN != queueARNOf(t, sqs.NewFromConfig(cfg), deadLetterURL) {
				t.Errorf("queue attributes = %v; want FIFO, SQS-managed SSE, 5 receives to its dead-letter queue", attrs)
			}
			topic := terraform.OutputContext(t, t.Context(), opts, "topic_arn")
			if !strings.Contains(attrs["Policy"], topic) || !strings.Contains(attrs["Policy"], terraform.OutputContext(t, t.Context(), opts, "task_role_arn")) {
				t.Errorf("queue policy admits neither the topic nor the task role: %s", attrs["Policy"])
			}
			sub := terraform.OutputMapContext(t, t.Context(), opts, "subscription_arns")["item"]
			subAttrs := must(sns.NewFromConfig(cfg).GetSubscriptionAttributes(t.Context(), &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub)}))(t).Attributes
			if subAttrs["RawMessageDelivery"] == "true" || subAttrs["TopicArn"] != topic {
				t.Errorf("subscription = %v, want the item topic with the SNS envelope", subAttrs)
			}
			// Each alarm watches its queue's metric and notifies the alarm topic.
			queueName := func(url string) string { return url[strings.LastIndex(url, "/")+1:] }
			alarmTopic := strings.Replace(topic, "-pos-web-app-item.fifo", "-alarms", 1)
			want := map[string]string{ // alarm name -> metric / queue / threshold
				"calinks-" + name + "-worker-item-dlq-not-empty":      "ApproximateNumberOfMessagesVisible/" + queueName(deadLetterURL) + "/0",
				"calinks-" + name + "-worker-item-oldest-message-age": "ApproximateAgeOfOldestMessage/" + queueName(queueURL) + "/900",
			}
			alarms := must(cloudwatch.NewFromConfig(cfg).DescribeAlarms(t.Context(), &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String("calinks-" + name + "-worker-item")}))(t)
			got := map[string]string{}
			for _, a := range alarms.MetricAlarms {
				var queue string
				for _, d := range a.Dimensions {
					if aws.ToString(d.Name) == "QueueName" {
						queue = aws.ToString(d.Value)
					}
				}
				got[aws.ToString(a.AlarmName)] = fmt.Sprintf("%s/%s/%g", aws.ToString(a.MetricName), queue, aws.ToFloat64(a.Threshold))
				if !slices.Equal(a.AlarmActions, []string{alarmTopic}) || !slices.Equal(a.OKActions, []string{alarmTopic}) {
					t.Errorf("alarm %s notifies %v / %v, want the alarm topic %s", aws.ToString(a.AlarmName), a.AlarmActions, a.OKActions, alarmTopic)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("alarms = %v, want %v", got, want)
			}
		},
	},
	{
		module: "scheduled-job", prefix: "mjob",
		vars: func(string) map[string]any { return map[string]any{"cidr_block": randomCIDR()} },
		validate: func(t *testing.T, opts *terraform.Options, name string) {
			s := must(scheduler.NewFromConfig(awsConfig()).GetSchedule(t.Context(), &scheduler.GetScheduleInput{Name: aws.String("calinks-" + name + "-job-daily-calculate")}))(t)
			if aws.ToString(s.ScheduleExpressionTimezone) != "Asia/Tokyo" || aws.ToString(s.ScheduleExpression) != "cron(0 3 * * ? *)" {
				t.Errorf("schedule = %s in %s", aws.ToString(s.ScheduleExpression), aws.ToString(s.ScheduleExpressionTimezone))
			}
			if aws.ToString(s.Target.Arn) != terraform.OutputContext(t, t.Context(), opts, "cluster_arn") || s.Target.EcsParameters == nil ||
				aws.ToString(s.Target.EcsParameters.TaskDefinitionArn) != terraform.OutputContext(t, t.Context(), opts, "task_definition_arn") {
				t.Errorf("schedule target = %+v", s.Target)
			}
			if s.Target.RetryPolicy == nil || aws.ToInt32(s.Target.RetryPolicy.MaximumRetryAttempts) != 3 {
				t.Errorf("retry policy = %+v", s.Target.RetryPolicy)
			}
			if cmd := terraform.OutputContext(t, t.Context(), opts, "run_task_command"); !strings.HasPrefix(cmd, "aws ecs run-task --cluster ") {
				t.Errorf("run_task_command = %s", cmd)
			}
		},
	},
	{
		module: "scheduled-events", prefix: "mevt",
		validate: func(t *testing.T, opts *terraform.Options, name string) {
			s := must(scheduler.NewFromConfig(awsConfig()).GetSchedule(t.Context(), &scheduler.GetScheduleInput{
				Name: aws.String("nightly-settlement"), GroupName: aws.String(terraform.OutputContext(t, t.Context(), opts, "schedule_group_name"))}))(t)
			if aws.ToString(s.Target.Arn) != terraform.OutputContext(t, t.Context(), opts, "queue_arn") || s.Target.SqsParameters == nil || aws.ToString(s.Target.SqsParameters.MessageGroupId) != "settlement" {
				t.Errorf("schedule target = %+v, want the FIFO queue with message group settlement", s.Target)
			}
		},
	},
	{
		module: "aurora-mysql", prefix: "mdb",
		vars:       func(string) map[string]any { return map[string]any{"cidr_block": randomCIDR()} },
		knownDrift: auroraDrift,
		validate: func(t *testing.T, opts *terraform.Options, name string) {
			client := rds.NewFromConfig(awsConfig())
			clusters := must(client.DescribeDBClusters(t.Context(), &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(name)}))(t)
			if len(clusters.DBClusters) != 1 {
				t.Fatalf("clusters named %s = %d, want 1", name, len(clusters.DBClusters))
			}
			c := clusters.DBClusters[0]
			if !aws.ToBool(c.StorageEncrypted) || c.MasterUserSecret == nil || aws.ToInt32(c.BackupRetentionPeriod) != 14 {
				t.Errorf("cluster: encrypted %v, managed secret %+v, backups %d", aws.ToBool(c.StorageEncrypted), c.MasterUserSecret, aws.ToInt32(c.BackupRetentionPeriod))
			}
			proxies := must(client.DescribeDBProxies(t.Context(), &rds.DescribeDBProxiesInput{DBProxyName: aws.String(name)}))(t)
			if len(proxies.DBProxies) != 1 {
				t.Fatalf("proxies named %s = %d, want 1", name, len(proxies.DBProxies))
			}
			if p := proxies.DBProxies[0]; !aws.ToBool(p.RequireTLS) || len(p.Auth) == 0 || p.Auth[0].AuthScheme != "SECRETS" {
				t.Errorf("proxy: TLS %v, auth %+v", aws.ToBool(p.RequireTLS), p.Auth)
			}
			records := must(route53.NewFromConfig(awsConfig()).ListResourceRecordSets(t.Context(), &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(terraform.OutputContext(t, t.Context(), opts, "private_zone_id"))}))(t)
			found := false
			for _, r := range records.ResourceRecordSets {
				if r.Type == "CNAME" && strings.HasPrefix(aws.ToString(r.Name), "database.") && len(r.ResourceRecords) == 1 && aws.ToString(r.ResourceRecords[0].Value) == terraform.OutputContext(t, t.Context(), opts, "proxy_endpoint") {
					found = true
				}
			}
			if !found {
				t.Errorf("no database CNAME to the proxy in %+v", records.ResourceRecordSets)
			}
		},
	},
	{
		module: "valkey", prefix: "mval", skip: "ElastiCache Serverless is not implemented (CreateServerlessCache)",
		vars: func(string) map[string]any { return map[string]any{"cidr_block": randomCIDR()} },
	},
	{
		module: "dynamodb", prefix: "mddb",
		validate: func(t *testing.T, opts *terraform.Options, name string) {
			client := dynamodb.NewFromConfig(awsConfig())
			for _, table := range []string{"Ec_Product", "Ec_Order", "Outbox_Ec_Order"} {
				full := name + "-" + table
				d := must(client.DescribeTable(t.Context(), &dynamodb.DescribeTableInput{TableName: aws.String(full)}))(t).Table
				if d.BillingModeSummary == nil || d.BillingModeSummary.BillingMode != "PAY_PER_REQUEST" || d.SSEDescription == nil || d.SSEDescription.SSEType != "KMS" {
					t.Errorf("%s: billing %+v, SSE %+v", full, d.BillingModeSummary, d.SSEDescription)
				}
				backups := must(client.DescribeContinuousBackups(t.Context(), &dynamodb.DescribeContinuousBackupsInput{TableName: aws.String(full)}))(t)
				if d := backups.ContinuousBackupsDescription; d == nil || d.PointInTimeRecoveryDescription == nil || d.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus != "ENABLED" {
					t.Errorf("%s: point-in-time recovery off", full)
				}
				streaming := d.StreamSpecification != nil && aws.ToBool(d.StreamSpecification.StreamEnabled)
				if streaming != (table == "Outbox_Ec_Order") {
					t.Errorf("%s: stream enabled = %v", full, streaming)
				}
			}
		},
	},
	{
		module: "private-assets", prefix: "mpa",
		// moto cannot delete a CloudFront key group (DeleteKeyGroup answers 500).
		vars:       func(string) map[string]any { return map[string]any{"signed_urls": !onMoto()} },
		knownDrift: privateAssetsDrift,
		validate: func(t *testing.T, opts *terraform.Options, name string) {
			cfg := awsConfig()
			bucket := aws.String(terraform.OutputContext(t, t.Context(), opts, "bucket_name"))
			client := s3.NewFromConfig(cfg)
			pab := must(client.GetPublicAccessBlock(t.Context(), &s3.GetPublicAccessBlockInput{Bucket: bucket}))(t).PublicAccessBlockConfiguration
			if !aws.ToBool(pab.BlockPublicAcls) || !aws.ToBool(pab.BlockPublicPolicy) || !aws.ToBool(pab.IgnorePublicAcls) || !aws.ToBool(pab.RestrictPublicBuckets) {
				t.Errorf("public access block = %+v", pab)
			}
			enc := must(client.GetBucketEncryption(t.Context(), &s3.GetBucketEncryptionInput{Bucket: bucket}))(t)
			if enc.ServerSideEncryptionConfiguration == nil || len(enc.ServerSideEncryptionConfiguration.Rules) != 1 || enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault == nil {
				t.Fatalf("bucket encryption = %+v, want one default rule", enc.ServerSideEncryptionConfiguration)
			}
			if rule := enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault; rule.SSEAlgorithm != "aws:kms" || aws.ToString(rule.KMSMasterKeyID) != terraform.OutputContext(t, t.Context(), opts, "kms_key_arn") {
				t.Errorf("bucket encryption = %+v", rule)
			}
			policy := aws.ToString(must(client.GetBucketPolicy(t.Context(), &s3.GetBucketPolicyInput{Bucket: bucket}))(t).Policy)
			if !strings.Contains(policy, "cloudfront.amazonaws.com") || !strings.Contains(policy, "aws:SecureTransport") {
				t.Errorf("bucket policy admits no distribution or allows plain HTTP: %s", policy)
			}
			dist := must(cloudfront.NewFromConfig(cfg).GetDistribution(t.Context(), &cloudfront.GetDistributionInput{Id: aws.String(terraform.OutputContext(t, t.Context(), opts, "distribution_id"))}))(t).Distribution
			dc := dist.DistributionConfig
			if aws.ToString(dc.WebACLId) != terraform.OutputContext(t, t.Context(), opts, "web_acl_arn") || dc.DefaultCacheBehavior.ViewerProtocolPolicy != "redirect-to-https" || !aws.ToBool(dc.Logging.Enabled) {
				t.Errorf("distribution: web ACL %s, viewer policy %s, logging %v", aws.ToString(dc.WebACLId), dc.DefaultCacheBehavior.ViewerProtocolPolicy, aws.ToBool(dc.Logging.Enabled))
			}
		},
	},
	{
		module: "static-site", prefix: "mst",
		zone:       true,
		knownDrift: staticSiteDrift,
		validate: func(t *testing.T, opts *terraform.Options, name string) {
			cfg := awsConfig()
			dist := must(cloudfront.NewFromConfig(cfg).GetDistribution(t.Context(), &cloudfront.GetDistributionInput{Id: aws.String(terraform.OutputContext(t, t.Context(), opts, "distribution_id"))}))(t).Distribution
			site := "static." + zoneName(name)
			if dc := dist.DistributionConfig; dc.Aliases == nil || len(dc.Aliases.Items) != 1 || dc.Aliases.Items[0] != site || dc.ViewerCertificate.MinimumProtocolVersion != "TLSv1.2_2021" ||
				!strings.Contains(aws.ToString(dc.ViewerCertificate.ACMCertificateArn), ":us-east-1:") {
				t.Errorf("distribution aliases %+v, certificate %+v", dc.Aliases, dc.ViewerCertificate)
			}
			records := must(route53.NewFromConfig(cfg).ListResourceRecordSets(t.Context(), &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(terraform.OutputContext(t, t.Context(), opts, "zone_id"))}))(t)
			aliases := 0
			for _, r := range records.ResourceRecordSets {
				if strings.TrimSuffix(aws.ToString(r.Name), ".") == site && r.AliasTarget != nil && strings.TrimSuffix(aws.ToString(r.AliasTarget.DNSName), ".") == aws.ToString(dist.DomainName) {
					aliases++
				}
			}
			if aliases != 2 {
				t.Errorf("alias records of %s to %s = %d, want A and AAAA", site, aws.ToString(dist.DomainName), aliases)
			}
		},
	},
	{
		module: "ops", prefix: "mops", zone: true,
		vars: func(name string) map[string]any {
			return map[string]any{"cidr_block": randomCIDR()}
		},
		validate: func(t *testing.T, opts *terraform.Options, name string) {
			cfg := awsConfig()
			topic := terraform.OutputContext(t, t.Context(), opts, "alarm_topic_arn")
			attrs := must(sns.NewFromConfig(cfg).GetTopicAttributes(t.Context(), &sns.GetTopicAttributesInput{TopicArn: aws.String(topic)}))(t).Attributes
			if attrs["KmsMasterKeyId"] == "" || !strings.Contains(attrs["Policy"], "cloudwatch.amazonaws.com") {
				t.Errorf("alarm topic: key %q, policy %s", attrs["KmsMasterKeyId"], attrs["Policy"])
			}
			domain := zoneName(name)
			dkim := must(ses.NewFromConfig(cfg).GetIdentityDkimAttributes(t.Context(), &ses.GetIdentityDkimAttributesInput{Identities: []string{domain}}))(t)
			if d, ok := dkim.DkimAttributes[domain]; !ok || !d.DkimEnabled || len(d.DkimTokens) != 3 {
				t.Errorf("DKIM of %s = %+v", domain, dkim.DkimAttributes)
			}
			mailFrom := must(ses.NewFromConfig(cfg).GetIdentityMailFromDomainAttributes(t.Context(), &ses.GetIdentityMailFromDomainAttributesInput{Identities: []string{domain}}))(t)
			if got := aws.ToString(mailFrom.MailFromDomainAttributes[domain].MailFromDomain); got != "mail."+domain {
				t.Errorf("MAIL FROM of %s = %q", domain, got)
			}
		},
	},
}

func otherPublisher(p string) string {
	if p == "pos-web-app" {
		return "backend-outbox"
	}
	return "pos-web-app"
}

// checkTaintedTargetGroupReplaced taints the web service's target group, as
// a create that failed after CreateTargetGroup leaves it, and applies: the
// replacement, create_before_destroy, must be made beside the old group (a
// name unique per region and account:
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html),
// take its place behind the service, and the old group must be gone.
func checkTaintedTargetGroupReplaced(t *testing.T, opts *terraform.Options, cluster string) {
	ctx := t.Context()
	old := terraform.OutputContext(t, ctx, opts, "web_target_group_arn")
	terraform.RunTerraformCommandContext(t, ctx, opts, "taint", "module.web.aws_lb_target_group.this[0]")
	if _, err := terraform.ApplyContextE(t, ctx, opts); err != nil {
		t.Fatalf("the apply that replaces the tainted target group failed: %v", err)
	}
	replacement := terraform.OutputContext(t, ctx, opts, "web_target_group_arn")
	if replacement == old {
		t.Fatalf("target group %s was not replaced", old)
	}
	client := elbv2.NewFromConfig(awsConfig())
	var gone *elbv2types.TargetGroupNotFoundException
	if _, err := client.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{old}}); !errors.As(err, &gone) {
		t.Errorf("the replaced target group %s: %v, want TargetGroupNotFound", old, err)
	}
	services := must(ecs.NewFromConfig(awsConfig()).DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{"pos-web-app"}}))(t)
	if len(services.Services) != 1 || len(services.Services[0].LoadBalancers) != 1 || aws.ToString(services.Services[0].LoadBalancers[0].TargetGroupArn) != replacement {
		t.Errorf("pos-web-app load balancers = %+v, want the replacement %s", services.Services, replacement)
	}
}
