package provider

import (
	"errors"
	"regexp"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// attributeError ties a permanent failure to the attribute that caused it, so
// that Terraform shows it on that attribute's line.
type attributeError struct {
	attr path.Path
	err  error
}

func (e attributeError) Error() string { return e.attr.String() + ": " + e.err.Error() }
func (e attributeError) Unwrap() error { return e.err }

// addOperationError adds err to diags, on the attribute it names if any.
func addOperationError(diags *diag.Diagnostics, summary string, err error, hint string) {
	detail := err.Error()
	if hint != "" {
		detail += "\n\n" + hint
	}
	var ae attributeError
	if errors.As(err, &ae) {
		diags.AddAttributeError(ae.attr, summary, detail)
		return
	}
	diags.AddError(summary, detail)
}

// sqsParameterRe finds the attribute SQS names in InvalidAttributeValue
// ("Invalid value for the parameter VisibilityTimeout.") and
// InvalidAttributeName ("Unknown Attribute X.").
var sqsParameterRe = regexp.MustCompile(`(?:parameter|Attribute) ([A-Za-z]+)`)

// sqsAttributePaths maps SQS attribute names to this resource's attributes.
// The retention period is the only one both queues set differently.
func sqsAttributePath(sqsName string, deadLetter bool) (path.Path, bool) {
	names := map[string]string{
		"VisibilityTimeout":             "visibility_timeout_seconds",
		"MessageRetentionPeriod":        "message_retention_seconds",
		"ReceiveMessageWaitTimeSeconds": "receive_wait_time_seconds",
		"DelaySeconds":                  "delay_seconds",
		"RedrivePolicy":                 "max_receive_count",
		"RedriveAllowPolicy":            "dead_letter_queue_redrive_allow_policy",
		"Policy":                        "queue_policy",
		"KmsMasterKeyId":                "kms_master_key_id",
		"SqsManagedSseEnabled":          "kms_master_key_id",
		"ContentBasedDeduplication":     "content_based_deduplication",
		"DeduplicationScope":            "deduplication_scope",
		"FifoThroughputLimit":           "fifo_throughput_limit",
		"FifoQueue":                     "fifo",
	}
	if deadLetter && sqsName == "MessageRetentionPeriod" {
		return path.Root("dead_letter_queue_retention_seconds"), true
	}
	name, ok := names[sqsName]
	return path.Root(name), ok
}

// withSQSAttribute names the resource attribute of a refused SQS attribute.
func withSQSAttribute(err error, deadLetter bool) error {
	if !isAPIError(err, "", "InvalidAttributeValue", "InvalidAttributeName", "InvalidParameterValue") {
		return err
	}
	var msg string
	if m := sqsParameterRe.FindStringSubmatch(err.Error()); m != nil {
		msg = m[1]
	}
	if p, ok := sqsAttributePath(msg, deadLetter); ok {
		return attributeError{attr: p, err: err}
	}
	return err
}

// withSubscriptionAttribute puts a refusal of Subscribe or
// SetSubscriptionAttributes on the subscription's attribute it concerns
// (SNS API reference, Subscribe errors): an invalid filter policy scope, a
// filter policy or its limit (SNS words these "FilterPolicy: ..." and
// "Filter policy scope MessageAttributes does not support nested filter
// policy", after "Invalid parameter: " or, on Subscribe, "Invalid parameter:
// Attributes Reason: "), otherwise the topic (not found, not authorized,
// subscription limit). Other errors name no attribute.
func withSubscriptionAttribute(err error, key string) error {
	sub := path.Root("subscriptions").AtMapKey(key)
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return err
	}
	message := strings.ToLower(apiErr.ErrorMessage())
	invalid := apiErr.ErrorCode() == "InvalidParameter"
	switch {
	case invalid && strings.Contains(message, "filterpolicyscope"):
		return attributeError{attr: sub.AtName("filter_policy_scope"), err: err}
	case invalid && (strings.Contains(message, "filterpolicy") || strings.Contains(message, "filter policy")), apiErr.ErrorCode() == "FilterPolicyLimitExceeded":
		return attributeError{attr: sub.AtName("filter_policy"), err: err}
	case invalid && strings.Contains(message, "rawmessagedelivery"):
		return attributeError{attr: sub.AtName("raw_message_delivery"), err: err}
	case invalid, isAPIError(err, "", "NotFound", "AuthorizationError", "SubscriptionLimitExceeded"):
		return attributeError{attr: sub.AtName("topic_arn"), err: err}
	}
	return err
}
