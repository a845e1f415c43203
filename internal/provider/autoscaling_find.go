package provider

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
)

// findAutoscaling returns the scalable target and the backlog policy's
// configuration; found is false when no target is registered.
func findAutoscaling(ctx context.Context, client *applicationautoscaling.Client, cluster, service string) (*aastypes.ScalableTarget, *aastypes.TargetTrackingScalingPolicyConfiguration, bool, error) {
	resourceID := scalingResourceID(cluster, service)
	targets, err := client.DescribeScalableTargets(ctx, &applicationautoscaling.DescribeScalableTargetsInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceIds: []string{resourceID}, ScalableDimension: scalableDimension,
	})
	if err != nil {
		return nil, nil, false, fmt.Errorf("reading scalable target %s: %w", resourceID, err)
	}
	if len(targets.ScalableTargets) == 0 {
		return nil, nil, false, nil
	}
	policies, err := client.DescribeScalingPolicies(ctx, &applicationautoscaling.DescribeScalingPoliciesInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String(resourceID), ScalableDimension: scalableDimension,
	})
	if err != nil {
		return nil, nil, false, fmt.Errorf("reading scaling policies of %s: %w", resourceID, err)
	}
	var cfg *aastypes.TargetTrackingScalingPolicyConfiguration
	for _, p := range policies.ScalingPolicies {
		if aws.ToString(p.PolicyName) != scalingPolicyName(service) {
			// Another policy scales the same service (Copilot's BacklogPerTask,
			// left by an update that failed before deleting it): read as
			// drift, so that the next apply puts the policy again and
			// deletes the other.
			return &targets.ScalableTargets[0], &aastypes.TargetTrackingScalingPolicyConfiguration{TargetValue: aws.Float64(0)}, true, nil
		}
		cfg = p.TargetTrackingScalingPolicyConfiguration
	}
	return &targets.ScalableTargets[0], cfg, true, nil
}
