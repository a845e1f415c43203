package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const testAccResource = "calinks_worker_pipeline.test"

// testAccConfig renders a pipeline around the fixture; body adds or
// overrides attributes.
func testAccConfig(f accFixture, body string) string {
	return testAccProviderConfig() + fmt.Sprintf(`
resource "calinks_worker_pipeline" "test" {
  app           = "calinks"
  environment   = "acc%[1]s"
  name          = "worker-item"
  cluster       = %[2]q
  subnet_ids    = [%[3]q]
  task_role_arn = %[4]q
  # Set always: the local emulator cannot default to the VPC's group.
  security_group_ids = [%[6]q]
%[5]s
}
`, f.Suffix, f.Cluster, f.SubnetID, f.TaskRoleARN, body, f.SecurityGroup)
}

// subscriptionsBlock subscribes to the given topics, keyed by topic name
// (the key import uses).
func subscriptionsBlock(topicARNs ...string) string {
	var b strings.Builder
	b.WriteString("  subscriptions = {\n")
	for _, arn := range topicARNs {
		fmt.Fprintf(&b, "    %q = { topic_arn = %q }\n", topicName(arn), arn)
	}
	b.WriteString("  }\n")
	return b.String()
}

func topicName(arn string) string { return arn[strings.LastIndex(arn, ":")+1:] }

const testAccContainer = `
  container = {
    image = "worker:1"
  }
  dead_letter_queue_redrive_allow_policy = false
`

func TestAccWorkerPipeline_basic(t *testing.T) {
	f := newAccFixture(t)
	queueName := fmt.Sprintf("calinks-acc%s-worker-item.fifo", f.Suffix)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckDestroyed(f),
		Steps: []resource.TestStep{
			{
				Config: testAccConfig(f, testAccContainer+subscriptionsBlock(f.TopicARNs[0])),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("queue_name"), knownvalue.StringExact(queueName)),
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("dead_letter_queue_name"), knownvalue.StringExact(strings.TrimSuffix(queueName, ".fifo")+"-dlq.fifo")),
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("fifo"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("environment_variables"), knownvalue.MapExact(map[string]knownvalue.Check{
						envApplicationName: knownvalue.StringExact("calinks"),
						envEnvironmentName: knownvalue.StringExact("acc" + f.Suffix),
						envServiceName:     knownvalue.StringExact("worker-item"),
						envQueueURI:        knownvalue.StringRegexp(regexp.MustCompile(regexp.QuoteMeta(queueName) + "$")),
					})),
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("subscription_arns"), knownvalue.MapSizeExact(1)),
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("tags_all"), knownvalue.MapExact(map[string]knownvalue.Check{"calinks:test": knownvalue.StringExact("acc")})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckQueues(f, map[string]string{"FifoQueue": "true", "SqsManagedSseEnabled": "true", "VisibilityTimeout": "30", "ReceiveMessageWaitTimeSeconds": "20", "MessageRetentionPeriod": "345600"},
						map[string]string{"MessageRetentionPeriod": "1209600", "FifoQueue": "true"}, 5),
					testAccCheckQueuePolicy(f, f.TopicARNs[:1]),
					testAccCheckService(f, 1, "worker:1"),
					testAccCheckEnvelopeDelivery(f, f.TopicARNs[0]),
				),
			},
			{
				ResourceName:            testAccResource,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

func TestAccWorkerPipeline_updateInPlace(t *testing.T) {
	f := newAccFixture(t)
	updated := `
  container = {
    image       = "worker:2"
    cpu         = 512
    memory      = 1024
    command     = ["worker", "--verbose"]
    environment = { LOG_LEVEL = "debug" }
    health_check = { command = ["CMD-SHELL", "true"] }
  }
  dead_letter_queue_redrive_allow_policy = false
  visibility_timeout_seconds          = 120
  message_retention_seconds           = 86400
  receive_wait_time_seconds           = 10
  delay_seconds                       = 5
  content_based_deduplication         = true
  max_receive_count                   = 3
  dead_letter_queue_retention_seconds = 604800
  desired_count                       = 2
  enable_execute_command              = true
  capacity_provider_strategy          = [{ capacity_provider = "FARGATE_SPOT", weight = 2 }, { capacity_provider = "FARGATE" }]
  topic_queue_uris                    = { item = "https://example.invalid/item" }
  tags                                = { team = "pos" }
  autoscaling = {
    max_capacity               = 5
    acceptable_latency_seconds = 95
    message_processing_seconds = 10
  }
  subscriptions = {
    item    = { topic_arn = %q, filter_policy = jsonencode({ kind = ["created"] }) }
    product = { topic_arn = %q, raw_message_delivery = true }
  }
`
	queueURL := statecheck.CompareValue(compare.ValuesSame())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckDestroyed(f),
		Steps: []resource.TestStep{
			{
				Config:            testAccConfig(f, testAccContainer+`  subscriptions = { item = { topic_arn = "`+f.TopicARNs[0]+`" } }`),
				ConfigStateChecks: []statecheck.StateCheck{queueURL.AddStateValue(testAccResource, tfjsonpath.New("queue_url"))},
			},
			{
				Config: testAccConfig(f, fmt.Sprintf(updated, f.TopicARNs[0], f.TopicARNs[1])),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccResource, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					queueURL.AddStateValue(testAccResource, tfjsonpath.New("queue_url")),
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("autoscaling").AtMapKey("target_backlog_per_task"), knownvalue.Int64Exact(10)),
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("subscription_arns"), knownvalue.MapSizeExact(2)),
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("environment_variables").AtMapKey(envTopicQueueURIs), knownvalue.StringExact(`{"item":"https://example.invalid/item"}`)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckQueues(f, map[string]string{"VisibilityTimeout": "120", "MessageRetentionPeriod": "86400", "ReceiveMessageWaitTimeSeconds": "10", "DelaySeconds": "5", "ContentBasedDeduplication": "true"},
						map[string]string{"MessageRetentionPeriod": "604800"}, 3),
					testAccCheckQueuePolicy(f, f.TopicARNs),
					// desired_count = 2 is only the initial count once the autoscaler owns it.
					testAccCheckService(f, 1, "worker:2"),
					testAccCheckOnlyLatestRevisionActive(f),
					testAccCheckAutoscaling(f, 1, 5, 10),
					testAccCheckSubscription(f, "product", map[string]string{"RawMessageDelivery": "true"}),
					testAccCheckSubscription(f, "item", map[string]string{"FilterPolicy": `{"kind":["created"]}`}),
				),
			},
			{
				// Back to one subscription, no autoscaling: still in place, and desired_count is ours again.
				Config: testAccConfig(f, testAccContainer+"  desired_count = 2\n"+`  subscriptions = { product = { topic_arn = "`+f.TopicARNs[1]+`" } }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccResource, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					queueURL.AddStateValue(testAccResource, tfjsonpath.New("queue_url")),
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("subscription_arns"), knownvalue.MapSizeExact(1)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckQueuePolicy(f, f.TopicARNs[1:]),
					testAccCheckTopicSubscriptionCount(f, f.TopicARNs[0], 0),
					testAccCheckService(f, 2, "worker:1"),
				),
			},
		},
	})
}

func TestAccWorkerPipeline_replace(t *testing.T) {
	f := newAccFixture(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckDestroyed(f),
		Steps: []resource.TestStep{
			{Config: testAccConfig(f, testAccContainer+subscriptionsBlock(f.TopicARNs[0]))},
			{
				// A standard queue is another queue: the pipeline is replaced.
				Config: testAccConfig(f, testAccContainer+"  fifo = false\n"+subscriptionsBlock(f.StandardTopic)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccResource, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("queue_name"), knownvalue.StringExact("calinks-acc"+f.Suffix+"-worker-item")),
				},
				Check: testAccCheckQueues(f, map[string]string{"SqsManagedSseEnabled": "true"}, nil, 5),
			},
			{
				Config: testAccConfig(f, testAccContainer+"  fifo = false\n  queue_name = \"acc-"+f.Suffix+"-renamed\"\n"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccResource, plancheck.ResourceActionReplace),
				}},
			},
		},
	})
}

func TestAccWorkerPipeline_disappearsAndDrift(t *testing.T) {
	f := newAccFixture(t)
	config := testAccConfig(f, testAccContainer+subscriptionsBlock(f.TopicARNs[0]))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckDestroyed(f),
		Steps: []resource.TestStep{
			{
				// The service deleted out of band: the pipeline stays in state (its
				// queues and subscription still exist) and an update re-creates the service.
				Config:             config,
				Check:              testAccDeleteServiceOutOfBand(f),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccResource, plancheck.ResourceActionUpdate),
				}},
			},
			{
				// The service is back (repaired by this step's apply); then queue
				// attributes, policy and tags on two objects change out of band:
				// the service's value of a configured tag, and an extra tag on the queue.
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					testAccCheckService(f, 1, "worker:1"),
					testAccCheckServiceTags(f, map[string]string{"calinks:test": "acc"}),
					testAccCheckQueueTags(f, map[string]string{"calinks:test": "acc"}),
					testAccChangeQueueOutOfBand(f),
					testAccTagServiceOutOfBand(f),
					testAccTagQueueOutOfBand(f),
				),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccResource, plancheck.ResourceActionUpdate),
				}},
			},
			{
				// One apply repairs the tags on both objects; then the worker queue
				// is deleted out of band: re-created in place, service kept.
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					testAccCheckServiceTags(f, map[string]string{"calinks:test": "acc"}),
					testAccCheckQueueTags(f, map[string]string{"calinks:test": "acc"}),
					testAccCheckQueues(f, map[string]string{"VisibilityTimeout": "30"}, nil, 5),
					testAccDeleteQueueOutOfBand(f),
				),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccResource, plancheck.ResourceActionUpdate),
				}},
			},
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckServiceTags(f, map[string]string{"calinks:test": "acc"}),
					testAccCheckQueues(f, map[string]string{"VisibilityTimeout": "30"}, nil, 5),
					testAccCheckQueuePolicy(f, f.TopicARNs[:1]),
					testAccCheckEnvelopeDelivery(f, f.TopicARNs[0]),
				),
			},
		},
	})
}

func TestAccWorkerPipeline_externalTaskDefinition(t *testing.T) {
	f := newAccFixture(t)
	first := testAccRegisterTaskDefinition(t, f, "ci-build:1")
	config := testAccConfig(f, fmt.Sprintf(`
  task_definition_ownership = "external"
  task_definition_arn       = %q
  dead_letter_queue_redrive_allow_policy = false
`, first))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckDestroyed(f),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  testAccCheckService(f, 1, "ci-build:1"),
			},
			{
				// CI deploys a new revision: Terraform neither reverts it nor shows a diff.
				PreConfig: func() {
					second := testAccRegisterTaskDefinition(t, f, "ci-build:2")
					_, err := f.Clients.ECS.UpdateService(context.Background(), &ecs.UpdateServiceInput{
						Cluster: aws.String(f.Cluster), Service: aws.String("worker-item"), TaskDefinition: aws.String(second)})
					must(t, err)
				},
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            testAccCheckService(f, 1, "ci-build:2"),
			},
		},
	})
}

func TestAccWorkerPipeline_subscriptions(t *testing.T) {
	f := newAccFixture(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckDestroyed(f),
		Steps: []resource.TestStep{
			{
				// No topic: an EventBridge-fed queue, like worker-scheduled.
				Config: testAccConfig(f, testAccContainer+`  eventbridge_rule_arns = ["arn:aws:events:ap-northeast-1:123456789012:rule/acc-`+f.Suffix+`"]`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("subscription_arns"), knownvalue.MapSizeExact(0)),
				},
				Check: testAccCheckPolicyStatement(f, "AllowEventBridgeRules", "events.amazonaws.com"),
			},
			{
				Config: testAccConfig(f, testAccContainer+subscriptionsBlock(f.TopicARNs...)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccResource, tfjsonpath.New("subscription_arns"), knownvalue.MapSizeExact(2)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckQueuePolicy(f, f.TopicARNs),
					testAccCheckEnvelopeDelivery(f, f.TopicARNs[0]),
					testAccCheckEnvelopeDelivery(f, f.TopicARNs[1]),
				),
			},
		},
	})
}

func TestAccWorkerPipeline_failedCreateLeavesNothing(t *testing.T) {
	f := newAccFixture(t)
	missingCluster := f
	missingCluster.Cluster = "acc-missing-" + f.Suffix
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckDestroyed(f),
		Steps: []resource.TestStep{
			{
				// The queues and subscription exist when the service fails:
				// they are recorded (tainted) and destroyed with the resource.
				Config:      testAccConfig(missingCluster, testAccContainer+subscriptionsBlock(f.TopicARNs[0])),
				ExpectError: regexp.MustCompile(`(?s)creating ECS service worker-item.*recorded in state`),
			},
			{
				// A refresh must keep the partly created pipeline: dropping it
				// (the service is missing) would orphan the queues and the
				// subscription, which the destroy below would then not see.
				RefreshState:       true,
				ExpectNonEmptyPlan: true, // tainted: the next apply replaces it
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrSet(testAccResource, "queue_url"),
					resource.TestCheckResourceAttrSet(testAccResource, "dead_letter_queue_url"),
					resource.TestCheckResourceAttr(testAccResource, "subscription_arns.%", "1"),
				),
			},
		},
	})
	// CheckDestroy above ran after the test's destroy; also check no queue
	// survived under the pipeline's names.
	testAccCheckNoQueues(t, f)
}

func TestAccWorkerPipeline_nameTakenIsRefused(t *testing.T) {
	f := newAccFixture(t)
	// A queue of the pipeline's name that is not the pipeline's (SQS would
	// answer a CreateQueue of the same name and attributes with it).
	name := "calinks-acc" + f.Suffix + "-worker-item.fifo"
	out, err := f.Clients.SQS.CreateQueue(context.Background(), &sqs.CreateQueueInput{QueueName: aws.String(name),
		Attributes: map[string]string{"FifoQueue": "true"}})
	must(t, err)
	defer func() {
		_, _ = f.Clients.SQS.DeleteQueue(context.Background(), &sqs.DeleteQueueInput{QueueUrl: out.QueueUrl})
	}()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      testAccConfig(f, testAccContainer+subscriptionsBlock(f.TopicARNs[0])),
			ExpectError: regexp.MustCompile(`(?s)queue_name.*SQS queue ` + regexp.QuoteMeta(name) + ` already exists.*import it.*Nothing was created`),
		}},
	})
	// Refused before anything was made, and the queue that was there is untouched.
	if _, err := f.Clients.SQS.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: out.QueueUrl}); err != nil {
		t.Errorf("the queue that was there: %v", err)
	}
	if _, found, err := findQueueURL(context.Background(), f.Clients.SQS, "calinks-acc"+f.Suffix+"-worker-item-dlq.fifo"); err != nil || found {
		t.Errorf("dead-letter queue made by a refused create: found=%v err=%v", found, err)
	}
}

func TestAccWorkerPipeline_ownershipHandOver(t *testing.T) {
	f := newAccFixture(t)
	ci1 := testAccRegisterTaskDefinition(t, f, "ci-build:1")
	ci2 := testAccRegisterTaskDefinition(t, f, "ci-build:2")
	external := func(arn string) string {
		return testAccConfig(f, fmt.Sprintf(`
  task_definition_ownership = "external"
  task_definition_arn       = %q
  dead_letter_queue_redrive_allow_policy = false
`, arn))
	}
	var owned string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckDestroyed(f),
		Steps: []resource.TestStep{
			{
				Config: testAccConfig(f, testAccContainer),
				Check: func(s *terraform.State) error {
					attrs, err := pipelineAttrs(s)
					owned = attrs["task_definition_arn"]
					return err
				},
			},
			{
				// Hand-over: the service starts on CI's revision once, the owned one is retired.
				Config: external(ci1),
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckService(f, 1, "ci-build:1"),
					func(*terraform.State) error {
						return testAccCheckRevisionStatus(f, owned, ecstypes.TaskDefinitionStatusInactive)
					},
				),
			},
			{
				// Under external ownership a new task_definition_arn is recorded, never deployed.
				Config: external(ci2),
				Check:  testAccCheckService(f, 1, "ci-build:1"),
			},
		},
	})
}

// TestAccWorkerPipeline_redriveAllowPolicy runs the default (a redrive-allow
// policy admitting the worker queue only), then switches it off and checks
// that it is gone, wherever the endpoint keeps the attribute (AWS does; moto
// 5.2.1 accepts and drops it).
func TestAccWorkerPipeline_redriveAllowPolicy(t *testing.T) {
	f := newAccFixture(t)
	if !endpointKeepsRedriveAllowPolicy(t, f) {
		t.Skip("the endpoint does not keep the SQS RedriveAllowPolicy attribute")
	}
	base := testAccConfig(f, `
  container = {
    image = "worker:1"
  }
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckDestroyed(f),
		Steps: []resource.TestStep{
			{
				Config: base,
				Check: func(s *terraform.State) error {
					attrs, err := pipelineAttrs(s)
					if err != nil {
						return err
					}
					got, err := queueAttributes(f, attrs["dead_letter_queue_url"])
					if err != nil {
						return err
					}
					want := `{"redrivePermission":"byQueue","sourceQueueArns":["` + attrs["queue_arn"] + `"]}`
					if !policiesEquivalent(got["RedriveAllowPolicy"], want) {
						return fmt.Errorf("RedriveAllowPolicy = %s, want %s", got["RedriveAllowPolicy"], want)
					}
					return nil
				},
			},
			{
				Config: testAccConfig(f, testAccContainer),
				Check: func(s *terraform.State) error {
					attrs, err := pipelineAttrs(s)
					if err != nil {
						return err
					}
					got, err := queueAttributes(f, attrs["dead_letter_queue_url"])
					if err != nil {
						return err
					}
					if got["RedriveAllowPolicy"] != "" {
						return fmt.Errorf("RedriveAllowPolicy still set after switching it off: %s", got["RedriveAllowPolicy"])
					}
					return nil
				},
			},
		},
	})
}

func endpointKeepsRedriveAllowPolicy(t *testing.T, f accFixture) bool {
	ctx := context.Background()
	out, err := f.Clients.SQS.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("acc-rap-probe-" + f.Suffix),
		Attributes: map[string]string{"RedriveAllowPolicy": `{"redrivePermission":"denyAll"}`}})
	must(t, err)
	defer func() { _, _ = f.Clients.SQS.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: out.QueueUrl}) }()
	got, err := queueAttributes(f, aws.ToString(out.QueueUrl))
	must(t, err)
	return got["RedriveAllowPolicy"] != ""
}

// renamedConfig is testAccConfig with another app: the pipeline's task
// definition family changes, its queue and service keep their names.
func renamedConfig(f accFixture, app, body string) string {
	return strings.Replace(testAccConfig(f, fmt.Sprintf(`
  queue_name   = "calinks-acc%s-worker-item.fifo"
  service_name = "worker-item"
%s`, f.Suffix, body)), `app           = "calinks"`, fmt.Sprintf(`app           = %q`, app), 1)
}

func TestAccWorkerPipeline_renameIntoTakenFamilyIsRefused(t *testing.T) {
	f := newAccFixture(t)
	// Another owner's revision in the family the rename would move into.
	foreign := testAccRegisterRevision(t, f, "calinksmv-acc"+f.Suffix+"-worker-item", "someone-else:1")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckDestroyed(f),
		Steps: []resource.TestStep{
			{Config: renamedConfig(f, "calinks", testAccContainer)},
			{
				Config: renamedConfig(f, "calinksmv", testAccContainer),
				// On the name attribute's line of the configuration.
				ExpectError: regexp.MustCompile(`(?s)Cannot update worker pipeline.*name\s+= "worker-item".*family calinksmv-acc` + f.Suffix + `-worker-item.*1 ACTIVE revision.*Nothing was changed`),
			},
			{
				// Refused before anything changed: state still holds the old app,
				// and the other owner's revision is untouched.
				Config:           renamedConfig(f, "calinks", testAccContainer),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(testAccResource, "app", "calinks"),
					func(*terraform.State) error {
						return testAccCheckRevisionStatus(f, foreign, ecstypes.TaskDefinitionStatusActive)
					},
				),
			},
		},
	})
}

func TestAccWorkerPipeline_renameUnderExternalOwnership(t *testing.T) {
	f := newAccFixture(t)
	// CI deploys into the family <app>-<environment>-<name>, as Copilot's does.
	ci := testAccRegisterRevision(t, f, "calinks-acc"+f.Suffix+"-worker-item", "ci-build:1")
	external := fmt.Sprintf(`
  task_definition_ownership = "external"
  task_definition_arn       = %q
  dead_letter_queue_redrive_allow_policy = false
`, ci)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckDestroyed(f),
		Steps: []resource.TestStep{
			{Config: renamedConfig(f, "calinks", external)},
			{Config: renamedConfig(f, "calinksmv", external)},
			{
				// Back to Terraform under the new app: the family CI deployed
				// into was never the pipeline's, so its revision stays ACTIVE.
				Config: renamedConfig(f, "calinksmv", testAccContainer),
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						svc, found, err := findService(context.Background(), f.Clients.ECS, f.Cluster, "worker-item")
						if err != nil || !found {
							return fmt.Errorf("service worker-item: found=%v %w", found, err)
						}
						if want := "calinksmv-acc" + f.Suffix + "-worker-item"; revisionFamily(aws.ToString(svc.TaskDefinition)) != want {
							return fmt.Errorf("service runs %s, want a revision of %s", aws.ToString(svc.TaskDefinition), want)
						}
						return testAccCheckRevisionStatus(f, ci, ecstypes.TaskDefinitionStatusActive)
					},
				),
			},
		},
	})
}
