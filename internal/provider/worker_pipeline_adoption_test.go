package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/calinks/terraform-provider-calinks/internal/copilotfixture"
	"github.com/calinks/terraform-provider-calinks/internal/testfixture"
)

// copilotEstate builds a Copilot environment beside the fixture: its own
// cluster, under the fixture's network.
func copilotEstate(t *testing.T, f accFixture) (*copilotfixture.Estate, string) {
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion(testfixture.Region))
	must(t, err)
	estate := copilotfixture.New(t, cfg, "calinks", "acc"+f.Suffix, "acc/"+f.Suffix)
	return estate, estate.Cluster()
}

// adoptionConfig imports the Copilot worker into a pipeline that keeps its
// names and key; body adds the rest.
func adoptionConfig(f accFixture, cluster string, w copilotfixture.Worker, body string) string {
	return testAccProviderConfig() + fmt.Sprintf(`
import {
  to = calinks_worker_pipeline.test
  id = "%[1]s/%[2]s/%[3]s"
}

resource "calinks_worker_pipeline" "test" {
  app                = "calinks"
  environment        = "acc%[4]s"
  name               = "worker-item"
  cluster            = %[1]q
  service_name       = %[2]q
  queue_name         = %[3]q
  kms_master_key_id  = %[5]q
  subnet_ids         = [%[6]q]
  security_group_ids = [%[7]q]
  task_role_arn      = %[8]q
  dead_letter_queue_redrive_allow_policy = false
%[9]s
}
`, cluster, w.ServiceName, w.QueueName, f.Suffix, w.KeyARN, f.SubnetID, f.SecurityGroup, f.TaskRoleARN, body)
}

// TestAccWorkerPipeline_adoptCopilotWorker adopts a worker as Copilot left
// it (CloudFormation names, its own queue key, no dead-letter queue, the
// BacklogPerTask scaling policy, subscriptions keyed by topic name on
// import) with messages in its queue: the first plan updates in place, the
// queue, service and subscription keep their identity, the message sent
// before is still there, a dead-letter queue is added, Copilot's policy is
// replaced by the pipeline's, and the second plan is empty.
func TestAccWorkerPipeline_adoptCopilotWorker(t *testing.T) {
	f := newAccFixture(t)
	estate, cluster := copilotEstate(t, f)
	topic := f.TopicARNs[0]
	w := estate.Worker(copilotfixture.WorkerSpec{Name: "worker-item", Cluster: cluster, SubnetID: f.SubnetID, SecurityGroup: f.SecurityGroup,
		Image: "worker:1", TopicARNs: []string{topic}, Autoscaling: true})
	ctx := context.Background()
	before := `{"event":"item.created","sent":"before adoption"}`
	_, err := f.Clients.SNS.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String(before),
		MessageGroupId: aws.String("store-1"), MessageDeduplicationId: aws.String("before-" + f.Suffix)})
	must(t, err)

	cfg := adoptionConfig(f, cluster, w, fmt.Sprintf(`
  additional_consumer_role_arns = [%q]
  container = {
    image = "worker:2"
  }
  # Another key than the topic name import gives it: matched by topic, kept.
  subscriptions = {
    item = { topic_arn = %q }
  }
  autoscaling = {
    max_capacity               = 4
    acceptable_latency_seconds = 60
    message_processing_seconds = 6
  }
`, w.TaskRoleARN, topic))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckDestroyed(f),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccResource, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("queue_url"), knownvalue.StringExact(w.QueueURL)),
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("service_arn"), knownvalue.StringExact(w.ServiceARN)),
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("subscription_arns"), knownvalue.MapExact(map[string]knownvalue.Check{
						"item": knownvalue.StringExact(w.SubscriptionARNs[topic])})),
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("dead_letter_queue_name"),
						knownvalue.StringExact(strings.TrimSuffix(w.QueueName, ".fifo")+"-dlq.fifo")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckQueues(f, map[string]string{"FifoQueue": "true", "KmsMasterKeyId": w.KeyARN}, map[string]string{"FifoQueue": "true", "KmsMasterKeyId": w.KeyARN}, 5),
					testAccCheckConsumers(f, f.TaskRoleARN, w.TaskRoleARN),
					testAccCheckMessageKept(f, before),
					testAccCheckEnvelopeDelivery(f, topic),
					testAccCheckTopicSubscriptionCount(f, topic, 1),
					testAccCheckOnlyPipelineScalingPolicy(cluster, w.ServiceName),
					testAccCheckService(f, 1, "worker:2"),
					// Kept ACTIVE: a rollback to Copilot's deployment can still start tasks.
					func(*terraform.State) error {
						td, err := findTaskDefinition(context.Background(), f.Clients.ECS, w.TaskDefinitionARN)
						if err != nil {
							return err
						}
						if td.Status != ecstypes.TaskDefinitionStatusActive {
							return fmt.Errorf("Copilot's revision %s is %s after the adoption", w.TaskDefinitionARN, td.Status)
						}
						return nil
					},
				),
			},
			{
				// The cutover is over: Copilot's role is no longer admitted.
				Config: strings.Replace(cfg, fmt.Sprintf("additional_consumer_role_arns = [%q]", w.TaskRoleARN), "", 1),
				Check:  testAccCheckConsumers(f, f.TaskRoleARN),
			},
		},
	})
}

// TestAccWorkerPipeline_adoptCopilotSidecars: a task definition with a
// sidecar is refused at plan time under ownership terraform (a registered
// revision would drop it), and adopted as it is under ownership external.
func TestAccWorkerPipeline_adoptCopilotSidecars(t *testing.T) {
	f := newAccFixture(t)
	estate, cluster := copilotEstate(t, f)
	w := estate.Worker(copilotfixture.WorkerSpec{Name: "worker-item", Cluster: cluster, SubnetID: f.SubnetID, SecurityGroup: f.SecurityGroup,
		Image: "worker:1", DeadLetterTries: 3, Sidecar: true})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckDestroyed(f),
		Steps: []resource.TestStep{
			{
				Config:      adoptionConfig(f, cluster, w, "  container = { image = \"worker:2\" }\n"),
				ExpectError: regexp.MustCompile(`(?s)Sidecar containers would be dropped.*datadog`),
			},
			{
				Config: adoptionConfig(f, cluster, w, fmt.Sprintf(`
  task_definition_ownership = "external"
  task_definition_arn       = %q
  max_receive_count         = 3
`, w.TaskDefinitionARN)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccResource, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("dead_letter_queue_name"), knownvalue.StringExact(w.DeadLetterQueueName)),
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("service_arn"), knownvalue.StringExact(w.ServiceARN)),
				},
				Check: func(*terraform.State) error {
					out, err := f.Clients.ECS.DescribeServices(context.Background(), &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{w.ServiceName}})
					if err != nil {
						return err
					}
					if len(out.Services) != 1 {
						return fmt.Errorf("service %s not found", w.ServiceName)
					}
					if got := aws.ToString(out.Services[0].TaskDefinition); got != w.TaskDefinitionARN {
						return fmt.Errorf("service runs %s, want Copilot's %s with its sidecar", got, w.TaskDefinitionARN)
					}
					return nil
				},
			},
		},
	})
}

// testAccCheckConsumers checks the principals of the consumer statement.
func testAccCheckConsumers(f accFixture, roleARNs ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		_, got, err := workerQueue(f, s)
		if err != nil {
			return err
		}
		principals, found, err := testfixture.AWSPrincipals(got["Policy"], "AllowWorkerConsume")
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("queue policy has no AllowWorkerConsume statement: %s", got["Policy"])
		}
		want := append([]string(nil), roleARNs...)
		sort.Strings(want)
		if strings.Join(principals, ",") != strings.Join(want, ",") {
			return fmt.Errorf("consumers = %v, want %v", principals, want)
		}
		return nil
	}
}

// testAccCheckMessageKept receives the message sent before adoption from the
// adopted queue, in its SNS envelope.
func testAccCheckMessageKept(f accFixture, body string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs, err := pipelineAttrs(s)
		if err != nil {
			return err
		}
		ctx := context.Background()
		out, err := f.Clients.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(attrs["queue_url"]), MaxNumberOfMessages: 10, WaitTimeSeconds: 2})
		if err != nil {
			return err
		}
		for _, m := range out.Messages {
			var envelope struct{ Message string }
			if json.Unmarshal([]byte(aws.ToString(m.Body)), &envelope) == nil && envelope.Message == body {
				_, err := f.Clients.SQS.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(attrs["queue_url"]), ReceiptHandle: m.ReceiptHandle})
				return err
			}
		}
		return fmt.Errorf("the message sent before adoption is not in %s (%d messages received)", attrs["queue_url"], len(out.Messages))
	}
}

// testAccCheckOnlyPipelineScalingPolicy: Copilot's BacklogPerTask policy is
// gone, the pipeline's is the only one on the service.
func testAccCheckOnlyPipelineScalingPolicy(cluster, service string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion(testfixture.Region))
		if err != nil {
			return err
		}
		out, err := applicationautoscaling.NewFromConfig(cfg).DescribeScalingPolicies(context.Background(), &applicationautoscaling.DescribeScalingPoliciesInput{
			ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String("service/" + cluster + "/" + service)})
		if err != nil {
			return err
		}
		var names []string
		for _, p := range out.ScalingPolicies {
			names = append(names, aws.ToString(p.PolicyName))
		}
		if want := service + "-backlog-per-task"; len(names) != 1 || names[0] != want {
			return fmt.Errorf("scaling policies = %v, want only %s", names, want)
		}
		return nil
	}
}
