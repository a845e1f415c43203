package test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/gruntwork-io/terratest/modules/logger"
	"github.com/gruntwork-io/terratest/modules/terraform"
)

type workerOutput struct {
	Topics             []string `json:"topics"`
	QueueURL           string   `json:"queue_url"`
	DeadLetterQueueURL string   `json:"dead_letter_queue_url"`
	ServiceARN         string   `json:"service_arn"`
}

func workersOf(t *testing.T, opts *terraform.Options) map[string]workerOutput {
	var workers map[string]workerOutput
	terraform.OutputStructContext(t, t.Context(), opts, "workers", &workers)
	if names := slices.Sorted(maps.Keys(workers)); !slices.Equal(names, slices.Sorted(slices.Values(workerNames))) {
		t.Fatalf("workers = %v, want the seven of docs/architecture.md", names)
	}
	return workers
}

// checkTopicsReachTheirWorkers publishes one message (with a message group)
// to every topic and checks that it arrives in exactly the worker queues
// docs/architecture.md names, as an SNS envelope with its group kept.
func checkTopicsReachTheirWorkers(t *testing.T, opts *terraform.Options) {
	cfg := awsConfig()
	topics := terraform.OutputMapContext(t, t.Context(), opts, "topic_arns")
	workers := workersOf(t, opts)
	if len(topics) != len(consumers) {
		t.Fatalf("topics = %v, want the seven of docs/architecture.md", topics)
	}
	stamp := fmt.Sprint(time.Now().UnixNano())
	for topic := range consumers {
		must(sns.NewFromConfig(cfg).Publish(t.Context(), &sns.PublishInput{
			TopicArn: aws.String(topics[topic]), Message: aws.String(fmt.Sprintf(`{"topic":%q,"stamp":%q}`, topic, stamp)),
			MessageGroupId: aws.String("group-" + topic), MessageDeduplicationId: aws.String(topic + stamp),
		}))(t)
	}
	arrived := map[string][]string{} // topic -> worker queues it reached
	client := sqs.NewFromConfig(cfg)
	for _, worker := range workerNames {
		for _, m := range drain(t, client, workers[worker].QueueURL) {
			var envelope struct{ Type, TopicArn, Message string }
			if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &envelope); err != nil || envelope.Type != "Notification" {
				t.Errorf("%s got no SNS envelope: %s", worker, aws.ToString(m.Body))
				continue
			}
			var body struct{ Topic, Stamp string }
			_ = json.Unmarshal([]byte(envelope.Message), &body)
			if body.Stamp != stamp {
				continue
			}
			if envelope.TopicArn != topics[body.Topic] || m.Attributes["MessageGroupId"] != "group-"+body.Topic {
				t.Errorf("%s: message of %s came with topic %s and group %q", worker, body.Topic, envelope.TopicArn, m.Attributes["MessageGroupId"])
			}
			arrived[body.Topic] = append(arrived[body.Topic], worker)
		}
	}
	for topic, want := range consumers {
		if got := arrived[topic]; !slices.Equal(got, want) {
			t.Errorf("topic %s reached %v, want exactly %v", topic, got, want)
		}
	}
}

// drain receives everything a queue holds now and deletes it. The first
// receive waits past a delivery delay (an adopted queue keeps Copilot's).
func drain(t *testing.T, client *sqs.Client, url string) []sqstypes.Message {
	var all []sqstypes.Message
	wait := int32(3)
	for range 3 {
		// Hidden for 2 s only (each is deleted right after): a receive whose
		// answer the endpoint lost and the SDK retried still finds them.
		out := must(client.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: wait, VisibilityTimeout: 2,
			MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameMessageGroupId},
		}))(t)
		for _, m := range out.Messages {
			must(client.DeleteMessage(t.Context(), &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle}))(t)
		}
		all = append(all, out.Messages...)
		if len(out.Messages) == 0 {
			break
		}
		wait = 1
	}
	return all
}

// checkDeadLetterQueue makes worker-item "fail" a message max_receive_count
// times (received, never deleted) and checks it lands in the dead-letter
// queue, which keeps messages 14 days.
func checkDeadLetterQueue(t *testing.T, opts *terraform.Options) {
	client := sqs.NewFromConfig(awsConfig())
	worker := workersOf(t, opts)["worker-item"]
	queue := aws.String(worker.QueueURL)
	attrs := must(client.GetQueueAttributes(t.Context(), &sqs.GetQueueAttributesInput{QueueUrl: queue, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameRedrivePolicy}}))(t)
	deadLetterARN, receives := redrivePolicyOf(t, attrs.Attributes)
	if want := queueARNOf(t, client, worker.DeadLetterQueueURL); deadLetterARN != want {
		t.Errorf("worker-item redrives to %s, want its dead-letter queue %s", deadLetterARN, want)
	}
	body := "poison-" + fmt.Sprint(time.Now().UnixNano())
	must(client.SendMessage(t.Context(), &sqs.SendMessageInput{QueueUrl: queue, MessageBody: aws.String(body), MessageGroupId: aws.String("poison"), MessageDeduplicationId: aws.String(body)}))(t)
	for i := int64(0); i < receives; i++ {
		out := must(client.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{QueueUrl: queue, WaitTimeSeconds: 2}))(t)
		if len(out.Messages) != 1 {
			t.Fatalf("receive %d of %d: %d messages", i+1, receives, len(out.Messages))
		}
		// The worker "fails": the message becomes visible again at once.
		must(client.ChangeMessageVisibility(t.Context(), &sqs.ChangeMessageVisibilityInput{QueueUrl: queue, ReceiptHandle: out.Messages[0].ReceiptHandle, VisibilityTimeout: 0}))(t)
	}
	// The receive after the last allowed one moves the message.
	must(client.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{QueueUrl: queue, WaitTimeSeconds: 1}))(t)
	dead := drain(t, client, worker.DeadLetterQueueURL)
	if len(dead) != 1 || aws.ToString(dead[0].Body) != body {
		t.Errorf("dead-letter queue after %d failed receives holds %d messages, want the poison message", receives, len(dead))
	}
	dlq := must(client.GetQueueAttributes(t.Context(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(worker.DeadLetterQueueURL), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameMessageRetentionPeriod}}))(t)
	if got := dlq.Attributes["MessageRetentionPeriod"]; got != "1209600" {
		t.Errorf("dead-letter retention = %s s, want 14 days", got)
	}
}

// redrivePolicyOf reads a queue's RedrivePolicy attribute: the dead-letter
// queue's ARN and the receive count (SQS writes it as a number or a string).
func redrivePolicyOf(t *testing.T, attrs map[string]string) (string, int64) {
	t.Helper()
	var redrive struct {
		DeadLetterTargetArn string
		MaxReceiveCount     json.RawMessage
	}
	if err := json.Unmarshal([]byte(attrs["RedrivePolicy"]), &redrive); err != nil {
		t.Fatalf("RedrivePolicy %q: %v", attrs["RedrivePolicy"], err)
	}
	var count json.Number
	if err := json.Unmarshal(bytes.Trim(redrive.MaxReceiveCount, `"`), &count); err != nil {
		t.Fatalf("RedrivePolicy %q: maxReceiveCount: %v", attrs["RedrivePolicy"], err)
	}
	receives, err := count.Int64()
	if err != nil {
		t.Fatalf("RedrivePolicy %q: maxReceiveCount: %v", attrs["RedrivePolicy"], err)
	}
	return redrive.DeadLetterTargetArn, receives
}

func queueARNOf(t *testing.T, client *sqs.Client, url string) string {
	t.Helper()
	return must(client.GetQueueAttributes(t.Context(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}}))(t).Attributes["QueueArn"]
}

// checkSchedules: with add-ons, every EventBridge schedule sends to
// worker-scheduled's queue with a message group; without, there is none.
func checkSchedules(t *testing.T, c environmentCase, opts *terraform.Options) {
	schedules := terraform.OutputMapContext(t, t.Context(), opts, "scheduled_event_arns")
	if !c.addons {
		if len(schedules) != 0 {
			t.Errorf("%s has EventBridge schedules %v, want none without add-ons", c.env, schedules)
		}
		return
	}
	if len(schedules) == 0 {
		t.Fatalf("%s has no EventBridge schedule", c.env)
	}
	queueURL := workersOf(t, opts)["worker-scheduled"].QueueURL
	client := sqs.NewFromConfig(awsConfig())
	queueARN := queueARNOf(t, client, queueURL)
	// Scheduler sends to a FIFO queue only when it deduplicates by content
	// (EventBridge Scheduler API reference, SqsParameters).
	dedup := must(client.GetQueueAttributes(t.Context(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(queueURL), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameContentBasedDeduplication}}))(t)
	if dedup.Attributes["ContentBasedDeduplication"] != "true" {
		t.Errorf("worker-scheduled's queue has ContentBasedDeduplication %q; EventBridge Scheduler needs true", dedup.Attributes["ContentBasedDeduplication"])
	}
	for name, arn := range schedules {
		parts := strings.Split(arn, "/") // ...:schedule/<group>/<name>
		if len(parts) != 3 {
			t.Errorf("schedule %s has ARN %q, want ...:schedule/<group>/<name>", name, arn)
			continue
		}
		s := must(scheduler.NewFromConfig(awsConfig()).GetSchedule(t.Context(), &scheduler.GetScheduleInput{Name: aws.String(name), GroupName: aws.String(parts[len(parts)-2])}))(t)
		if aws.ToString(s.Target.Arn) != queueARN || s.Target.SqsParameters == nil || aws.ToString(s.Target.SqsParameters.MessageGroupId) == "" {
			t.Errorf("schedule %s targets %s (%+v), want worker-scheduled's queue %s with a message group", name, aws.ToString(s.Target.Arn), s.Target.SqsParameters, queueARN)
		}
	}
}

// checkStaticSite: the public static CDN exists in production only.
func checkStaticSite(t *testing.T, c environmentCase, opts *terraform.Options, name string) {
	site := "static." + zoneName(name)
	var aliased []string
	client := cloudfront.NewFromConfig(awsConfig())
	list := must(client.ListDistributions(t.Context(), &cloudfront.ListDistributionsInput{}))(t)
	if list.DistributionList != nil {
		for _, d := range list.DistributionList.Items {
			// The emulator's list leaves the aliases out; the distribution has them.
			config := must(client.GetDistributionConfig(t.Context(), &cloudfront.GetDistributionConfigInput{Id: d.Id}))(t).DistributionConfig
			if config.Aliases != nil && slices.Contains(config.Aliases.Items, site) {
				aliased = append(aliased, aws.ToString(d.Id))
			}
		}
	}
	url, _ := terraform.OutputAllContext(t, t.Context(), opts)["static_site_url"].(string) // null without the CDN
	switch {
	case c.staticSite && (len(aliased) != 1 || url != "https://"+site+"/"):
		t.Errorf("%s: distributions for %s = %v, url %q; want one", c.env, site, aliased, url)
	case !c.staticSite && (len(aliased) != 0 || url != ""):
		t.Errorf("%s has a public static CDN (%v, %q); only production may", c.env, aliased, url)
	}
}

// checkNetwork: develop and customer run in the VPC they import (made by the
// test), production in one of its own, and staging, which adopts Copilot's
// database, in Copilot's VPC.
func checkNetwork(t *testing.T, c environmentCase, opts *terraform.Options, name string) {
	vpcID := terraform.OutputContext(t, t.Context(), opts, "vpc_id")
	own := must(ec2.NewFromConfig(awsConfig()).DescribeVpcs(t.Context(), &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("tag:Name"), Values: []string{name + "-" + c.env}}}}))(t)
	imported, isImported := opts.Vars["vpc_id"], c.imported
	if c.adopt && c.addons { // the adopted database cannot leave Copilot's VPC
		v, ok := copilotEstates.Load(opts.TerraformDir)
		if !ok {
			t.Fatal("no Copilot estate in this process: the adopted network needs the deploy stage")
		}
		imported, isImported = v.(copilotEstate).network.VPCID, true
	}
	if isImported {
		if vpcID != imported || len(own.Vpcs) != 0 {
			t.Errorf("%s runs in %s and made %d VPCs; want the imported %v and none of its own", c.env, vpcID, len(own.Vpcs), imported)
		}
		return
	}
	if len(own.Vpcs) != 1 || aws.ToString(own.Vpcs[0].VpcId) != vpcID {
		t.Errorf("%s runs in %s; want its own VPC %+v", c.env, vpcID, own.Vpcs)
	}
}

// checkUpgradeAndDrift changes a worker's settings in the variables and
// checks the queue is updated in place; then deletes the queue out of band
// and checks the next plan re-creates it and apply converges.
func checkUpgradeAndDrift(t *testing.T, opts *terraform.Options) {
	client := sqs.NewFromConfig(awsConfig())
	before := workersOf(t, opts)["worker-item"]
	pipeline := `module.worker["worker-item"].calinks_worker_pipeline.this`
	// Against the emulator the applies and the drift plans take only the
	// pipeline and the dead-letter alarm that names its settings (and what
	// they depend on), not the updates moto's bugs leave in every plan; the
	// settings plan covers the whole root.
	apply := *opts
	if onMoto() {
		apply.Targets = []string{pipeline, `module.worker["worker-item"].aws_cloudwatch_metric_alarm.dead_letter_queue_not_empty`}
	}

	opts.Vars["worker_settings"] = map[string]any{"worker-item": map[string]any{"max_receive_count": 7, "visibility_timeout_seconds": 60}}
	// The whole root. Against the emulator, whose applies here are targeted
	// anyway, it is planned on the state the last apply wrote without a
	// refresh: the settings change shows what it replaces without one. Against
	// AWS it is the refreshing plan of the apply that follows.
	settings := *opts
	if onMoto() {
		settings.ExtraArgs.Plan = append(slices.Clone(opts.ExtraArgs.Plan), "-refresh=false")
	}
	changes := plannedChanges(planOf(t, &settings))
	if got := changes[pipeline]; !got.Update() {
		t.Errorf("settings change plans %v for %s, want an in-place update", got, pipeline)
	}
	for addr, actions := range changes {
		if actions.Replace() || actions.Delete() {
			t.Errorf("settings change plans %v for %s", actions, addr)
		}
	}
	terraform.ApplyContext(t, t.Context(), &apply)
	after := workersOf(t, opts)["worker-item"]
	attrs := must(client.GetQueueAttributes(t.Context(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(after.QueueURL), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}}))(t).Attributes
	deadLetterARN, receives := redrivePolicyOf(t, attrs)
	if after.QueueURL != before.QueueURL || attrs["VisibilityTimeout"] != "60" || receives != 7 || deadLetterARN != queueARNOf(t, client, after.DeadLetterQueueURL) {
		t.Errorf("after the update: queue %s (was %s), visibility %s, redrive %s; want the same queue, 60, 7 receives to its dead-letter queue", after.QueueURL, before.QueueURL, attrs["VisibilityTimeout"], attrs["RedrivePolicy"])
	}

	must(client.DeleteQueue(t.Context(), &sqs.DeleteQueueInput{QueueUrl: aws.String(after.QueueURL)}))(t)
	plan := planOf(t, &apply) // what the applies take is what the drift is looked for in
	change, ok := plan.ResourceChangesMap[pipeline]
	if !ok || !change.Change.Actions.Update() {
		t.Fatalf("after the queue was deleted the plan has %v for %s, want the update that re-creates it", plannedChanges(plan)[pipeline], pipeline)
	}
	if unknown, _ := change.Change.AfterUnknown.(map[string]any); unknown["queue_url"] != true {
		t.Errorf("the plan does not re-create the queue (queue_url known: %v)", change.Change.After)
	}
	terraform.ApplyContext(t, t.Context(), &apply)
	if _, err := client.GetQueueUrl(t.Context(), &sqs.GetQueueUrlInput{QueueName: aws.String(after.QueueURL[strings.LastIndex(after.QueueURL, "/")+1:])}); err != nil {
		t.Errorf("the queue was not re-created: %v", err)
	}
	if got := plannedChanges(planOf(t, &apply))[pipeline]; got != nil {
		t.Errorf("after re-creation the plan still has %v for %s", got, pipeline)
	}
}

// replaceableBesideOld are the resource types whose replacement AWS lets be
// created while the object it replaces still exists. create_before_destroy,
// set on a resource or passed on by Terraform to everything that resource
// depends on (https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#create_before_destroy),
// is safe only on these: on a resource with a name unique in the account or
// the VPC the replacement fails on that name (CreateSecret
// ResourceExistsException, CreateLoadBalancer DuplicateLoadBalancerName,
// CreateWebACL WAFDuplicateItemException, CreateSubnet InvalidSubnet.Conflict,
// CreateBucket BucketAlreadyOwnedByYou), and a resource left tainted by one
// failed create can then never be replaced.
var replaceableBesideOld = map[string]string{
	"aws_lb_target_group": "its name is a prefix and a suffix new at every create",
	"aws_acm_certificate": "a certificate has no name",
	"aws_vpc":             "a VPC has no unique name",
}

// checkCreateBeforeDestroyContained reads the state the apply wrote and
// fails on every instance Terraform marked create_before_destroy whose type
// cannot be created beside its old self.
func checkCreateBeforeDestroyContained(t *testing.T, opts *terraform.Options) {
	quiet := *opts
	quiet.Logger = logger.Discard // the whole state, not worth a log
	raw := terraform.RunTerraformCommandAndGetStdoutContext(t, t.Context(), &quiet, "state", "pull")
	var state struct {
		Resources []struct {
			Module, Mode, Type, Name string
			Instances                []struct {
				IndexKey            any  `json:"index_key"`
				CreateBeforeDestroy bool `json:"create_before_destroy"`
			}
		}
	}
	if err := json.Unmarshal([]byte(raw), &state); err != nil || len(state.Resources) == 0 {
		t.Fatalf("terraform state pull: %v (%d resources)", err, len(state.Resources))
	}
	marked := 0
	for _, r := range state.Resources {
		for _, i := range r.Instances {
			if r.Mode != "managed" || !i.CreateBeforeDestroy {
				continue
			}
			marked++
			if _, ok := replaceableBesideOld[r.Type]; !ok {
				addr := strings.TrimPrefix(r.Module+"."+r.Type+"."+r.Name, ".")
				if i.IndexKey != nil {
					addr += fmt.Sprintf("[%#v]", i.IndexKey)
				}
				t.Errorf("%s is create_before_destroy: its replacement would be created beside it and fail on its name (a resource with create_before_destroy depends on it)", addr)
			}
		}
	}
	// The web services' target groups are create_before_destroy themselves.
	if marked == 0 {
		t.Error("no instance in the state is create_before_destroy: the target groups should be")
	}
}
