package adopt

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"gopkg.in/yaml.v3"
)

// NotRetained is an adopted object that a Copilot stack still deletes with
// itself: its resource has no `DeletionPolicy: Retain`, or no
// `UpdateReplacePolicy: Retain` (docs/migrating-from-copilot.md, step 2).
type NotRetained struct {
	Stack, LogicalID, Type, PhysicalID string
	Missing                            []string // the attributes to add
}

// stackResource is one resource of a Copilot stack: what CloudFormation
// made, and the policies its template gives it.
type stackResource struct {
	Stack, LogicalID, Type, PhysicalID  string
	DeletionPolicy, UpdateReplacePolicy string
}

// checkStacks reads the environment's CloudFormation stacks (the copilot-*
// tags of every Copilot stack, nested add-on stacks included) and lists the
// adopted objects they would delete.
func (e *Estate) checkStacks(ctx context.Context, client *cloudformation.Client) error {
	var resources []stackResource
	p := cloudformation.NewDescribeStacksPaginator(client, &cloudformation.DescribeStacksInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("listing CloudFormation stacks: %w", err)
		}
		for _, stack := range page.Stacks {
			if stack.StackStatus == cfntypes.StackStatusDeleteComplete || !e.ownsStack(stack.Tags) {
				continue
			}
			e.Stacks = append(e.Stacks, aws.ToString(stack.StackName))
			found, err := readStack(ctx, client, aws.ToString(stack.StackName))
			if err != nil {
				return err
			}
			resources = append(resources, found...)
		}
	}
	sort.Strings(e.Stacks)
	keeps := e.keeps()
	e.NotRetained = notRetained(resources, keeps)
	e.listStackDistributions(resources, keeps)
	return nil
}

// listStackDistributions lists the distributions of Copilot's stacks that
// are neither adopted (keeps) nor listed already.
func (e *Estate) listStackDistributions(resources []stackResource, keeps func(stackResource) bool) {
	for _, r := range resources {
		if r.Type == "AWS::CloudFront::Distribution" && !keeps(r) {
			e.listDistribution(r.PhysicalID, "of stack "+r.Stack)
		}
	}
}

// listDistribution lists a Copilot distribution the root does not adopt,
// once.
func (e *Estate) listDistribution(id, whose string) {
	if slices.ContainsFunc(e.Skipped, func(s Skipped) bool { return s.Kind == distributionKind && s.Name == id }) {
		return
	}
	e.Skipped = append(e.Skipped, Skipped{distributionKind, id, whose + ", in front of no adopted bucket (Copilot's CDN for the load balancer, or an add-on's): " +
		"the root has no distribution for it; repoint or retain it during the switch (docs/migrating-from-copilot.md, step 5.1)"})
}

func (e *Estate) ownsStack(tags []cfntypes.Tag) bool {
	var app, env bool
	for _, t := range tags {
		app = app || aws.ToString(t.Key) == tagApplication && aws.ToString(t.Value) == e.App
		env = env || aws.ToString(t.Key) == tagEnvironment && aws.ToString(t.Value) == e.Env
	}
	return app && env
}

func readStack(ctx context.Context, client *cloudformation.Client, stack string) ([]stackResource, error) {
	tpl, err := client.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String(stack), TemplateStage: cfntypes.TemplateStageOriginal})
	if err != nil {
		return nil, fmt.Errorf("reading the template of stack %s: %w", stack, err)
	}
	policies, err := templatePolicies(aws.ToString(tpl.TemplateBody))
	if err != nil {
		return nil, fmt.Errorf("stack %s: %w", stack, err)
	}
	var out []stackResource
	p := cloudformation.NewListStackResourcesPaginator(client, &cloudformation.ListStackResourcesInput{StackName: aws.String(stack)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the resources of stack %s: %w", stack, err)
		}
		for _, r := range page.StackResourceSummaries {
			logical := aws.ToString(r.LogicalResourceId)
			out = append(out, stackResource{Stack: stack, LogicalID: logical, Type: aws.ToString(r.ResourceType), PhysicalID: aws.ToString(r.PhysicalResourceId),
				DeletionPolicy: policies[logical][0], UpdateReplacePolicy: policies[logical][1]})
		}
	}
	return out, nil
}

// templatePolicies reads, from a template in YAML or JSON (short forms such
// as !Ref included), each resource's DeletionPolicy and UpdateReplacePolicy.
func templatePolicies(body string) (map[string][2]string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(body), &doc); err != nil {
		return nil, fmt.Errorf("reading the template: %w", err)
	}
	out := map[string][2]string{}
	if len(doc.Content) == 0 {
		return out, nil
	}
	resources := mappingValue(doc.Content[0], "Resources")
	if resources == nil {
		return out, nil
	}
	for i := 0; i+1 < len(resources.Content); i += 2 {
		var policies [2]string
		for j, attr := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
			if v := mappingValue(resources.Content[i+1], attr); v != nil {
				policies[j] = v.Value
			}
		}
		out[resources.Content[i].Value] = policies
	}
	return out, nil
}

// mappingValue is the value of key in a YAML mapping (nil: none).
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// keptIdentifiers are the names, ARNs, URLs and key IDs of what the root
// takes over, as CloudFormation reports them as physical IDs.
func (e Estate) keptIdentifiers() map[string]bool {
	ids := []string{e.ClusterName}
	for _, t := range e.Topics {
		ids = append(ids, t.ARN)
	}
	for _, t := range e.Tables {
		ids = append(ids, t.Name)
	}
	for _, b := range e.Buckets {
		ids = append(ids, b.Name)
	}
	for _, d := range e.Distributions {
		ids = append(ids, d.ID)
	}
	for _, w := range e.Workers {
		ids = append(ids, w.QueueName, w.DeadLetterQueueName, w.ServiceName, w.QueueKMSKeyARN, w.LogGroupName)
	}
	if d := e.Database; d != nil {
		ids = append(ids, d.keptIdentifiers()...)
	}
	out := map[string]bool{}
	for _, id := range ids {
		if id != "" {
			out[lastSegment(id)] = true
		}
	}
	return out
}

// keeps tells whether a stack resource is an object the root takes over:
// by its physical ID's last segment, and for the mail identity and its
// records by type and name (their physical IDs are bare DNS names, which
// other record sets of the stack may share with the domain).
func (e Estate) keeps() func(stackResource) bool {
	kept := e.keptIdentifiers()
	return func(r stackResource) bool { return kept[lastSegment(r.PhysicalID)] || e.Mail.keeps(r) }
}

// lastSegment is what follows the last "/" or ":" (a queue URL's queue name,
// an ARN's resource name, a key ARN's key ID), or the whole.
func lastSegment(id string) string {
	return id[strings.LastIndexAny(id, "/:")+1:]
}

// attachedTypes are resources whose physical ID names no adopted object but
// whose deletion changes one: an unsubscribe (messages published meanwhile
// are lost), a queue or topic policy reset (SNS stops delivering), a
// deregistered scalable target (its scaling policies go with it).
var attachedTypes = []string{"AWS::SNS::Subscription", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy", "AWS::ApplicationAutoScaling::ScalableTarget"}

// notRetained: the resources that are a kept object, or attached to one in
// the same stack, and whose template does not retain them on deletion and
// on replacement.
func notRetained(resources []stackResource, isKept func(stackResource) bool) []NotRetained {
	holdsKept := map[string]bool{}
	for _, r := range resources {
		holdsKept[r.Stack] = holdsKept[r.Stack] || isKept(r)
	}
	var out []NotRetained
	for _, r := range resources {
		attached := holdsKept[r.Stack] && slices.Contains(attachedTypes, r.Type)
		if !isKept(r) && !attached {
			continue
		}
		var missing []string
		if r.DeletionPolicy != "Retain" {
			missing = append(missing, "DeletionPolicy: Retain")
		}
		if r.UpdateReplacePolicy != "Retain" {
			missing = append(missing, "UpdateReplacePolicy: Retain")
		}
		if len(missing) > 0 {
			out = append(out, NotRetained{Stack: r.Stack, LogicalID: r.LogicalID, Type: r.Type, PhysicalID: r.PhysicalID, Missing: missing})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Stack+"/"+out[i].LogicalID < out[j].Stack+"/"+out[j].LogicalID
	})
	return out
}
