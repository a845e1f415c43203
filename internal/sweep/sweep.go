// Package sweep finds and deletes what test runs left in an account: every
// resource tagged calinks:test (optionally only one run's), so that a crashed
// real-account run costs nothing for long.
package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
	wafv2types "github.com/aws/aws-sdk-go-v2/service/wafv2/types"
	"github.com/aws/smithy-go"
)

// TagKey marks every resource a test creates; its value is <run id>/<case>.
const TagKey = "calinks:test"

// Resource is one tagged object, by ARN (IAM roles, DynamoDB tables, web
// ACLs, hosted zones and schedule groups included, which the tagging API
// does not list everywhere).
type Resource struct {
	ARN      string
	TagValue string
}

// Service and type of the ARN, for example "ecs" and "service"; the type is
// empty for services whose ARNs name the object directly (S3, SQS, SNS).
func (r Resource) kind() (string, string) {
	parts := strings.SplitN(r.ARN, ":", 6)
	if len(parts) < 6 {
		return "", ""
	}
	switch parts[2] {
	case "s3", "sqs", "sns":
		return parts[2], ""
	}
	resource := parts[5]
	if i := strings.IndexAny(resource, "/:"); i >= 0 {
		return parts[2], resource[:i]
	}
	return parts[2], resource
}

// Find lists the live resources whose calinks:test value starts with
// prefix (empty: any value). Deleted objects that AWS keeps listing for a
// while (KMS keys pending deletion, inactive ECS clusters, services and
// task definitions, deleted NAT gateways) are not live.
//
// It searches the configuration's region and us-east-1, where CloudFront's
// certificates and web ACLs live; global objects (roles, zones,
// distributions) are listed once.
func Find(ctx context.Context, cfg aws.Config, prefix string) ([]Resource, error) {
	var found []Resource
	keep := func(arn, value string) {
		if strings.HasPrefix(value, prefix) {
			found = append(found, Resource{ARN: arn, TagValue: value})
		}
	}
	for _, region := range Regions(cfg.Region) {
		regional := cfg.Copy()
		regional.Region = region
		if err := listTagged(ctx, tagging.NewFromConfig(regional), keep); err != nil {
			return nil, fmt.Errorf("tagging API in %s: %w", region, err)
		}
		for _, list := range []func(context.Context, aws.Config, func(arn, value string)) error{listRoles, listTables, listWebACLs, listZones, listScheduleGroups} {
			if err := list(ctx, regional, keep); err != nil {
				return nil, fmt.Errorf("%s: %w", region, err)
			}
		}
	}
	var live []Resource
	for _, r := range found {
		if !slices.ContainsFunc(live, func(l Resource) bool { return l.ARN == r.ARN }) && !gone(ctx, r.config(cfg), r) {
			live = append(live, r)
		}
	}
	return live, nil
}

// listTagged passes keep every resource that carries TagKey. A refused
// pagination token (PaginationTokenExpiredException: AWS expires tokens after
// 15 minutes, moto spends one on its first use, so a page's call sent again
// after a lost answer is refused) starts the listing over from the first page.
func listTagged(ctx context.Context, client *tagging.Client, keep func(arn, value string)) error {
	for attempt := 1; ; attempt++ {
		listed, err := listTaggedOnce(ctx, client)
		var expired *taggingtypes.PaginationTokenExpiredException
		if errors.As(err, &expired) && attempt < 3 {
			continue
		}
		if err != nil {
			return err
		}
		for _, r := range listed {
			keep(r.ARN, r.TagValue)
		}
		return nil
	}
}

// listTaggedOnce pages through GetResources from the first page.
func listTaggedOnce(ctx context.Context, client *tagging.Client) ([]Resource, error) {
	var listed []Resource
	pages := tagging.NewGetResourcesPaginator(client, &tagging.GetResourcesInput{
		TagFilters: []taggingtypes.TagFilter{{Key: aws.String(TagKey)}},
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range page.ResourceTagMappingList {
			for _, tag := range r.Tags {
				if aws.ToString(tag.Key) == TagKey {
					listed = append(listed, Resource{ARN: aws.ToString(r.ResourceARN), TagValue: aws.ToString(tag.Value)})
				}
			}
		}
	}
	return listed, nil
}

// Regions are where test runs create things: the main region, and
// us-east-1 for CloudFront's certificates and web ACLs.
func Regions(main string) []string {
	if main == "us-east-1" || main == "" {
		return []string{"us-east-1"}
	}
	return []string{main, "us-east-1"}
}

// config is cfg in the resource's own region (its ARN's), for regional
// clients; global resources keep cfg's.
func (r Resource) config(cfg aws.Config) aws.Config {
	if parts := strings.SplitN(r.ARN, ":", 5); len(parts) == 5 && parts[3] != "" && parts[3] != cfg.Region {
		regional := cfg.Copy()
		regional.Region = parts[3]
		return regional
	}
	return cfg
}

func listRoles(ctx context.Context, cfg aws.Config, keep func(arn, value string)) error {
	client := iam.NewFromConfig(cfg)
	pages := iam.NewListRolesPaginator(client, &iam.ListRolesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("IAM roles: %w", err)
		}
		for _, role := range page.Roles {
			tags, err := client.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: role.RoleName})
			if err != nil {
				continue // deleted meanwhile
			}
			for _, tag := range tags.Tags {
				if aws.ToString(tag.Key) == TagKey {
					keep(aws.ToString(role.Arn), aws.ToString(tag.Value))
				}
			}
		}
	}
	return nil
}

func listTables(ctx context.Context, cfg aws.Config, keep func(arn, value string)) error {
	client := dynamodb.NewFromConfig(cfg)
	pages := dynamodb.NewListTablesPaginator(client, &dynamodb.ListTablesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("DynamoDB tables: %w", err)
		}
		for _, name := range page.TableNames {
			table, err := client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
			if err != nil {
				continue
			}
			tags, err := client.ListTagsOfResource(ctx, &dynamodb.ListTagsOfResourceInput{ResourceArn: table.Table.TableArn})
			if err != nil {
				continue
			}
			for _, tag := range tags.Tags {
				if aws.ToString(tag.Key) == TagKey {
					keep(aws.ToString(table.Table.TableArn), aws.ToString(tag.Value))
				}
			}
		}
	}
	return nil
}

func listWebACLs(ctx context.Context, cfg aws.Config, keep func(arn, value string)) error {
	for _, scope := range []wafv2types.Scope{wafv2types.ScopeRegional, wafv2types.ScopeCloudfront} {
		client := wafv2.NewFromConfig(cfg, func(o *wafv2.Options) {
			if scope == wafv2types.ScopeCloudfront {
				o.Region = "us-east-1"
			}
		})
		acls, err := client.ListWebACLs(ctx, &wafv2.ListWebACLsInput{Scope: scope})
		if err != nil {
			return fmt.Errorf("WAF web ACLs: %w", err)
		}
		for _, acl := range acls.WebACLs {
			tags, err := client.ListTagsForResource(ctx, &wafv2.ListTagsForResourceInput{ResourceARN: acl.ARN})
			if err != nil || tags.TagInfoForResource == nil {
				continue
			}
			for _, tag := range tags.TagInfoForResource.TagList {
				if aws.ToString(tag.Key) == TagKey {
					keep(aws.ToString(acl.ARN), aws.ToString(tag.Value))
				}
			}
		}
	}
	return nil
}

func listZones(ctx context.Context, cfg aws.Config, keep func(arn, value string)) error {
	client := route53.NewFromConfig(cfg)
	pages := route53.NewListHostedZonesPaginator(client, &route53.ListHostedZonesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("Route53 zones: %w", err)
		}
		for _, zone := range page.HostedZones {
			id := strings.TrimPrefix(aws.ToString(zone.Id), "/hostedzone/")
			tags, err := client.ListTagsForResource(ctx, &route53.ListTagsForResourceInput{ResourceId: aws.String(id), ResourceType: "hostedzone"})
			if err != nil || tags.ResourceTagSet == nil {
				continue
			}
			for _, tag := range tags.ResourceTagSet.Tags {
				if aws.ToString(tag.Key) == TagKey {
					keep("arn:aws:route53:::hostedzone/"+id, aws.ToString(tag.Value))
				}
			}
		}
	}
	return nil
}

func listScheduleGroups(ctx context.Context, cfg aws.Config, keep func(arn, value string)) error {
	client := scheduler.NewFromConfig(cfg)
	groups, err := client.ListScheduleGroups(ctx, &scheduler.ListScheduleGroupsInput{})
	if err != nil {
		return fmt.Errorf("schedule groups: %w", err)
	}
	for _, group := range groups.ScheduleGroups {
		tags, err := client.ListTagsForResource(ctx, &scheduler.ListTagsForResourceInput{ResourceArn: group.Arn})
		if err != nil {
			continue
		}
		for _, tag := range tags.Tags {
			if aws.ToString(tag.Key) == TagKey {
				keep(aws.ToString(group.Arn), aws.ToString(tag.Value))
			}
		}
	}
	return nil
}

// gone tells deleted objects that AWS still lists.
func gone(ctx context.Context, cfg aws.Config, r Resource) bool {
	service, kind := r.kind()
	switch service + ":" + kind {
	case "kms:key":
		key, err := kms.NewFromConfig(cfg).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(r.ARN)})
		return err != nil || key.KeyMetadata.KeyState == "PendingDeletion"
	case "ecs:cluster":
		out, err := ecs.NewFromConfig(cfg).DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{r.ARN}})
		return err == nil && (len(out.Clusters) == 0 || aws.ToString(out.Clusters[0].Status) == "INACTIVE")
	case "ecs:task-definition":
		out, err := ecs.NewFromConfig(cfg).DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(r.ARN)})
		return err != nil || out.TaskDefinition.Status != "ACTIVE"
	case "rds:cluster-snapshot":
		// Automated snapshots ("rds:" names) go with their cluster; the
		// emulator keeps listing them.
		return strings.HasPrefix(r.name(), "rds:") || strings.Contains(r.ARN, ":cluster-snapshot:rds:")
	case "ec2:natgateway":
		id := r.ARN[strings.LastIndex(r.ARN, "/")+1:]
		out, err := ec2.NewFromConfig(cfg).DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
		return err == nil && (len(out.NatGateways) == 0 || out.NatGateways[0].State == "deleted")
	case "ecs:service":
		parts := strings.Split(r.ARN, "/")
		out, err := ecs.NewFromConfig(cfg).DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(parts[len(parts)-2]), Services: []string{r.ARN}})
		return err == nil && (len(out.Services) == 0 || aws.ToString(out.Services[0].Status) == "INACTIVE")
	}
	return false
}

// Delete removes resources in dependency order, in up to three passes (a
// VPC goes only once its subnets have), and reports each step to log.
// With dryRun it only reports what it would delete.
func Delete(ctx context.Context, cfg aws.Config, resources []Resource, dryRun bool, log io.Writer) error {
	slices.SortStableFunc(resources, func(a, b Resource) int { return phase(a) - phase(b) })
	if dryRun {
		for _, r := range resources {
			if _, err := fmt.Fprintf(log, "would delete %s (%s=%s)\n", r.ARN, TagKey, r.TagValue); err != nil {
				return err
			}
		}
		return nil
	}
	left := resources
	// AWS releases network interfaces (of load balancers, Fargate tasks,
	// NAT gateways) minutes after their owner is gone; until then the
	// subnets, groups and VPC answer DependencyViolation.
	deadline := time.Now().Add(DependencyWait)
	for pass := 1; len(left) > 0; pass++ {
		var failed []Resource
		var errs []error
		for _, r := range left {
			if err := deleteOne(ctx, r.config(cfg), r); err != nil {
				failed = append(failed, r)
				errs = append(errs, fmt.Errorf("%s: %w", r.ARN, err))
				continue
			}
			if _, err := fmt.Fprintf(log, "deleted %s\n", r.ARN); err != nil {
				return err
			}
		}
		left = failed
		if len(left) == 0 || pass < 3 {
			continue
		}
		if !anyDependencyViolation(errs) || time.Now().After(deadline) {
			return errors.Join(errs...)
		}
		if _, err := fmt.Fprintf(log, "%d object(s) still have dependencies; again in %s\n", len(left), DependencyPoll); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(append(errs, ctx.Err())...)
		case <-time.After(DependencyPoll):
		}
	}
	return nil
}

// How long Delete waits for dependencies AWS removes by itself, and how often
// it tries again.
var (
	DependencyWait = 10 * time.Minute
	DependencyPoll = 20 * time.Second
)

// anyDependencyViolation: some object waits for others AWS is still
// removing (whatever else failed may clear once they are gone).
func anyDependencyViolation(errs []error) bool {
	for _, err := range errs {
		var api smithy.APIError
		if errors.As(err, &api) && api.ErrorCode() == "DependencyViolation" {
			return true
		}
	}
	return false
}
