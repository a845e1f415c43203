package provider

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

func isQueueNotFound(err error) bool {
	return isAPIError(err, "", "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist")
}

// findQueueAttributes returns all attributes of a queue; found is false when
// the queue does not exist.
func findQueueAttributes(ctx context.Context, client *sqs.Client, queueURL string) (attrs map[string]string, found bool, err error) {
	out, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl:       aws.String(queueURL),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll},
	})
	if isQueueNotFound(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading SQS queue %s: %w", queueURL, err)
	}
	return out.Attributes, true, nil
}

// findQueueURL looks a queue up by name; found is false when it does not exist.
func findQueueURL(ctx context.Context, client *sqs.Client, name string) (string, bool, error) {
	out, err := client.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(name)})
	if isQueueNotFound(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("looking up SQS queue %s: %w", name, err)
	}
	return aws.ToString(out.QueueUrl), true, nil
}

func queueTags(ctx context.Context, client *sqs.Client, queueURL string) (map[string]string, error) {
	out, err := client.ListQueueTags(ctx, &sqs.ListQueueTagsInput{QueueUrl: aws.String(queueURL)})
	if err != nil {
		return nil, fmt.Errorf("reading tags of SQS queue %s: %w", queueURL, err)
	}
	return out.Tags, nil
}
