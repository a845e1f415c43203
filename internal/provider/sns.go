package provider

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// Subscription attribute names of the SNS API.
const (
	subAttrRawDelivery       = "RawMessageDelivery"
	subAttrFilterPolicy      = "FilterPolicy"
	subAttrFilterPolicyScope = "FilterPolicyScope"
)

// subscriptionAttributes are the settable attributes of one subscription.
func subscriptionAttributes(s subscriptionModel) map[string]string {
	attrs := map[string]string{
		subAttrRawDelivery:       strconv.FormatBool(s.RawMessageDelivery.ValueBool()),
		subAttrFilterPolicyScope: s.FilterPolicyScope.ValueString(),
		subAttrFilterPolicy:      s.FilterPolicy.ValueString(),
	}
	if s.FilterPolicy.IsNull() {
		// No filter: SNS takes no scope without a policy either.
		delete(attrs, subAttrFilterPolicy)
		delete(attrs, subAttrFilterPolicyScope)
	}
	return attrs
}

func subscribe(ctx context.Context, client *sns.Client, queueARN string, s subscriptionModel) (string, error) {
	out, err := client.Subscribe(ctx, &sns.SubscribeInput{
		TopicArn:              aws.String(s.TopicARN.ValueString()),
		Protocol:              aws.String("sqs"),
		Endpoint:              aws.String(queueARN),
		Attributes:            subscriptionAttributes(s),
		ReturnSubscriptionArn: true,
	})
	if err != nil {
		return "", fmt.Errorf("subscribing %s to SNS topic %s: %w", queueARN, s.TopicARN.ValueString(), err)
	}
	return aws.ToString(out.SubscriptionArn), nil
}

// setSubscriptionAttributes changes the attributes that differ; SNS takes one
// attribute a call.
func setSubscriptionAttributes(ctx context.Context, client *sns.Client, arn string, old, updated subscriptionModel) error {
	before, after := subscriptionAttributes(old), subscriptionAttributes(updated)
	if _, had := before[subAttrFilterPolicy]; had {
		if _, has := after[subAttrFilterPolicy]; !has {
			after[subAttrFilterPolicy] = "" // an empty policy removes the filter
		}
	}
	// A policy with nested keys is valid only on the message body (SNS
	// developer guide, subscription filter policy scope): moving to the body,
	// the scope goes first; moving back, the flat policy does.
	order := []string{subAttrRawDelivery, subAttrFilterPolicy, subAttrFilterPolicyScope}
	if after[subAttrFilterPolicyScope] == "MessageBody" {
		order = []string{subAttrRawDelivery, subAttrFilterPolicyScope, subAttrFilterPolicy}
	}
	for _, name := range order {
		value, set := after[name]
		if !set || (before[name] == value && name != subAttrFilterPolicy) ||
			(name == subAttrFilterPolicy && filterPoliciesEquivalent(before[name], value)) {
			continue
		}
		_, err := client.SetSubscriptionAttributes(ctx, &sns.SetSubscriptionAttributesInput{
			SubscriptionArn: aws.String(arn), AttributeName: aws.String(name), AttributeValue: aws.String(value),
		})
		if err != nil {
			return fmt.Errorf("setting %s of SNS subscription %s: %w", name, arn, err)
		}
	}
	return nil
}

func unsubscribe(ctx context.Context, client *sns.Client, arn string) error {
	if arn == "" {
		return nil
	}
	_, err := client.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: aws.String(arn)})
	if err != nil && !isSubscriptionNotFound(err) {
		return fmt.Errorf("unsubscribing %s: %w", arn, err)
	}
	return nil
}
