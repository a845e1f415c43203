package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

func waitServiceInactive(ctx context.Context, client *ecs.Client, cluster, name string) error {
	delay := 2 * time.Second
	for {
		_, found, err := findService(ctx, client, cluster, name)
		if err != nil || !found {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for ECS service %s to become INACTIVE: %w", name, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(delay*2, 15*time.Second)
	}
}

func waitServiceStable(ctx context.Context, client *ecs.Client, cluster, name string, timeout time.Duration) error {
	waiter := ecs.NewServicesStableWaiter(client)
	err := waiter.Wait(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{name}}, timeout)
	if err != nil {
		return fmt.Errorf("waiting for ECS service %s to reach a steady state: %w", name, err)
	}
	return nil
}
