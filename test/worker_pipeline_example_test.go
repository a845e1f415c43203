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
	admit(t)
	env := uniqueName("ex", random.UniqueID())
	vars := map[string]any{"environment": env, "tags": map[string]string{testTagKey: caseTag(env)}}
	if onMoto() {
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
	// The variables Copilot injected, as the running task sees them
	// (docs/architecture.md, "Compatibility with what runs under Copilot").
	td, err := ecs.NewFromConfig(cfg).DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: services.Services[0].TaskDefinition})
	if err != nil {
		t.Fatalf("worker-item's task definition: %v", err)
	}
	envVars := map[string]string{}
	for _, c := range td.TaskDefinition.ContainerDefinitions {
		if aws.ToString(c.Name) != "worker-item" {
			continue
		}
		for _, kv := range c.Environment {
			envVars[aws.ToString(kv.Name)] = aws.ToString(kv.Value)
		}
	}
	want := map[string]string{"COPILOT_QUEUE_URI": queueURL, "COPILOT_APPLICATION_NAME": "calinks", "COPILOT_ENVIRONMENT_NAME": env, "COPILOT_SERVICE_NAME": "worker-item"}
	for name, value := range want {
		if envVars[name] != value {
			t.Errorf("container worker-item: %s = %q, want %q (all: %v)", name, envVars[name], value, envVars)
		}
	}

	terraform.DestroyContext(t, t.Context(), opts)
	if _, err := sqs.NewFromConfig(cfg).GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("calinks-" + env + "-worker-item.fifo")}); err == nil {
		t.Error("worker queue left after destroy")
	}
}
