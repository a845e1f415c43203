package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

func int64Of(attrs map[string]string, name sqstypes.QueueAttributeName, current types.Int64) types.Int64 {
	v, err := strconv.ParseInt(attrs[string(name)], 10, 64)
	if err != nil {
		return current // not reported by this endpoint
	}
	return types.Int64Value(v)
}

// setMainQueueAttributes copies what GetQueueAttributes reports of the worker
// queue. Only an import takes the redrive target as the dead-letter queue: in
// state a null dead-letter queue ARN means that queue was found gone, and the
// queue the worker queue redrives to now may be another's.
func (m *workerPipelineModel) setMainQueueAttributes(attrs map[string]string, importing bool) error {
	m.QueueARN = types.StringValue(attrs[string(sqstypes.QueueAttributeNameQueueArn)])
	m.FIFO = types.BoolValue(attrs[string(sqstypes.QueueAttributeNameFifoQueue)] == "true")
	m.VisibilityTimeoutSeconds = int64Of(attrs, sqstypes.QueueAttributeNameVisibilityTimeout, m.VisibilityTimeoutSeconds)
	m.MessageRetentionSeconds = int64Of(attrs, sqstypes.QueueAttributeNameMessageRetentionPeriod, m.MessageRetentionSeconds)
	m.ReceiveWaitTimeSeconds = int64Of(attrs, sqstypes.QueueAttributeNameReceiveMessageWaitTimeSeconds, m.ReceiveWaitTimeSeconds)
	m.DelaySeconds = int64Of(attrs, sqstypes.QueueAttributeNameDelaySeconds, m.DelaySeconds)
	if key := attrs[string(sqstypes.QueueAttributeNameKmsMasterKeyId)]; key != "" {
		m.KMSMasterKeyID = types.StringValue(key)
	} else {
		m.KMSMasterKeyID = types.StringNull()
	}
	if m.FIFO.ValueBool() {
		m.ContentBasedDeduplication = types.BoolValue(attrs[string(sqstypes.QueueAttributeNameContentBasedDeduplication)] == "true")
		m.DeduplicationScope = types.StringValue(valueOr(attrs[string(sqstypes.QueueAttributeNameDeduplicationScope)], dedupScopeQueue))
		m.FIFOThroughputLimit = types.StringValue(valueOr(attrs[string(sqstypes.QueueAttributeNameFifoThroughputLimit)], throughputPerQueue))
	} else if m.DeduplicationScope.IsNull() { // import of a standard queue: the schema defaults
		m.ContentBasedDeduplication = types.BoolValue(false)
		m.DeduplicationScope = types.StringValue(dedupScopeQueue)
		m.FIFOThroughputLimit = types.StringValue(throughputPerQueue)
	}
	if raw := attrs[string(sqstypes.QueueAttributeNameRedrivePolicy)]; raw != "" {
		var rp redrivePolicy
		if err := json.Unmarshal([]byte(raw), &rp); err != nil {
			return fmt.Errorf("parsing RedrivePolicy of %s: %w", m.QueueURL.ValueString(), err)
		}
		m.MaxReceiveCount = types.Int64Value(rp.MaxReceiveCount)
		switch {
		case importing: // the redrive target is the dead-letter queue, looked up by name
			m.DLQARN = types.StringValue(rp.DeadLetterTargetARN)
			m.DLQName = types.StringValue(rp.DeadLetterTargetARN[strings.LastIndex(rp.DeadLetterTargetARN, ":")+1:])
			m.DLQURL = types.StringNull()
		case m.DLQARN.ValueString() != rp.DeadLetterTargetARN:
			// Redriven to another queue out of band, or the dead-letter queue
			// was found gone (null ARN): the target is not the pipeline's,
			// which keeps its own dead-letter queue; no redrive to it reads as
			// 0, a diff the update repairs.
			m.MaxReceiveCount = types.Int64Value(0)
		}
	} else {
		m.MaxReceiveCount = types.Int64Value(0) // no redrive: shown as a diff to restore it
	}
	policy := attrs[string(sqstypes.QueueAttributeNamePolicy)]
	if m.QueuePolicy.IsNull() || !policiesEquivalent(m.QueuePolicy.ValueString(), policy) {
		m.QueuePolicy = types.StringValue(policy)
	}
	return nil
}

// setDeadLetterQueueAttributes copies what GetQueueAttributes reports of the
// DLQ. The redrive-allow policy reads as set only when it is the one this
// resource writes (byQueue, the worker queue alone): any other is drift.
func (m *workerPipelineModel) setDeadLetterQueueAttributes(attrs map[string]string) {
	m.DLQARN = types.StringValue(attrs[string(sqstypes.QueueAttributeNameQueueArn)])
	m.DLQRetentionSeconds = int64Of(attrs, sqstypes.QueueAttributeNameMessageRetentionPeriod, m.DLQRetentionSeconds)
	raw := attrs[string(sqstypes.QueueAttributeNameRedriveAllowPolicy)]
	switch {
	case raw == "":
		m.DLQRedriveAllowPolicy = types.BoolValue(false)
	case !m.QueueARN.IsNull() && !m.QueueARN.IsUnknown():
		m.DLQRedriveAllowPolicy = types.BoolValue(isRedriveAllowPolicyOf(raw, m.QueueARN.ValueString()))
	default: // worker queue missing: judged once it is back
		m.DLQRedriveAllowPolicy = types.BoolValue(true)
	}
}

func stringSetValue(values []string, nullWhenEmpty bool) types.Set {
	if len(values) == 0 && nullWhenEmpty {
		return types.SetNull(types.StringType)
	}
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.SetValueMust(types.StringType, elems)
}

// fargateOnly is what an unset strategy is applied as once a service has used
// capacity providers (ECS cannot go back to a launch type in place).
var fargateOnly = []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE"), Weight: 1}}

func readCapacityStrategy(items []ecstypes.CapacityProviderStrategyItem, unsetInState bool) []capacityModel {
	if len(items) == 0 || (unsetInState && len(items) == 1 && aws.ToString(items[0].CapacityProvider) == "FARGATE" && items[0].Weight == 1 && items[0].Base == 0) {
		return nil
	}
	out := make([]capacityModel, len(items))
	for i, it := range items {
		out[i] = capacityModel{
			CapacityProvider: types.StringValue(aws.ToString(it.CapacityProvider)),
			Weight:           types.Int64Value(int64(it.Weight)),
			Base:             types.Int64Value(int64(it.Base)),
		}
	}
	return out
}

// setTaskDefinition copies the worker container and roles of the deployed
// task definition; on import it also recovers app, environment and name
// from the Copilot variables.
func (m *workerPipelineModel) setTaskDefinition(td *ecstypes.TaskDefinition, importing bool) error {
	name := m.Name.ValueString()
	if importing {
		name = m.ServiceName.ValueString()
	}
	cont, err := workerContainer(td, name)
	if err != nil {
		return err
	}
	m.sidecars = nil
	for _, c := range td.ContainerDefinitions {
		if aws.ToString(c.Name) != aws.ToString(cont.Name) {
			m.sidecars = append(m.sidecars, aws.ToString(c.Name))
		}
	}
	env := map[string]string{}
	injected := map[string]string{}
	for _, kv := range cont.Environment {
		env[aws.ToString(kv.Name)] = aws.ToString(kv.Value)
	}
	for _, k := range injectedEnvNames {
		if v, ok := env[k]; ok {
			injected[k] = v
			delete(env, k)
		}
	}
	if importing {
		if injected[envApplicationName] == "" || injected[envEnvironmentName] == "" || injected[envServiceName] == "" {
			return fmt.Errorf("container %s of %s has no COPILOT_APPLICATION_NAME, COPILOT_ENVIRONMENT_NAME and COPILOT_SERVICE_NAME: cannot tell app, environment and name",
				aws.ToString(cont.Name), aws.ToString(td.TaskDefinitionArn))
		}
		m.App, m.Environment, m.Name = types.StringValue(injected[envApplicationName]), types.StringValue(injected[envEnvironmentName]), types.StringValue(injected[envServiceName])
	}
	m.EnvironmentVariables = stringMapValue(injected)
	m.TaskRoleARN = types.StringValue(aws.ToString(td.TaskRoleArn))
	m.ExecutionRoleARN = types.StringNull()
	if v := aws.ToString(td.ExecutionRoleArn); v != "" {
		m.ExecutionRoleARN = types.StringValue(v)
	}
	prior := m.Container
	if prior == nil {
		prior = &containerModel{Command: types.ListNull(types.StringType), Environment: types.MapNull(types.StringType), Secrets: types.MapNull(types.StringType)}
	}
	cpu, _ := strconv.ParseInt(aws.ToString(td.Cpu), 10, 64)
	memory, _ := strconv.ParseInt(aws.ToString(td.Memory), 10, 64)
	secrets := map[string]string{}
	for _, s := range cont.Secrets {
		secrets[aws.ToString(s.Name)] = aws.ToString(s.ValueFrom)
	}
	container := &containerModel{
		Image:                  types.StringValue(aws.ToString(cont.Image)),
		CPU:                    types.Int64Value(cpu),
		Memory:                 types.Int64Value(memory),
		Command:                stringListValue(cont.Command, prior.Command.IsNull()),
		Environment:            stringMapValueOrNull(env, prior.Environment.IsNull()),
		Secrets:                stringMapValueOrNull(secrets, prior.Secrets.IsNull()),
		LogGroupName:           types.StringNull(),
		ReadonlyRootFilesystem: types.BoolValue(aws.ToBool(cont.ReadonlyRootFilesystem)),
	}
	if lc := cont.LogConfiguration; lc != nil && lc.LogDriver == ecstypes.LogDriverAwslogs && lc.Options["awslogs-group"] != "" {
		container.LogGroupName = types.StringValue(lc.Options["awslogs-group"])
	}
	if hc := cont.HealthCheck; hc != nil {
		container.HealthCheck = &healthCheckModel{
			Command:     stringListValue(hc.Command, false),
			Interval:    types.Int64Value(int64(aws.ToInt32(hc.Interval))),
			Timeout:     types.Int64Value(int64(aws.ToInt32(hc.Timeout))),
			Retries:     types.Int64Value(int64(aws.ToInt32(hc.Retries))),
			StartPeriod: types.Int64Value(int64(aws.ToInt32(hc.StartPeriod))),
		}
	}
	m.Container = container
	return nil
}

func stringListValue(values []string, nullWhenEmpty bool) types.List {
	if len(values) == 0 && nullWhenEmpty {
		return types.ListNull(types.StringType)
	}
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}

func stringMapValueOrNull(values map[string]string, nullWhenEmpty bool) types.Map {
	if len(values) == 0 && nullWhenEmpty {
		return types.MapNull(types.StringType)
	}
	return stringMapValue(values)
}

func (r *workerPipelineResource) readAutoscaling(ctx context.Context, m *workerPipelineModel, importing bool) error {
	target, policy, found, err := findAutoscaling(ctx, r.clients.autoscaling, m.Cluster.ValueString(), m.ServiceName.ValueString())
	if err != nil {
		return err
	}
	if !found {
		m.Autoscaling = nil
		return nil
	}
	a := m.Autoscaling
	if a == nil {
		a = &autoscalingModel{}
	}
	a.MinCapacity = types.Int64Value(int64(aws.ToInt32(target.MinCapacity)))
	a.MaxCapacity = types.Int64Value(int64(aws.ToInt32(target.MaxCapacity)))
	if policy == nil {
		a.TargetBacklogPerTask = types.Int64Value(0) // policy gone: shown as a diff to restore it
	} else {
		targetValue := int64(aws.ToFloat64(policy.TargetValue))
		a.TargetBacklogPerTask = types.Int64Value(targetValue)
		a.ScaleInCooldown = types.Int64Value(int64(aws.ToInt32(policy.ScaleInCooldown)))
		a.ScaleOutCooldown = types.Int64Value(int64(aws.ToInt32(policy.ScaleOutCooldown)))
		if importing {
			// The inputs of the target cannot be recovered; this pair gives it.
			a.AcceptableLatencySeconds, a.MessageProcessingSeconds = types.Int64Value(targetValue), types.Int64Value(1)
		}
	}
	m.Autoscaling = a
	if importing {
		m.DesiredCount = types.Int64Value(int64(aws.ToInt32(target.MinCapacity)))
	}
	return nil
}

// privateStrayRevisions is the private-state key of owned task definition
// revisions that are ACTIVE but not the one in use: left by a failed apply
// whose RegisterTaskDefinition answer was lost, or whose deregistration failed.
const privateStrayRevisions = "stray_task_definitions"

func (r *workerPipelineResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if !r.requireClients(&resp.Diagnostics) {
		return
	}
	var state workerPipelineModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.adopted = privateStrings(ctx, req.Private, privateAdoptedRevisions)
	state.formerFamilies = privateStrings(ctx, req.Private, privateFormerFamilies)
	timeout, diags := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	found, stray, err := r.read(ctx, &state)
	if err != nil {
		addOperationError(&resp.Diagnostics, "Cannot read worker pipeline", err, "")
		return
	}
	if !found {
		tflog.Warn(ctx, "no part of the worker pipeline exists any more, removing it from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateStrayRevisions, privateList(stray))...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateSidecars, privateList(state.sidecars))...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateAdoptedRevisions, privateList(state.adopted))...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateFormerFamilies, privateList(state.formerFamilies))...)
}

// privateFormerFamilies is the private-state key of workerPipelineModel.formerFamilies.
const privateFormerFamilies = "former_task_definition_families"

// privateAdoptedRevisions is the private-state key of the revisions that
// were ACTIVE in the family when the pipeline was imported (workerPipelineModel.adopted).
const privateAdoptedRevisions = "adopted_task_definitions"

// privateSidecars is the private-state key of the containers of the deployed
// task definition that are not the worker's: a revision registered from
// `container` would drop them, so the plan refuses to register one.
const privateSidecars = "sidecar_containers"

func privateList(values []string) []byte {
	if len(values) == 0 {
		return nil // removes the key
	}
	b, _ := json.Marshal(values) // a list of strings always marshals
	return b
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// privateStrings reads a list of strings kept under a private-state key.
func privateStrings(ctx context.Context, p privateGetter, key string) []string {
	if p == nil {
		return nil
	}
	raw, _ := p.GetKey(ctx, key)
	var values []string
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &values)
	}
	return values
}

// read refreshes m from AWS. A part found missing is recorded as such (null
// ID) and the next plan re-creates it in place; found is false only when no
// part of the pipeline exists any more (queues, service, subscriptions, owned
// task definition), so that a pipeline partly created, or partly deleted out
// of band, is never dropped from state with its other parts orphaned. stray
// lists owned task definition revisions that exist but are not in use.
func (r *workerPipelineResource) read(ctx context.Context, m *workerPipelineModel) (found bool, stray []string, err error) {
	importing := m.App.IsNull()
	priorTags := stringMap(ctx, m.TagsAll)
	var tagSets []objectTags

	queueFound, queueTags, err := r.readMainQueue(ctx, m, importing)
	if err != nil {
		return false, nil, err
	}
	if importing && !queueFound {
		return false, nil, fmt.Errorf("no SQS queue named %s", m.QueueName.ValueString())
	}
	if queueFound {
		tagSets = append(tagSets, objectTags{"queue", queueTags})
	}
	dlqFound, dlqTags, err := r.readDeadLetterQueue(ctx, m)
	if err != nil {
		return false, nil, err
	}
	if dlqFound {
		tagSets = append(tagSets, objectTags{"dead-letter queue", dlqTags})
	}
	serviceFound, workerTags, stray, err := r.readWorker(ctx, m, importing)
	if err != nil {
		return false, nil, err
	}
	if importing && !serviceFound {
		return false, nil, fmt.Errorf("no ECS service %s in cluster %s", m.ServiceName.ValueString(), m.Cluster.ValueString())
	}
	tagSets = append(tagSets, workerTags...)
	subscriptions, err := r.readSubscriptions(ctx, m, queueFound)
	if err != nil {
		return false, nil, err
	}
	ownedRevision := m.TaskDefinitionOwnership.ValueString() == ownershipTerraform && !m.TaskDefinitionARN.IsNull()
	// A scalable target left alone still belongs to the pipeline: kept, the next plan removes or re-creates around it.
	if !queueFound && !dlqFound && !serviceFound && subscriptions == 0 && !ownedRevision && len(stray) == 0 && m.Autoscaling == nil {
		return false, nil, nil
	}
	m.TagsAll = stringMapValue(readTagsAll(priorTags, tagSets))

	if queueFound {
		// Keep the policy in the form this provider writes when AWS's equals it.
		if in, known := policyInputFrom(ctx, *m); known {
			if built := buildQueuePolicy(in); policiesEquivalent(m.QueuePolicy.ValueString(), built) {
				m.QueuePolicy = types.StringValue(built)
			}
		}
	}
	if m.TaskDefinitionOwnership.ValueString() == ownershipExternal || !serviceFound {
		// The task definition is not ours to read, or no service runs it:
		// show what to hand its owner.
		if !m.QueueURL.IsNull() {
			m.EnvironmentVariables = plannedEnvironment(ctx, *m)
		}
	}
	return true, stray, nil
}

// objectTags are the tags read from one of the pipeline's objects.
type objectTags struct {
	object string // what it is, as a plan shows it: "queue", "service", ...
	tags   map[string]string
}

// readTagsAll merges the tags of the pipeline's objects (queue, dead-letter
// queue, service, task definition). A key on which they disagree, or that
// some lack, reads as a description of the disagreement, which no
// configured value equals: the plan then shows it, and the update, which
// tags every object with the changed keys and untags every object of the
// removed ones, repairs drift on all of them in one apply.
func readTagsAll(prior map[string]string, objects []objectTags) map[string]string {
	if len(objects) == 0 {
		return prior
	}
	merged := map[string]string{}
	for _, o := range objects {
		for k := range o.tags {
			merged[k] = ""
		}
	}
	for k := range merged {
		holders := map[string][]string{} // value -> objects holding it
		var lacking []string
		for _, o := range objects {
			if v, ok := o.tags[k]; ok {
				holders[v] = append(holders[v], o.object)
			} else {
				lacking = append(lacking, o.object)
			}
		}
		if len(holders) == 1 && len(lacking) == 0 {
			for v := range holders {
				merged[k] = v
			}
			continue
		}
		var parts []string
		for _, v := range slices.Sorted(maps.Keys(holders)) {
			parts = append(parts, fmt.Sprintf("%q on %s", v, strings.Join(holders[v], ", ")))
		}
		if len(lacking) > 0 {
			parts = append(parts, "absent on "+strings.Join(lacking, ", "))
		}
		merged[k] = strings.Join(parts, "; ")
	}
	return merged
}

// withoutAWSTags drops the aws: tags AWS manages itself.
func withoutAWSTags(tags map[string]string) map[string]string {
	out := make(map[string]string, len(tags))
	for k, v := range tags {
		if !strings.HasPrefix(k, "aws:") {
			out[k] = v
		}
	}
	return out
}

func (r *workerPipelineResource) readMainQueue(ctx context.Context, m *workerPipelineModel, importing bool) (bool, map[string]string, error) {
	c := r.clients
	gone := func() (bool, map[string]string, error) {
		m.QueueURL, m.QueueARN, m.QueuePolicy = types.StringNull(), types.StringNull(), types.StringNull()
		return false, nil, nil
	}
	if m.QueueURL.IsNull() { // import, or a create whose CreateQueue answer was lost
		url, found, err := findQueueURL(ctx, c.sqs, m.QueueName.ValueString())
		if err != nil {
			return false, nil, err
		}
		if !found {
			return gone()
		}
		m.QueueURL = types.StringValue(url)
	}
	attrs, found, err := findQueueAttributes(ctx, c.sqs, m.QueueURL.ValueString())
	if err != nil {
		return false, nil, err
	}
	if !found {
		return gone()
	}
	if err := m.setMainQueueAttributes(attrs, importing); err != nil {
		return false, nil, err
	}
	tags, err := queueTags(ctx, c.sqs, m.QueueURL.ValueString())
	if err != nil {
		return false, nil, err
	}
	return true, withoutAWSTags(tags), nil
}

func (r *workerPipelineResource) readDeadLetterQueue(ctx context.Context, m *workerPipelineModel) (bool, map[string]string, error) {
	c := r.clients
	if m.DLQURL.IsNull() {
		if m.DLQName.IsNull() || m.DLQName.IsUnknown() {
			return false, nil, nil
		}
		url, found, err := findQueueURL(ctx, c.sqs, m.DLQName.ValueString())
		if err != nil {
			return false, nil, err
		}
		if !found {
			m.DLQURL, m.DLQARN = types.StringNull(), types.StringNull()
			return false, nil, nil
		}
		m.DLQURL = types.StringValue(url)
	}
	attrs, found, err := findQueueAttributes(ctx, c.sqs, m.DLQURL.ValueString())
	if err != nil {
		return false, nil, err
	}
	if !found {
		// The next apply re-creates the dead-letter queue in place.
		m.DLQURL, m.DLQARN = types.StringNull(), types.StringNull()
		return false, nil, nil
	}
	m.setDeadLetterQueueAttributes(attrs)
	tags, err := queueTags(ctx, c.sqs, m.DLQURL.ValueString())
	if err != nil {
		return false, nil, err
	}
	return true, withoutAWSTags(tags), nil
}

// readSubscriptions refreshes the subscriptions and returns how many exist.
// A configured subscription without a recorded ARN (its Subscribe answer was
// lost) is looked up on its topic.
func (r *workerPipelineResource) readSubscriptions(ctx context.Context, m *workerPipelineModel, queueFound bool) (int, error) {
	c := r.clients
	subs, _ := subscriptionsFrom(ctx, m.Subscriptions)
	arns := stringMap(ctx, m.SubscriptionARNs)
	if m.Subscriptions.IsNull() && m.SubscriptionARNs.IsNull() && queueFound { // import: find them by endpoint
		found, err := findQueueSubscriptions(ctx, c.sns, m.QueueARN.ValueString())
		if err != nil {
			return 0, err
		}
		for arn, topic := range found {
			key := topic[strings.LastIndex(topic, ":")+1:]
			arns[key] = arn
			subs[key] = subscriptionModel{TopicARN: types.StringValue(topic)}
		}
	}
	readSubs := map[string]attr.Value{}
	readARNs := map[string]string{}
	// Keys with a recorded ARN first: a key looked up on its topic must not
	// claim the subscription another key records (a topic moved between keys).
	var keys []string
	claimed := map[string]bool{}
	for key, arn := range arns {
		keys = append(keys, key)
		claimed[arn] = true
	}
	for key := range subs {
		if _, recorded := arns[key]; !recorded {
			keys = append(keys, key)
		}
	}
	for _, key := range keys {
		arn := arns[key]
		var attrs map[string]string
		found := false
		if arn != "" {
			var err error
			if attrs, found, err = findSubscriptionAttributes(ctx, c.sns, arn); err != nil {
				return 0, err
			}
		}
		if s, ok := subs[key]; !found && ok && queueFound && !s.TopicARN.IsNull() && !s.TopicARN.IsUnknown() {
			var err error
			if arn, found, err = findTopicSubscription(ctx, c.sns, s.TopicARN.ValueString(), m.QueueARN.ValueString()); err != nil {
				return 0, err
			}
			if found && claimed[arn] {
				found = false
			}
			if found {
				claimed[arn] = true
				if attrs, found, err = findSubscriptionAttributes(ctx, c.sns, arn); err != nil {
					return 0, err
				}
			}
		}
		if !found {
			continue // gone: the next plan subscribes again
		}
		s := subs[key]
		s.TopicARN = types.StringValue(attrs["TopicArn"])
		s.RawMessageDelivery = types.BoolValue(attrs[subAttrRawDelivery] == "true")
		s.FilterPolicyScope = types.StringValue(valueOr(attrs[subAttrFilterPolicyScope], "MessageAttributes"))
		switch policy := attrs[subAttrFilterPolicy]; {
		case policy == "":
			s.FilterPolicy = types.StringNull()
		case !filterPoliciesEquivalent(s.FilterPolicy.ValueString(), policy):
			s.FilterPolicy = types.StringValue(policy)
		}
		obj, diags := types.ObjectValueFrom(ctx, subscriptionAttrTypes, s)
		if diags.HasError() {
			return 0, errors.New("converting subscription " + key)
		}
		readSubs[key] = obj
		readARNs[key] = arn
	}
	objType := types.ObjectType{AttrTypes: subscriptionAttrTypes}
	if len(readSubs) == 0 && m.Subscriptions.IsNull() {
		m.Subscriptions = types.MapNull(objType)
	} else {
		m.Subscriptions = types.MapValueMust(objType, readSubs)
	}
	m.SubscriptionARNs = stringMapValue(readARNs)
	return len(readARNs), nil
}

func valueOr(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

// readDeployedRevision reads the revision the service runs as the owned task
// definition. A revision of another family (an external owner's deploy, left
// running by a hand-over that failed after UpdateService), or one without the
// worker container, is not the pipeline's: it is neither read, nor kept, nor
// ever deregistered; task_definition_arn reads as null, so the next plan
// registers and deploys the owned revision, or finishes the hand-over.
func (r *workerPipelineResource) readDeployedRevision(ctx context.Context, m *workerPipelineModel, deployed string, importing bool, tags *[]objectTags) error {
	if !importing && !ownsRevision(*m, deployed) {
		tflog.Warn(ctx, "the service runs a task definition of another family", map[string]any{"deployed": deployed, "family": taskFamily(*m)})
		m.TaskDefinitionARN = types.StringNull()
		return nil
	}
	td, tdTags, err := findTaskDefinitionWithTags(ctx, r.clients.ecs, deployed)
	if err != nil {
		return err
	}
	if !importing {
		if _, err := workerContainer(td, m.Name.ValueString()); err != nil {
			tflog.Warn(ctx, "the deployed task definition has no worker container", map[string]any{"deployed": deployed, "error": err.Error()})
			m.TaskDefinitionARN = types.StringNull()
			return nil
		}
	}
	m.TaskDefinitionARN = types.StringValue(deployed)
	*tags = append(*tags, objectTags{"task definition", withoutAWSTags(tdTags)})
	return m.setTaskDefinition(td, importing)
}

// readWorker refreshes the service, its task definition and autoscaling;
// found is false when the service is gone (ServiceARN is then null and the
// next plan re-creates it). tags are those of the service and the owned task
// definition; stray lists owned revisions other than the one in use.
func (r *workerPipelineResource) readWorker(ctx context.Context, m *workerPipelineModel, importing bool) (found bool, tags []objectTags, stray []string, err error) {
	c := r.clients
	owned := importing || m.TaskDefinitionOwnership.ValueString() == ownershipTerraform
	svc, found, err := findService(ctx, c.ecs, m.Cluster.ValueString(), m.ServiceName.ValueString())
	if err != nil {
		return false, nil, nil, err
	}
	if !found {
		m.ServiceARN = types.StringNull()
		if owned && !m.TaskDefinitionARN.IsNull() {
			_, tdTags, active, err := findActiveTaskDefinition(ctx, c.ecs, m.TaskDefinitionARN.ValueString())
			if err != nil {
				return false, nil, nil, err
			}
			if !active {
				m.TaskDefinitionARN = types.StringNull()
			} else {
				tags = append(tags, objectTags{"task definition", withoutAWSTags(tdTags)})
			}
		}
	} else {
		m.ServiceARN = types.StringValue(aws.ToString(svc.ServiceArn))
		tags = append(tags, objectTags{"service", withoutAWSTags(fromECSTags(svc.Tags))})
		if m.Autoscaling == nil {
			m.DesiredCount = types.Int64Value(int64(svc.DesiredCount))
		}
		if nc := svc.NetworkConfiguration; nc != nil && nc.AwsvpcConfiguration != nil {
			m.SubnetIDs = stringSetValue(nc.AwsvpcConfiguration.Subnets, false)
			m.SecurityGroupIDs = stringSetValue(nc.AwsvpcConfiguration.SecurityGroups, m.SecurityGroupIDs.IsNull())
			m.AssignPublicIP = types.BoolValue(nc.AwsvpcConfiguration.AssignPublicIp == ecstypes.AssignPublicIpEnabled)
		}
		m.CapacityProviderStrategy = readCapacityStrategy(svc.CapacityProviderStrategy, len(m.CapacityProviderStrategy) == 0)
		if v := aws.ToString(svc.PlatformVersion); v != "" {
			m.PlatformVersion = types.StringValue(v)
		}
		m.EnableExecuteCommand = types.BoolValue(svc.EnableExecuteCommand)

		if owned {
			if err := r.readDeployedRevision(ctx, m, aws.ToString(svc.TaskDefinition), importing, &tags); err != nil {
				return false, nil, nil, err
			}
		}
	}
	if owned && !m.App.IsNull() {
		var former []string
		for i, family := range ownedFamilies(*m) {
			revisions, err := findActiveRevisions(ctx, c.ecs, family)
			if err != nil {
				return false, nil, nil, err
			}
			if importing {
				m.adopted = revisions
			}
			if i > 0 && len(revisions) > 0 {
				former = append(former, family) // a former family is forgotten once none of it is ACTIVE
			}
			for _, arn := range revisions {
				if arn != m.TaskDefinitionARN.ValueString() && !slices.Contains(m.adopted, arn) {
					stray = append(stray, arn)
				}
			}
		}
		m.formerFamilies = former
	}
	// Always: a target left by an update that failed before removing it
	// must show, so that the next plan removes it.
	if err := r.readAutoscaling(ctx, m, importing); err != nil {
		return false, nil, nil, err
	}
	return found, tags, stray, nil
}
