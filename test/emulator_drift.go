package test

import "github.com/calinks/terraform-provider-calinks/internal/plandrift"

// The differences moto 5.2.1's answers leave in the plan that follows an
// apply, each one attribute of named resources with the bug behind it. Only
// moto gets them (internal/testtarget: DriftAllowed); a second plan that
// differs anywhere else fails, and so does an entry a case lists that its
// plan no longer shows (the bug is gone: remove the entry).
var (
	driftIngressRuleDescription = plandrift.Allowance{
		Address: `.*aws_vpc_security_group_ingress_rule\..*`, Path: "description", EmptyBefore: true,
		Bug: "security group rules that reference a group come back without their description",
	}
	driftEgressRuleDescription = plandrift.Allowance{
		Address: `.*aws_vpc_security_group_egress_rule\..*`, Path: "description", EmptyBefore: true,
		Bug: "security group rules that reference a group come back without their description",
	}
	driftServiceRebalancing = plandrift.Allowance{
		Address: `.*aws_ecs_service\..*`, Path: "availability_zone_rebalancing", EmptyBefore: true,
		Bug: "DescribeServices omits availabilityZoneRebalancing",
	}
	driftCloudFrontOAC = plandrift.Allowance{
		Address: `.*aws_cloudfront_distribution\..*`, Path: "origin[*].origin_access_control_id", EmptyBefore: true,
		Bug: "CloudFront does not keep the origin access control id",
	}
	driftS3ACLOwner = plandrift.Allowance{
		Address: `.*aws_s3_bucket_acl\..*`, Path: "access_control_policy[*].owner[*].display_name",
		Bug: "GetBucketAcl returns another owner display name than PutBucketAcl set",
	}
	driftRDSPerformanceInsights = plandrift.Allowance{
		Address: `.*aws_rds_cluster\..*`, Path: "performance_insights_enabled",
		Bug: "RDS does not keep Performance Insights",
	}
)

// Per case: what its second plan shows against moto.
var (
	webServiceDrift = []plandrift.Allowance{driftServiceRebalancing, driftIngressRuleDescription}
	auroraDrift     = []plandrift.Allowance{driftRDSPerformanceInsights, driftIngressRuleDescription, driftEgressRuleDescription}
	cdnDrift        = []plandrift.Allowance{driftCloudFrontOAC, driftS3ACLOwner}
)

// environmentDrift is what an environment root's second plan shows against
// moto: the services and group ingress rules everywhere; with the add-ons,
// also the CDN's distribution and log bucket and Aurora's cluster and its
// egress rule.
func environmentDrift(c environmentCase) []plandrift.Allowance {
	drift := []plandrift.Allowance{driftServiceRebalancing, driftIngressRuleDescription}
	if c.addons {
		drift = append(drift, driftCloudFrontOAC, driftS3ACLOwner, driftRDSPerformanceInsights, driftEgressRuleDescription)
	}
	return drift
}
