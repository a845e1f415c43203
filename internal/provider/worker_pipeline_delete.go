package provider

import (
	"context"
	"errors"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

func (r *workerPipelineResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if !r.requireClients(&resp.Diagnostics) {
		return
	}
	var state workerPipelineModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.formerFamilies = privateStrings(ctx, req.Private, privateFormerFamilies)
	timeout, diags := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := r.delete(ctx, state); err != nil {
		addOperationError(&resp.Diagnostics, "Cannot delete worker pipeline", err, "")
	}
}

// delete removes everything in reverse order of creation. Parts already gone
// are skipped, and parts whose ID is not in state (a create whose answer was
// lost) are found by name, so a partly created or partly deleted pipeline
// deletes cleanly.
func (r *workerPipelineResource) delete(ctx context.Context, m workerPipelineModel) error {
	var wg sync.WaitGroup
	var subErr, ecsErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		subErr = r.deleteSubscriptions(ctx, m)
	}()
	go func() {
		defer wg.Done()
		ecsErr = r.deleteWorker(ctx, m)
	}()
	wg.Wait()
	if err := errors.Join(subErr, ecsErr); err != nil {
		return err // the queues stay while something still sends to or reads them
	}
	return errors.Join(r.deleteQueueNamed(ctx, m.QueueURL.ValueString(), m.QueueName.ValueString()),
		r.deleteQueueNamed(ctx, m.DLQURL.ValueString(), m.DLQName.ValueString()))
}

func (r *workerPipelineResource) deleteSubscriptions(ctx context.Context, m workerPipelineModel) error {
	c := r.clients
	arns := stringMap(ctx, m.SubscriptionARNs)
	var errs []error
	if queueARN := m.QueueARN.ValueString(); queueARN != "" {
		subs, _ := subscriptionsFrom(ctx, m.Subscriptions)
		for key, s := range subs {
			if _, recorded := arns[key]; recorded || s.TopicARN.IsNull() || s.TopicARN.IsUnknown() {
				continue
			}
			arn, found, err := findTopicSubscription(ctx, c.sns, s.TopicARN.ValueString(), queueARN)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if found {
				arns[key] = arn
			}
		}
	}
	for _, arn := range arns {
		errs = append(errs, unsubscribe(ctx, c.sns, arn))
	}
	return errors.Join(errs...)
}

func (r *workerPipelineResource) deleteWorker(ctx context.Context, m workerPipelineModel) error {
	c := r.clients
	cluster, service := m.Cluster.ValueString(), m.ServiceName.ValueString()
	// Always: a target registered by a create whose answer was lost is not in
	// state. A missing target is not an error.
	if err := deleteAutoscaling(ctx, c.autoscaling, cluster, service); err != nil {
		return err
	}
	tflog.Info(ctx, "deleting ECS service", map[string]any{"service": service})
	if err := deleteService(ctx, c.ecs, cluster, service); err != nil {
		return err
	}
	if m.TaskDefinitionOwnership.ValueString() != ownershipTerraform {
		return nil
	}
	if ownsRevision(m, m.TaskDefinitionARN.ValueString()) {
		if err := deregisterTaskDefinition(ctx, c.ecs, m.TaskDefinitionARN.ValueString()); err != nil {
			return err
		}
	}
	if m.App.IsNull() {
		return nil
	}
	var errs []error
	for _, family := range ownedFamilies(m) {
		err := deregisterStrayRevisions(ctx, c.ecs, family, nil)
		if err == nil {
			c.sweptFamilies.Store(family, true)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// deleteQueueNamed deletes a queue by URL, or by name when no URL was recorded.
func (r *workerPipelineResource) deleteQueueNamed(ctx context.Context, url, name string) error {
	if url == "" && name != "" {
		found := false
		var err error
		if url, found, err = findQueueURL(ctx, r.clients.sqs, name); err != nil || !found {
			return err
		}
	}
	if err := deleteQueue(ctx, r.clients.sqs, url); err != nil {
		return err
	}
	r.clients.deletedQueues.Store(name, true)
	return nil
}
