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
		PolicyNames: []string{scalingPolicyName(service)},
	})
	if err != nil {
		return nil, nil, false, fmt.Errorf("reading scaling policy of %s: %w", resourceID, err)
	}
	var cfg *aastypes.TargetTrackingScalingPolicyConfiguration
	if len(policies.ScalingPolicies) > 0 {
		cfg = policies.ScalingPolicies[0].TargetTrackingScalingPolicyConfiguration
	}
	return &targets.ScalableTargets[0], cfg, true, nil
}
