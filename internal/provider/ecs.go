package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// logStreamPrefix is the awslogs stream prefix Copilot used.
const logStreamPrefix = "copilot"

// taskDefinitionInput builds the Fargate task definition of the worker.
func taskDefinitionInput(ctx context.Context, m workerPipelineModel, region string, tags []ecstypes.Tag) *ecs.RegisterTaskDefinitionInput {
	c := m.Container
	name := m.Name.ValueString()
	env := stringMap(ctx, c.Environment)
	for k, v := range stringMap(ctx, m.EnvironmentVariables) {
		env[k] = v
	}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	container := ecstypes.ContainerDefinition{
		Name:                   aws.String(name),
		Image:                  aws.String(c.Image.ValueString()),
		Essential:              aws.Bool(true),
		ReadonlyRootFilesystem: aws.Bool(c.ReadonlyRootFilesystem.ValueBool()),
	}
	for _, k := range keys {
		container.Environment = append(container.Environment, ecstypes.KeyValuePair{Name: aws.String(k), Value: aws.String(env[k])})
	}
	secrets := stringMap(ctx, c.Secrets)
	secretNames := make([]string, 0, len(secrets))
	for k := range secrets {
		secretNames = append(secretNames, k)
	}
	sort.Strings(secretNames)
	for _, k := range secretNames {
		container.Secrets = append(container.Secrets, ecstypes.Secret{Name: aws.String(k), ValueFrom: aws.String(secrets[k])})
	}
	if !c.Command.IsNull() {
		c.Command.ElementsAs(ctx, &container.Command, false)
	}
	if !c.LogGroupName.IsNull() {
		container.LogConfiguration = &ecstypes.LogConfiguration{
			LogDriver: ecstypes.LogDriverAwslogs,
			Options: map[string]string{
				"awslogs-group":         c.LogGroupName.ValueString(),
				"awslogs-region":        region,
				"awslogs-stream-prefix": logStreamPrefix,
			},
		}
	}
	if h := c.HealthCheck; h != nil {
		hc := &ecstypes.HealthCheck{
			Interval:    aws.Int32(int32(h.Interval.ValueInt64())),
			Timeout:     aws.Int32(int32(h.Timeout.ValueInt64())),
			Retries:     aws.Int32(int32(h.Retries.ValueInt64())),
			StartPeriod: aws.Int32(int32(h.StartPeriod.ValueInt64())),
		}
		h.Command.ElementsAs(ctx, &hc.Command, false)
		container.HealthCheck = hc
	}
	in := &ecs.RegisterTaskDefinitionInput{
		Family:                  aws.String(taskFamily(m)),
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
		NetworkMode:             ecstypes.NetworkModeAwsvpc,
		Cpu:                     aws.String(itoa(c.CPU.ValueInt64())),
		Memory:                  aws.String(itoa(c.Memory.ValueInt64())),
		TaskRoleArn:             aws.String(m.TaskRoleARN.ValueString()),
		ContainerDefinitions:    []ecstypes.ContainerDefinition{container},
		Tags:                    tags,
	}
	if !m.ExecutionRoleARN.IsNull() {
		in.ExecutionRoleArn = aws.String(m.ExecutionRoleARN.ValueString())
	}
	return in
}

// taskFamily follows Copilot: <app>-<env>-<service>.
func taskFamily(m workerPipelineModel) string {
	return fmt.Sprintf("%s-%s-%s", m.App.ValueString(), m.Environment.ValueString(), m.Name.ValueString())
}

// ownsRevision tells whether arn is a revision of m's family, or of a family
// it had before a change of app, environment or name: the only revisions the
// pipeline ever deregisters.
func ownsRevision(m workerPipelineModel, arn string) bool {
	return arn != "" && slices.Contains(ownedFamilies(m), revisionFamily(arn))
}

// ownedFamilies are m's family and its former ones.
func ownedFamilies(m workerPipelineModel) []string {
	return append([]string{taskFamily(m)}, m.formerFamilies...)
}

func ecsTags(tags map[string]string) []ecstypes.Tag {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]ecstypes.Tag, 0, len(keys))
	for _, k := range keys {
		out = append(out, ecstypes.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
	}
	return out
}

func registerTaskDefinition(ctx context.Context, client *ecs.Client, in *ecs.RegisterTaskDefinitionInput) (string, error) {
	out, err := client.RegisterTaskDefinition(ctx, in)
	if err != nil {
		return "", fmt.Errorf("registering ECS task definition %s: %w", aws.ToString(in.Family), err)
	}
	return aws.ToString(out.TaskDefinition.TaskDefinitionArn), nil
}

func deregisterTaskDefinition(ctx context.Context, client *ecs.Client, arn string) error {
	if arn == "" {
		return nil
	}
	_, err := client.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(arn)})
	if err != nil && !isTaskDefinitionNotFound(err) {
		return fmt.Errorf("deregistering ECS task definition %s: %w", arn, err)
	}
	return nil
}

// isTaskDefinitionNotFound names the one ClientException that means the
// revision is gone ("The specified task definition does not exist." on AWS,
// "Unable to describe task definition." on moto); any other ClientException
// (access denied, a malformed ARN) is an error.
func isTaskDefinitionNotFound(err error) bool {
	return isAPIError(err, "does not exist", "ClientException") || isAPIError(err, "Unable to describe task definition", "ClientException")
}

// deregisterStrayRevisions deregisters every ACTIVE revision of an owned
// family but those kept: revisions a failed apply registered without
// recording them.
func deregisterStrayRevisions(ctx context.Context, client *ecs.Client, family string, keep []string) error {
	arns, err := findActiveRevisions(ctx, client, family)
	if err != nil {
		return err
	}
	var errs []error
	for _, arn := range arns {
		if !slices.Contains(keep, arn) {
			errs = append(errs, deregisterTaskDefinition(ctx, client, arn))
		}
	}
	return errors.Join(errs...)
}

func networkConfiguration(ctx context.Context, m workerPipelineModel) *ecstypes.NetworkConfiguration {
	assign := ecstypes.AssignPublicIpDisabled
	if m.AssignPublicIP.ValueBool() {
		assign = ecstypes.AssignPublicIpEnabled
	}
	return &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
		Subnets:        sorted(stringSlice(ctx, m.SubnetIDs)),
		SecurityGroups: sorted(stringSlice(ctx, m.SecurityGroupIDs)),
		AssignPublicIp: assign,
	}}
}

func capacityProviderStrategy(m workerPipelineModel) []ecstypes.CapacityProviderStrategyItem {
	var out []ecstypes.CapacityProviderStrategyItem
	for _, c := range m.CapacityProviderStrategy {
		out = append(out, ecstypes.CapacityProviderStrategyItem{
			CapacityProvider: aws.String(c.CapacityProvider.ValueString()),
			Weight:           int32(c.Weight.ValueInt64()),
			Base:             int32(c.Base.ValueInt64()),
		})
	}
	return out
}

func createService(ctx context.Context, client *ecs.Client, m workerPipelineModel, taskDefinitionARN string, tags []ecstypes.Tag) (string, error) {
	in := &ecs.CreateServiceInput{
		// One token for every attempt of this create: an attempt whose answer
		// was lost is answered, not refused as "not idempotent", when sent again
		// (CreateService API reference, clientToken: up to 36 ASCII characters).
		ClientToken:          aws.String(newClientToken()),
		Cluster:              aws.String(m.Cluster.ValueString()),
		ServiceName:          aws.String(m.ServiceName.ValueString()),
		TaskDefinition:       aws.String(taskDefinitionARN),
		DesiredCount:         aws.Int32(int32(m.DesiredCount.ValueInt64())),
		PlatformVersion:      aws.String(m.PlatformVersion.ValueString()),
		NetworkConfiguration: networkConfiguration(ctx, m),
		EnableExecuteCommand: m.EnableExecuteCommand.ValueBool(),
		DeploymentConfiguration: &ecstypes.DeploymentConfiguration{
			DeploymentCircuitBreaker: &ecstypes.DeploymentCircuitBreaker{Enable: true, Rollback: true},
			MinimumHealthyPercent:    aws.Int32(100),
			MaximumPercent:           aws.Int32(200),
		},
		PropagateTags:        ecstypes.PropagateTagsService,
		EnableECSManagedTags: true,
		Tags:                 tags,
	}
	if strategy := capacityProviderStrategy(m); len(strategy) > 0 {
		in.CapacityProviderStrategy = strategy
	} else {
		in.LaunchType = ecstypes.LaunchTypeFargate
	}
	var out *ecs.CreateServiceOutput
	// A task or execution role created moments before is not yet usable by ECS.
	err := retryWhen(ctx, retryCreateTimeout, func(err error) bool {
		return isAPIError(err, "Unable to assume role", "InvalidParameterException")
	}, func() error {
		var err error
		out, err = client.CreateService(ctx, in)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("creating ECS service %s: %w", m.ServiceName.ValueString(), err)
	}
	return aws.ToString(out.Service.ServiceArn), nil
}

func newClientToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24)
	return hex.EncodeToString(b)
}

// deleteService deletes the service (force: ECS drains its tasks) and waits
// until it is INACTIVE, so that a cluster destroyed next is empty.
func deleteService(ctx context.Context, client *ecs.Client, cluster, name string) error {
	_, err := client.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String(cluster), Service: aws.String(name), Force: aws.Bool(true)})
	if isAPIError(err, "", "ServiceNotFoundException", "ClusterNotFoundException") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("deleting ECS service %s: %w", name, err)
	}
	return waitServiceInactive(ctx, client, cluster, name)
}

// workerContainer picks the worker's container of a task definition: the one
// named after the service, else the one carrying the Copilot variables.
func workerContainer(td *ecstypes.TaskDefinition, name string) (*ecstypes.ContainerDefinition, error) {
	for i := range td.ContainerDefinitions {
		if aws.ToString(td.ContainerDefinitions[i].Name) == name {
			return &td.ContainerDefinitions[i], nil
		}
	}
	for i := range td.ContainerDefinitions {
		for _, kv := range td.ContainerDefinitions[i].Environment {
			if aws.ToString(kv.Name) == envServiceName {
				return &td.ContainerDefinitions[i], nil
			}
		}
	}
	return nil, errors.New("task definition " + aws.ToString(td.TaskDefinitionArn) + " has no container named " + name)
}

func clusterName(clusterOrARN string) string {
	return clusterOrARN[strings.LastIndex(clusterOrARN, "/")+1:]
}

func updateECSTags(ctx context.Context, client *ecs.Client, arn string, oldTags, newTags map[string]string) error {
	if arn == "" {
		return nil
	}
	removed, changed := tagDiff(oldTags, newTags)
	if len(removed) > 0 {
		if _, err := client.UntagResource(ctx, &ecs.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: removed}); err != nil {
			return fmt.Errorf("untagging %s: %w", arn, err)
		}
	}
	if len(changed) > 0 {
		if _, err := client.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: aws.String(arn), Tags: ecsTags(changed)}); err != nil {
			return fmt.Errorf("tagging %s: %w", arn, err)
		}
	}
	return nil
}
