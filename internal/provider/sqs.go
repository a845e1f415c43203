package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// retryCreateTimeout bounds the retries of two refusals that pass: SQS
// refuses a queue name for 60 s after a queue of that name is deleted (every
// replacement on real AWS), and refuses a policy naming a role created
// moments ago until IAM has propagated it.
const retryCreateTimeout = 2 * time.Minute

type redrivePolicy struct {
	DeadLetterTargetARN string `json:"deadLetterTargetArn"`
	MaxReceiveCount     int64  `json:"maxReceiveCount"`
}

type redriveAllowPolicy struct {
	RedrivePermission string   `json:"redrivePermission"`
	SourceQueueARNs   []string `json:"sourceQueueArns"`
}

// queueARNFromURL derives a queue's ARN from its URL, whose path is
// /<account>/<name> on AWS and on emulators, so that no call is spent on it.
func queueARNFromURL(queueURL, region string) (string, error) {
	u, err := url.Parse(queueURL)
	if err != nil {
		return "", fmt.Errorf("parsing queue URL %q: %w", queueURL, err)
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) != 2 {
		return "", fmt.Errorf("queue URL %q does not end in /<account>/<name>", queueURL)
	}
	return fmt.Sprintf("arn:%s:sqs:%s:%s:%s", partitionOf(region), region, parts[0], parts[1]), nil
}

func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	}
	return "aws"
}

// encryptionAttributes turns SSE on: SQS-managed unless a KMS key is given.
func encryptionAttributes(m workerPipelineModel) map[string]string {
	if !m.KMSMasterKeyID.IsNull() {
		return map[string]string{string(sqstypes.QueueAttributeNameKmsMasterKeyId): m.KMSMasterKeyID.ValueString()}
	}
	return map[string]string{string(sqstypes.QueueAttributeNameSqsManagedSseEnabled): "true"}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// mainQueueAttributes are the settable attributes of the worker queue.
func mainQueueAttributes(m workerPipelineModel, dlqARN, policy string) map[string]string {
	attrs := encryptionAttributes(m)
	attrs[string(sqstypes.QueueAttributeNameVisibilityTimeout)] = itoa(m.VisibilityTimeoutSeconds.ValueInt64())
	attrs[string(sqstypes.QueueAttributeNameMessageRetentionPeriod)] = itoa(m.MessageRetentionSeconds.ValueInt64())
	attrs[string(sqstypes.QueueAttributeNameReceiveMessageWaitTimeSeconds)] = itoa(m.ReceiveWaitTimeSeconds.ValueInt64())
	attrs[string(sqstypes.QueueAttributeNameDelaySeconds)] = itoa(m.DelaySeconds.ValueInt64())
	rp, _ := json.Marshal(redrivePolicy{DeadLetterTargetARN: dlqARN, MaxReceiveCount: m.MaxReceiveCount.ValueInt64()})
	attrs[string(sqstypes.QueueAttributeNameRedrivePolicy)] = string(rp)
	// Always sent: some endpoints wipe the policy on a SetQueueAttributes without it.
	attrs[string(sqstypes.QueueAttributeNamePolicy)] = policy
	if m.FIFO.ValueBool() {
		attrs[string(sqstypes.QueueAttributeNameContentBasedDeduplication)] = strconv.FormatBool(m.ContentBasedDeduplication.ValueBool())
		attrs[string(sqstypes.QueueAttributeNameDeduplicationScope)] = m.DeduplicationScope.ValueString()
		attrs[string(sqstypes.QueueAttributeNameFifoThroughputLimit)] = m.FIFOThroughputLimit.ValueString()
	}
	return attrs
}

// deadLetterQueueAttributes are the settable attributes of the DLQ.
func deadLetterQueueAttributes(m workerPipelineModel, mainQueueARN string) map[string]string {
	attrs := encryptionAttributes(m)
	attrs[string(sqstypes.QueueAttributeNameMessageRetentionPeriod)] = itoa(m.DLQRetentionSeconds.ValueInt64())
	if m.DLQRedriveAllowPolicy.ValueBool() {
		rap, _ := json.Marshal(redriveAllowPolicy{RedrivePermission: "byQueue", SourceQueueARNs: []string{mainQueueARN}})
		attrs[string(sqstypes.QueueAttributeNameRedriveAllowPolicy)] = string(rap)
	}
	return attrs
}

func withFIFO(attrs map[string]string, fifo bool) map[string]string {
	if fifo {
		attrs[string(sqstypes.QueueAttributeNameFifoQueue)] = "true"
	}
	return attrs
}

// createQueue creates a queue with all its attributes in one call, retrying
// only the named eventual-consistency refusals.
func createQueue(ctx context.Context, client *sqs.Client, name string, attrs, tags map[string]string) (string, error) {
	var out *sqs.CreateQueueOutput
	err := retryWhen(ctx, retryCreateTimeout, func(err error) bool {
		return isAPIError(err, "", "AWS.SimpleQueueService.QueueDeletedRecently", "QueueDeletedRecently") ||
			isAPIError(err, "Policy", "InvalidAttributeValue")
	}, func() error {
		var err error
		out, err = client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs, Tags: tags})
		return err
	})
	if err != nil {
		return "", fmt.Errorf("creating SQS queue %s: %w", name, err)
	}
	return aws.ToString(out.QueueUrl), nil
}

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

func setQueueAttributes(ctx context.Context, client *sqs.Client, queueURL string, attrs map[string]string) error {
	_, err := client.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(queueURL), Attributes: attrs})
	if err != nil {
		return fmt.Errorf("updating SQS queue %s: %w", queueURL, err)
	}
	return nil
}

func deleteQueue(ctx context.Context, client *sqs.Client, queueURL string) error {
	if queueURL == "" {
		return nil
	}
	_, err := client.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(queueURL)})
	if err != nil && !isQueueNotFound(err) {
		return fmt.Errorf("deleting SQS queue %s: %w", queueURL, err)
	}
	return nil
}

func queueTags(ctx context.Context, client *sqs.Client, queueURL string) (map[string]string, error) {
	out, err := client.ListQueueTags(ctx, &sqs.ListQueueTagsInput{QueueUrl: aws.String(queueURL)})
	if err != nil {
		return nil, fmt.Errorf("reading tags of SQS queue %s: %w", queueURL, err)
	}
	return out.Tags, nil
}

// updateQueueTags applies the difference between two tag maps.
func updateQueueTags(ctx context.Context, client *sqs.Client, queueURL string, oldTags, newTags map[string]string) error {
	removed, changed := tagDiff(oldTags, newTags)
	if len(removed) > 0 {
		if _, err := client.UntagQueue(ctx, &sqs.UntagQueueInput{QueueUrl: aws.String(queueURL), TagKeys: removed}); err != nil {
			return fmt.Errorf("untagging SQS queue %s: %w", queueURL, err)
		}
	}
	if len(changed) > 0 {
		if _, err := client.TagQueue(ctx, &sqs.TagQueueInput{QueueUrl: aws.String(queueURL), Tags: changed}); err != nil {
			return fmt.Errorf("tagging SQS queue %s: %w", queueURL, err)
		}
	}
	return nil
}

func tagDiff(oldTags, newTags map[string]string) (removed []string, changed map[string]string) {
	changed = map[string]string{}
	for k := range oldTags {
		if _, ok := newTags[k]; !ok {
			removed = append(removed, k)
		}
	}
	for k, v := range newTags {
		if old, ok := oldTags[k]; !ok || old != v {
			changed[k] = v
		}
	}
	return removed, changed
}
