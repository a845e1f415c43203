package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// findService returns the service; found is false when it is missing or INACTIVE.
func findService(ctx context.Context, client *ecs.Client, cluster, name string) (*ecstypes.Service, bool, error) {
	out, err := client.DescribeServices(ctx, &ecs.DescribeServicesInput{
		Cluster:  aws.String(cluster),
		Services: []string{name},
		Include:  []ecstypes.ServiceField{ecstypes.ServiceFieldTags},
	})
	if isAPIError(err, "", "ClusterNotFoundException") {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading ECS service %s: %w", name, err)
	}
	for i := range out.Services {
		s := &out.Services[i]
		if aws.ToString(s.ServiceName) == name && aws.ToString(s.Status) != "INACTIVE" {
			return s, true, nil
		}
	}
	return nil, false, nil
}

func findTaskDefinition(ctx context.Context, client *ecs.Client, arn string) (*ecstypes.TaskDefinition, error) {
	td, _, err := findTaskDefinitionWithTags(ctx, client, arn)
	return td, err
}

// findTaskDefinitionWithTags returns a revision (ACTIVE or INACTIVE) and its tags.
func findTaskDefinitionWithTags(ctx context.Context, client *ecs.Client, arn string) (*ecstypes.TaskDefinition, map[string]string, error) {
	out, err := client.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(arn), Include: []ecstypes.TaskDefinitionField{ecstypes.TaskDefinitionFieldTags}})
	if err != nil {
		return nil, nil, fmt.Errorf("reading ECS task definition %s: %w", arn, err)
	}
	return out.TaskDefinition, fromECSTags(out.Tags), nil
}

// findActiveTaskDefinition is findTaskDefinition where a revision gone or
// INACTIVE is not found.
func findActiveTaskDefinition(ctx context.Context, client *ecs.Client, arn string) (*ecstypes.TaskDefinition, map[string]string, bool, error) {
	td, tags, err := findTaskDefinitionWithTags(ctx, client, arn)
	if isTaskDefinitionNotFound(err) || isAPIError(err, "", "ClientException") && strings.Contains(err.Error(), "not found") {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, err
	}
	return td, tags, td.Status == ecstypes.TaskDefinitionStatusActive, nil
}

// findActiveRevisions lists the ACTIVE revisions of exactly one family. AWS
// takes familyPrefix as the full family name (ListTaskDefinitions API
// reference); the revisions listed are checked against it all the same, as
// its name suggests a prefix match to other endpoints.
func findActiveRevisions(ctx context.Context, client *ecs.Client, family string) ([]string, error) {
	var arns []string
	pages := ecs.NewListTaskDefinitionsPaginator(client, &ecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String(family), Status: ecstypes.TaskDefinitionStatusActive})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing revisions of ECS task definition family %s: %w", family, err)
		}
		for _, arn := range page.TaskDefinitionArns {
			if revisionFamily(arn) == family {
				arns = append(arns, arn)
			}
		}
	}
	return arns, nil
}

// revisionFamily is the family of a revision ARN (...:task-definition/FAMILY:N).
func revisionFamily(arn string) string {
	name := arn[strings.LastIndex(arn, "/")+1:]
	if i := strings.LastIndex(name, ":"); i >= 0 {
		return name[:i]
	}
	return name
}

func fromECSTags(tags []ecstypes.Tag) map[string]string {
	out := map[string]string{}
	for _, t := range tags {
		out[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return out
}

// checkContainerInsights refuses backlog autoscaling on a cluster without
// Container Insights: the policy divides by ECS/ContainerInsights
// RunningTaskCount, which only such clusters publish, so it would never scale.
func checkContainerInsights(ctx context.Context, client *ecs.Client, cluster string) error {
	out, err := client.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{cluster}, Include: []ecstypes.ClusterField{ecstypes.ClusterFieldSettings}})
	if err != nil {
		return fmt.Errorf("reading ECS cluster %s: %w", cluster, err)
	}
	if len(out.Clusters) == 0 || aws.ToString(out.Clusters[0].Status) == "INACTIVE" {
		return fmt.Errorf("ECS cluster %s not found", cluster)
	}
	value := "disabled"
	for _, s := range out.Clusters[0].Settings {
		if s.Name == ecstypes.ClusterSettingNameContainerInsights {
			value = aws.ToString(s.Value)
		}
	}
	if value != "enabled" && value != "enhanced" {
		return attributeError{attr: path.Root("autoscaling"), err: fmt.Errorf(
			"backlog per task divides by the metric ECS/ContainerInsights RunningTaskCount, which cluster %s does not publish (containerInsights is %q): "+
				"the policy would never scale. Enable Container Insights on the cluster, or remove autoscaling", clusterName(cluster), value)}
	}
	return nil
}
