package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

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

	// Strays stay in private state when the update fails (the response starts
	// from the planned private state), so the next update retires them.
	retire := privateStrings(ctx, req.Private, privateStrayRevisions)
	plan.adopted = privateStrings(ctx, req.Private, privateAdoptedRevisions)
	state.formerFamilies = privateStrings(ctx, req.Private, privateFormerFamilies)
	plan.formerFamilies = formerFamiliesAfter(plan, state)
	if family := taskFamily(plan); plan.TaskDefinitionOwnership.ValueString() == ownershipTerraform && !slices.Contains(ownedFamilies(state), family) {
		if err := r.checkFamilyFree(ctx, family); err != nil {
			// The response's state is still the prior state: nothing changed.
			addOperationError(&resp.Diagnostics, "Cannot update worker pipeline", err, "Nothing was changed.")
			return
		}
	}
	err := r.update(ctx, &plan, state, retire)
	nullUnknowns(&plan)
	if err != nil && state.TaskDefinitionOwnership.ValueString() == ownershipTerraform &&
		plan.TaskDefinitionOwnership.ValueString() == ownershipExternal && !plan.handedOver {
		// A hand-over to an external owner that did not finish stays to do:
		// state keeps the owned revision and ownership, so the next plan
		// deploys task_definition_arn once more and then retires the owned one.
		plan.TaskDefinitionOwnership, plan.TaskDefinitionARN = state.TaskDefinitionOwnership, state.TaskDefinitionARN
	}
	// Written even on error: what exists now (a subscription made, a revision
	// registered, a queue or service re-created) is in state, so the next run
	// reconciles or removes it; the next refresh reads back what did not apply.
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateFormerFamilies, privateList(plan.formerFamilies))...)
	if err != nil {
		addOperationError(&resp.Diagnostics, "Cannot update worker pipeline", err,
			"What changed before the failure is recorded in state: the next plan shows what is left to do.")
		return
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateStrayRevisions, nil)...)
}

func (r *workerPipelineResource) update(ctx context.Context, plan *workerPipelineModel, state workerPipelineModel, retire []string) error {
	c := r.clients
	oldTags, newTags := stringMap(ctx, state.TagsAll), stringMap(ctx, plan.TagsAll)
	// What exists until a step below changes it.
	plan.SubscriptionARNs = state.SubscriptionARNs
	plan.ServiceARN = state.ServiceARN
	mainARN, dlqARN, err := r.queueARNs(*plan)
	if err != nil {
		return err
	}
	if state.DLQURL.IsNull() {
		tflog.Info(ctx, "re-creating the missing dead-letter queue")
		url, err := createQueue(ctx, c.sqs, plan.DLQName.ValueString(), withFIFO(deadLetterQueueAttributes(*plan, mainARN, nil), plan.FIFO.ValueBool()), newTags, true)
		if err != nil {
			return err
		}
		plan.DLQURL, plan.DLQARN = types.StringValue(url), types.StringValue(dlqARN)
	} else {
		plan.DLQURL, plan.DLQARN = state.DLQURL, state.DLQARN
		if err := setQueueAttributes(ctx, c.sqs, plan.DLQURL.ValueString(), deadLetterQueueAttributes(*plan, mainARN, &state), true); err != nil {
			return err
		}
		if err := updateQueueTags(ctx, c.sqs, plan.DLQURL.ValueString(), oldTags, newTags); err != nil {
			return err
		}
	}
	plan.QueueARN = types.StringValue(mainARN)
	in, _ := policyInputFrom(ctx, *plan)
	plan.QueuePolicy = types.StringValue(buildQueuePolicy(in))
	if state.QueueURL.IsNull() {
		tflog.Info(ctx, "re-creating the missing worker queue")
		url, err := createQueue(ctx, c.sqs, plan.QueueName.ValueString(),
			withFIFO(mainQueueAttributes(*plan, plan.DLQARN.ValueString(), plan.QueuePolicy.ValueString(), nil), plan.FIFO.ValueBool()), newTags, false)
		if err != nil {
			plan.QueueURL, plan.QueueARN, plan.QueuePolicy = types.StringNull(), types.StringNull(), types.StringNull()
			return err
		}
		plan.QueueURL = types.StringValue(url)
	} else {
		plan.QueueURL = state.QueueURL
		if err := setQueueAttributes(ctx, c.sqs, plan.QueueURL.ValueString(), mainQueueAttributes(*plan, plan.DLQARN.ValueString(), plan.QueuePolicy.ValueString(), &state), false); err != nil {
			plan.QueuePolicy = state.QueuePolicy
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
		ecsErr = r.updateWorker(ctx, plan, state, oldTags, newTags, retire)
	}()
	wg.Wait()
	plan.SubscriptionARNs = stringMapValue(subARNs)
	return errors.Join(subErr, ecsErr)
}

// updateSubscriptions converges the subscriptions and returns the ARNs of
// those that exist afterwards, also when it fails part way. A subscription
// is matched by its topic, not its key: a key renamed (as after importing a
// Copilot worker, whose keys are topic names) keeps the subscription, with no
// Unsubscribe and no gap in delivery.
func (r *workerPipelineResource) updateSubscriptions(ctx context.Context, plan, state workerPipelineModel) (map[string]string, error) {
	c := r.clients
	planned, _ := subscriptionsFrom(ctx, plan.Subscriptions)
	prior, _ := subscriptionsFrom(ctx, state.Subscriptions)
	recorded := stringMap(ctx, state.SubscriptionARNs)
	priorByTopic := map[string]string{} // topic ARN -> key in state
	for key := range recorded {
		if s, ok := prior[key]; ok {
			priorByTopic[s.TopicARN.ValueString()] = key
		}
	}
	plannedTopics := map[string]bool{}
	for _, p := range planned {
		plannedTopics[p.TopicARN.ValueString()] = true
	}
	current := map[string]string{} // by planned key once matched
	for key, arn := range recorded {
		if s, ok := prior[key]; ok && plannedTopics[s.TopicARN.ValueString()] {
			continue
		}
		if err := unsubscribe(ctx, c.sns, arn); err != nil {
			return mergeARNs(current, recorded), err
		}
		delete(recorded, key)
	}
	toCreate := map[string]subscriptionModel{}
	for key, p := range planned {
		priorKey, exists := priorByTopic[p.TopicARN.ValueString()]
		if !exists {
			if err := checkTopicMatchesQueue(p.TopicARN.ValueString(), plan.FIFO.ValueBool()); err != nil {
				return mergeARNs(current, recorded), attributeError{attr: path.Root("subscriptions").AtMapKey(key).AtName("topic_arn"), err: err}
			}
			toCreate[key] = p
			continue
		}
		if err := setSubscriptionAttributes(ctx, c.sns, recorded[priorKey], prior[priorKey], p); err != nil {
			return mergeARNs(current, recorded), withSubscriptionAttribute(err, key)
		}
		current[key] = recorded[priorKey]
	}
	created, err := subscribeAll(ctx, r, plan.QueueARN.ValueString(), toCreate)
	for k, v := range created {
		current[k] = v
	}
	return mergeARNs(current, recorded), err
}

// mergeARNs is what state records after a partial update: the subscriptions
// matched to planned keys, plus those not yet handled under their old keys
// (a later plan removes them or matches them by topic).
func mergeARNs(current, recorded map[string]string) map[string]string {
	matched := map[string]bool{}
	for _, arn := range current {
		matched[arn] = true
	}
	out := maps.Clone(current)
	for key, arn := range recorded {
		if matched[arn] {
			continue
		}
		if _, clash := out[key]; clash {
			continue
		}
		out[key] = arn
	}
	return out
}

func (r *workerPipelineResource) updateWorker(ctx context.Context, plan *workerPipelineModel, state workerPipelineModel, oldTags, newTags map[string]string, retire []string) error {
	c := r.clients
	cluster, service := plan.Cluster.ValueString(), plan.ServiceName.ValueString()
	planOwned := plan.TaskDefinitionOwnership.ValueString() == ownershipTerraform
	scalingChanged := plan.Autoscaling != nil && !autoscalingEqual(plan.Autoscaling, state.Autoscaling)
	if scalingChanged {
		if err := checkContainerInsights(ctx, c.ecs, cluster); err != nil {
			return err
		}
	}
	if state.ServiceARN.IsNull() {
		// Deleted out of band, or never created by a failed create: created
		// again with what exists kept.
		if err := r.createWorker(ctx, plan, newTags); err != nil {
			return err
		}
		return r.retireRevisions(ctx, plan, state, retire)
	}

	if planOwned && (plan.TaskDefinitionARN.IsUnknown() || plan.TaskDefinitionARN.IsNull()) {
		arn, err := registerTaskDefinition(ctx, c.ecs, taskDefinitionInput(ctx, *plan, r.region(), ecsTags(newTags)))
		if err != nil {
			return err
		}
		plan.TaskDefinitionARN = types.StringValue(arn)
	} else if planOwned {
		if err := updateECSTags(ctx, c.ecs, plan.TaskDefinitionARN.ValueString(), oldTags, newTags); err != nil {
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
	if err := r.retireRevisions(ctx, plan, state, retire); err != nil {
		return err
	}
	if err := updateECSTags(ctx, c.ecs, plan.ServiceARN.ValueString(), oldTags, newTags); err != nil {
		return err
	}
	switch {
	case scalingChanged:
		if err := putAutoscaling(ctx, c.autoscaling, *plan); err != nil {
			return err
		}
	case plan.Autoscaling == nil && state.Autoscaling != nil:
		if err := deleteAutoscaling(ctx, c.autoscaling, cluster, service); err != nil {
			plan.Autoscaling = state.Autoscaling // still there: state keeps it, the next plan removes it again
			return err
		}
	}
	if changed && plan.WaitForSteadyState.ValueBool() {
		return waitServiceStable(ctx, c.ecs, cluster, service, remaining(ctx))
	}
	return nil
}

// retireRevisions deregisters, once the service runs plan's task definition,
// the owned revisions it no longer needs: the one it ran before, the one
// handed over to an external owner's deploys, and strays a failed apply left.
func (r *workerPipelineResource) retireRevisions(ctx context.Context, plan *workerPipelineModel, state workerPipelineModel, retire []string) error {
	c := r.clients
	planOwned := plan.TaskDefinitionOwnership.ValueString() == ownershipTerraform
	stateOwned := state.TaskDefinitionOwnership.ValueString() == ownershipTerraform
	inUse := plan.TaskDefinitionARN.ValueString()
	if stateOwned && ownsRevision(state, state.TaskDefinitionARN.ValueString()) && state.TaskDefinitionARN.ValueString() != inUse {
		retire = append(retire, state.TaskDefinitionARN.ValueString())
	}
	for _, arn := range retire {
		if arn == inUse || slices.Contains(plan.adopted, arn) {
			continue
		}
		if err := deregisterTaskDefinition(ctx, c.ecs, arn); err != nil {
			return err
		}
	}
	plan.handedOver = true
	if !planOwned {
		// An external owner may deploy into any family: none is swept.
		return nil
	}
	keep := append([]string{inUse}, plan.adopted...)
	// The next refresh forgets a former family once nothing of it is
	// ACTIVE (adopted revisions stay, until destroy).
	for _, family := range ownedFamilies(*plan) {
		if err := deregisterStrayRevisions(ctx, c.ecs, family, keep); err != nil {
			return err
		}
	}
	return nil
}

// formerFamiliesAfter are the families an update leaves behind while Terraform
// owns them: the state's former ones and, when app, environment or name
// change, the state's own, until their revisions are retired (a failed update
// leaves them ACTIVE). An external owner's family never becomes one.
func formerFamiliesAfter(plan, state workerPipelineModel) []string {
	if state.TaskDefinitionOwnership.ValueString() != ownershipTerraform {
		return state.formerFamilies
	}
	var out []string
	for _, family := range ownedFamilies(state) {
		if family != taskFamily(plan) && !slices.Contains(out, family) {
			out = append(out, family)
		}
	}
	return out
}

func autoscalingEqual(a, b *autoscalingModel) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.MinCapacity.Equal(b.MinCapacity) && a.MaxCapacity.Equal(b.MaxCapacity) &&
		a.TargetBacklogPerTask.Equal(b.TargetBacklogPerTask) &&
		a.ScaleInCooldown.Equal(b.ScaleInCooldown) && a.ScaleOutCooldown.Equal(b.ScaleOutCooldown)
}

// serviceUpdate builds the UpdateService call for what differs; changed is
// false when nothing does. The task definition is deployed only when
// Terraform owns it, or once when ownership passes to an external owner (the
// service starts on task_definition_arn); under external ownership a changed
// task_definition_arn is recorded, never deployed: that would revert CI.
func serviceUpdate(ctx context.Context, plan, state workerPipelineModel) (*ecs.UpdateServiceInput, bool) {
	in := &ecs.UpdateServiceInput{Cluster: aws.String(plan.Cluster.ValueString()), Service: aws.String(plan.ServiceName.ValueString())}
	changed := false
	planOwned := plan.TaskDefinitionOwnership.ValueString() == ownershipTerraform
	handOver := !planOwned && state.TaskDefinitionOwnership.ValueString() == ownershipTerraform
	if (planOwned || handOver) && !plan.TaskDefinitionARN.Equal(state.TaskDefinitionARN) {
		in.TaskDefinition = aws.String(plan.TaskDefinitionARN.ValueString())
		changed = true
	}
	if plan.Autoscaling == nil && (!plan.DesiredCount.Equal(state.DesiredCount) || state.Autoscaling != nil) {
		in.DesiredCount = aws.Int32(int32(plan.DesiredCount.ValueInt64()))
		changed = true
	}
	if !plan.SubnetIDs.Equal(state.SubnetIDs) || !plan.SecurityGroupIDs.Equal(state.SecurityGroupIDs) || !plan.AssignPublicIP.Equal(state.AssignPublicIP) {
		in.NetworkConfiguration = networkConfiguration(ctx, plan)
		changed = true
	}
	if !capacityEqual(plan.CapacityProviderStrategy, state.CapacityProviderStrategy) {
		in.CapacityProviderStrategy = capacityProviderStrategy(plan)
		if len(in.CapacityProviderStrategy) == 0 {
			in.CapacityProviderStrategy = fargateOnly
		}
		in.ForceNewDeployment = true // ECS moves running tasks only on a new deployment
		changed = true
	}
	if !plan.PlatformVersion.Equal(state.PlatformVersion) {
		in.PlatformVersion = aws.String(plan.PlatformVersion.ValueString())
		changed = true
	}
	if !plan.EnableExecuteCommand.Equal(state.EnableExecuteCommand) {
		in.EnableExecuteCommand = aws.Bool(plan.EnableExecuteCommand.ValueBool())
		in.ForceNewDeployment = true // ECS Exec applies to tasks started after the change only
		changed = true
	}
	return in, changed
}

func capacityEqual(a, b []capacityModel) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].CapacityProvider.Equal(b[i].CapacityProvider) || !a[i].Weight.Equal(b[i].Weight) || !a[i].Base.Equal(b[i].Base) {
			return false
		}
	}
	return true
}
