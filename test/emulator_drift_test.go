package test

import (
	"slices"

	"github.com/calinks/terraform-provider-calinks/internal/plandrift"
)

// The differences moto 5.2.1's answers leave in the plan that follows an
// apply, each one attribute of named resources with the bug behind it, as
// the suite's runs show them. Only moto gets them (internal/testtarget:
// DriftAllowed); a second plan that differs anywhere else fails, and so does
// an entry a case lists that its plan no longer shows (the bug is gone:
// remove the entry). EmptyBefore: moto leaves the value out, so only a
// difference from nothing to the configured value is excused.
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
	driftCloudFrontForwardedValues = plandrift.Allowance{
		Address: `.*aws_cloudfront_distribution\..*`, Path: "default_cache_behavior[*].forwarded_values",
		Bug: "CloudFront answers the legacy forwarded_values on a behavior that uses a cache policy",
	}
	driftCloudFrontDefaultCertificate = plandrift.Allowance{
		Address: `.*aws_cloudfront_distribution\..*`, Path: "viewer_certificate[*].cloudfront_default_certificate",
		Bug: "CloudFront answers CloudFrontDefaultCertificate true for a distribution with an ACM certificate",
	}
	driftCloudFrontSSLSupportMethod = plandrift.Allowance{
		Address: `.*aws_cloudfront_distribution\..*`, Path: "viewer_certificate[*].ssl_support_method",
		Bug: "CloudFront answers SSLSupportMethod sni-only for a distribution on the default certificate",
	}
	driftS3ACLOwner = plandrift.Allowance{
		Address: `.*aws_s3_bucket_acl\..*`, Path: "access_control_policy[*].owner[*].id",
		Bug: "GetBucketAcl answers another owner ID than the canonical ID the provider reads for the account",
	}
	driftRDSScalingConfiguration = plandrift.Allowance{
		Address: `.*aws_rds_cluster\..*`, Path: "scaling_configuration[*].*", EmptyBefore: true,
		Bug: "RDS answers an empty scaling configuration for a provisioned cluster",
	}
	driftRDSPerformanceInsights = plandrift.Allowance{
		Address: `.*aws_rds_cluster_instance\..*`, Path: "performance_insights_enabled",
		Bug: "RDS does not keep an instance's Performance Insights",
	}
	// AWS changes a table's encryption in place (UpdateTable, SSESpecification:
	// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html);
	// moto drops the field, so an adopted table stays on the AWS owned key.
	driftDynamoDBAdoptedEncryption = plandrift.Allowance{
		Address: `.*aws_dynamodb_table\..*`, Path: "server_side_encryption", EmptyBefore: true,
		Bug: "UpdateTable ignores SSESpecification: a table made without one keeps the AWS owned key",
	}
	// AWS applies a change of the log exports at once (ModifyDBCluster,
	// CloudwatchLogsExportConfiguration:
	// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html);
	// moto drops the field, so an adopted cluster keeps exporting nothing.
	driftRDSAdoptedLogExports = plandrift.Allowance{
		Address: `.*aws_rds_cluster\..*`, Path: "enabled_cloudwatch_logs_exports", EmptyBefore: true,
		Bug: "ModifyDBCluster ignores CloudwatchLogsExportConfiguration",
	}
	driftRDSPerformanceInsightsKey = plandrift.Allowance{
		Address: `.*aws_rds_cluster_instance\..*`, Path: "performance_insights_kms_key_id", EmptyBefore: true,
		Bug: "RDS does not keep an instance's Performance Insights",
	}
)

// Per case: what its second plan shows against moto.
var (
	webServiceDrift = []plandrift.Allowance{driftServiceRebalancing, driftIngressRuleDescription}
	auroraDrift     = []plandrift.Allowance{driftRDSScalingConfiguration, driftRDSPerformanceInsights, driftRDSPerformanceInsightsKey, driftIngressRuleDescription, driftEgressRuleDescription}
	// Copilot's cluster, made with a Serverless v2 range (no empty scaling
	// configuration) and its writer without Performance Insights (no key to lose).
	adoptedAuroraDrift = []plandrift.Allowance{driftRDSAdoptedLogExports, driftRDSPerformanceInsights, driftIngressRuleDescription, driftEgressRuleDescription}
	privateAssetsDrift = []plandrift.Allowance{driftCloudFrontOAC, driftCloudFrontForwardedValues, driftCloudFrontSSLSupportMethod, driftS3ACLOwner}
	staticSiteDrift    = []plandrift.Allowance{driftCloudFrontOAC, driftCloudFrontForwardedValues, driftCloudFrontDefaultCertificate, driftS3ACLOwner}
)

// environmentDrift is what an environment root's second plan shows against
// moto: the services and group ingress rules everywhere; with the add-ons,
// Aurora's (a new or an adopted cluster's) and private-static's; in
// production, the public CDN's too; and where Copilot's tables are adopted,
// their encryption.
func environmentDrift(c environmentCase) []plandrift.Allowance {
	drift := []plandrift.Allowance{driftServiceRebalancing, driftIngressRuleDescription}
	switch {
	case c.addons && c.adopt:
		drift = append(drift, adoptedAuroraDrift...)
	case c.addons:
		drift = append(drift, auroraDrift...)
	}
	if c.addons {
		drift = append(drift, privateAssetsDrift...)
	}
	if c.staticSite {
		drift = append(drift, driftCloudFrontDefaultCertificate)
	}
	if c.addons && c.adopt {
		drift = append(drift, driftDynamoDBAdoptedEncryption)
	}
	return uniqueAllowances(drift)
}

func uniqueAllowances(list []plandrift.Allowance) []plandrift.Allowance {
	var out []plandrift.Allowance
	for _, a := range list {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}
