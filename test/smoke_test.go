package test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/gruntwork-io/terratest/modules/random"
	"github.com/gruntwork-io/terratest/modules/terraform"
)

// TestSmokeSQSQueue proves the toolchain end to end: the CLI in TF_BIN
// installs hashicorp/aws from the offline mirror, applies one queue to the
// endpoint, the SDK reads the queue back, and destroy removes it.
func TestSmokeSQSQueue(t *testing.T) {
	t.Parallel()
	admit(t)
	name := uniqueName("smoke", random.UniqueID())
	opts := tfOptions(t, copyRoot(t, "test/fixtures/sqs-smoke"), map[string]any{"name": name})
	defer terraform.DestroyContext(t, t.Context(), opts)
	terraform.InitAndApplyContext(t, t.Context(), opts)

	client := sqs.NewFromConfig(awsConfig())
	url := terraform.OutputContext(t, t.Context(), opts, "queue_url")
	out, err := client.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{
		QueueUrl:       aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll},
	})
	if err != nil {
		t.Fatalf("queue %s not readable through the SDK: %v", url, err)
	}
	if got := out.Attributes["MessageRetentionPeriod"]; got != "86400" {
		t.Errorf("MessageRetentionPeriod = %q, want 86400", got)
	}
	if got := out.Attributes["SqsManagedSseEnabled"]; got != "true" {
		t.Errorf("SqsManagedSseEnabled = %q, want true", got)
	}

	terraform.DestroyContext(t, t.Context(), opts)
	if _, err := client.GetQueueUrl(context.Background(), &sqs.GetQueueUrlInput{QueueName: aws.String(name)}); err == nil {
		t.Errorf("queue %s still exists after destroy", name)
	}
}
