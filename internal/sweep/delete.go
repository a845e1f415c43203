package sweep

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	logs "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	route53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
	wafv2types "github.com/aws/aws-sdk-go-v2/service/wafv2/types"
)

// phase orders deletion: users of a thing before the thing.
func phase(r Resource) int {
	service, kind := r.kind()
	switch service + ":" + kind {
	case "ecs:service", "cloudfront:distribution", "elasticloadbalancing:loadbalancer", "rds:db-proxy", "scheduler:schedule-group":
		return 0
	case "rds:cluster", "ecs:cluster", "s3:", "iam:role", "route53:hostedzone", "ec2:elastic-ip", "ec2:internet-gateway":
		return 2
	case "rds:subgrp", "rds:pg", "rds:cluster-pg", "ec2:security-group":
		return 3
	case "ec2:subnet", "ec2:route-table":
		return 4
	case "ec2:vpc":
		return 5
	}
	return 1
}

// name is the last part of the ARN's resource.
func (r Resource) name() string {
	resource := strings.SplitN(r.ARN, ":", 6)[5]
	resource = strings.TrimSuffix(resource, ":*")
	if i := strings.LastIndexAny(resource, "/:"); i >= 0 {
		return resource[i+1:]
	}
	return resource
}

func deleteOne(ctx context.Context, cfg aws.Config, r Resource) error {
	service, kind := r.kind()
	id := aws.String(r.name())
	var err error
	switch service + ":" + kind {
	case "ecs:service":
		client := ecs.NewFromConfig(cfg)
		cluster := aws.String(strings.Split(r.ARN, "/")[1])
		_, err = client.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: cluster, Service: aws.String(r.ARN), Force: aws.Bool(true)})
	case "ecs:task-definition":
		_, err = ecs.NewFromConfig(cfg).DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(r.ARN)})
	case "ecs:cluster":
		_, err = ecs.NewFromConfig(cfg).DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String(r.ARN)})
	case "elasticloadbalancing:loadbalancer":
		client := elbv2.NewFromConfig(cfg)
		_, _ = client.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(r.ARN),
			Attributes: []elbv2types.LoadBalancerAttribute{{Key: aws.String("deletion_protection.enabled"), Value: aws.String("false")}}})
		_, err = client.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(r.ARN)})
	case "elasticloadbalancing:targetgroup":
		_, err = elbv2.NewFromConfig(cfg).DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: aws.String(r.ARN)})
	case "sqs:":
		client := sqs.NewFromConfig(cfg)
		url, uerr := client.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: id})
		if uerr != nil {
			return uerr
		}
		_, err = client.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: url.QueueUrl})
	case "sns:":
		_, err = sns.NewFromConfig(cfg).DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(r.ARN)})
	case "logs:log-group":
		_, err = logs.NewFromConfig(cfg).DeleteLogGroup(ctx, &logs.DeleteLogGroupInput{LogGroupName: aws.String(strings.TrimSuffix(strings.SplitN(r.ARN, ":log-group:", 2)[1], ":*"))})
	case "kms:key":
		_, err = kms.NewFromConfig(cfg).ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(r.ARN), PendingWindowInDays: aws.Int32(7)})
	case "secretsmanager:secret":
		_, err = secretsmanager.NewFromConfig(cfg).DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String(r.ARN), ForceDeleteWithoutRecovery: aws.Bool(true)})
	case "acm:certificate":
		_, err = acm.NewFromConfig(cfg).DeleteCertificate(ctx, &acm.DeleteCertificateInput{CertificateArn: aws.String(r.ARN)})
	case "dynamodb:table":
		client := dynamodb.NewFromConfig(cfg)
		_, _ = client.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: id, DeletionProtectionEnabled: aws.Bool(false)})
		_, err = client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: id})
	case "rds:db-proxy", "rds:db", "rds:cluster", "rds:subgrp", "rds:pg", "rds:cluster-pg":
		err = deleteRDS(ctx, rds.NewFromConfig(cfg), kind, r)
	case "wafv2:" + kind:
		err = deleteWebACL(ctx, cfg, r)
	case "cloudwatch:alarm":
		_, err = cloudwatch.NewFromConfig(cfg).DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{r.name()}})
	case "route53:hostedzone":
		err = deleteZone(ctx, route53.NewFromConfig(cfg), r.name())
	case "scheduler:schedule-group":
		_, err = scheduler.NewFromConfig(cfg).DeleteScheduleGroup(ctx, &scheduler.DeleteScheduleGroupInput{Name: id})
	case "iam:role":
		err = deleteRole(ctx, iam.NewFromConfig(cfg), r.name())
	case "s3:":
		err = DeleteBucket(ctx, s3.NewFromConfig(cfg), r.name())
	case "cloudfront:distribution":
		err = DeleteDistribution(ctx, cloudfront.NewFromConfig(cfg), r.name())
	case "ec2:" + kind:
		err = deleteEC2(ctx, ec2.NewFromConfig(cfg), kind, r.name())
	default:
		return fmt.Errorf("no deleter for %s:%s; delete it by hand", service, kind)
	}
	return err
}

func deleteRDS(ctx context.Context, client *rds.Client, kind string, r Resource) error {
	var err error
	switch kind {
	case "db-proxy":
		proxies, lerr := client.DescribeDBProxies(ctx, &rds.DescribeDBProxiesInput{})
		if lerr != nil {
			return lerr
		}
		for _, p := range proxies.DBProxies {
			if aws.ToString(p.DBProxyArn) == r.ARN {
				_, err = client.DeleteDBProxy(ctx, &rds.DeleteDBProxyInput{DBProxyName: p.DBProxyName})
			}
		}
	case "db":
		_, err = client.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String(r.name()), SkipFinalSnapshot: aws.Bool(true)})
	case "cluster":
		_, _ = client.ModifyDBCluster(ctx, &rds.ModifyDBClusterInput{DBClusterIdentifier: aws.String(r.name()), DeletionProtection: aws.Bool(false), ApplyImmediately: aws.Bool(true)})
		_, err = client.DeleteDBCluster(ctx, &rds.DeleteDBClusterInput{DBClusterIdentifier: aws.String(r.name()), SkipFinalSnapshot: aws.Bool(true)})
	case "subgrp":
		_, err = client.DeleteDBSubnetGroup(ctx, &rds.DeleteDBSubnetGroupInput{DBSubnetGroupName: aws.String(r.name())})
	case "pg":
		_, err = client.DeleteDBParameterGroup(ctx, &rds.DeleteDBParameterGroupInput{DBParameterGroupName: aws.String(r.name())})
	case "cluster-pg":
		_, err = client.DeleteDBClusterParameterGroup(ctx, &rds.DeleteDBClusterParameterGroupInput{DBClusterParameterGroupName: aws.String(r.name())})
	}
	return err
}

func deleteWebACL(ctx context.Context, cfg aws.Config, r Resource) error {
	parts := strings.Split(r.ARN, "/") // arn:...:regional/webacl/<name>/<id>
	scope := wafv2types.ScopeRegional
	client := wafv2.NewFromConfig(cfg)
	if strings.Contains(r.ARN, ":global/") {
		scope = wafv2types.ScopeCloudfront
		client = wafv2.NewFromConfig(cfg, func(o *wafv2.Options) { o.Region = "us-east-1" })
	}
	name, id := aws.String(parts[len(parts)-2]), aws.String(parts[len(parts)-1])
	acl, err := client.GetWebACL(ctx, &wafv2.GetWebACLInput{Name: name, Id: id, Scope: scope})
	if err != nil {
		return err
	}
	_, err = client.DeleteWebACL(ctx, &wafv2.DeleteWebACLInput{Name: name, Id: id, Scope: scope, LockToken: acl.LockToken})
	return err
}

func deleteZone(ctx context.Context, client *route53.Client, id string) error {
	records, err := client.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id)})
	if err != nil {
		return err
	}
	var changes []route53types.Change
	for _, rr := range records.ResourceRecordSets {
		if rr.Type != route53types.RRTypeNs && rr.Type != route53types.RRTypeSoa {
			changes = append(changes, route53types.Change{Action: route53types.ChangeActionDelete, ResourceRecordSet: &rr})
		}
	}
	if len(changes) > 0 {
		if _, err := client.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: aws.String(id), ChangeBatch: &route53types.ChangeBatch{Changes: changes}}); err != nil {
			return err
		}
	}
	zone, err := client.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(id)})
	if err != nil {
		return err
	}
	if err := DeleteDelegation(ctx, client, aws.ToString(zone.HostedZone.Name)); err != nil {
		return err
	}
	_, err = client.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: aws.String(id)})
	return err
}

// DeleteDelegation removes the NS record that delegates zone from its parent
// zone (the name less its first label), when the account holds that parent
// as a public zone and the record is there; anything else is left alone.
func DeleteDelegation(ctx context.Context, client *route53.Client, zone string) error {
	zone = strings.TrimSuffix(zone, ".") + "."
	_, parentName, ok := strings.Cut(zone, ".")
	if !ok || parentName == "" {
		return nil
	}
	parents, err := client.ListHostedZonesByName(ctx, &route53.ListHostedZonesByNameInput{DNSName: aws.String(parentName)})
	if err != nil {
		return fmt.Errorf("finding the parent zone %s: %w", parentName, err)
	}
	for _, p := range parents.HostedZones {
		if aws.ToString(p.Name) != parentName || (p.Config != nil && p.Config.PrivateZone) {
			continue
		}
		records, err := client.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{
			HostedZoneId: p.Id, StartRecordName: aws.String(zone), StartRecordType: route53types.RRTypeNs, MaxItems: aws.Int32(1)})
		if err != nil {
			return fmt.Errorf("records of %s: %w", parentName, err)
		}
		for _, rr := range records.ResourceRecordSets {
			if aws.ToString(rr.Name) == zone && rr.Type == route53types.RRTypeNs {
				if _, err := client.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: p.Id,
					ChangeBatch: &route53types.ChangeBatch{Changes: []route53types.Change{{Action: route53types.ChangeActionDelete, ResourceRecordSet: &rr}}}}); err != nil {
					return fmt.Errorf("deleting the delegation of %s from %s: %w", zone, parentName, err)
				}
			}
		}
	}
	return nil
}

func deleteRole(ctx context.Context, client *iam.Client, name string) error {
	attached, err := client.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)})
	if err != nil {
		return err
	}
	for _, p := range attached.AttachedPolicies {
		if _, err := client.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(name), PolicyArn: p.PolicyArn}); err != nil {
			return err
		}
	}
	inline, err := client.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
	if err != nil {
		return err
	}
	for _, p := range inline.PolicyNames {
		if _, err := client.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(p)}); err != nil {
			return err
		}
	}
	_, err = client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(name)})
	return err
}

// DeleteBucket deletes every object version and delete marker, then the bucket.
func DeleteBucket(ctx context.Context, client *s3.Client, bucket string) error {
	pages := s3.NewListObjectVersionsPaginator(client, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return err
		}
		var objects []s3types.ObjectIdentifier
		for _, v := range page.Versions {
			objects = append(objects, s3types.ObjectIdentifier{Key: v.Key, VersionId: v.VersionId})
		}
		for _, m := range page.DeleteMarkers {
			objects = append(objects, s3types.ObjectIdentifier{Key: m.Key, VersionId: m.VersionId})
		}
		if len(objects) > 0 {
			if _, err := client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &s3types.Delete{Objects: objects}}); err != nil {
				return err
			}
		}
	}
	_, err := client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)})
	return err
}

// DeleteDistribution disables a distribution, and deletes it once AWS has
// deployed the disabled state (a later sweep finishes what this one starts).
func DeleteDistribution(ctx context.Context, client *cloudfront.Client, id string) error {
	current, err := client.GetDistributionConfig(ctx, &cloudfront.GetDistributionConfigInput{Id: aws.String(id)})
	if err != nil {
		return err
	}
	if aws.ToBool(current.DistributionConfig.Enabled) {
		current.DistributionConfig.Enabled = aws.Bool(false)
		updated, err := client.UpdateDistribution(ctx, &cloudfront.UpdateDistributionInput{Id: aws.String(id), IfMatch: current.ETag, DistributionConfig: current.DistributionConfig})
		if err != nil {
			return err
		}
		current.ETag = updated.ETag
	}
	_, err = client.DeleteDistribution(ctx, &cloudfront.DeleteDistributionInput{Id: aws.String(id), IfMatch: current.ETag})
	if err != nil {
		return fmt.Errorf("disabled; delete once deployed (sweep again in ~15 minutes): %w", err)
	}
	return nil
}

func deleteEC2(ctx context.Context, client *ec2.Client, kind, id string) error {
	var err error
	switch kind {
	case "natgateway":
		_, err = client.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)})
	case "elastic-ip":
		_, err = client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(id)})
	case "vpc-flow-log":
		_, err = client.DeleteFlowLogs(ctx, &ec2.DeleteFlowLogsInput{FlowLogIds: []string{id}})
	case "internet-gateway":
		igw, derr := client.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: []string{id}})
		if derr != nil {
			return derr
		}
		for _, a := range igw.InternetGateways[0].Attachments {
			if _, err := client.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: aws.String(id), VpcId: a.VpcId}); err != nil {
				return err
			}
		}
		_, err = client.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: aws.String(id)})
	case "security-group":
		_, err = client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)})
	case "subnet":
		_, err = client.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(id)})
	case "route-table":
		rt, derr := client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{id}})
		if derr != nil {
			return derr
		}
		for _, a := range rt.RouteTables[0].Associations {
			if !aws.ToBool(a.Main) {
				_, _ = client.DisassociateRouteTable(ctx, &ec2.DisassociateRouteTableInput{AssociationId: a.RouteTableAssociationId})
			}
		}
		_, err = client.DeleteRouteTable(ctx, &ec2.DeleteRouteTableInput{RouteTableId: aws.String(id)})
	case "vpc":
		_, err = client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(id)})
	default:
		err = fmt.Errorf("no deleter for ec2:%s; delete it by hand", kind)
	}
	return err
}
