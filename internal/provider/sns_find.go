package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

func isSubscriptionNotFound(err error) bool {
	return isAPIError(err, "", "NotFound", "NotFoundException")
}

// findSubscriptionAttributes returns a subscription's attributes; found is
// false when it (or its topic) is gone.
func findSubscriptionAttributes(ctx context.Context, client *sns.Client, arn string) (map[string]string, bool, error) {
	out, err := client.GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(arn)})
	if isSubscriptionNotFound(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading SNS subscription %s: %w", arn, err)
	}
	return out.Attributes, true, nil
}

// findQueueSubscriptions lists the SQS subscriptions delivering to queueARN,
// by subscription ARN, for import.
func findQueueSubscriptions(ctx context.Context, client *sns.Client, queueARN string) (map[string]string, error) {
	found := map[string]string{}
	pages := sns.NewListSubscriptionsPaginator(client, &sns.ListSubscriptionsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing SNS subscriptions: %w", err)
		}
		for _, s := range page.Subscriptions {
			if aws.ToString(s.Protocol) == "sqs" && aws.ToString(s.Endpoint) == queueARN && strings.HasPrefix(aws.ToString(s.SubscriptionArn), "arn:") {
				found[aws.ToString(s.SubscriptionArn)] = aws.ToString(s.TopicArn)
			}
		}
	}
	return found, nil
}

// findTopicSubscription returns the ARN of the SQS subscription of queueARN
// to topicARN; found is false when there is none (or the topic is gone). It
// recovers a subscription whose Subscribe answer was lost.
func findTopicSubscription(ctx context.Context, client *sns.Client, topicARN, queueARN string) (string, bool, error) {
	pages := sns.NewListSubscriptionsByTopicPaginator(client, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topicARN)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if isSubscriptionNotFound(err) {
			return "", false, nil
		}
		if err != nil {
			return "", false, fmt.Errorf("listing subscriptions of SNS topic %s: %w", topicARN, err)
		}
		for _, s := range page.Subscriptions {
			if aws.ToString(s.Protocol) == "sqs" && aws.ToString(s.Endpoint) == queueARN && strings.HasPrefix(aws.ToString(s.SubscriptionArn), "arn:") {
				return aws.ToString(s.SubscriptionArn), true, nil
			}
		}
	}
	return "", false, nil
}
