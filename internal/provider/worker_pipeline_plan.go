package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Environment variables Copilot injected into worker containers.
const (
	envQueueURI        = "COPILOT_QUEUE_URI"
	envTopicQueueURIs  = "COPILOT_TOPIC_QUEUE_URIS"
	envApplicationName = "COPILOT_APPLICATION_NAME"
	envEnvironmentName = "COPILOT_ENVIRONMENT_NAME"
	envServiceName     = "COPILOT_SERVICE_NAME"
)

var injectedEnvNames = []string{envQueueURI, envTopicQueueURIs, envApplicationName, envEnvironmentName, envServiceName}

// fargateMemory lists the task memory sizes (MiB) Fargate accepts per CPU size.
var fargateMemory = map[int64]struct{ min, max, step int64 }{
	256:   {512, 2048, 512}, // 512, 1024, 2048 (1536 is refused too, checked below)
	512:   {1024, 4096, 1024},
	1024:  {2048, 8192, 1024},
	2048:  {4096, 16384, 1024},
	4096:  {8192, 30720, 1024},
	8192:  {16384, 61440, 4096},
	16384: {32768, 122880, 8192},
}

func checkFargateSize(cpu, memory int64) error {
	r, ok := fargateMemory[cpu]
	if !ok {
		return fmt.Errorf("cpu %d is not a Fargate size", cpu)
	}
	if memory < r.min || memory > r.max || (memory-r.min)%r.step != 0 || (cpu == 256 && memory == 1536) {
		return fmt.Errorf("memory must be %d to %d MiB in steps of %d for a Fargate task of cpu %d, got %d", r.min, r.max, r.step, cpu, memory)
	}
	return nil
}

// backlogTarget is the messages per task the autoscaler keeps: a task works
// through that many within the acceptable latency.
func backlogTarget(acceptableLatency, processing int64) int64 {
	return (acceptableLatency + processing - 1) / processing
}

func defaultQueueName(app, env, name string, fifo bool) string {
	n := fmt.Sprintf("%s-%s-%s", app, env, name)
	if fifo {
		n += fifoSuffix
	}
	return n
}

// deadLetterQueueName keeps the FIFO suffix last, as SQS requires.
func deadLetterQueueName(queueName string) string {
	if strings.HasSuffix(queueName, fifoSuffix) {
		return strings.TrimSuffix(queueName, fifoSuffix) + "-dlq" + fifoSuffix
	}
	return queueName + "-dlq"
}

func subscriptionsFrom(ctx context.Context, m types.Map) (map[string]subscriptionModel, diag.Diagnostics) {
	out := map[string]subscriptionModel{}
	if m.IsNull() || m.IsUnknown() {
		return out, nil
	}
	diags := m.ElementsAs(ctx, &out, false)
	return out, diags
}

func stringSlice(ctx context.Context, s types.Set) []string {
	var out []string
	if !s.IsNull() && !s.IsUnknown() {
		s.ElementsAs(ctx, &out, false)
	}
	return out
}

// attributeGetter is what a config and a plan share.
type attributeGetter interface {
	GetAttribute(ctx context.Context, p path.Path, target interface{}) diag.Diagnostics
}

// nestedObjectUnknown reports whether a nested object or list is unknown as a
// whole, as when a module passes `cond ? {...} : null` with cond unknown (in
// `terraform validate` every module variable is). The model cannot hold such a
// value, so the checks wait until it is known.
func nestedObjectUnknown(ctx context.Context, from attributeGetter) bool {
	var container, autoscaling types.Object
	var strategy types.List
	for name, target := range map[string]interface{}{"container": &container, "autoscaling": &autoscaling, "capacity_provider_strategy": &strategy} {
		if from.GetAttribute(ctx, path.Root(name), target).HasError() {
			return true
		}
	}
	return container.IsUnknown() || autoscaling.IsUnknown() || strategy.IsUnknown()
}

func (r *workerPipelineResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if nestedObjectUnknown(ctx, req.Config) {
		return
	}
	var cfg workerPipelineModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	fifo := cfg.FIFO.IsNull() || cfg.FIFO.ValueBool()
	fifoKnown := !cfg.FIFO.IsUnknown()

	if fifoKnown && !cfg.QueueName.IsNull() && !cfg.QueueName.IsUnknown() {
		if err := checkQueueName(cfg.QueueName.ValueString(), fifo); err != nil {
			addAttrError(&resp.Diagnostics, path.Root("queue_name"), "Invalid queue name", err.Error())
		}
	}
	if fifoKnown && !cfg.DLQName.IsNull() && !cfg.DLQName.IsUnknown() {
		if err := checkQueueName(cfg.DLQName.ValueString(), fifo); err != nil {
			addAttrError(&resp.Diagnostics, path.Root("dead_letter_queue_name"), "Invalid queue name", err.Error())
		}
	}
	if fifoKnown && !fifo {
		for name, v := range map[string]interface{ IsNull() bool }{
			"content_based_deduplication": cfg.ContentBasedDeduplication,
			"deduplication_scope":         cfg.DeduplicationScope,
			"fifo_throughput_limit":       cfg.FIFOThroughputLimit,
		} {
			if !v.IsNull() {
				addAttrError(&resp.Diagnostics, path.Root(name), "FIFO-only setting", name+" applies to FIFO queues only; remove it or set fifo = true")
			}
		}
	}
	// SQS high throughput: per-message-group throughput needs per-group deduplication.
	if cfg.FIFOThroughputLimit.ValueString() == throughputPerGroup && !cfg.DeduplicationScope.IsUnknown() && cfg.DeduplicationScope.ValueString() != dedupScopeMessageGroup {
		addAttrError(&resp.Diagnostics, path.Root("fifo_throughput_limit"), "Inconsistent FIFO settings",
			`fifo_throughput_limit = "perMessageGroupId" (high throughput) requires deduplication_scope = "messageGroup"`)
	}

	subs, diags := subscriptionsFrom(ctx, cfg.Subscriptions)
	resp.Diagnostics.Append(diags...)
	seenTopics := map[string]string{}
	for key, s := range subs {
		if s.TopicARN.IsUnknown() || s.TopicARN.IsNull() {
			continue
		}
		topic := s.TopicARN.ValueString()
		p := path.Root("subscriptions").AtMapKey(key).AtName("topic_arn")
		if fifoKnown {
			if err := checkTopicMatchesQueue(topic, fifo); err != nil {
				addAttrError(&resp.Diagnostics, p, "Topic and queue types differ", err.Error())
			}
		}
		if other, dup := seenTopics[topic]; dup {
			addAttrError(&resp.Diagnostics, p, "Duplicate subscription", fmt.Sprintf("topic %s is subscribed under keys %q and %q", topic, other, key))
		}
		seenTopics[topic] = key
	}

	r.validateTaskDefinition(ctx, cfg, resp)

	if a := cfg.Autoscaling; a != nil && !a.MinCapacity.IsUnknown() && !a.MaxCapacity.IsUnknown() && !a.MinCapacity.IsNull() && a.MinCapacity.ValueInt64() > a.MaxCapacity.ValueInt64() {
		addAttrError(&resp.Diagnostics, path.Root("autoscaling").AtName("min_capacity"), "Invalid autoscaling range",
			fmt.Sprintf("min_capacity %d is above max_capacity %d", a.MinCapacity.ValueInt64(), a.MaxCapacity.ValueInt64()))
	}
	seenProviders := map[string]bool{}
	for i, c := range cfg.CapacityProviderStrategy {
		if seenProviders[c.CapacityProvider.ValueString()] {
			addAttrError(&resp.Diagnostics, path.Root("capacity_provider_strategy").AtListIndex(i).AtName("capacity_provider"),
				"Duplicate capacity provider", c.CapacityProvider.ValueString()+" is listed twice")
		}
		seenProviders[c.CapacityProvider.ValueString()] = true
	}
}

// checkTopicMatchesQueue applies SNS's rule: a standard topic cannot deliver
// to a FIFO queue. A FIFO topic delivers to FIFO and standard queues alike
// (to a standard queue without its ordering and deduplication).
func checkTopicMatchesQueue(topicARN string, fifoQueue bool) error {
	if fifoQueue && !strings.HasSuffix(topicARN, fifoSuffix) {
		return fmt.Errorf("a FIFO queue can subscribe only to FIFO topics (name ending in %q), got %s", fifoSuffix, topicARN)
	}
	return nil
}

func (r *workerPipelineResource) validateTaskDefinition(ctx context.Context, cfg workerPipelineModel, resp *resource.ValidateConfigResponse) {
	if cfg.TaskDefinitionOwnership.IsUnknown() {
		return
	}
	external := cfg.TaskDefinitionOwnership.ValueString() == ownershipExternal
	switch {
	case external && cfg.Container != nil:
		addAttrError(&resp.Diagnostics, path.Root("container"), "Conflicting task definition settings",
			`container cannot be set with task_definition_ownership = "external": the external owner builds the task definition`)
	case external && cfg.TaskDefinitionARN.IsNull():
		addAttrError(&resp.Diagnostics, path.Root("task_definition_arn"), "Missing task definition",
			`task_definition_arn is required with task_definition_ownership = "external"`)
	case !external && cfg.Container == nil:
		addAttrError(&resp.Diagnostics, path.Root("container"), "Missing container",
			`container is required with task_definition_ownership = "terraform" (the default)`)
	case !external && !cfg.TaskDefinitionARN.IsNull():
		addAttrError(&resp.Diagnostics, path.Root("task_definition_arn"), "Conflicting task definition settings",
			`task_definition_arn is computed with task_definition_ownership = "terraform"; set task_definition_ownership = "external" to pass one`)
	}
	c := cfg.Container
	if c == nil {
		return
	}
	if !c.CPU.IsUnknown() && !c.Memory.IsUnknown() && !c.CPU.IsNull() && !c.Memory.IsNull() {
		if err := checkFargateSize(c.CPU.ValueInt64(), c.Memory.ValueInt64()); err != nil {
			addAttrError(&resp.Diagnostics, path.Root("container").AtName("memory"), "Invalid Fargate task size", err.Error())
		}
	}
	env := stringMap(ctx, c.Environment)
	for _, name := range injectedEnvNames {
		if _, set := env[name]; set {
			addAttrError(&resp.Diagnostics, path.Root("container").AtName("environment").AtMapKey(name), "Reserved variable",
				name+" is injected by the pipeline and cannot be set in container.environment")
		}
	}
	needsExecutionRole := (!c.Secrets.IsNull() && len(c.Secrets.Elements()) > 0) || !c.LogGroupName.IsNull()
	if needsExecutionRole && cfg.ExecutionRoleARN.IsNull() {
		addAttrError(&resp.Diagnostics, path.Root("execution_role_arn"), "Missing execution role",
			"execution_role_arn is required when container.secrets or container.log_group_name is set: ECS reads them with that role")
	}
}

func (r *workerPipelineResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || nestedObjectUnknown(ctx, req.Plan) {
		return // destroy, or checked on a later plan once known
	}
	var plan, state workerPipelineModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	hasState := !req.State.Raw.IsNull()
	if hasState {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	namesKnown := !plan.App.IsUnknown() && !plan.Environment.IsUnknown() && !plan.Name.IsUnknown()
	if plan.QueueName.IsUnknown() && namesKnown {
		plan.QueueName = types.StringValue(defaultQueueName(plan.App.ValueString(), plan.Environment.ValueString(), plan.Name.ValueString(), plan.FIFO.ValueBool()))
		if err := checkQueueName(plan.QueueName.ValueString(), plan.FIFO.ValueBool()); err != nil {
			addAttrError(&resp.Diagnostics, path.Root("name"), "Default queue name too long", err.Error()+"; shorten app, environment or name, or set queue_name")
		}
	}
	// Unset: the dead-letter queue in use (an adopted worker's keeps its
	// name), else the default name, also after the import of a worker that
	// had none.
	if plan.DLQName.IsUnknown() && hasState && !state.DLQName.IsNull() && plan.QueueName.Equal(state.QueueName) {
		plan.DLQName = state.DLQName
	}
	if (plan.DLQName.IsUnknown() || plan.DLQName.IsNull()) && !plan.QueueName.IsUnknown() {
		plan.DLQName = types.StringValue(deadLetterQueueName(plan.QueueName.ValueString()))
		if err := checkQueueName(plan.DLQName.ValueString(), plan.FIFO.ValueBool()); err != nil {
			addAttrError(&resp.Diagnostics, path.Root("queue_name"), "Dead-letter queue name too long", err.Error())
		}
	}
	if plan.ServiceName.IsUnknown() && !plan.Name.IsUnknown() {
		plan.ServiceName = plan.Name
	}
	// Unknown: the cluster itself is being replaced or created.
	if hasState && (plan.Cluster.IsUnknown() || clusterName(plan.Cluster.ValueString()) != clusterName(state.Cluster.ValueString())) {
		resp.RequiresReplace.Append(path.Root("cluster"))
	}
	if hasState {
		for attr, pair := range map[string][2]types.String{
			"queue_name":             {plan.QueueName, state.QueueName},
			"service_name":           {plan.ServiceName, state.ServiceName},
			"dead_letter_queue_name": {plan.DLQName, state.DLQName},
		} {
			// An adopted worker that never had a dead-letter queue (Copilot
			// makes one only with dead_letter.tries) gets one in place.
			addedDLQ := attr == "dead_letter_queue_name" && pair[1].IsNull()
			if !pair[0].Equal(pair[1]) && !addedDLQ {
				resp.RequiresReplace.Append(path.Root(attr))
			}
		}
	}

	if hasState {
		// Parts deleted out of band are re-created in place.
		if state.QueueURL.IsNull() {
			plan.QueueURL, plan.QueueARN = types.StringUnknown(), types.StringUnknown()
		}
		if state.DLQURL.IsNull() {
			plan.DLQURL, plan.DLQARN = types.StringUnknown(), types.StringUnknown()
		}
		if state.ServiceARN.IsNull() {
			plan.ServiceARN = types.StringUnknown()
		}
		if stray := privateStrings(ctx, req.Private, privateStrayRevisions); len(stray) > 0 {
			// Nothing in the configuration differs: the update is planned
			// for the cleanup alone, and says so.
			plan.ServiceARN = types.StringUnknown()
			resp.Diagnostics.AddWarning("Stray task definition revisions",
				fmt.Sprintf("%s: %d ACTIVE revision(s) of the owned family %s are not in use (left by a failed apply): the update deregisters %s.",
					plan.ID.ValueString(), len(stray), taskFamily(plan), strings.Join(stray, ", ")))
		}
		if plan.TaskDefinitionOwnership.ValueString() == ownershipExternal && state.TaskDefinitionOwnership.ValueString() == ownershipExternal &&
			!plan.TaskDefinitionARN.IsUnknown() && !plan.TaskDefinitionARN.Equal(state.TaskDefinitionARN) {
			addAttrWarning(&resp.Diagnostics, path.Root("task_definition_arn"), "Task definition not deployed",
				"with task_definition_ownership = \"external\" the new value is recorded only: the service keeps running what its owner deployed")
		}
	}
	plan.TagsAll = mergedTags(r.defaultTags(), stringMap(ctx, plan.Tags), plan.Tags.IsUnknown())
	plan.EnvironmentVariables = plannedEnvironment(ctx, plan)
	plan.QueuePolicy = types.StringUnknown()
	if !plan.QueueARN.IsUnknown() && !plan.TaskRoleARN.IsUnknown() {
		if in, known := policyInputFrom(ctx, plan); known {
			plan.QueuePolicy = types.StringValue(buildQueuePolicy(in))
		}
	}
	plan.SubscriptionARNs = plannedSubscriptionARNs(ctx, plan, state, hasState)
	if a := plan.Autoscaling; a != nil {
		a.TargetBacklogPerTask = types.Int64Unknown()
		if !a.AcceptableLatencySeconds.IsUnknown() && !a.MessageProcessingSeconds.IsUnknown() {
			a.TargetBacklogPerTask = types.Int64Value(backlogTarget(a.AcceptableLatencySeconds.ValueInt64(), a.MessageProcessingSeconds.ValueInt64()))
		}
	}
	if plan.TaskDefinitionOwnership.ValueString() == ownershipTerraform {
		if !hasState || taskDefinitionChanged(plan, state) {
			if sidecars := privateStrings(ctx, req.Private, privateSidecars); len(sidecars) > 0 {
				addAttrError(&resp.Diagnostics, path.Root("task_definition_ownership"), "Sidecar containers would be dropped",
					fmt.Sprintf("the deployed task definition %s has containers besides the worker's: %s. A revision registered from `container` "+
						"holds the worker container only. Set task_definition_ownership = \"external\" (with task_definition_arn) to keep "+
						"deploying the task definition as it is, or remove the sidecars from it first.",
						state.TaskDefinitionARN.ValueString(), strings.Join(sidecars, ", ")))
			}
			plan.TaskDefinitionARN = types.StringUnknown()
		} else {
			plan.TaskDefinitionARN = state.TaskDefinitionARN
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *workerPipelineResource) defaultTags() map[string]string {
	if r.clients == nil {
		return nil
	}
	return r.clients.defaultTags
}

func mergedTags(defaults, tags map[string]string, unknown bool) types.Map {
	if unknown {
		return types.MapUnknown(types.StringType)
	}
	all := map[string]attr.Value{}
	for k, v := range defaults {
		all[k] = types.StringValue(v)
	}
	for k, v := range tags {
		all[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, all)
}

// plannedEnvironment is the Copilot variable set injected into the worker.
func plannedEnvironment(ctx context.Context, m workerPipelineModel) types.Map {
	if m.App.IsUnknown() || m.Environment.IsUnknown() || m.Name.IsUnknown() || m.QueueURL.IsUnknown() || m.TopicQueueURIs.IsUnknown() {
		return types.MapUnknown(types.StringType)
	}
	env := injectedEnvironment(m.App.ValueString(), m.Environment.ValueString(), m.Name.ValueString(), m.QueueURL.ValueString(), stringMap(ctx, m.TopicQueueURIs))
	values := map[string]attr.Value{}
	for k, v := range env {
		values[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, values)
}

func injectedEnvironment(app, env, name, queueURL string, topicQueueURIs map[string]string) map[string]string {
	out := map[string]string{
		envApplicationName: app,
		envEnvironmentName: env,
		envServiceName:     name,
		envQueueURI:        queueURL,
	}
	if len(topicQueueURIs) > 0 {
		b, _ := json.Marshal(topicQueueURIs) // map of strings always marshals
		out[envTopicQueueURIs] = string(b)
	}
	return out
}

// policyInputFrom gathers the queue policy inputs; known is false while any is unknown.
func policyInputFrom(ctx context.Context, m workerPipelineModel) (queuePolicyInput, bool) {
	if m.QueueARN.IsUnknown() || m.TaskRoleARN.IsUnknown() || m.Subscriptions.IsUnknown() || m.EventBridgeRuleARNs.IsUnknown() || m.SenderRoleARNs.IsUnknown() || m.AdditionalConsumerRoleARNs.IsUnknown() {
		return queuePolicyInput{}, false
	}
	subs, _ := subscriptionsFrom(ctx, m.Subscriptions)
	in := queuePolicyInput{
		queueARN:            m.QueueARN.ValueString(),
		consumerRoleARN:     m.TaskRoleARN.ValueString(),
		eventBridgeRuleARNs: stringSlice(ctx, m.EventBridgeRuleARNs),
		senderRoleARNs:      stringSlice(ctx, m.SenderRoleARNs),

		additionalConsumerRoleARNs: stringSlice(ctx, m.AdditionalConsumerRoleARNs),
	}
	for _, s := range subs {
		if s.TopicARN.IsUnknown() {
			return queuePolicyInput{}, false
		}
		in.topicARNs = append(in.topicARNs, s.TopicARN.ValueString())
	}
	for _, l := range [][]string{in.eventBridgeRuleARNs, in.senderRoleARNs, in.additionalConsumerRoleARNs} {
		for _, v := range l {
			if v == "" {
				return queuePolicyInput{}, false
			}
		}
	}
	return in, true
}

// plannedSubscriptionARNs keeps the known ARNs while every planned key
// subscribes to a topic subscribed before, under any key (subscriptions are
// matched by topic, so renaming a key keeps its subscription); any new topic
// makes the map unknown until apply.
func plannedSubscriptionARNs(ctx context.Context, plan, state workerPipelineModel, hasState bool) types.Map {
	if !hasState || plan.Subscriptions.IsUnknown() {
		return types.MapUnknown(types.StringType)
	}
	planned, _ := subscriptionsFrom(ctx, plan.Subscriptions)
	prior, _ := subscriptionsFrom(ctx, state.Subscriptions)
	byTopic := subscriptionARNsByTopic(prior, stringMap(ctx, state.SubscriptionARNs))
	arns := map[string]string{}
	for key, p := range planned {
		arn, ok := byTopic[p.TopicARN.ValueString()]
		if p.TopicARN.IsUnknown() || !ok {
			return types.MapUnknown(types.StringType)
		}
		arns[key] = arn
	}
	return stringMapValue(arns)
}

// subscriptionARNsByTopic maps each subscribed topic to its subscription ARN.
func subscriptionARNsByTopic(subs map[string]subscriptionModel, arns map[string]string) map[string]string {
	out := map[string]string{}
	for key, arn := range arns {
		if s, ok := subs[key]; ok && !s.TopicARN.IsNull() && !s.TopicARN.IsUnknown() {
			out[s.TopicARN.ValueString()] = arn
		}
	}
	return out
}

// taskDefinitionChanged tells whether a new revision must be registered
// (also when the owned one is gone).
func taskDefinitionChanged(plan, state workerPipelineModel) bool {
	return state.TaskDefinitionARN.IsNull() || !plan.TaskRoleARN.Equal(state.TaskRoleARN) ||
		!plan.ExecutionRoleARN.Equal(state.ExecutionRoleARN) ||
		!plan.EnvironmentVariables.Equal(state.EnvironmentVariables) ||
		!containersEqual(plan.Container, state.Container)
}

func containersEqual(a, b *containerModel) bool {
	if a == nil || b == nil {
		return a == b
	}
	if !a.Image.Equal(b.Image) || !a.CPU.Equal(b.CPU) || !a.Memory.Equal(b.Memory) || !a.Command.Equal(b.Command) ||
		!a.Environment.Equal(b.Environment) || !a.Secrets.Equal(b.Secrets) || !a.LogGroupName.Equal(b.LogGroupName) ||
		!a.ReadonlyRootFilesystem.Equal(b.ReadonlyRootFilesystem) {
		return false
	}
	if a.HealthCheck == nil || b.HealthCheck == nil {
		return a.HealthCheck == b.HealthCheck
	}
	h, k := a.HealthCheck, b.HealthCheck
	return h.Command.Equal(k.Command) && h.Interval.Equal(k.Interval) && h.Timeout.Equal(k.Timeout) && h.Retries.Equal(k.Retries) && h.StartPeriod.Equal(k.StartPeriod)
}

// addAttrError names the attribute in the text too: Terraform shows the
// attribute's source line only for top-level attributes.
func addAttrError(diags *diag.Diagnostics, p path.Path, summary, detail string) {
	diags.AddAttributeError(p, summary, p.String()+": "+detail)
}

func addAttrWarning(diags *diag.Diagnostics, p path.Path, summary, detail string) {
	diags.AddAttributeWarning(p, summary, p.String()+": "+detail)
}
