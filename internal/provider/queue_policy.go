package provider

import (
	"encoding/json"
	"sort"
)

// queuePolicyInput is everything the worker queue's resource policy depends on.
type queuePolicyInput struct {
	queueARN            string
	topicARNs           []string
	eventBridgeRuleARNs []string
	senderRoleARNs      []string
	consumerRoleARN     string
	// additionalConsumerRoleARNs: for example Copilot's task role, whose
	// tasks still drain the queue while an adoption rolls out.
	additionalConsumerRoleARNs []string
}

type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Sid       string         `json:"Sid"`
	Effect    string         `json:"Effect"`
	Principal map[string]any `json:"Principal"`
	Action    []string       `json:"Action"`
	Resource  string         `json:"Resource"`
	Condition map[string]any `json:"Condition,omitempty"`
}

// consumerActions are what the worker needs; Copilot forgot
// ChangeMessageVisibility (copilot-cli#4216), which long jobs use to extend
// their lease on a message.
var consumerActions = []string{
	"sqs:ChangeMessageVisibility",
	"sqs:DeleteMessage",
	"sqs:GetQueueAttributes",
	"sqs:GetQueueUrl",
	"sqs:ReceiveMessage",
}

// buildQueuePolicy returns the queue policy: senders limited by
// aws:SourceArn, the worker's task role as consumer, plain HTTP denied.
func buildQueuePolicy(in queuePolicyInput) string {
	doc := policyDocument{Version: "2012-10-17"}
	if len(in.topicARNs) > 0 {
		doc.Statement = append(doc.Statement, policyStatement{
			Sid:       "AllowSubscribedTopics",
			Effect:    "Allow",
			Principal: map[string]any{"Service": "sns.amazonaws.com"},
			Action:    []string{"sqs:SendMessage"},
			Resource:  in.queueARN,
			Condition: map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": sorted(in.topicARNs)}},
		})
	}
	if len(in.eventBridgeRuleARNs) > 0 {
		doc.Statement = append(doc.Statement, policyStatement{
			Sid:       "AllowEventBridgeRules",
			Effect:    "Allow",
			Principal: map[string]any{"Service": "events.amazonaws.com"},
			Action:    []string{"sqs:SendMessage"},
			Resource:  in.queueARN,
			Condition: map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": sorted(in.eventBridgeRuleARNs)}},
		})
	}
	if len(in.senderRoleARNs) > 0 {
		doc.Statement = append(doc.Statement, policyStatement{
			Sid:       "AllowSenderRoles",
			Effect:    "Allow",
			Principal: map[string]any{"AWS": sorted(in.senderRoleARNs)},
			Action:    []string{"sqs:SendMessage"},
			Resource:  in.queueARN,
		})
	}
	doc.Statement = append(doc.Statement,
		policyStatement{
			Sid:       "AllowWorkerConsume",
			Effect:    "Allow",
			Principal: map[string]any{"AWS": consumerPrincipals(in)},
			Action:    consumerActions,
			Resource:  in.queueARN,
		},
		policyStatement{
			Sid:       "DenyInsecureTransport",
			Effect:    "Deny",
			Principal: map[string]any{"AWS": "*"},
			Action:    []string{"sqs:*"},
			Resource:  in.queueARN,
			Condition: map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
		},
	)
	out, _ := json.Marshal(doc) // plain structs and maps of strings always marshal
	return string(out)
}

// consumerPrincipals is the task role alone, as a string, unless other
// consumers are admitted too.
func consumerPrincipals(in queuePolicyInput) any {
	if len(in.additionalConsumerRoleARNs) == 0 {
		return in.consumerRoleARN
	}
	return sorted(append([]string{in.consumerRoleARN}, in.additionalConsumerRoleARNs...))
}

func sorted(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}

// policiesEquivalent compares two policy documents (IAM, SNS filter) semantically: order of
// statements and of list elements does not matter, and a single string equals
// a one-element list, as IAM treats them.
func policiesEquivalent(a, b string) bool {
	if a == b {
		return true
	}
	na, errA := normalizedJSON(a)
	nb, errB := normalizedJSON(b)
	return errA == nil && errB == nil && na == nb
}

func normalizedJSON(doc string) (string, error) {
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return "", err
	}
	out, err := json.Marshal(normalizePolicyValue("", v))
	return string(out), err
}

// scalarPolicyKeys hold one value by definition and are kept as strings.
var scalarPolicyKeys = map[string]bool{"Version": true, "Sid": true, "Effect": true, "Id": true}

func normalizePolicyValue(key string, v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, child := range t {
			out[k] = normalizePolicyValue(k, child)
		}
		return out
	case []any:
		return normalizedList(key, t)
	case string:
		if scalarPolicyKeys[key] {
			return t
		}
		return []any{t}
	default:
		return t
	}
}

func normalizedList(key string, items []any) []any {
	type keyed struct {
		canonical string
		value     any
	}
	list := make([]keyed, 0, len(items))
	for _, item := range items {
		n := item // a string element stays a string, not a one-element list
		if _, isString := item.(string); !isString {
			n = normalizePolicyValue(key, item)
		}
		c, _ := json.Marshal(n)
		list = append(list, keyed{string(c), n})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].canonical < list[j].canonical })
	out := make([]any, len(list))
	for i, k := range list {
		out[i] = k.value
	}
	return out
}
