package provider

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
)

const scalableDimension = aastypes.ScalableDimensionECSServiceDesiredCount

func scalingResourceID(cluster, service string) string {
	return fmt.Sprintf("service/%s/%s", clusterName(cluster), service)
}

func scalingPolicyName(service string) string {
	return service + "-backlog-per-task"
}

// backlogMetricQueries is the metric math the policy tracks: visible messages
// divided by running tasks (a stopped service counts as one task, so that a
// backlog scales it out from zero).
func backlogMetricQueries(queueName, cluster, service string) []aastypes.TargetTrackingMetricDataQuery {
	return []aastypes.TargetTrackingMetricDataQuery{
		{
			Id:         aws.String("visible"),
			ReturnData: aws.Bool(false),
			MetricStat: &aastypes.TargetTrackingMetricStat{
				Stat: aws.String("Sum"),
				Metric: &aastypes.TargetTrackingMetric{
					Namespace:  aws.String("AWS/SQS"),
					MetricName: aws.String("ApproximateNumberOfMessagesVisible"),
					Dimensions: []aastypes.TargetTrackingMetricDimension{{Name: aws.String("QueueName"), Value: aws.String(queueName)}},
				},
			},
		},
		{
			Id:         aws.String("running"),
			ReturnData: aws.Bool(false),
			MetricStat: &aastypes.TargetTrackingMetricStat{
				Stat: aws.String("Average"),
				Metric: &aastypes.TargetTrackingMetric{
					Namespace:  aws.String("ECS/ContainerInsights"),
					MetricName: aws.String("RunningTaskCount"),
					Dimensions: []aastypes.TargetTrackingMetricDimension{
						{Name: aws.String("ClusterName"), Value: aws.String(clusterName(cluster))},
						{Name: aws.String("ServiceName"), Value: aws.String(service)},
					},
				},
			},
		},
		{
			Id:         aws.String("backlog_per_task"),
			Label:      aws.String("Visible messages per running task"),
			Expression: aws.String("visible / IF(running > 0, running, 1)"),
			ReturnData: aws.Bool(true),
		},
	}
}

// putAutoscaling registers the scalable target and its target tracking policy.
func putAutoscaling(ctx context.Context, client *applicationautoscaling.Client, m workerPipelineModel) error {
	a := m.Autoscaling
	cluster, service := m.Cluster.ValueString(), m.ServiceName.ValueString()
	resourceID := scalingResourceID(cluster, service)
	_, err := client.RegisterScalableTarget(ctx, &applicationautoscaling.RegisterScalableTargetInput{
		ServiceNamespace:  aastypes.ServiceNamespaceEcs,
		ResourceId:        aws.String(resourceID),
		ScalableDimension: scalableDimension,
		MinCapacity:       aws.Int32(int32(a.MinCapacity.ValueInt64())),
		MaxCapacity:       aws.Int32(int32(a.MaxCapacity.ValueInt64())),
	})
	if err != nil {
		return fmt.Errorf("registering scalable target %s: %w", resourceID, err)
	}
	_, err = client.PutScalingPolicy(ctx, &applicationautoscaling.PutScalingPolicyInput{
		PolicyName:        aws.String(scalingPolicyName(service)),
		ServiceNamespace:  aastypes.ServiceNamespaceEcs,
		ResourceId:        aws.String(resourceID),
		ScalableDimension: scalableDimension,
		PolicyType:        aastypes.PolicyTypeTargetTrackingScaling,
		TargetTrackingScalingPolicyConfiguration: &aastypes.TargetTrackingScalingPolicyConfiguration{
			TargetValue:      aws.Float64(float64(backlogTarget(a.AcceptableLatencySeconds.ValueInt64(), a.MessageProcessingSeconds.ValueInt64()))),
			ScaleInCooldown:  aws.Int32(int32(a.ScaleInCooldown.ValueInt64())),
			ScaleOutCooldown: aws.Int32(int32(a.ScaleOutCooldown.ValueInt64())),
			CustomizedMetricSpecification: &aastypes.CustomizedMetricSpecification{
				Metrics: backlogMetricQueries(m.QueueName.ValueString(), cluster, service),
			},
		},
	})
	if err != nil {
		return fmt.Errorf("putting scaling policy of %s: %w", resourceID, err)
	}
	// Copilot's BacklogPerTask policy of an adopted worker would otherwise
	// keep scaling the same service on its own metric.
	return deleteScalingPolicies(ctx, client, resourceID, scalingPolicyName(service))
}

// deleteScalingPolicies deletes the scaling policies of a target except keep.
func deleteScalingPolicies(ctx context.Context, client *applicationautoscaling.Client, resourceID, keep string) error {
	var names []string
	p := applicationautoscaling.NewDescribeScalingPoliciesPaginator(client, &applicationautoscaling.DescribeScalingPoliciesInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String(resourceID), ScalableDimension: scalableDimension,
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("listing scaling policies of %s: %w", resourceID, err)
		}
		for _, policy := range page.ScalingPolicies {
			if name := aws.ToString(policy.PolicyName); name != keep {
				names = append(names, name)
			}
		}
	}
	for _, name := range names {
		_, err := client.DeleteScalingPolicy(ctx, &applicationautoscaling.DeleteScalingPolicyInput{
			PolicyName: aws.String(name), ServiceNamespace: aastypes.ServiceNamespaceEcs,
			ResourceId: aws.String(resourceID), ScalableDimension: scalableDimension,
		})
		if err != nil && !isScalingObjectNotFound(err) {
			return fmt.Errorf("deleting scaling policy %s of %s: %w", name, resourceID, err)
		}
	}
	return nil
}

// deleteAutoscaling deletes the target's policies (the backlog policy, and
// any Copilot left), then deregisters the target. AWS deletes a target's
// policies with it; they are deleted first anyway, so that no endpoint keeps
// a policy without its target.
func deleteAutoscaling(ctx context.Context, client *applicationautoscaling.Client, cluster, service string) error {
	resourceID := scalingResourceID(cluster, service)
	if err := deleteScalingPolicies(ctx, client, resourceID, ""); err != nil {
		return err
	}
	_, err := client.DeregisterScalableTarget(ctx, &applicationautoscaling.DeregisterScalableTargetInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String(resourceID), ScalableDimension: scalableDimension,
	})
	if err != nil && !isScalingObjectNotFound(err) {
		return fmt.Errorf("deregistering scalable target %s: %w", resourceID, err)
	}
	return nil
}

// isScalingObjectNotFound: AWS answers ObjectNotFoundException for a policy
// or target that does not exist; moto a ValidationException saying so.
func isScalingObjectNotFound(err error) bool {
	return isAPIError(err, "", "ObjectNotFoundException") || isAPIError(err, "No scalable target found", "ValidationException") ||
		isAPIError(err, "No scaling policy found", "ValidationException")
}
