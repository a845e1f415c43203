package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func int64Of(attrs map[string]string, name sqstypes.QueueAttributeName, current types.Int64) types.Int64 {
	v, err := strconv.ParseInt(attrs[string(name)], 10, 64)
	if err != nil {
		return current // not reported by this endpoint
	}
	return types.Int64Value(v)
}

// setMainQueueAttributes copies what GetQueueAttributes reports of the worker queue.
func (m *workerPipelineModel) setMainQueueAttributes(attrs map[string]string) error {
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
		if m.DLQARN.IsNull() || m.DLQARN.ValueString() != rp.DeadLetterTargetARN {
			m.DLQARN = types.StringValue(rp.DeadLetterTargetARN)
			m.DLQName = types.StringValue(rp.DeadLetterTargetARN[strings.LastIndex(rp.DeadLetterTargetARN, ":")+1:])
			m.DLQURL = types.StringNull() // looked up by name
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

func (m *workerPipelineModel) setDeadLetterQueueAttributes(attrs map[string]string) {
	m.DLQARN = types.StringValue(attrs[string(sqstypes.QueueAttributeNameQueueArn)])
	m.DLQRetentionSeconds = int64Of(attrs, sqstypes.QueueAttributeNameMessageRetentionPeriod, m.DLQRetentionSeconds)
	_, hasAllowPolicy := attrs[string(sqstypes.QueueAttributeNameRedriveAllowPolicy)]
	m.DLQRedriveAllowPolicy = types.BoolValue(hasAllowPolicy)
}

// readWorker refreshes the service, its task definition and autoscaling;
// found is false when the service is gone.
func (r *workerPipelineResource) readWorker(ctx context.Context, m *workerPipelineModel) (bool, error) {
	c := r.clients
	importing := m.ServiceARN.IsNull()
	svc, found, err := findService(ctx, c.ecs, m.Cluster.ValueString(), m.ServiceName.ValueString())
	if err != nil || !found {
		return false, err
	}
	m.ServiceARN = types.StringValue(aws.ToString(svc.ServiceArn))
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

	deployed := aws.ToString(svc.TaskDefinition)
	if importing || m.TaskDefinitionOwnership.ValueString() == ownershipTerraform {
		m.TaskDefinitionARN = types.StringValue(deployed)
		td, err := findTaskDefinition(ctx, c.ecs, deployed)
		if err != nil {
			return false, err
		}
		if err := m.setTaskDefinition(td, importing); err != nil {
			return false, err
		}
	}
	if m.Autoscaling != nil || importing {
		if err := r.readAutoscaling(ctx, m, importing); err != nil {
			return false, err
		}
	}
	return true, nil
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

// serviceUpdate builds the UpdateService call for what differs; changed is
// false when nothing does.
func serviceUpdate(ctx context.Context, plan, state workerPipelineModel) (*ecs.UpdateServiceInput, bool) {
	in := &ecs.UpdateServiceInput{Cluster: aws.String(plan.Cluster.ValueString()), Service: aws.String(plan.ServiceName.ValueString())}
	changed := false
	if !plan.TaskDefinitionARN.Equal(state.TaskDefinitionARN) {
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
