package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

func pipelineAttrs(s *terraform.State) (map[string]string, error) {
	rs, ok := s.RootModule().Resources[testAccResource]
	if !ok {
		return nil, fmt.Errorf("%s not in state", testAccResource)
	}
	return rs.Primary.Attributes, nil
}

func queueAttributes(f accFixture, url string) (map[string]string, error) {
	out, err := f.Clients.SQS.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
	if err != nil {
		return nil, err
	}
	return out.Attributes, nil
}

// workerQueue returns the pipeline's state attributes and its queue's
// attributes as SQS reports them.
func workerQueue(f accFixture, s *terraform.State) (state, queue map[string]string, err error) {
	if state, err = pipelineAttrs(s); err != nil {
		return nil, nil, err
	}
	queue, err = queueAttributes(f, state["queue_url"])
	return state, queue, err
}

// testAccCheckQueues compares attributes of the worker queue and its DLQ as
// SQS reports them, and the redrive policy's receive count.
func testAccCheckQueues(f accFixture, main, dlq map[string]string, maxReceiveCount int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs, got, err := workerQueue(f, s)
		if err != nil {
			return err
		}
		for k, want := range main {
			if got[k] != want {
				return fmt.Errorf("queue %s = %q, want %q", k, got[k], want)
			}
		}
		var rp redrivePolicy
		if err := json.Unmarshal([]byte(got["RedrivePolicy"]), &rp); err != nil {
			return fmt.Errorf("queue RedrivePolicy %q: %w", got["RedrivePolicy"], err)
		}
		gotDLQ, err := queueAttributes(f, attrs["dead_letter_queue_url"])
		if err != nil {
			return err
		}
		// The dead-letter queue is named after the worker queue, "-dlq" before any ".fifo".
		wantDLQ := strings.TrimSuffix(got["QueueArn"], ".fifo") + "-dlq"
		if strings.HasSuffix(got["QueueArn"], ".fifo") {
			wantDLQ += ".fifo"
		}
		if gotDLQ["QueueArn"] != wantDLQ || rp.DeadLetterTargetARN != wantDLQ || rp.MaxReceiveCount != int64(maxReceiveCount) {
			return fmt.Errorf("RedrivePolicy = %+v to the dead-letter queue %s, want %s after %d receives", rp, gotDLQ["QueueArn"], wantDLQ, maxReceiveCount)
		}
		for k, want := range dlq {
			if gotDLQ[k] != want {
				return fmt.Errorf("dead-letter queue %s = %q, want %q", k, gotDLQ[k], want)
			}
		}
		return nil
	}
}

// testAccCheckQueuePolicy checks the stored policy against the one the
// inputs build, and that SNS may send only from the given topics.
func testAccCheckQueuePolicy(f accFixture, topics []string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs, got, err := workerQueue(f, s)
		if err != nil {
			return err
		}
		want := literalQueuePolicy(attrs["queue_arn"], topics, f.TaskRoleARN)
		if !policiesEquivalent(got["Policy"], want) {
			return fmt.Errorf("queue policy\n%s\nwant\n%s", got["Policy"], want)
		}
		if !strings.Contains(got["Policy"], "sqs:ChangeMessageVisibility") || !strings.Contains(got["Policy"], "aws:SecureTransport") {
			return fmt.Errorf("queue policy lacks ChangeMessageVisibility or the TLS deny: %s", got["Policy"])
		}
		return nil
	}
}

func testAccCheckPolicyStatement(f accFixture, sid, principal string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		_, got, err := workerQueue(f, s)
		if err != nil {
			return err
		}
		if !strings.Contains(got["Policy"], sid) || !strings.Contains(got["Policy"], principal) {
			return fmt.Errorf("queue policy has no %s statement for %s: %s", sid, principal, got["Policy"])
		}
		return nil
	}
}

// testAccCheckService checks the service's count, network and the image and
// Copilot variables of the task definition it runs.
func testAccCheckService(f accFixture, desired int32, image string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs, err := pipelineAttrs(s)
		if err != nil {
			return err
		}
		ctx := context.Background()
		svc, found, err := findService(ctx, f.Clients.ECS, attrs["cluster"], attrs["service_name"])
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("service %s not found", attrs["service_name"])
		}
		if svc.DesiredCount != desired {
			return fmt.Errorf("desiredCount = %d, want %d", svc.DesiredCount, desired)
		}
		vpc := svc.NetworkConfiguration.AwsvpcConfiguration
		if vpc.AssignPublicIp != ecstypes.AssignPublicIpDisabled || len(vpc.Subnets) != 1 || vpc.Subnets[0] != f.SubnetID {
			return fmt.Errorf("network configuration = %+v", vpc)
		}
		// moto 5.2.1 does not report deploymentConfiguration; AWS does.
		if dc := svc.DeploymentConfiguration; (dc != nil || os.Getenv("AWS_ENDPOINT_URL") == "") &&
			(dc == nil || dc.DeploymentCircuitBreaker == nil || !dc.DeploymentCircuitBreaker.Rollback) {
			return fmt.Errorf("deployment circuit breaker with rollback not set: %+v", dc)
		}
		td, err := findTaskDefinition(ctx, f.Clients.ECS, aws.ToString(svc.TaskDefinition))
		if err != nil {
			return err
		}
		c := td.ContainerDefinitions[0]
		if aws.ToString(c.Image) != image {
			return fmt.Errorf("image = %q, want %q", aws.ToString(c.Image), image)
		}
		if attrs["task_definition_ownership"] == ownershipExternal {
			return nil
		}
		env := map[string]string{}
		for _, kv := range c.Environment {
			env[aws.ToString(kv.Name)] = aws.ToString(kv.Value)
		}
		if env[envQueueURI] != attrs["queue_url"] || env[envServiceName] != "worker-item" || env[envApplicationName] != "calinks" {
			return fmt.Errorf("Copilot variables in the container = %v", env)
		}
		return nil
	}
}

func testAccCheckOnlyLatestRevisionActive(f accFixture) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		out, err := f.Clients.ECS.ListTaskDefinitions(context.Background(), &ecs.ListTaskDefinitionsInput{
			FamilyPrefix: aws.String("calinks-acc" + f.Suffix + "-worker-item"), Status: ecstypes.TaskDefinitionStatusActive})
		if err != nil {
			return err
		}
		if len(out.TaskDefinitionArns) != 1 {
			return fmt.Errorf("active revisions = %v, want only the one in use", out.TaskDefinitionArns)
		}
		return nil
	}
}

func testAccCheckSubscription(f accFixture, key string, want map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs, err := pipelineAttrs(s)
		if err != nil {
			return err
		}
		arn := attrs["subscription_arns."+key]
		got, found, err := findSubscriptionAttributes(context.Background(), f.Clients.SNS, arn)
		if err != nil || !found {
			return fmt.Errorf("subscription %s (%s) not found: %w", key, arn, err)
		}
		for k, v := range want {
			if k == subAttrFilterPolicy && policiesEquivalent(got[k], v) {
				continue
			}
			if got[k] != v {
				return fmt.Errorf("subscription %s %s = %q, want %q", key, k, got[k], v)
			}
		}
		return nil
	}
}

func testAccCheckTopicSubscriptionCount(f accFixture, topicARN string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := f.Clients.SNS.ListSubscriptionsByTopic(context.Background(), &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topicARN)})
		if err != nil {
			return err
		}
		if len(out.Subscriptions) != want {
			return fmt.Errorf("topic %s has %d subscriptions, want %d", topicARN, len(out.Subscriptions), want)
		}
		return nil
	}
}

// testAccCheckEnvelopeDelivery publishes to the FIFO topic and checks that
// the queue receives the SNS envelope (no raw delivery) with the message
// group ID and deduplication ID kept.
func testAccCheckEnvelopeDelivery(f accFixture, topicARN string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs, err := pipelineAttrs(s)
		if err != nil {
			return err
		}
		ctx := context.Background()
		body := fmt.Sprintf(`{"event":"item.updated","topic":%q}`, topicName(topicARN))
		dedup := fmt.Sprintf("dedup-%s-%d", f.Suffix, len(topicARN))
		_, err = f.Clients.SNS.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String(body),
			MessageGroupId: aws.String("store-42"), MessageDeduplicationId: aws.String(dedup)})
		if err != nil {
			return err
		}
		out, err := f.Clients.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(attrs["queue_url"]), MaxNumberOfMessages: 10,
			WaitTimeSeconds: 2, MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameAll}})
		if err != nil {
			return err
		}
		for _, m := range out.Messages {
			var envelope struct{ Type, TopicArn, Message string }
			if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &envelope); err != nil || envelope.Message != body {
				continue
			}
			_, _ = f.Clients.SQS.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(attrs["queue_url"]), ReceiptHandle: m.ReceiptHandle})
			if envelope.Type != "Notification" || envelope.TopicArn != topicARN {
				return fmt.Errorf("envelope = %+v, want a Notification from %s", envelope, topicARN)
			}
			if g := m.Attributes[string(sqstypes.MessageSystemAttributeNameMessageGroupId)]; g != "store-42" {
				return fmt.Errorf("MessageGroupId = %q, want store-42", g)
			}
			if d := m.Attributes[string(sqstypes.MessageSystemAttributeNameMessageDeduplicationId)]; d != dedup {
				return fmt.Errorf("MessageDeduplicationId = %q, want %s", d, dedup)
			}
			return nil
		}
		return fmt.Errorf("no SNS envelope carrying %s arrived in %s (got %d messages)", body, attrs["queue_url"], len(out.Messages))
	}
}

func testAccDeleteServiceOutOfBand(f accFixture) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, err := f.Clients.ECS.DeleteService(context.Background(), &ecs.DeleteServiceInput{Cluster: aws.String(f.Cluster), Service: aws.String("worker-item"), Force: aws.Bool(true)})
		return err
	}
}

// onWorkerQueue runs fn on the worker queue whose URL state records.
func onWorkerQueue(fn func(ctx context.Context, url *string) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs, err := pipelineAttrs(s)
		if err != nil {
			return err
		}
		return fn(context.Background(), aws.String(attrs["queue_url"]))
	}
}

func testAccDeleteQueueOutOfBand(f accFixture) resource.TestCheckFunc {
	return onWorkerQueue(func(ctx context.Context, url *string) error {
		_, err := f.Clients.SQS.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: url})
		return err
	})
}

// testAccChangeQueueOutOfBand changes a setting and wipes the policy, as a
// console user might.
func testAccChangeQueueOutOfBand(f accFixture) resource.TestCheckFunc {
	return onWorkerQueue(func(ctx context.Context, url *string) error {
		_, err := f.Clients.SQS.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: url,
			Attributes: map[string]string{"VisibilityTimeout": "999", "Policy": `{"Version":"2012-10-17","Statement":[]}`}})
		return err
	})
}

func testAccRegisterTaskDefinition(t *testing.T, f accFixture, image string) string {
	t.Helper()
	return testAccRegisterRevision(t, f, "ci-"+f.Suffix, image)
}

// testAccRegisterRevision registers, as another owner would, a revision of
// family with a worker-item container; it is deregistered after the test.
func testAccRegisterRevision(t *testing.T, f accFixture, family, image string) string {
	t.Helper()
	out, err := f.Clients.ECS.RegisterTaskDefinition(context.Background(), &ecs.RegisterTaskDefinitionInput{
		Family: aws.String(family), NetworkMode: ecstypes.NetworkModeAwsvpc, Cpu: aws.String("256"), Memory: aws.String("512"),
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, TaskRoleArn: aws.String(f.TaskRoleARN),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("worker-item"), Image: aws.String(image), Essential: aws.Bool(true)}},
	})
	must(t, err)
	arn := aws.ToString(out.TaskDefinition.TaskDefinitionArn)
	t.Cleanup(func() {
		_, _ = f.Clients.ECS.DeregisterTaskDefinition(context.Background(), &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(arn)})
	})
	return arn
}

// testAccCheckDestroyed checks through the SDK that nothing of a destroyed
// pipeline is left: queues, subscriptions, service, owned task definitions.
func testAccCheckDestroyed(f accFixture) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ctx := context.Background()
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "calinks_worker_pipeline" {
				continue
			}
			a := rs.Primary.Attributes
			for _, url := range []string{a["queue_url"], a["dead_letter_queue_url"]} {
				if url == "" {
					continue
				}
				if _, found, err := findQueueAttributes(ctx, f.Clients.SQS, url); err != nil || found {
					return stillExists(err, "queue "+url)
				}
			}
			for k, arn := range a {
				if strings.HasPrefix(k, "subscription_arns.") && k != "subscription_arns.%" {
					if _, found, err := findSubscriptionAttributes(ctx, f.Clients.SNS, arn); err != nil || found {
						return stillExists(err, "subscription "+arn)
					}
				}
			}
			if _, found, err := findService(ctx, f.Clients.ECS, a["cluster"], a["service_name"]); err != nil || found {
				return stillExists(err, "service "+a["service_name"])
			}
			// Beyond the IDs state holds: every revision of the owned family
			// (<app>-<env>-<name>; an external owner's revisions are its own)
			// and the service's scalable target.
			if a["task_definition_ownership"] == ownershipTerraform {
				family := a["app"] + "-" + a["environment"] + "-" + a["name"]
				if active, err := findActiveRevisions(ctx, f.Clients.ECS, family); err != nil || len(active) > 0 {
					return stillExists(err, fmt.Sprintf("ACTIVE revisions %v of %s", active, family))
				}
			}
			if _, _, found, err := findAutoscaling(ctx, f.Clients.AutoScaling, a["cluster"], a["service_name"]); err != nil || found {
				return stillExists(err, "scalable target of "+a["service_name"])
			}
		}
		return nil
	}
}

// stillExists reports a failed lookup as such, else the object left behind.
func stillExists(lookupErr error, what string) error {
	if lookupErr != nil {
		return fmt.Errorf("checking that %s is gone: %w", what, lookupErr)
	}
	return fmt.Errorf("%s still exists after destroy", what)
}

// testAccCheckNoQueues fails when any queue of the fixture's pipeline names exists.
func testAccCheckNoQueues(t *testing.T, f accFixture) {
	t.Helper()
	out, err := f.Clients.SQS.ListQueues(context.Background(), &sqs.ListQueuesInput{QueueNamePrefix: aws.String("calinks-acc" + f.Suffix)})
	must(t, err)
	if len(out.QueueUrls) > 0 {
		t.Errorf("queues left behind: %v", out.QueueUrls)
	}
}

// literalQueuePolicy is the expected queue policy, written out as a document
// (SQS developer guide: SNS to SQS with aws:SourceArn, TLS-only deny), not
// built by the code under test.
func literalQueuePolicy(queueARN string, topics []string, roleARN string) string {
	topicList, _ := json.Marshal(topics)
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[
  {"Sid":"AllowSubscribedTopics","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":%[1]q,
   "Condition":{"ArnEquals":{"aws:SourceArn":%[2]s}}},
  {"Sid":"AllowWorkerConsume","Effect":"Allow","Principal":{"AWS":%[3]q},
   "Action":["sqs:ChangeMessageVisibility","sqs:DeleteMessage","sqs:GetQueueAttributes","sqs:GetQueueUrl","sqs:ReceiveMessage"],"Resource":%[1]q},
  {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":{"AWS":"*"},"Action":"sqs:*","Resource":%[1]q,
   "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`, queueARN, topicList, roleARN)
}

func testAccCheckServiceTags(f accFixture, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		svc, found, err := findService(context.Background(), f.Clients.ECS, f.Cluster, "worker-item")
		if err != nil || !found {
			return fmt.Errorf("service worker-item not found: %w", err)
		}
		return expectTags("service", withoutAWSTags(fromECSTags(svc.Tags)), want)
	}
}

// testAccCheckQueueTags compares the worker queue's tags, as SQS lists them, with want.
func testAccCheckQueueTags(f accFixture, want map[string]string) resource.TestCheckFunc {
	return onWorkerQueue(func(ctx context.Context, url *string) error {
		out, err := f.Clients.SQS.ListQueueTags(ctx, &sqs.ListQueueTagsInput{QueueUrl: url})
		if err != nil {
			return err
		}
		return expectTags("queue", out.Tags, want)
	})
}

func expectTags(object string, got, want map[string]string) error {
	if !maps.Equal(got, want) {
		return fmt.Errorf("%s tags = %v, want %v", object, got, want)
	}
	return nil
}

// testAccTagServiceOutOfBand changes a tag on the service only.
func testAccTagServiceOutOfBand(f accFixture) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs, err := pipelineAttrs(s)
		if err != nil {
			return err
		}
		_, err = f.Clients.ECS.TagResource(context.Background(), &ecs.TagResourceInput{ResourceArn: aws.String(attrs["service_arn"]),
			Tags: []ecstypes.Tag{{Key: aws.String("calinks:test"), Value: aws.String("drifted")}}})
		return err
	}
}

// testAccTagQueueOutOfBand adds a tag the configuration does not hold to the worker queue only.
func testAccTagQueueOutOfBand(f accFixture) resource.TestCheckFunc {
	return onWorkerQueue(func(ctx context.Context, url *string) error {
		_, err := f.Clients.SQS.TagQueue(ctx, &sqs.TagQueueInput{QueueUrl: url, Tags: map[string]string{"owner": "console"}})
		return err
	})
}

// testAccCheckRevisionStatus reads a revision's status back from ECS.
func testAccCheckRevisionStatus(f accFixture, arn string, want ecstypes.TaskDefinitionStatus) error {
	td, err := findTaskDefinition(context.Background(), f.Clients.ECS, arn)
	if err != nil {
		return err
	}
	if td.Status != want {
		return fmt.Errorf("task definition %s is %s, want %s", arn, td.Status, want)
	}
	return nil
}

// testAccCheckAutoscaling reads the scalable target and the backlog policy
// back from Application Auto Scaling and compares them with literal values.
func testAccCheckAutoscaling(f accFixture, minCapacity, maxCapacity int32, target float64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		client := f.Clients.AutoScaling
		resourceID := "service/" + f.Cluster + "/worker-item"
		targets, err := client.DescribeScalableTargets(context.Background(), &applicationautoscaling.DescribeScalableTargetsInput{
			ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceIds: []string{resourceID}})
		if err != nil {
			return err
		}
		if len(targets.ScalableTargets) != 1 || aws.ToInt32(targets.ScalableTargets[0].MinCapacity) != minCapacity || aws.ToInt32(targets.ScalableTargets[0].MaxCapacity) != maxCapacity ||
			targets.ScalableTargets[0].ScalableDimension != "ecs:service:DesiredCount" {
			return fmt.Errorf("scalable targets of %s = %+v, want one of %d to %d tasks", resourceID, targets.ScalableTargets, minCapacity, maxCapacity)
		}
		policies, err := client.DescribeScalingPolicies(context.Background(), &applicationautoscaling.DescribeScalingPoliciesInput{
			ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String(resourceID)})
		if err != nil {
			return err
		}
		if len(policies.ScalingPolicies) != 1 {
			return fmt.Errorf("scaling policies of %s: %d, want 1", resourceID, len(policies.ScalingPolicies))
		}
		p := policies.ScalingPolicies[0]
		c := p.TargetTrackingScalingPolicyConfiguration
		if aws.ToString(p.PolicyName) != "worker-item-backlog-per-task" || p.PolicyType != "TargetTrackingScaling" || c == nil || aws.ToFloat64(c.TargetValue) != target {
			return fmt.Errorf("scaling policy = %s %s %+v, want worker-item-backlog-per-task, TargetTrackingScaling, target %v", aws.ToString(p.PolicyName), p.PolicyType, c, target)
		}
		return nil
	}
}
