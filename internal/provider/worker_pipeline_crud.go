package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

const (
	defaultCreateTimeout = 20 * time.Minute
	defaultUpdateTimeout = 20 * time.Minute
	defaultDeleteTimeout = 20 * time.Minute
)

func (r *workerPipelineResource) requireClients(diags *diag.Diagnostics) bool {
	if r.clients == nil {
		diags.AddError("Provider not configured", "The calinks provider has no AWS clients: one of its arguments was unknown when it was configured.")
		return false
	}
	return true
}

func (r *workerPipelineResource) region() string { return r.clients.sqs.Options().Region }

func pipelineID(m workerPipelineModel) string {
	return fmt.Sprintf("%s/%s/%s", clusterName(m.Cluster.ValueString()), m.ServiceName.ValueString(), m.QueueName.ValueString())
}

// queueARNs derives both queue ARNs before they exist: an ECS task role lives
// in the account of its tasks, so its ARN gives partition and account.
func (r *workerPipelineResource) queueARNs(m workerPipelineModel) (mainARN, dlqARN string, err error) {
	role, err := parseARN(m.TaskRoleARN.ValueString())
	if err != nil {
		return "", "", err
	}
	arn := func(name string) string {
		return fmt.Sprintf("arn:%s:sqs:%s:%s:%s", role.partition, r.region(), role.account, name)
	}
	return arn(m.QueueName.ValueString()), arn(m.DLQName.ValueString()), nil
}

func (r *workerPipelineResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if !r.requireClients(&resp.Diagnostics) {
		return
	}
	var plan workerPipelineModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	plan.ID = types.StringValue(pipelineID(plan))
	err := r.create(ctx, &plan)
	nullUnknowns(&plan)
	// Written even on error: what exists is recorded, Terraform taints the
	// resource, and the next apply deletes and re-creates it.
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if err != nil {
		resp.Diagnostics.AddError("Cannot create worker pipeline",
			err.Error()+"\n\nWhat was created before the failure is recorded in state and the resource is tainted: the next apply replaces it, destroy removes it.")
	}
}

func (r *workerPipelineResource) create(ctx context.Context, m *workerPipelineModel) error {
	c := r.clients
	tags := stringMap(ctx, m.TagsAll)
	mainARN, dlqARN, err := r.queueARNs(*m)
	if err != nil {
		return err
	}
	subs, diags := subscriptionsFrom(ctx, m.Subscriptions)
	if diags.HasError() {
		return errors.New("reading subscriptions from the plan")
	}
	for key, s := range subs {
		if err := checkTopicMatchesQueue(s.TopicARN.ValueString(), m.FIFO.ValueBool()); err != nil {
			return fmt.Errorf("subscriptions[%q].topic_arn: %w", key, err)
		}
	}

	tflog.Info(ctx, "creating dead-letter queue", map[string]any{"name": m.DLQName.ValueString()})
	dlqURL, err := createQueue(ctx, c.sqs, m.DLQName.ValueString(), withFIFO(deadLetterQueueAttributes(*m, mainARN), m.FIFO.ValueBool()), tags)
	if err != nil {
		return err
	}
	m.DLQURL, m.DLQARN = types.StringValue(dlqURL), types.StringValue(dlqARN)
	if err := checkDerivedARN(dlqURL, dlqARN, r.region()); err != nil {
		return err
	}

	m.QueueARN = types.StringValue(mainARN)
	in, _ := policyInputFrom(ctx, *m)
	m.QueuePolicy = types.StringValue(buildQueuePolicy(in))
	tflog.Info(ctx, "creating worker queue", map[string]any{"name": m.QueueName.ValueString()})
	queueURL, err := createQueue(ctx, c.sqs, m.QueueName.ValueString(), withFIFO(mainQueueAttributes(*m, dlqARN, m.QueuePolicy.ValueString()), m.FIFO.ValueBool()), tags)
	if err != nil {
		m.QueueARN = types.StringNull()
		return err
	}
	m.QueueURL = types.StringValue(queueURL)
	m.EnvironmentVariables = plannedEnvironment(ctx, *m)

	// The subscriptions and the ECS chain need only the queue: run them side by side.
	var wg sync.WaitGroup
	var subErr, ecsErr error
	subARNs := map[string]string{}
	wg.Add(2)
	go func() {
		defer wg.Done()
		subARNs, subErr = subscribeAll(ctx, r, mainARN, subs)
	}()
	go func() {
		defer wg.Done()
		ecsErr = r.createWorker(ctx, m, tags)
	}()
	wg.Wait()
	m.SubscriptionARNs = stringMapValue(subARNs)
	return errors.Join(subErr, ecsErr)
}

// checkDerivedARN guards the ARN derivation against an endpoint whose URLs
// name another account than the task role's.
func checkDerivedARN(queueURL, derived, region string) error {
	fromURL, err := queueARNFromURL(queueURL, region)
	if err != nil {
		return err
	}
	if fromURL != derived {
		return fmt.Errorf("queue %s is in another account than task_role_arn (%s, expected %s): ECS needs the task role in the account of the service", queueURL, fromURL, derived)
	}
	return nil
}

// subscribeAll subscribes the queue to every topic in parallel and returns
// the ARNs of those that succeeded, with the errors of the others.
func subscribeAll(ctx context.Context, r *workerPipelineResource, queueARN string, subs map[string]subscriptionModel) (map[string]string, error) {
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
	)
	arns := map[string]string{}
	for key, s := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			arn, err := subscribe(ctx, r.clients.sns, queueARN, s)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			arns[key] = arn
		}()
	}
	wg.Wait()
	return arns, errors.Join(errs...)
}

// createWorker registers the task definition (when owned), creates the
// service and its autoscaling, recording each ID as soon as it exists.
func (r *workerPipelineResource) createWorker(ctx context.Context, m *workerPipelineModel, tags map[string]string) error {
	c := r.clients
	if m.TaskDefinitionOwnership.ValueString() == ownershipTerraform {
		arn, err := registerTaskDefinition(ctx, c.ecs, taskDefinitionInput(ctx, *m, r.region(), ecsTags(tags)))
		if err != nil {
			return err
		}
		m.TaskDefinitionARN = types.StringValue(arn)
	}
	tflog.Info(ctx, "creating ECS service", map[string]any{"service": m.ServiceName.ValueString()})
	serviceARN, err := createService(ctx, c.ecs, *m, m.TaskDefinitionARN.ValueString(), ecsTags(tags))
	if err != nil {
		return err
	}
	m.ServiceARN = types.StringValue(serviceARN)
	if m.Autoscaling != nil {
		if err := putAutoscaling(ctx, c.autoscaling, *m); err != nil {
			return err
		}
	}
	if m.WaitForSteadyState.ValueBool() {
		return waitServiceStable(ctx, c.ecs, m.Cluster.ValueString(), m.ServiceName.ValueString(), remaining(ctx))
	}
	return nil
}

func remaining(ctx context.Context) time.Duration {
	if deadline, ok := ctx.Deadline(); ok {
		return time.Until(deadline)
	}
	return defaultCreateTimeout
}

func stringMapValue(m map[string]string) types.Map {
	values := make(map[string]attr.Value, len(m))
	for k, v := range m {
		values[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, values)
}

// nullUnknowns replaces values still unknown after a failed create: state
// cannot hold unknowns.
func nullUnknowns(m *workerPipelineModel) {
	for _, s := range []*types.String{&m.QueueURL, &m.QueueARN, &m.QueuePolicy, &m.DLQURL, &m.DLQARN, &m.ServiceARN, &m.TaskDefinitionARN} {
		if s.IsUnknown() {
			*s = types.StringNull()
		}
	}
	for _, mp := range []*types.Map{&m.SubscriptionARNs, &m.EnvironmentVariables, &m.TagsAll} {
		if mp.IsUnknown() {
			*mp = types.MapNull(types.StringType)
		}
	}
}

func (r *workerPipelineResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if !r.requireClients(&resp.Diagnostics) {
		return
	}
	var state workerPipelineModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	found, err := r.read(ctx, &state)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read worker pipeline", err.Error())
		return
	}
	if !found {
		tflog.Warn(ctx, "worker pipeline is gone, removing it from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// read refreshes m from AWS; found is false when the service is gone. A
// queue gone while the service runs is re-created in place by the next apply
// (its URL, and so the workers' configuration, stays the same).
func (r *workerPipelineResource) read(ctx context.Context, m *workerPipelineModel) (bool, error) {
	importing := m.ServiceARN.IsNull()
	queueFound, err := r.readQueues(ctx, m)
	if err != nil {
		return false, err
	}
	if importing && !queueFound {
		return false, fmt.Errorf("no SQS queue named %s", m.QueueName.ValueString())
	}
	found, err := r.readWorker(ctx, m)
	if err != nil || !found {
		return false, err
	}
	if !queueFound {
		m.QueueURL, m.QueueARN, m.QueuePolicy = types.StringNull(), types.StringNull(), types.StringNull()
		return true, nil
	}
	if err := r.readSubscriptions(ctx, m); err != nil {
		return false, err
	}
	// Keep the policy in the form this provider writes when AWS's equals it.
	if in, known := policyInputFrom(ctx, *m); known {
		if built := buildQueuePolicy(in); policiesEquivalent(m.QueuePolicy.ValueString(), built) {
			m.QueuePolicy = types.StringValue(built)
		}
	}
	if m.TaskDefinitionOwnership.ValueString() == ownershipExternal {
		// The task definition is not ours to read; show what to hand its owner.
		m.EnvironmentVariables = plannedEnvironment(ctx, *m)
	}
	return true, nil
}

func (r *workerPipelineResource) readQueues(ctx context.Context, m *workerPipelineModel) (bool, error) {
	c := r.clients
	if m.QueueURL.IsNull() { // import
		url, found, err := findQueueURL(ctx, c.sqs, m.QueueName.ValueString())
		if err != nil || !found {
			return false, err
		}
		m.QueueURL = types.StringValue(url)
	}
	attrs, found, err := findQueueAttributes(ctx, c.sqs, m.QueueURL.ValueString())
	if err != nil || !found {
		return false, err
	}
	if err := m.setMainQueueAttributes(attrs); err != nil {
		return false, err
	}
	tags, err := queueTags(ctx, c.sqs, m.QueueURL.ValueString())
	if err != nil {
		return false, err
	}
	m.TagsAll = stringMapValue(tags)

	if m.DLQURL.IsNull() && !m.DLQARN.IsNull() {
		url, found, err := findQueueURL(ctx, c.sqs, m.DLQName.ValueString())
		if err != nil {
			return false, err
		}
		if found {
			m.DLQURL = types.StringValue(url)
		}
	}
	if m.DLQURL.IsNull() {
		return true, nil
	}
	dlqAttrs, found, err := findQueueAttributes(ctx, c.sqs, m.DLQURL.ValueString())
	if err != nil {
		return false, err
	}
	if !found {
		// The next apply re-creates the dead-letter queue in place.
		m.DLQURL, m.DLQARN = types.StringNull(), types.StringNull()
		return true, nil
	}
	m.setDeadLetterQueueAttributes(dlqAttrs)
	return true, nil
}

func (r *workerPipelineResource) readSubscriptions(ctx context.Context, m *workerPipelineModel) error {
	c := r.clients
	subs, _ := subscriptionsFrom(ctx, m.Subscriptions)
	arns := stringMap(ctx, m.SubscriptionARNs)
	if m.Subscriptions.IsNull() && m.SubscriptionARNs.IsNull() { // import: find them by endpoint
		found, err := findQueueSubscriptions(ctx, c.sns, m.QueueARN.ValueString())
		if err != nil {
			return err
		}
		for arn, topic := range found {
			key := topic[strings.LastIndex(topic, ":")+1:]
			arns[key] = arn
			subs[key] = subscriptionModel{TopicARN: types.StringValue(topic)}
		}
	}
	readSubs := map[string]attr.Value{}
	readARNs := map[string]string{}
	for key, arn := range arns {
		attrs, found, err := findSubscriptionAttributes(ctx, c.sns, arn)
		if err != nil {
			return err
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
		case !policiesEquivalent(s.FilterPolicy.ValueString(), policy):
			s.FilterPolicy = types.StringValue(policy)
		}
		obj, diags := types.ObjectValueFrom(ctx, subscriptionAttrTypes, s)
		if diags.HasError() {
			return errors.New("converting subscription " + key)
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
	return nil
}

func valueOr(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

func (r *workerPipelineResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if !r.requireClients(&resp.Diagnostics) {
		return
	}
	var plan, state workerPipelineModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	err := r.update(ctx, &plan, state)
	if err != nil {
		resp.Diagnostics.AddError("Cannot update worker pipeline", err.Error())
		// Keep the prior state: the next plan reads AWS and shows what is left to do.
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *workerPipelineResource) update(ctx context.Context, plan *workerPipelineModel, state workerPipelineModel) error {
	c := r.clients
	oldTags, newTags := stringMap(ctx, state.TagsAll), stringMap(ctx, plan.TagsAll)
	mainARN, dlqARN, err := r.queueARNs(*plan)
	if err != nil {
		return err
	}
	if state.DLQURL.IsNull() {
		tflog.Info(ctx, "re-creating the missing dead-letter queue")
		url, err := createQueue(ctx, c.sqs, plan.DLQName.ValueString(), withFIFO(deadLetterQueueAttributes(*plan, mainARN), plan.FIFO.ValueBool()), newTags)
		if err != nil {
			return err
		}
		plan.DLQURL, plan.DLQARN = types.StringValue(url), types.StringValue(dlqARN)
	} else {
		plan.DLQURL, plan.DLQARN = state.DLQURL, state.DLQARN
		if err := setQueueAttributes(ctx, c.sqs, plan.DLQURL.ValueString(), deadLetterQueueAttributes(*plan, mainARN)); err != nil {
			return err
		}
		if err := updateQueueTags(ctx, c.sqs, plan.DLQURL.ValueString(), oldTags, newTags); err != nil {
			return err
		}
	}
	plan.QueueARN = types.StringValue(mainARN)
	in, _ := policyInputFrom(ctx, *plan)
	plan.QueuePolicy = types.StringValue(buildQueuePolicy(in))
	mainAttrs := mainQueueAttributes(*plan, plan.DLQARN.ValueString(), plan.QueuePolicy.ValueString())
	if state.QueueURL.IsNull() {
		tflog.Info(ctx, "re-creating the missing worker queue")
		url, err := createQueue(ctx, c.sqs, plan.QueueName.ValueString(), withFIFO(mainAttrs, plan.FIFO.ValueBool()), newTags)
		if err != nil {
			return err
		}
		plan.QueueURL = types.StringValue(url)
	} else {
		plan.QueueURL = state.QueueURL
		if err := setQueueAttributes(ctx, c.sqs, plan.QueueURL.ValueString(), mainAttrs); err != nil {
			return err
		}
		if err := updateQueueTags(ctx, c.sqs, plan.QueueURL.ValueString(), oldTags, newTags); err != nil {
			return err
		}
	}
	plan.EnvironmentVariables = plannedEnvironment(ctx, *plan)

	var wg sync.WaitGroup
	var subErr, ecsErr error
	var subARNs map[string]string
	planned := *plan // read-only copy for the subscription branch
	wg.Add(2)
	go func() {
		defer wg.Done()
		subARNs, subErr = r.updateSubscriptions(ctx, planned, state)
	}()
	go func() {
		defer wg.Done()
		ecsErr = r.updateWorker(ctx, plan, state, oldTags, newTags)
	}()
	wg.Wait()
	plan.SubscriptionARNs = stringMapValue(subARNs)
	return errors.Join(subErr, ecsErr)
}

// updateSubscriptions converges the subscriptions and returns the ARNs of
// those that exist afterwards, also when it fails part way.
func (r *workerPipelineResource) updateSubscriptions(ctx context.Context, plan, state workerPipelineModel) (map[string]string, error) {
	c := r.clients
	planned, _ := subscriptionsFrom(ctx, plan.Subscriptions)
	prior, _ := subscriptionsFrom(ctx, state.Subscriptions)
	arns := stringMap(ctx, state.SubscriptionARNs)
	result := map[string]string{}
	for key, old := range prior {
		if p, keep := planned[key]; keep && p.TopicARN.Equal(old.TopicARN) {
			continue
		}
		if err := unsubscribe(ctx, c.sns, arns[key]); err != nil {
			return arns, err
		}
		delete(arns, key)
	}
	toCreate := map[string]subscriptionModel{}
	for key, p := range planned {
		arn, exists := arns[key]
		if !exists {
			if err := checkTopicMatchesQueue(p.TopicARN.ValueString(), plan.FIFO.ValueBool()); err != nil {
				return arns, fmt.Errorf("subscriptions[%q].topic_arn: %w", key, err)
			}
			toCreate[key] = p
			continue
		}
		result[key] = arn
		if err := setSubscriptionAttributes(ctx, c.sns, arn, prior[key], p); err != nil {
			return arns, err
		}
	}
	created, err := subscribeAll(ctx, r, plan.QueueARN.ValueString(), toCreate)
	for k, v := range created {
		result[k] = v
	}
	return result, err
}

func (r *workerPipelineResource) updateWorker(ctx context.Context, plan *workerPipelineModel, state workerPipelineModel, oldTags, newTags map[string]string) error {
	c := r.clients
	cluster, service := plan.Cluster.ValueString(), plan.ServiceName.ValueString()
	plan.ServiceARN = state.ServiceARN
	oldTaskDefinition := state.TaskDefinitionARN.ValueString()
	newOwnedRevision := false
	switch {
	case plan.TaskDefinitionOwnership.ValueString() == ownershipTerraform && (plan.TaskDefinitionARN.IsUnknown() || state.TaskDefinitionOwnership.ValueString() != ownershipTerraform):
		arn, err := registerTaskDefinition(ctx, c.ecs, taskDefinitionInput(ctx, *plan, r.region(), ecsTags(newTags)))
		if err != nil {
			return err
		}
		plan.TaskDefinitionARN = types.StringValue(arn)
		newOwnedRevision = state.TaskDefinitionOwnership.ValueString() == ownershipTerraform
	case plan.TaskDefinitionOwnership.ValueString() == ownershipTerraform:
		plan.TaskDefinitionARN = state.TaskDefinitionARN
		if err := updateServiceTags(ctx, c.ecs, plan.TaskDefinitionARN.ValueString(), oldTags, newTags); err != nil {
			return err
		}
	}
	in, changed := serviceUpdate(ctx, *plan, state)
	if changed {
		tflog.Info(ctx, "updating ECS service", map[string]any{"service": service})
		if _, err := c.ecs.UpdateService(ctx, in); err != nil {
			return fmt.Errorf("updating ECS service %s: %w", service, err)
		}
	}
	if newOwnedRevision && oldTaskDefinition != plan.TaskDefinitionARN.ValueString() {
		// The service runs the new revision now; the old one is ours to retire.
		if err := deregisterTaskDefinition(ctx, c.ecs, oldTaskDefinition); err != nil {
			return err
		}
	}
	if err := updateServiceTags(ctx, c.ecs, plan.ServiceARN.ValueString(), oldTags, newTags); err != nil {
		return err
	}
	switch {
	case plan.Autoscaling != nil && !autoscalingEqual(plan.Autoscaling, state.Autoscaling):
		if err := putAutoscaling(ctx, c.autoscaling, *plan); err != nil {
			return err
		}
	case plan.Autoscaling == nil && state.Autoscaling != nil:
		if err := deleteAutoscaling(ctx, c.autoscaling, cluster, service); err != nil {
			return err
		}
	}
	if changed && plan.WaitForSteadyState.ValueBool() {
		return waitServiceStable(ctx, c.ecs, cluster, service, remaining(ctx))
	}
	return nil
}

func autoscalingEqual(a, b *autoscalingModel) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.MinCapacity.Equal(b.MinCapacity) && a.MaxCapacity.Equal(b.MaxCapacity) &&
		a.TargetBacklogPerTask.Equal(b.TargetBacklogPerTask) &&
		a.ScaleInCooldown.Equal(b.ScaleInCooldown) && a.ScaleOutCooldown.Equal(b.ScaleOutCooldown)
}

func (r *workerPipelineResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if !r.requireClients(&resp.Diagnostics) {
		return
	}
	var state workerPipelineModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := r.delete(ctx, state); err != nil {
		resp.Diagnostics.AddError("Cannot delete worker pipeline", err.Error())
	}
}

// delete removes everything in reverse order of creation; parts already gone
// are skipped, so a partly created or partly deleted pipeline deletes cleanly.
func (r *workerPipelineResource) delete(ctx context.Context, m workerPipelineModel) error {
	c := r.clients
	var wg sync.WaitGroup
	var subErr, ecsErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		for _, arn := range stringMap(ctx, m.SubscriptionARNs) {
			subErr = errors.Join(subErr, unsubscribe(ctx, c.sns, arn))
		}
	}()
	go func() {
		defer wg.Done()
		ecsErr = r.deleteWorker(ctx, m)
	}()
	wg.Wait()
	if err := errors.Join(subErr, ecsErr); err != nil {
		return err // the queues stay while something still sends to or reads them
	}
	return errors.Join(deleteQueue(ctx, c.sqs, m.QueueURL.ValueString()), deleteQueue(ctx, c.sqs, m.DLQURL.ValueString()))
}

func (r *workerPipelineResource) deleteWorker(ctx context.Context, m workerPipelineModel) error {
	c := r.clients
	cluster, service := m.Cluster.ValueString(), m.ServiceName.ValueString()
	if !m.ServiceARN.IsNull() {
		if m.Autoscaling != nil {
			if err := deleteAutoscaling(ctx, c.autoscaling, cluster, service); err != nil {
				return err
			}
		}
		tflog.Info(ctx, "deleting ECS service", map[string]any{"service": service})
		if err := deleteService(ctx, c.ecs, cluster, service); err != nil {
			return err
		}
	}
	if m.TaskDefinitionOwnership.ValueString() == ownershipTerraform {
		return deregisterTaskDefinition(ctx, c.ecs, m.TaskDefinitionARN.ValueString())
	}
	return nil
}

func (r *workerPipelineResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts := strings.Split(req.ID, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("expected <cluster name>/<service name>/<queue name>, got %q", req.ID))
		return
	}
	for attr, v := range map[string]string{"id": req.ID, "cluster": parts[0], "service_name": parts[1], "queue_name": parts[2]} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), v)...)
	}
	// Settings that live only in Terraform take their defaults.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("wait_for_steady_state"), false)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("task_definition_ownership"), ownershipTerraform)...)
}
