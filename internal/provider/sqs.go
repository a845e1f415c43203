package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
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
// On update (prior not nil) a switch between the two is sent explicitly: an
// empty KmsMasterKeyId removes the key, as SetQueueAttributes documents, and
// SSE-SQS is switched off when a key replaces it.
func encryptionAttributes(m workerPipelineModel, prior *workerPipelineModel) map[string]string {
	hadKey := prior != nil && !prior.KMSMasterKeyID.IsNull()
	if !m.KMSMasterKeyID.IsNull() {
		attrs := map[string]string{string(sqstypes.QueueAttributeNameKmsMasterKeyId): m.KMSMasterKeyID.ValueString()}
		if prior != nil && !hadKey {
			attrs[string(sqstypes.QueueAttributeNameSqsManagedSseEnabled)] = "false"
		}
		return attrs
	}
	attrs := map[string]string{string(sqstypes.QueueAttributeNameSqsManagedSseEnabled): "true"}
	if hadKey {
		attrs[string(sqstypes.QueueAttributeNameKmsMasterKeyId)] = ""
	}
	return attrs
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// mainQueueAttributes are the settable attributes of the worker queue.
func mainQueueAttributes(m workerPipelineModel, dlqARN, policy string, prior *workerPipelineModel) map[string]string {
	attrs := encryptionAttributes(m, prior)
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
// On update (prior not nil) a policy set before is removed with an empty
// value when switched off: leaving the attribute out keeps it.
func deadLetterQueueAttributes(m workerPipelineModel, mainQueueARN string, prior *workerPipelineModel) map[string]string {
	attrs := encryptionAttributes(m, prior)
	attrs[string(sqstypes.QueueAttributeNameMessageRetentionPeriod)] = itoa(m.DLQRetentionSeconds.ValueInt64())
	switch {
	case m.DLQRedriveAllowPolicy.ValueBool():
		attrs[string(sqstypes.QueueAttributeNameRedriveAllowPolicy)] = redriveAllowPolicyDocument(mainQueueARN)
	case prior != nil && prior.DLQRedriveAllowPolicy.ValueBool():
		attrs[string(sqstypes.QueueAttributeNameRedriveAllowPolicy)] = ""
	}
	return attrs
}

func redriveAllowPolicyDocument(mainQueueARN string) string {
	rap, _ := json.Marshal(redriveAllowPolicy{RedrivePermission: "byQueue", SourceQueueARNs: []string{mainQueueARN}})
	return string(rap)
}

// isRedriveAllowPolicyOf reports whether a DLQ's RedriveAllowPolicy admits
// exactly the worker queue, as this resource sets it.
func isRedriveAllowPolicyOf(raw, mainQueueARN string) bool {
	var rap redriveAllowPolicy
	if raw == "" || json.Unmarshal([]byte(raw), &rap) != nil {
		return false
	}
	return rap.RedrivePermission == "byQueue" && len(rap.SourceQueueARNs) == 1 && rap.SourceQueueARNs[0] == mainQueueARN
}

func withFIFO(attrs map[string]string, fifo bool) map[string]string {
	if fifo {
		attrs[string(sqstypes.QueueAttributeNameFifoQueue)] = "true"
	}
	return attrs
}

// createQueue creates a queue with all its attributes in one call, retrying
// only the named eventual-consistency refusals.
func createQueue(ctx context.Context, client *sqs.Client, name string, attrs, tags map[string]string, deadLetter bool) (string, error) {
	var out *sqs.CreateQueueOutput
	err := retryWhen(ctx, retryCreateTimeout, isQueueCreateRetryable, func() error {
		var err error
		out, err = client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs, Tags: tags})
		return err
	})
	if err != nil {
		return "", withSQSAttribute(fmt.Errorf("creating SQS queue %s: %w", name, err), deadLetter)
	}
	return aws.ToString(out.QueueUrl), nil
}

// policyPropagationMessage is how SQS refuses a policy naming a principal IAM
// has not propagated yet: the bare message, without the "Reason: ..." that
// every permanent refusal of a policy carries.
const policyPropagationMessage = "Invalid value for the parameter Policy."

// isQueueCreateRetryable names the refusals that pass: SQS refuses a queue
// name for 60 s after a queue of that name is deleted, and a policy naming a
// role created moments ago until IAM has propagated it.
func isQueueCreateRetryable(err error) bool {
	return isAPIError(err, "", "AWS.SimpleQueueService.QueueDeletedRecently", "QueueDeletedRecently") || isPolicyPropagation(err)
}

func isPolicyPropagation(err error) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == "InvalidAttributeValue" &&
		strings.TrimSpace(apiErr.ErrorMessage()) == policyPropagationMessage
}

func setQueueAttributes(ctx context.Context, client *sqs.Client, queueURL string, attrs map[string]string, deadLetter bool) error {
	err := retryWhen(ctx, retryCreateTimeout, isPolicyPropagation, func() error {
		_, err := client.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(queueURL), Attributes: attrs})
		return err
	})
	if err != nil {
		return withSQSAttribute(fmt.Errorf("updating SQS queue %s: %w", queueURL, err), deadLetter)
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
		// aws: tags belong to AWS (CloudFormation's on an adopted object):
		// never removed, and AWS refuses to anyway.
		if _, ok := newTags[k]; !ok && !strings.HasPrefix(k, "aws:") {
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
