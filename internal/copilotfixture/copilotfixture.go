// Package copilotfixture builds, through aws-sdk-go-v2, what AWS Copilot
// leaves in an account for a worker service: the names CloudFormation gives,
// the copilot-* tags, the per-service queue key, the queue policies, the
// task definition with Copilot's variables and the BacklogPerTask scaling
// policy (as in Copilot's rendered worker template, worker-test.stack.yml).
// Adoption tests build it, adopt it, and check that nothing was recreated.
// Everything made is deleted when the test ends, when still there.
package copilotfixture

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"

	"github.com/calinks/terraform-provider-calinks/internal/sweep"
)

// Copilot's tags on every object of a workload.
const (
	TagApplication = "copilot-application"
	TagEnvironment = "copilot-environment"
	TagService     = "copilot-service"
)

// The settings of every worker queue the fixture makes, none of them the
// defaults of the worker module: an adoption must keep them.
const (
	QueueVisibilityTimeout = "120"
	QueueRetention         = "1209600"
	QueueDelay             = "1"
)

// CloudFormationSuffix is a random physical-name suffix as CloudFormation
// makes them (12 upper-case letters and digits).
func CloudFormationSuffix() string {
	return acctest.RandStringFromCharSet(12, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
}

// Estate is one Copilot environment of one application.
type Estate struct {
	t        testing.TB
	cfg      aws.Config
	App, Env string
	// SweepTag is also set on every object (value of sweep.TagKey), so that
	// the sweeper finds what a crashed run left.
	SweepTag string
	cleanups []func()
	// addonsStack is the environment add-ons' nested stack name, made once.
	addonsStack string
}

// New starts an estate; nothing is made yet. What it makes is deleted by
// Close, or when the test ends.
func New(t testing.TB, cfg aws.Config, app, env, sweepTag string) *Estate {
	e := &Estate{t: t, cfg: cfg, App: app, Env: env, SweepTag: sweepTag}
	t.Cleanup(e.Close)
	return e
}

// Close deletes, newest first, what the estate made and is still there
// (an adoption's destroy has deleted what it took over).
func (e *Estate) Close() {
	for i := len(e.cleanups) - 1; i >= 0; i-- {
		e.cleanups[i]()
	}
	e.cleanups = nil
}

func (e *Estate) cleanup(f func()) { e.cleanups = append(e.cleanups, f) }

func (e *Estate) tags(service string) map[string]string {
	tags := map[string]string{TagApplication: e.App, TagEnvironment: e.Env, sweep.TagKey: e.SweepTag}
	if service != "" {
		tags[TagService] = service
	}
	return tags
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// EnvironmentStack is the name of the environment's CloudFormation stack.
func (e *Estate) EnvironmentStack() string { return e.App + "-" + e.Env }

// Cluster makes the environment's cluster, `<app>-<env>-Cluster-<random>`,
// Container Insights on, as a resource (logical ID Cluster) of the
// environment stack, without a DeletionPolicy, as Copilot renders it.
func (e *Estate) Cluster() string {
	ctx := context.Background()
	name := fmt.Sprintf("%s-%s-Cluster-%s", e.App, e.Env, CloudFormationSuffix())
	var tags []map[string]string
	var stackTags []cfntypes.Tag
	for k, v := range e.tags("") {
		tags = append(tags, map[string]string{"Key": k, "Value": v})
		stackTags = append(stackTags, cfntypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	template := mustJSON(map[string]any{"Resources": map[string]any{"Cluster": map[string]any{"Type": "AWS::ECS::Cluster", "Properties": map[string]any{
		"ClusterName": name, "ClusterSettings": []map[string]string{{"Name": "containerInsights", "Value": "enabled"}}, "Tags": tags}}}})
	client := cloudformation.NewFromConfig(e.cfg)
	_, err := client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(e.EnvironmentStack()), TemplateBody: aws.String(template), Tags: stackTags})
	must(e.t, err)
	must(e.t, cloudformation.NewStackCreateCompleteWaiter(client).Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(e.EnvironmentStack())}, 5*time.Minute))
	// The same tags and settings again, through ECS: moto 5.2.1's
	// CloudFormation leaves a cluster's tags and settings unset (and its
	// tagging API then fails on every call).
	ecsClient := ecs.NewFromConfig(e.cfg)
	cluster, err := ecsClient.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{name}})
	must(e.t, err)
	_, err = ecsClient.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: cluster.Clusters[0].ClusterArn, Tags: ecsTags(e.tags(""))})
	must(e.t, err)
	_, err = ecsClient.UpdateCluster(ctx, &ecs.UpdateClusterInput{Cluster: aws.String(name),
		Settings: []ecstypes.ClusterSetting{{Name: ecstypes.ClusterSettingNameContainerInsights, Value: aws.String("enabled")}}})
	must(e.t, err)
	e.cleanup(func() {
		_, _ = ecsClient.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String(name)})
		_, _ = client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(e.EnvironmentStack())})
	})
	return name
}

// LoadBalancer makes the environment's internet-facing load balancer (Copilot's
// `PublicLoadBalancer`) in the public subnets; it returns its DNS name and
// hosted zone, where the web hostnames' alias records point.
func (e *Estate) LoadBalancer(publicSubnetIDs []string) (dnsName, zoneID string) {
	ctx := context.Background()
	client := elasticloadbalancingv2.NewFromConfig(e.cfg)
	var tags []elbtypes.Tag
	for k, v := range e.tags("") {
		tags = append(tags, elbtypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	// CloudFormation's generated name, cut to the 32 characters a load balancer may have.
	name := (e.App + "-Publi-" + CloudFormationSuffix())
	if len(name) > 32 {
		name = name[len(name)-32:]
	}
	out, err := client.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String(strings.Trim(name, "-")), Subnets: publicSubnetIDs,
		Scheme: elbtypes.LoadBalancerSchemeEnumInternetFacing, Type: elbtypes.LoadBalancerTypeEnumApplication, Tags: tags})
	must(e.t, err)
	lb := out.LoadBalancers[0]
	e.cleanup(func() {
		_, _ = client.DeleteLoadBalancer(ctx, &elasticloadbalancingv2.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn})
	})
	return aws.ToString(lb.DNSName), aws.ToString(lb.CanonicalHostedZoneId)
}

// Topic makes a publisher's FIFO topic, `<app>-<env>-<publisher>-<topic>.fifo`,
// under the AWS managed key alias/aws/sns, as Copilot does.
func (e *Estate) Topic(publisher, topic string) string {
	ctx := context.Background()
	client := sns.NewFromConfig(e.cfg)
	var tags []snstypes.Tag
	for k, v := range e.tags(publisher) {
		tags = append(tags, snstypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	out, err := client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(fmt.Sprintf("%s-%s-%s-%s.fifo", e.App, e.Env, publisher, topic)),
		Attributes: map[string]string{"FifoTopic": "true", "KmsMasterKeyId": "alias/aws/sns"}, Tags: tags})
	must(e.t, err)
	arn := aws.ToString(out.TopicArn)
	e.cleanup(func() { _, _ = client.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(arn)}) })
	return arn
}

// WorkerSpec is one Copilot worker service's manifest, as far as adoption cares.
type WorkerSpec struct {
	Name            string
	Cluster         string
	SubnetID        string
	SecurityGroup   string
	Image           string
	TopicARNs       []string
	DeadLetterTries int32 // 0: no dead-letter queue (manifest without dead_letter.tries)
	Sidecar         bool  // a second container in the task definition
	Autoscaling     bool  // the BacklogPerTask target tracking policy
	RollbackAlarm   bool  // deployment.rollback_alarms.cpu_utilization in the manifest
}

// Worker is what Copilot made for a WorkerSpec.
type Worker struct {
	QueueName, QueueURL, QueueARN string
	DeadLetterQueueName           string // empty without dead_letter.tries
	KeyARN                        string
	TaskRoleARN                   string
	ServiceName, ServiceARN       string
	TaskDefinitionARN             string
	LogGroupName                  string
	ScalingPolicyName             string            // empty without autoscaling
	RollbackAlarmName             string            // empty without rollback alarms
	SubscriptionARNs              map[string]string // by topic ARN
}

// Worker makes a worker service and everything Copilot gives it.
func (e *Estate) Worker(spec WorkerSpec) Worker {
	ctx := context.Background()
	t := e.t
	tags := e.tags(spec.Name)
	prefix := fmt.Sprintf("%s-%s-%s", e.App, e.Env, spec.Name)
	var w Worker

	iamClient := iam.NewFromConfig(e.cfg)
	w.TaskRoleARN = e.role(iamClient, prefix+"-TaskRole-"+CloudFormationSuffix(), tags)
	executionRoleARN := e.role(iamClient, prefix+"-ExecutionRole-"+CloudFormationSuffix(), tags)

	// EventsKMSKey: the account administers, SNS and SQS encrypt, the task role decrypts.
	kmsClient := kms.NewFromConfig(e.cfg)
	account := arnAccount(w.TaskRoleARN)
	keyPolicy := mustJSON(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
		{"Sid": "Allow key use", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::" + account + ":root"},
			"Action": []string{"kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*",
				"kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:Tag*", "kms:UntagResource",
				"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"}, "Resource": "*"},
		{"Sid": "Allow SNS encryption", "Effect": "Allow", "Principal": map[string]any{"Service": "sns.amazonaws.com"},
			"Action": []string{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*"},
		{"Sid": "Allow SQS encryption", "Effect": "Allow", "Principal": map[string]any{"Service": "sqs.amazonaws.com"},
			"Action": []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"}, "Resource": "*"},
		{"Sid": "Allow task role encrypt/decrypt", "Effect": "Allow", "Principal": map[string]any{"AWS": w.TaskRoleARN},
			"Action": []string{"kms:Encrypt", "kms:Decrypt"}, "Resource": "*"},
	}})
	var keyTags []kmstypes.Tag
	for k, v := range tags {
		keyTags = append(keyTags, kmstypes.Tag{TagKey: aws.String(k), TagValue: aws.String(v)})
	}
	key, err := kmsClient.CreateKey(ctx, &kms.CreateKeyInput{Policy: aws.String(keyPolicy), Tags: keyTags, Description: aws.String("A KMS key to encrypt messages in your queues")})
	must(t, err)
	w.KeyARN = aws.ToString(key.KeyMetadata.Arn)
	keyID := aws.ToString(key.KeyMetadata.KeyId) // moto 5.2.1 schedules by ID only
	e.cleanup(func() {
		if _, err := kmsClient.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(keyID), PendingWindowInDays: aws.Int32(7)}); err != nil {
			t.Logf("scheduling the deletion of %s: %v", w.KeyARN, err)
		}
	})

	sqsClient := sqs.NewFromConfig(e.cfg)
	// As Copilot's manifests may set them (queue.timeout, retention, delay), and
	// the key by ID, as CloudFormation's !Ref gives it.
	queueAttrs := map[string]string{"FifoQueue": "true", "KmsMasterKeyId": keyID, "VisibilityTimeout": QueueVisibilityTimeout,
		"MessageRetentionPeriod": QueueRetention, "DelaySeconds": QueueDelay}
	if spec.DeadLetterTries > 0 {
		w.DeadLetterQueueName = prefix + "-DeadLetterQueue-" + CloudFormationSuffix() + ".fifo"
		dlqURL := e.queue(sqsClient, w.DeadLetterQueueName, map[string]string{"FifoQueue": "true", "KmsMasterKeyId": keyID, "MessageRetentionPeriod": "1209600"}, tags)
		dlqARN := queueARN(t, sqsClient, dlqURL)
		sqsSetPolicy(t, sqsClient, dlqURL, consumerOnlyPolicy(dlqARN, w.TaskRoleARN, nil))
		queueAttrs["RedrivePolicy"] = mustJSON(map[string]any{"deadLetterTargetArn": dlqARN, "maxReceiveCount": spec.DeadLetterTries})
	}
	w.QueueName = prefix + "-EventsQueue-" + CloudFormationSuffix() + ".fifo"
	w.QueueURL = e.queue(sqsClient, w.QueueName, queueAttrs, tags)
	w.QueueARN = queueARN(t, sqsClient, w.QueueURL)
	sqsSetPolicy(t, sqsClient, w.QueueURL, consumerOnlyPolicy(w.QueueARN, w.TaskRoleARN, spec.TopicARNs))

	snsClient := sns.NewFromConfig(e.cfg)
	w.SubscriptionARNs = map[string]string{}
	for _, topic := range spec.TopicARNs {
		out, err := snsClient.Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(topic), Protocol: aws.String("sqs"), Endpoint: aws.String(w.QueueARN), ReturnSubscriptionArn: true})
		must(t, err)
		arn := aws.ToString(out.SubscriptionArn)
		w.SubscriptionARNs[topic] = arn
		e.cleanup(func() { _, _ = snsClient.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: aws.String(arn)}) })
	}

	w.LogGroupName = e.LogGroup(spec.Name)

	w.TaskDefinitionARN, w.ServiceName, w.ServiceARN = e.service(serviceSpec{name: spec.Name, cluster: spec.Cluster, subnetID: spec.SubnetID,
		securityGroup: spec.SecurityGroup, image: spec.Image, sidecar: spec.Sidecar, taskRoleARN: w.TaskRoleARN, executionRoleARN: executionRoleARN,
		logGroup: w.LogGroupName, environment: map[string]string{"COPILOT_QUEUE_URI": w.QueueURL}})

	if spec.Autoscaling {
		w.ScalingPolicyName = e.backlogScaling(spec, w)
	}
	if spec.RollbackAlarm {
		w.RollbackAlarmName = e.rollbackAlarm(spec, w)
	}
	return w
}

// serviceSpec is what a Copilot service's stack gives its ECS service.
type serviceSpec struct {
	name, cluster, subnetID, securityGroup, image string
	sidecar                                       bool
	taskRoleARN, executionRoleARN, logGroup       string
	environment                                   map[string]string // besides the variables every Copilot service gets
}

// service registers the task definition `<app>-<env>-<svc>` (container named
// after the service, Copilot's variables, logs to /copilot/... with prefix
// copilot) and starts `<app>-<env>-<svc>-Service-<random>` on it.
func (e *Estate) service(spec serviceSpec) (taskDefinitionARN, serviceName, serviceARN string) {
	ctx := context.Background()
	t := e.t
	prefix := fmt.Sprintf("%s-%s-%s", e.App, e.Env, spec.name)
	tags := e.tags(spec.name)
	env := map[string]string{
		"COPILOT_APPLICATION_NAME":           e.App,
		"COPILOT_ENVIRONMENT_NAME":           e.Env,
		"COPILOT_SERVICE_NAME":               spec.name,
		"COPILOT_SERVICE_DISCOVERY_ENDPOINT": e.Env + "." + e.App + ".local",
	}
	for k, v := range spec.environment {
		env[k] = v
	}
	container := ecstypes.ContainerDefinition{Name: aws.String(spec.name), Image: aws.String(spec.image), Essential: aws.Bool(true), Environment: keyValues(env)}
	if spec.logGroup != "" {
		container.LogConfiguration = &ecstypes.LogConfiguration{LogDriver: ecstypes.LogDriverAwslogs, Options: map[string]string{
			"awslogs-region": e.cfg.Region, "awslogs-group": spec.logGroup, "awslogs-stream-prefix": "copilot"}}
	}
	containers := []ecstypes.ContainerDefinition{container}
	if spec.sidecar {
		containers = append(containers, ecstypes.ContainerDefinition{Name: aws.String("datadog"), Image: aws.String("public.ecr.aws/datadog/agent:7"), Essential: aws.Bool(false)})
	}
	ecsClient := ecs.NewFromConfig(e.cfg)
	td, err := ecsClient.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String(prefix), ContainerDefinitions: containers, Cpu: aws.String("256"), Memory: aws.String("512"),
		NetworkMode: ecstypes.NetworkModeAwsvpc, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
		TaskRoleArn: aws.String(spec.taskRoleARN), ExecutionRoleArn: aws.String(spec.executionRoleARN), Tags: ecsTags(tags),
	})
	must(t, err)
	taskDefinitionARN = aws.ToString(td.TaskDefinition.TaskDefinitionArn)
	e.cleanup(func() {
		_, _ = ecsClient.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(taskDefinitionARN)})
	})
	serviceName = prefix + "-Service-" + CloudFormationSuffix()
	svc, err := ecsClient.CreateService(ctx, &ecs.CreateServiceInput{
		Cluster: aws.String(spec.cluster), ServiceName: aws.String(serviceName), TaskDefinition: aws.String(taskDefinitionARN),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate, PlatformVersion: aws.String("LATEST"),
		PropagateTags: ecstypes.PropagateTagsService, Tags: ecsTags(tags),
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
			Subnets: []string{spec.subnetID}, SecurityGroups: []string{spec.securityGroup}, AssignPublicIp: ecstypes.AssignPublicIpDisabled}},
	})
	must(t, err)
	e.cleanup(func() {
		_, _ = ecsClient.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String(spec.cluster), Service: aws.String(serviceName), Force: aws.Bool(true)})
	})
	return taskDefinitionARN, serviceName, aws.ToString(svc.Service.ServiceArn)
}

// Publisher makes a Copilot service that publishes to topics (a web service
// here): its roles, and a service whose COPILOT_SNS_TOPIC_ARNS keys FIFO
// topics as Copilot does, `<topic>.fifo`. It returns the task role ARN.
func (e *Estate) Publisher(name, cluster, subnetID, securityGroup string, topicARNs map[string]string) string {
	tags := e.tags(name)
	prefix := fmt.Sprintf("%s-%s-%s", e.App, e.Env, name)
	iamClient := iam.NewFromConfig(e.cfg)
	taskRole := e.role(iamClient, prefix+"-TaskRole-"+CloudFormationSuffix(), tags)
	executionRole := e.role(iamClient, prefix+"-ExecutionRole-"+CloudFormationSuffix(), tags)
	byName := map[string]string{}
	for topic, arn := range topicARNs {
		byName[topic+".fifo"] = arn
	}
	e.service(serviceSpec{name: name, cluster: cluster, subnetID: subnetID, securityGroup: securityGroup, image: "public.ecr.aws/docker/library/busybox:1",
		taskRoleARN: taskRole, executionRoleARN: executionRole, logGroup: e.LogGroup(name), environment: map[string]string{"COPILOT_SNS_TOPIC_ARNS": mustJSON(byName)}})
	return taskRole
}

// LogGroup makes the log group Copilot makes for every service and job,
// `/copilot/<app>-<env>-<name>`, and returns its name.
func (e *Estate) LogGroup(name string) string {
	ctx := context.Background()
	client := cloudwatchlogs.NewFromConfig(e.cfg)
	group := fmt.Sprintf("/copilot/%s-%s-%s", e.App, e.Env, name)
	_, err := client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group), Tags: e.tags(name)})
	must(e.t, err)
	e.cleanup(func() {
		_, _ = client.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String(group)})
	})
	return group
}

// backlogScaling registers Copilot's scalable target and its BacklogPerTask
// policy, tracking the metric Copilot's Lambda publishes.
func (e *Estate) backlogScaling(spec WorkerSpec, w Worker) string {
	ctx := context.Background()
	client := applicationautoscaling.NewFromConfig(e.cfg)
	resourceID := fmt.Sprintf("service/%s/%s", spec.Cluster, w.ServiceName)
	_, err := client.RegisterScalableTarget(ctx, &applicationautoscaling.RegisterScalableTargetInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String(resourceID),
		ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount, MinCapacity: aws.Int32(1), MaxCapacity: aws.Int32(10),
	})
	must(e.t, err)
	name := fmt.Sprintf("%s-BacklogPerTask-%s", spec.Name, w.QueueName)
	_, err = client.PutScalingPolicy(ctx, &applicationautoscaling.PutScalingPolicyInput{
		PolicyName: aws.String(name), ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String(resourceID),
		ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount, PolicyType: aastypes.PolicyTypeTargetTrackingScaling,
		TargetTrackingScalingPolicyConfiguration: &aastypes.TargetTrackingScalingPolicyConfiguration{
			TargetValue: aws.Float64(900), ScaleInCooldown: aws.Int32(120), ScaleOutCooldown: aws.Int32(60),
			CustomizedMetricSpecification: &aastypes.CustomizedMetricSpecification{
				Namespace: aws.String(fmt.Sprintf("%s-%s-%s", e.App, e.Env, spec.Name)), MetricName: aws.String("BacklogPerTask"),
				Statistic: aastypes.MetricStatisticAverage, Unit: aws.String("Count"),
				Dimensions: []aastypes.MetricDimension{{Name: aws.String("QueueName"), Value: aws.String(w.QueueName)}},
			},
		},
	})
	must(e.t, err)
	e.cleanup(func() {
		_, _ = client.DeregisterScalableTarget(ctx, &applicationautoscaling.DeregisterScalableTargetInput{ServiceNamespace: aastypes.ServiceNamespaceEcs,
			ResourceId: aws.String(resourceID), ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount})
	})
	return name
}

// rollbackAlarm makes the CPU alarm Copilot's CPURollbackAlarm renders for a
// manifest's deployment.rollback_alarms (`<app>-<env>-<svc>-CopilotRollbackCPUAlarm`,
// on the service's CPUUtilization), with the stack's tags.
func (e *Estate) rollbackAlarm(spec WorkerSpec, w Worker) string {
	ctx := context.Background()
	client := cloudwatch.NewFromConfig(e.cfg)
	name := fmt.Sprintf("%s-%s-%s-CopilotRollbackCPUAlarm", e.App, e.Env, spec.Name)
	var tags []cwtypes.Tag
	for k, v := range e.tags(spec.Name) {
		tags = append(tags, cwtypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	// First: a put whose answer is lost has still made the alarm.
	e.cleanup(func() { _, _ = client.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{name}}) })
	_, err := client.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
		AlarmName: aws.String(name), Namespace: aws.String("AWS/ECS"), MetricName: aws.String("CPUUtilization"),
		Dimensions: []cwtypes.Dimension{{Name: aws.String("ClusterName"), Value: aws.String(spec.Cluster)}, {Name: aws.String("ServiceName"), Value: aws.String(w.ServiceName)}},
		Statistic:  cwtypes.StatisticAverage, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(2), DatapointsToAlarm: aws.Int32(2),
		Threshold: aws.Float64(70), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanOrEqualToThreshold, Tags: tags,
	})
	must(e.t, err)
	return name
}

func (e *Estate) role(client *iam.Client, name string, tags map[string]string) string {
	ctx := context.Background()
	var iamTags []iamtypes.Tag
	for k, v := range tags {
		iamTags = append(iamTags, iamtypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	out, err := client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), Tags: iamTags,
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	e.cleanup(func() { _, _ = client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(name)}) })
	// The name is new (a random suffix): an existing role is this call's own,
	// made by an attempt whose answer the endpoint dropped before the SDK retried.
	if errors.As(err, new(*iamtypes.EntityAlreadyExistsException)) {
		got, getErr := client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
		must(e.t, getErr)
		return aws.ToString(got.Role.Arn)
	}
	must(e.t, err)
	return aws.ToString(out.Role.Arn)
}

func (e *Estate) queue(client *sqs.Client, name string, attrs, tags map[string]string) string {
	ctx := context.Background()
	out, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs, Tags: tags})
	must(e.t, err)
	url := aws.ToString(out.QueueUrl)
	e.cleanup(func() { _, _ = client.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(url)}) })
	return url
}

// consumerOnlyPolicy is Copilot's queue policy: the task role receives and
// deletes (no ChangeMessageVisibility), SNS sends from the subscribed topics.
func consumerOnlyPolicy(queueARN, taskRoleARN string, topicARNs []string) string {
	statements := []map[string]any{{"Effect": "Allow", "Principal": map[string]any{"AWS": []string{taskRoleARN}},
		"Action": []string{"sqs:ReceiveMessage", "sqs:DeleteMessage"}, "Resource": queueARN}}
	for _, topic := range topicARNs {
		statements = append(statements, map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "sns.amazonaws.com"},
			"Action": []string{"sqs:SendMessage"}, "Resource": queueARN, "Condition": map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": topic}}})
	}
	return mustJSON(map[string]any{"Version": "2012-10-17", "Statement": statements})
}

func sqsSetPolicy(t testing.TB, client *sqs.Client, url, policy string) {
	_, err := client.SetQueueAttributes(context.Background(), &sqs.SetQueueAttributesInput{QueueUrl: aws.String(url), Attributes: map[string]string{"Policy": policy}})
	must(t, err)
}

func queueARN(t testing.TB, client *sqs.Client, url string) string {
	out, err := client.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	must(t, err)
	return out.Attributes["QueueArn"]
}

func ecsTags(tags map[string]string) []ecstypes.Tag {
	var out []ecstypes.Tag
	for k, v := range tags {
		out = append(out, ecstypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	return out
}

func keyValues(m map[string]string) []ecstypes.KeyValuePair {
	var out []ecstypes.KeyValuePair
	for k, v := range m {
		out = append(out, ecstypes.KeyValuePair{Name: aws.String(k), Value: aws.String(v)})
	}
	return out
}

// arnAccount is the account field of an ARN.
func arnAccount(arn string) string {
	if parts := strings.Split(arn, ":"); len(parts) > 4 {
		return parts[4]
	}
	return ""
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // maps of strings always marshal
	}
	return string(b)
}
