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
	// A refresh makes only describe calls: a hung endpoint fails it after
	// this, instead of holding the whole plan.
	defaultReadTimeout = 5 * time.Minute
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
	subs, diags := subscriptionsFrom(ctx, plan.Subscriptions)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Refused before anything exists, nothing goes to state: a state holding
	// the names would let the next refresh claim objects of the same names
	// that are not this pipeline's.
	if err := r.checkCreate(ctx, plan, subs); err != nil {
		addOperationError(&resp.Diagnostics, "Cannot create worker pipeline", err, "Nothing was created.")
		return
	}
	err := r.create(ctx, &plan, subs)
	nullUnknowns(&plan)
	// Written even on error: what exists is recorded, Terraform taints the
	// resource, and the next apply deletes and re-creates it. Read keeps a
	// partly created pipeline in state (it removes it only when no part is
	// left), so nothing created here is orphaned.
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if err != nil {
		addOperationError(&resp.Diagnostics, "Cannot create worker pipeline", err,
			"What was created before the failure is recorded in state and the resource is tainted: the next apply replaces it, destroy removes it.")
	}
}

// checkCreate refuses, before anything is made, what create cannot finish:
// a topic the queue cannot take, backlog scaling on a cluster without its
// metric, and names already taken. SQS answers CreateQueue for an existing
// name with identical attributes with that queue (SQS API reference,
// CreateQueue), so without the check a pipeline would silently share, and
// on destroy delete, a queue that is not its own.
func (r *workerPipelineResource) checkCreate(ctx context.Context, m workerPipelineModel, subs map[string]subscriptionModel) error {
	c := r.clients
	for key, s := range subs {
		if err := checkTopicMatchesQueue(s.TopicARN.ValueString(), m.FIFO.ValueBool()); err != nil {
			return attributeError{attr: path.Root("subscriptions").AtMapKey(key).AtName("topic_arn"), err: err}
		}
	}
	if m.Autoscaling != nil {
		if err := checkContainerInsights(ctx, c.ecs, m.Cluster.ValueString()); err != nil {
			return err
		}
	}
	importHint := fmt.Sprintf("import it (terraform import <address> %s/%s/%s) or choose another name", m.Cluster.ValueString(), m.ServiceName.ValueString(), m.QueueName.ValueString())
	for attr, name := range map[string]string{"queue_name": m.QueueName.ValueString(), "dead_letter_queue_name": m.DLQName.ValueString()} {
		if _, deletedHere := c.deletedQueues.Load(name); deletedHere {
			continue // still being deleted: CreateQueue waits it out (QueueDeletedRecently)
		}
		url, found, err := findQueueURL(ctx, c.sqs, name)
		if err != nil {
			return err
		}
		if found {
			return attributeError{attr: path.Root(attr), err: fmt.Errorf("SQS queue %s already exists (%s): %s. A queue deleted less than 60 seconds ago may still be listed: then apply again in a minute", name, url, importHint)}
		}
	}
	if m.TaskDefinitionOwnership.ValueString() == ownershipTerraform {
		if err := r.checkFamilyFree(ctx, taskFamily(m)); err != nil {
			return err
		}
	}
	if _, found, err := findService(ctx, c.ecs, m.Cluster.ValueString(), m.ServiceName.ValueString()); err != nil {
		return err
	} else if found {
		return attributeError{attr: path.Root("service_name"), err: fmt.Errorf("ECS service %s already exists in cluster %s: %s", m.ServiceName.ValueString(), m.Cluster.ValueString(), importHint)}
	}
	return nil
}

// checkFamilyFree refuses a task definition family the pipeline is to own
// (create, or an in-place change of app, environment or name) that already
// has ACTIVE revisions: the pipeline deregisters the revisions of its family
// it does not use, so another owner's would become its own.
func (r *workerPipelineResource) checkFamilyFree(ctx context.Context, family string) error {
	if _, sweptHere := r.clients.sweptFamilies.Load(family); sweptHere {
		return nil
	}
	revisions, err := findActiveRevisions(ctx, r.clients.ecs, family)
	if err != nil {
		return err
	}
	if len(revisions) > 0 {
		return attributeError{attr: path.Root("name"), err: fmt.Errorf("ECS task definition family %s (<app>-<environment>-<name>) already has %d ACTIVE revision(s), %s: "+
			"a pipeline owning the family would deregister them. Import the worker that uses them, deregister them, "+
			"choose another app, environment or name, or set task_definition_ownership = \"external\". "+
			"Revisions deregistered less than a minute ago may still be listed: then apply again in a minute", family, len(revisions), strings.Join(revisions, ", "))}
	}
	return nil
}

func (r *workerPipelineResource) create(ctx context.Context, m *workerPipelineModel, subs map[string]subscriptionModel) error {
	c := r.clients
	tags := stringMap(ctx, m.TagsAll)
	mainARN, dlqARN, err := r.queueARNs(*m)
	if err != nil {
		return err
	}

	tflog.Info(ctx, "creating dead-letter queue", map[string]any{"name": m.DLQName.ValueString()})
	dlqURL, err := createQueue(ctx, c.sqs, m.DLQName.ValueString(), withFIFO(deadLetterQueueAttributes(*m, mainARN, nil), m.FIFO.ValueBool()), tags, true)
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
	queueURL, err := createQueue(ctx, c.sqs, m.QueueName.ValueString(), withFIFO(mainQueueAttributes(*m, dlqARN, m.QueuePolicy.ValueString(), nil), m.FIFO.ValueBool()), tags, false)
	if err != nil {
		m.QueueARN, m.QueuePolicy = types.StringNull(), types.StringNull()
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
				errs = append(errs, withSubscriptionAttribute(err, key))
				return
			}
			arns[key] = arn
		}()
	}
	wg.Wait()
	return arns, errors.Join(errs...)
}

// createWorker registers the task definition (when owned and not yet
// registered), creates the service and its autoscaling, recording each ID as
// soon as it exists. Update calls it too, when the service is missing.
func (r *workerPipelineResource) createWorker(ctx context.Context, m *workerPipelineModel, tags map[string]string) error {
	c := r.clients
	if m.TaskDefinitionOwnership.ValueString() == ownershipTerraform && (m.TaskDefinitionARN.IsUnknown() || m.TaskDefinitionARN.IsNull()) {
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

// nullUnknowns replaces values still unknown after a failed create or
// update: state cannot hold unknowns.
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
	if a := m.Autoscaling; a != nil && a.TargetBacklogPerTask.IsUnknown() {
		a.TargetBacklogPerTask = types.Int64Null()
	}
}
