package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Expected values in this file come from the AWS API references and
// developer guides, written out literally; none is built by the code under test.

func TestFilterPoliciesEquivalent(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		// SNS developer guide, "Numeric value matching": a range is an ordered
		// list of operator/value pairs; moving the bounds is another policy.
		{`{"price":[{"numeric":[">",0,"<=",100]}]}`, `{"price":[{"numeric":[">",0,"<=",150]}]}`, false},
		{`{"price":[{"numeric":[">",0,"<=",100]}]}`, `{"price":[{"numeric":[">",100,"<=",0]}]}`, false},
		{`{"price":[{"numeric":[">",0,"<=",100]}]}`, `{"price":[{"numeric":["<=",100,">",0]}]}`, false},
		// The values of one property are alternatives (OR): their order is not meaning.
		{`{"kind":["created","updated"]}`, `{"kind":["updated","created"]}`, true},
		{`{"kind":["created"],"store":["42"]}`, `{"store":["42"],"kind":["created"]}`, true},
		{`{"price":[{"numeric":["=",100]}]}`, `{"price":[{"numeric":["=",100.0]}]}`, true},
		{`{"kind":["created"]}`, `{"kind":["deleted"]}`, false},
	} {
		if got := filterPoliciesEquivalent(tc.a, tc.b); got != tc.want {
			t.Errorf("filterPoliciesEquivalent(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestTopicQueueCompatibility(t *testing.T) {
	// SNS developer guide, "Message delivery for FIFO topics": FIFO topics
	// deliver to SQS FIFO and standard queues; standard topics cannot deliver
	// to FIFO queues.
	fifoTopic := "arn:aws:sns:ap-northeast-1:123456789012:calinks-staging-api-item.fifo"
	stdTopic := "arn:aws:sns:ap-northeast-1:123456789012:calinks-staging-api-item"
	if err := checkTopicMatchesQueue(fifoTopic, false); err != nil {
		t.Errorf("FIFO topic to standard queue refused: %v", err)
	}
	if err := checkTopicMatchesQueue(fifoTopic, true); err != nil {
		t.Errorf("FIFO topic to FIFO queue refused: %v", err)
	}
	if err := checkTopicMatchesQueue(stdTopic, false); err != nil {
		t.Errorf("standard topic to standard queue refused: %v", err)
	}
	if err := checkTopicMatchesQueue(stdTopic, true); err == nil {
		t.Error("standard topic to FIFO queue accepted")
	}
}

func pipelineForAttributes() workerPipelineModel {
	return workerPipelineModel{
		FIFO: types.BoolValue(true), KMSMasterKeyID: types.StringNull(), DLQRetentionSeconds: types.Int64Value(1209600),
		DLQRedriveAllowPolicy: types.BoolValue(true), VisibilityTimeoutSeconds: types.Int64Value(30),
		MessageRetentionSeconds: types.Int64Value(345600), ReceiveWaitTimeSeconds: types.Int64Value(20), DelaySeconds: types.Int64Value(0),
		MaxReceiveCount: types.Int64Value(5), ContentBasedDeduplication: types.BoolValue(false),
		DeduplicationScope: types.StringValue("queue"), FIFOThroughputLimit: types.StringValue("perQueue"),
	}
}

func TestDeadLetterQueueRedriveAllowPolicy(t *testing.T) {
	const mainARN = "arn:aws:sqs:ap-northeast-1:123456789012:calinks-staging-worker-item.fifo"
	on := pipelineForAttributes()
	// SQS API reference, SetQueueAttributes, RedriveAllowPolicy: byQueue with sourceQueueArns.
	want := `{"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:ap-northeast-1:123456789012:calinks-staging-worker-item.fifo"]}`
	if got := deadLetterQueueAttributes(on, mainARN, nil)["RedriveAllowPolicy"]; got != want {
		t.Errorf("RedriveAllowPolicy = %s, want %s", got, want)
	}
	off := on
	off.DLQRedriveAllowPolicy = types.BoolValue(false)
	if _, sent := deadLetterQueueAttributes(off, mainARN, nil)["RedriveAllowPolicy"]; sent {
		t.Error("create with the policy off sends RedriveAllowPolicy")
	}
	// Switched off on update: an empty value removes it; leaving it out keeps it.
	got, sent := deadLetterQueueAttributes(off, mainARN, &on)["RedriveAllowPolicy"]
	if !sent || got != "" {
		t.Errorf("update switching the policy off sends RedriveAllowPolicy=%q (sent %v), want an empty value", got, sent)
	}
	if !isRedriveAllowPolicyOf(want, mainARN) || isRedriveAllowPolicyOf(`{"redrivePermission":"allowAll"}`, mainARN) {
		t.Error("isRedriveAllowPolicyOf does not tell this resource's policy from another")
	}
}

func TestEncryptionAttributesRemoveKey(t *testing.T) {
	withKey := pipelineForAttributes()
	withKey.KMSMasterKeyID = types.StringValue("alias/calinks-staging")
	noKey := pipelineForAttributes()
	// Key removed on update: KmsMasterKeyId="" clears it, SSE-SQS takes over.
	attrs := mainQueueAttributes(noKey, "arn:aws:sqs:ap-northeast-1:123456789012:dlq.fifo", "{}", &withKey)
	if v, sent := attrs["KmsMasterKeyId"]; !sent || v != "" {
		t.Errorf("KmsMasterKeyId = %q (sent %v), want an empty value", v, sent)
	}
	if attrs["SqsManagedSseEnabled"] != "true" {
		t.Errorf("SqsManagedSseEnabled = %q, want true", attrs["SqsManagedSseEnabled"])
	}
	attrs = mainQueueAttributes(withKey, "arn:aws:sqs:ap-northeast-1:123456789012:dlq.fifo", "{}", &noKey)
	if attrs["KmsMasterKeyId"] != "alias/calinks-staging" || attrs["SqsManagedSseEnabled"] != "false" {
		t.Errorf("switch to SSE-KMS sends %v", attrs)
	}
	if _, sent := mainQueueAttributes(noKey, "x", "{}", nil)["KmsMasterKeyId"]; sent {
		t.Error("create without a key sends KmsMasterKeyId")
	}
}

func apiError(code, message string) error {
	return &smithy.GenericAPIError{Code: code, Message: message}
}

func TestRetriesOnlyNamedErrors(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{apiError("AWS.SimpleQueueService.QueueDeletedRecently", "You must wait 60 seconds after deleting a queue before you can create another with the same name."), true},
		// IAM propagation: the bare message, no reason.
		{apiError("InvalidAttributeValue", "Invalid value for the parameter Policy."), true},
		// Permanent: the reason is given.
		{apiError("InvalidAttributeValue", "Invalid value for the parameter Policy. Reason: Policy size exceeds the maximum allowed size."), false},
		{apiError("InvalidAttributeValue", "Invalid value for the parameter Policy. Reason: Policy statement action out of service scope!"), false},
		{apiError("InvalidAttributeValue", "Invalid value for the parameter VisibilityTimeout."), false},
		{errors.New("connection reset by peer"), false},
	} {
		if got := isQueueCreateRetryable(tc.err); got != tc.want {
			t.Errorf("isQueueCreateRetryable(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestPermanentSQSErrorNamesAttribute(t *testing.T) {
	err := withSQSAttribute(apiError("InvalidAttributeValue", "Invalid value for the parameter MessageRetentionPeriod."), true)
	var ae attributeError
	if !errors.As(err, &ae) || !ae.attr.Equal(path.Root("dead_letter_queue_retention_seconds")) {
		t.Fatalf("error %v names no attribute or the wrong one", err)
	}
	err = withSQSAttribute(apiError("InvalidAttributeValue", "Invalid value for the parameter VisibilityTimeout."), false)
	if !errors.As(err, &ae) || !ae.attr.Equal(path.Root("visibility_timeout_seconds")) {
		t.Fatalf("error %v names no attribute or the wrong one", err)
	}
}

func TestDeregisterSwallowsOnlyNotFound(t *testing.T) {
	if !isTaskDefinitionNotFound(apiError("ClientException", "The specified task definition does not exist.")) {
		t.Error("a revision that does not exist is an error")
	}
	for _, msg := range []string{
		"User: arn:aws:sts::123456789012:assumed-role/ci is not authorized to perform: ecs:DeregisterTaskDefinition",
		"Invalid revision number. Number: x",
	} {
		if isTaskDefinitionNotFound(apiError("ClientException", msg)) {
			t.Errorf("ClientException %q swallowed", msg)
		}
	}
}

func TestServiceUpdateRespectsExternalOwnership(t *testing.T) {
	base := workerPipelineModel{
		Cluster: types.StringValue("c"), ServiceName: types.StringValue("worker-item"), DesiredCount: types.Int64Value(1),
		SubnetIDs: types.SetNull(types.StringType), SecurityGroupIDs: types.SetNull(types.StringType), AssignPublicIP: types.BoolValue(false),
		PlatformVersion: types.StringValue("LATEST"), EnableExecuteCommand: types.BoolValue(false),
	}
	ci1 := "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/ci:1"
	ci2 := "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/ci:2"
	owned := "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/calinks-staging-worker-item:3"

	state, plan := base, base
	state.TaskDefinitionOwnership, state.TaskDefinitionARN = types.StringValue("external"), types.StringValue(ci1)
	plan.TaskDefinitionOwnership, plan.TaskDefinitionARN = types.StringValue("external"), types.StringValue(ci2)
	if in, changed := serviceUpdate(context.Background(), plan, state); changed || in.TaskDefinition != nil {
		t.Errorf("external ownership: a changed task_definition_arn deploys %v (reverts CI)", aws.ToString(in.TaskDefinition))
	}
	state.TaskDefinitionOwnership, state.TaskDefinitionARN = types.StringValue("terraform"), types.StringValue(owned)
	in, changed := serviceUpdate(context.Background(), plan, state)
	if !changed || aws.ToString(in.TaskDefinition) != ci2 {
		t.Errorf("hand-over to external ownership deploys %q, want %s", aws.ToString(in.TaskDefinition), ci2)
	}
	// ECS developer guide, ECS Exec: turning it on applies to new tasks only.
	exec := state
	exec.EnableExecuteCommand = types.BoolValue(true)
	if in, changed := serviceUpdate(context.Background(), exec, state); !changed || !aws.ToBool(in.EnableExecuteCommand) || !in.ForceNewDeployment {
		t.Errorf("enable_execute_command turned on: UpdateService %+v, want enableExecuteCommand with a new deployment", in)
	}
}

func TestReadTagsAllSeesDriftOnAnyObject(t *testing.T) {
	prior := map[string]string{"team": "pos"}
	pos := map[string]string{"team": "pos"}
	objects := func(service, taskDefinition map[string]string) []objectTags {
		return []objectTags{{"queue", pos}, {"dead-letter queue", pos}, {"service", service}, {"task definition", taskDefinition}}
	}
	if got := readTagsAll(prior, objects(pos, pos)); !maps.Equal(got, map[string]string{"team": "pos"}) {
		t.Errorf("no drift read as %v", got)
	}
	if got := readTagsAll(prior, objects(map[string]string{"team": "ec"}, map[string]string{"team": "ec"})); got["team"] != `"ec" on service, task definition; "pos" on queue, dead-letter queue` {
		t.Errorf("tag drift on the service and task definition read as %v", got)
	}
	// Drift on two objects at once, of two kinds: a key changed on the
	// service, a key added on the task definition. Each key must differ from
	// the configured value, so that one update repairs both objects.
	got := readTagsAll(prior, objects(map[string]string{"team": "ec"}, map[string]string{"team": "pos", "owner": "ci"}))
	want := map[string]string{
		"team":  `"ec" on service; "pos" on queue, dead-letter queue, task definition`,
		"owner": `"ci" on task definition; absent on queue, dead-letter queue, service`,
	}
	if !maps.Equal(got, want) {
		t.Errorf("drift on two objects read as %v, want %v", got, want)
	}
	removed, changed := tagDiff(got, prior)
	if !slices.Equal(removed, []string{"owner"}) || !maps.Equal(changed, map[string]string{"team": "pos"}) {
		t.Errorf("the update from that reading removes %v and sets %v, want [owner] and team=pos on every object", removed, changed)
	}
}

// TestBacklogMetricQueries checks the metric math against the Application
// Auto Scaling guide's "SQS queue backlog per task" example for ECS.
func TestBacklogMetricQueries(t *testing.T) {
	got, _ := json.Marshal(backlogMetricQueries("calinks-staging-worker-item.fifo", "arn:aws:ecs:ap-northeast-1:123456789012:cluster/calinks-staging", "worker-item"))
	want := `[{"Id":"visible","Expression":null,"Label":null,"MetricStat":{"Metric":{"Dimensions":[{"Name":"QueueName","Value":"calinks-staging-worker-item.fifo"}],"MetricName":"ApproximateNumberOfMessagesVisible","Namespace":"AWS/SQS"},"Stat":"Sum","Unit":null},"ReturnData":false},` +
		`{"Id":"running","Expression":null,"Label":null,"MetricStat":{"Metric":{"Dimensions":[{"Name":"ClusterName","Value":"calinks-staging"},{"Name":"ServiceName","Value":"worker-item"}],"MetricName":"RunningTaskCount","Namespace":"ECS/ContainerInsights"},"Stat":"Average","Unit":null},"ReturnData":false},` +
		`{"Id":"backlog_per_task","Expression":"visible / IF(running \u003e 0, running, 1)","Label":"Visible messages per running task","MetricStat":null,"ReturnData":true}]`
	if string(got) != want {
		t.Errorf("metric queries\n%s\nwant\n%s", got, want)
	}
}

// fakeECS answers DescribeClusters (awsJson1.1) with the given settings.
func fakeECS(t *testing.T, settings string) *ecs.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".DescribeClusters") {
			http.Error(w, "unexpected call", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write([]byte(`{"clusters":[{"clusterName":"calinks-staging","status":"ACTIVE","settings":` + settings + `}],"failures":[]}`))
	}))
	t.Cleanup(srv.Close)
	return ecs.New(ecs.Options{Region: "ap-northeast-1", BaseEndpoint: aws.String(srv.URL), Credentials: aws.AnonymousCredentials{}})
}

func TestAutoscalingNeedsContainerInsights(t *testing.T) {
	ctx := context.Background()
	for settings, ok := range map[string]bool{
		`[{"name":"containerInsights","value":"enabled"}]`:  true,
		`[{"name":"containerInsights","value":"enhanced"}]`: true,
		`[{"name":"containerInsights","value":"disabled"}]`: false,
		`[]`: false,
	} {
		err := checkContainerInsights(ctx, fakeECS(t, settings), "calinks-staging")
		if (err == nil) != ok {
			t.Errorf("settings %s: err = %v, want ok=%v", settings, err, ok)
		}
		var ae attributeError
		if err != nil && (!errors.As(err, &ae) || !ae.attr.Equal(path.Root("autoscaling")) || !strings.Contains(err.Error(), "RunningTaskCount")) {
			t.Errorf("settings %s: error does not name autoscaling and the metric: %v", settings, err)
		}
	}
}

func TestBuildQueuePolicyLiteral(t *testing.T) {
	got := buildQueuePolicy(queuePolicyInput{
		queueARN:        "arn:aws:sqs:ap-northeast-1:123456789012:q.fifo",
		topicARNs:       []string{"arn:aws:sns:ap-northeast-1:123456789012:t.fifo"},
		consumerRoleARN: "arn:aws:iam::123456789012:role/task",
	})
	want := `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"AllowSubscribedTopics","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":["sqs:SendMessage"],"Resource":"arn:aws:sqs:ap-northeast-1:123456789012:q.fifo","Condition":{"ArnEquals":{"aws:SourceArn":["arn:aws:sns:ap-northeast-1:123456789012:t.fifo"]}}},` +
		`{"Sid":"AllowWorkerConsume","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/task"},"Action":["sqs:ChangeMessageVisibility","sqs:DeleteMessage","sqs:GetQueueAttributes","sqs:GetQueueUrl","sqs:ReceiveMessage"],"Resource":"arn:aws:sqs:ap-northeast-1:123456789012:q.fifo"},` +
		`{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":{"AWS":"*"},"Action":["sqs:*"],"Resource":"arn:aws:sqs:ap-northeast-1:123456789012:q.fifo","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	if got != want {
		t.Errorf("queue policy\n%s\nwant\n%s", got, want)
	}
}

func TestReadRedriveToAnotherQueueKeepsOwnDeadLetterQueue(t *testing.T) {
	const (
		ownDLQARN  = "arn:aws:sqs:ap-northeast-1:123456789012:calinks-staging-worker-item-dlq.fifo"
		ownDLQURL  = "https://sqs.ap-northeast-1.amazonaws.com/123456789012/calinks-staging-worker-item-dlq.fifo"
		foreignARN = "arn:aws:sqs:ap-northeast-1:123456789012:someone-elses-queue.fifo"
	)
	attrs := map[string]string{
		"QueueArn": "arn:aws:sqs:ap-northeast-1:123456789012:calinks-staging-worker-item.fifo", "FifoQueue": "true",
		"RedrivePolicy": `{"deadLetterTargetArn":"` + foreignARN + `","maxReceiveCount":5}`,
	}
	m := pipelineForAttributes()
	m.DLQARN, m.DLQName, m.DLQURL = types.StringValue(ownDLQARN), types.StringValue("calinks-staging-worker-item-dlq.fifo"), types.StringValue(ownDLQURL)
	if err := m.setMainQueueAttributes(attrs, false); err != nil {
		t.Fatal(err)
	}
	if m.DLQARN.ValueString() != ownDLQARN || m.DLQName.ValueString() != "calinks-staging-worker-item-dlq.fifo" || m.DLQURL.ValueString() != ownDLQURL {
		t.Errorf("dead-letter queue read as %s / %s / %s, want the pipeline's own", m.DLQARN, m.DLQName, m.DLQURL)
	}
	if m.MaxReceiveCount.ValueInt64() != 0 {
		t.Errorf("max_receive_count = %d, want 0 (no redrive to the pipeline's dead-letter queue)", m.MaxReceiveCount.ValueInt64())
	}

	// The dead-letter queue was found gone by an earlier refresh (its URL and
	// ARN null in state, its name kept): the queue redriven to is not it.
	afterLoss := pipelineForAttributes()
	afterLoss.DLQARN, afterLoss.DLQName, afterLoss.DLQURL = types.StringNull(), types.StringValue("calinks-staging-worker-item-dlq.fifo"), types.StringNull()
	if err := afterLoss.setMainQueueAttributes(attrs, false); err != nil {
		t.Fatal(err)
	}
	if !afterLoss.DLQARN.IsNull() || afterLoss.DLQName.ValueString() != "calinks-staging-worker-item-dlq.fifo" || afterLoss.MaxReceiveCount.ValueInt64() != 0 {
		t.Errorf("with its dead-letter queue gone the pipeline read dead-letter queue %s / %s after %d receives, want its own name, no ARN, 0", afterLoss.DLQName, afterLoss.DLQARN, afterLoss.MaxReceiveCount.ValueInt64())
	}

	// An import knows no dead-letter queue yet: the redrive target is it.
	imported := pipelineForAttributes()
	imported.DLQARN, imported.DLQName, imported.DLQURL = types.StringNull(), types.StringNull(), types.StringNull()
	if err := imported.setMainQueueAttributes(attrs, true); err != nil {
		t.Fatal(err)
	}
	if imported.DLQName.ValueString() != "someone-elses-queue.fifo" || imported.MaxReceiveCount.ValueInt64() != 5 {
		t.Errorf("import read dead-letter queue %s after %d receives, want someone-elses-queue.fifo after 5", imported.DLQName, imported.MaxReceiveCount.ValueInt64())
	}
}

func TestCreateServiceResendsItsClientToken(t *testing.T) {
	// The first CreateService takes effect and its answer is lost (the
	// connection closes); the SDK sends it again, which ECS answers with the
	// service only when both carry the same clientToken (CreateService API
	// reference: clientToken, up to 36 ASCII characters).
	var tokens []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			ClientToken string `json:"clientToken"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		tokens = append(tokens, body.ClientToken)
		if len(tokens) == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write([]byte(`{"service":{"serviceArn":"arn:aws:ecs:ap-northeast-1:123456789012:service/calinks-staging/worker-item"}}`))
	}))
	t.Cleanup(srv.Close)
	client := ecs.New(ecs.Options{Region: "ap-northeast-1", BaseEndpoint: aws.String(srv.URL), Credentials: aws.AnonymousCredentials{},
		RetryMaxAttempts: 2})
	m := workerPipelineModel{
		Cluster: types.StringValue("calinks-staging"), ServiceName: types.StringValue("worker-item"), DesiredCount: types.Int64Value(1),
		PlatformVersion: types.StringValue("LATEST"), EnableExecuteCommand: types.BoolValue(false), AssignPublicIP: types.BoolValue(false),
		SubnetIDs: types.SetValueMust(types.StringType, []attr.Value{types.StringValue("subnet-0a1b2c3d")}), SecurityGroupIDs: types.SetNull(types.StringType),
	}
	arn, err := createService(context.Background(), client, m, "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/calinks-staging-worker-item:1", nil)
	if err != nil || arn != "arn:aws:ecs:ap-northeast-1:123456789012:service/calinks-staging/worker-item" {
		t.Fatalf("createService = %q, %v", arn, err)
	}
	if len(tokens) != 2 || tokens[0] == "" || tokens[0] != tokens[1] || len(tokens[0]) > 36 {
		t.Errorf("clientToken of the two attempts = %q, want one token of at most 36 characters, sent twice", tokens)
	}
}

func TestFilterPolicyScopeOrder(t *testing.T) {
	// SNS developer guide, subscription filter policy scope: nested keys are
	// matched against the message body only, so the scope must be MessageBody
	// before a nested policy is set, and a flat policy must be back before the
	// scope returns to MessageAttributes.
	var names []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		names = append(names, r.PostForm.Get("AttributeName"))
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<SetSubscriptionAttributesResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></SetSubscriptionAttributesResponse>`))
	}))
	t.Cleanup(srv.Close)
	client := sns.New(sns.Options{Region: "ap-northeast-1", BaseEndpoint: aws.String(srv.URL), Credentials: aws.AnonymousCredentials{}})
	flat := subscriptionModel{TopicARN: types.StringValue("arn:aws:sns:ap-northeast-1:123456789012:item.fifo"),
		FilterPolicy: types.StringValue(`{"kind":["created"]}`), FilterPolicyScope: types.StringValue("MessageAttributes"), RawMessageDelivery: types.BoolValue(false)}
	nested := flat
	nested.FilterPolicy, nested.FilterPolicyScope = types.StringValue(`{"detail":{"kind":["created"]}}`), types.StringValue("MessageBody")
	for _, tc := range []struct {
		from, to subscriptionModel
		want     []string
	}{
		{flat, nested, []string{"FilterPolicyScope", "FilterPolicy"}},
		{nested, flat, []string{"FilterPolicy", "FilterPolicyScope"}},
	} {
		names = nil
		if err := setSubscriptionAttributes(context.Background(), client, "arn:aws:sns:ap-northeast-1:123456789012:item.fifo:1", tc.from, tc.to); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(names, tc.want) {
			t.Errorf("%s → %s: attributes set in the order %v, want %v", tc.from.FilterPolicyScope, tc.to.FilterPolicyScope, names, tc.want)
		}
	}
}

func TestSubscriptionErrorNamesAttribute(t *testing.T) {
	// Codes as the SNS API reference lists them for Subscribe; messages as
	// SNS words them, with the prefix of Subscribe ("Attributes Reason: ")
	// and of SetSubscriptionAttributes.
	for _, tc := range []struct {
		err  error
		want string // "" : no attribute
	}{
		{apiError("InvalidParameter", "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy can not have more than 5 keys"), `subscriptions["item"].filter_policy`},
		{apiError("InvalidParameter", "Invalid parameter: FilterPolicy: Unrecognized match type range"), `subscriptions["item"].filter_policy`},
		{apiError("InvalidParameter", "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy"), `subscriptions["item"].filter_policy`},
		{apiError("InvalidParameter", "Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy"), `subscriptions["item"].filter_policy`},
		{apiError("InvalidParameter", "Invalid parameter: FilterPolicyScope: Invalid value [Body]. Please use either MessageBody or MessageAttributes"), `subscriptions["item"].filter_policy_scope`},
		{apiError("InvalidParameter", "Invalid parameter: RawMessageDelivery: Invalid value [yes]. Must be true or false."), `subscriptions["item"].raw_message_delivery`},
		{apiError("InvalidParameter", "Invalid parameter: TopicArn"), `subscriptions["item"].topic_arn`},
		{apiError("FilterPolicyLimitExceeded", "Filter policy limit exceeded"), `subscriptions["item"].filter_policy`},
		{apiError("NotFound", "Topic does not exist"), `subscriptions["item"].topic_arn`},
		{apiError("AuthorizationError", "User is not authorized to perform: SNS:Subscribe"), `subscriptions["item"].topic_arn`},
		{apiError("Throttling", "Rate exceeded"), ""},
		{errors.New("connection reset by peer"), ""},
	} {
		var ae attributeError
		got := ""
		if err := withSubscriptionAttribute(tc.err, "item"); errors.As(err, &ae) {
			got = ae.attr.String()
		}
		if got != tc.want {
			t.Errorf("%v: on %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestClientsNameTheProviderInTheUserAgent(t *testing.T) {
	// AWS SDK for Go v2, application ID: sent as app/<id> in the User-Agent,
	// which CloudTrail records (and the fault proxy counts faults by).
	var agent string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agent = r.Header.Get("User-Agent")
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write([]byte(`{"clusters":[],"failures":[]}`))
	}))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	clients, err := newAWSClients(context.Background(), clientSettings{region: "ap-northeast-1", endpoint: srv.URL, maxAttempts: 1, retryMode: "standard"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := clients.ecs.DescribeClusters(context.Background(), &ecs.DescribeClustersInput{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(agent, "app/terraform-provider-calinks") {
		t.Errorf("User-Agent %q does not name the provider", agent)
	}
}

func TestCheckCreateRefusesTakenNamesOnly(t *testing.T) {
	// SQS DeleteQueue API reference: deletion takes up to 60 seconds, during
	// which requests about the queue may still succeed; GetQueueUrl answers
	// for the queue here as it may then. ECS ListTaskDefinitions lists the
	// family's ACTIVE revisions (familyPrefix, status ACTIVE).
	var revisions []string
	r := stubbedResource(t, func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			QueueName    string `json:"QueueName"`
			FamilyPrefix string `json:"familyPrefix"`
			Status       string `json:"status"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		switch target := r.Header.Get("X-Amz-Target"); {
		case strings.HasSuffix(target, ".GetQueueUrl"):
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			_, _ = w.Write([]byte(`{"QueueUrl":"https://sqs.ap-northeast-1.amazonaws.com/123456789012/` + body.QueueName + `"}`))
		case strings.HasSuffix(target, ".DescribeServices"):
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			_, _ = w.Write([]byte(`{"services":[],"failures":[{"arn":"arn:aws:ecs:ap-northeast-1:123456789012:service/calinks-staging/worker-item","reason":"MISSING"}]}`))
		case strings.HasSuffix(target, ".ListTaskDefinitions"):
			if body.FamilyPrefix != "calinks-staging-worker-item" || body.Status != "ACTIVE" {
				t.Errorf("ListTaskDefinitions of family %q, status %q; want calinks-staging-worker-item, ACTIVE", body.FamilyPrefix, body.Status)
			}
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			arns, _ := json.Marshal(revisions)
			_, _ = w.Write([]byte(`{"taskDefinitionArns":` + string(arns) + `}`))
		default:
			t.Errorf("unexpected call %s", target)
			w.WriteHeader(http.StatusBadRequest)
		}
	})
	m := workerPipelineModel{
		App: types.StringValue("calinks"), Environment: types.StringValue("staging"), Name: types.StringValue("worker-item"),
		Cluster: types.StringValue("calinks-staging"), ServiceName: types.StringValue("worker-item"),
		QueueName: types.StringValue("calinks-staging-worker-item.fifo"), DLQName: types.StringValue("calinks-staging-worker-item-dlq.fifo"),
		TaskDefinitionOwnership: types.StringValue("terraform"),
	}
	attrOf := func(err error) string {
		var ae attributeError
		if errors.As(err, &ae) {
			return ae.attr.String()
		}
		return fmt.Sprint(err)
	}

	// Listed, and not deleted by this provider: another owner's.
	if got := attrOf(r.checkCreate(context.Background(), m, nil)); got != "queue_name" && got != "dead_letter_queue_name" {
		t.Errorf("a queue that answers GetQueueUrl: error on %q, want queue_name or dead_letter_queue_name", got)
	}
	// Deleted by this provider moments ago (a tainted pipeline's replacement).
	r.clients.deletedQueues.Store("calinks-staging-worker-item.fifo", true)
	r.clients.deletedQueues.Store("calinks-staging-worker-item-dlq.fifo", true)
	if err := r.checkCreate(context.Background(), m, nil); err != nil {
		t.Errorf("queues this provider deleted refused: %v", err)
	}
	// A revision in the family <app>-<environment>-<name> that is not the pipeline's.
	revisions = []string{"arn:aws:ecs:ap-northeast-1:123456789012:task-definition/calinks-staging-worker-item:7"}
	if got := attrOf(r.checkCreate(context.Background(), m, nil)); got != "name" {
		t.Errorf("a family with an ACTIVE revision: error on %q, want name", got)
	}
	// Swept by this provider's delete moments ago (a tainted pipeline's
	// replacement): ListTaskDefinitions may still list the revision.
	r.clients.sweptFamilies.Store("calinks-staging-worker-item", true)
	if err := r.checkCreate(context.Background(), m, nil); err != nil {
		t.Errorf("a family this provider swept refused: %v", err)
	}
	r.clients.sweptFamilies.Delete("calinks-staging-worker-item")
	// Only revisions of the family itself count, whatever an endpoint lists.
	revisions = []string{"arn:aws:ecs:ap-northeast-1:123456789012:task-definition/calinks-staging-worker-item-2:1"}
	if err := r.checkCreate(context.Background(), m, nil); err != nil {
		t.Errorf("another family's revision refused: %v", err)
	}
	// An external owner's family is not the pipeline's to guard.
	m.TaskDefinitionOwnership = types.StringValue("external")
	revisions = []string{"arn:aws:ecs:ap-northeast-1:123456789012:task-definition/calinks-staging-worker-item:7"}
	if err := r.checkCreate(context.Background(), m, nil); err != nil {
		t.Errorf("external ownership refused on the family: %v", err)
	}
}

func TestHandOverSweepsNoFamily(t *testing.T) {
	// task_definition_ownership = "external": the owner deploys where it
	// likes, a family the pipeline owned before a rename included, so the
	// hand-over deregisters the owned revision it replaces and lists no family.
	var calls []string
	r := stubbedResource(t, func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			TaskDefinition string `json:"taskDefinition"`
			FamilyPrefix   string `json:"familyPrefix"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		target := r.Header.Get("X-Amz-Target")
		calls = append(calls, target[strings.LastIndex(target, ".")+1:]+" "+body.TaskDefinition+body.FamilyPrefix)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write([]byte(`{"taskDefinition":{"status":"INACTIVE"},"taskDefinitionArns":[]}`))
	})
	const owned = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/calinksmv-staging-worker-item:3"
	state := workerPipelineModel{
		App: types.StringValue("calinksmv"), Environment: types.StringValue("staging"), Name: types.StringValue("worker-item"),
		TaskDefinitionOwnership: types.StringValue("terraform"), TaskDefinitionARN: types.StringValue(owned),
		formerFamilies: []string{"calinks-staging-worker-item"},
	}
	plan := state
	plan.TaskDefinitionOwnership = types.StringValue("external")
	plan.TaskDefinitionARN = types.StringValue("arn:aws:ecs:ap-northeast-1:123456789012:task-definition/calinks-staging-worker-item:9")
	plan.formerFamilies = formerFamiliesAfter(plan, state)
	if err := r.retireRevisions(context.Background(), &plan, state, nil); err != nil {
		t.Fatal(err)
	}
	if want := []string{"DeregisterTaskDefinition " + owned}; !slices.Equal(calls, want) {
		t.Errorf("hand-over calls = %q, want only %q", calls, want)
	}
}

// stubbedResource is a pipeline resource whose SQS and ECS clients call
// handler, one attempt per call.
func stubbedResource(t *testing.T, handler http.HandlerFunc) *workerPipelineResource {
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return &workerPipelineResource{clients: &awsClients{
		sqs: sqs.New(sqs.Options{Region: "ap-northeast-1", BaseEndpoint: aws.String(srv.URL), Credentials: aws.AnonymousCredentials{}, RetryMaxAttempts: 1}),
		ecs: ecs.New(ecs.Options{Region: "ap-northeast-1", BaseEndpoint: aws.String(srv.URL), Credentials: aws.AnonymousCredentials{}, RetryMaxAttempts: 1}),
	}}
}
