package test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/gruntwork-io/terratest/modules/random"
	"github.com/gruntwork-io/terratest/modules/terraform"
)

// TestWorkerPipelineExample applies examples/worker-pipeline (hashicorp/aws
// around calinks_worker_pipeline), checks the second plan is empty, the
// objects exist with the Copilot variables, and destroy leaves no queue.
func TestWorkerPipelineExample(t *testing.T) {
	t.Parallel()
	env := uniqueName("ex", random.UniqueID())
	vars := map[string]any{"environment": env, "tags": map[string]string{testTagKey: caseTag(env)}}
	if emulated() {
		vars["redrive_allow_policy_enabled"] = false // the emulator lacks RedriveAllowPolicy
	}
	opts := tfOptions(t, copyRoot(t, "examples/worker-pipeline"), vars)
	defer terraform.DestroyContext(t, t.Context(), opts)
	terraform.InitAndApplyAndIdempotentContext(t, t.Context(), opts)

	ctx := context.Background()
	cfg := awsConfig()
	queueURL := terraform.OutputContext(t, t.Context(), opts, "queue_url")
	if _, err := sqs.NewFromConfig(cfg).GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(queueURL)}); err != nil {
		t.Fatalf("worker queue %s: %v", queueURL, err)
	}
	services, err := ecs.NewFromConfig(cfg).DescribeServices(ctx, &ecs.DescribeServicesInput{
		Cluster: aws.String("calinks-" + env), Services: []string{"worker-item"}})
	if err != nil || len(services.Services) != 1 {
		t.Fatalf("worker-item service: %v %v", services, err)
	}
	envVars := terraform.OutputMapContext(t, t.Context(), opts, "environment_variables")
	if envVars["COPILOT_QUEUE_URI"] != queueURL || envVars["COPILOT_ENVIRONMENT_NAME"] != env {
		t.Errorf("injected variables = %v", envVars)
	}

	terraform.DestroyContext(t, t.Context(), opts)
	if _, err := sqs.NewFromConfig(cfg).GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("calinks-" + env + "-worker-item.fifo")}); err == nil {
		t.Error("worker queue left after destroy")
	}
}
