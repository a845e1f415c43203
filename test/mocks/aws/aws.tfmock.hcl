# Values the mock AWS provider of the modules' `terraform test` files returns.
# The provider validates ARNs and policy JSON even when mocked, so every
# computed ARN a module passes on, and every policy document, gets a valid one.

mock_data "aws_iam_policy_document" {
  defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

mock_data "aws_caller_identity" {
  defaults = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test" }
}

mock_data "aws_partition" {
  defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
}

mock_data "aws_region" {
  defaults = { id = "ap-northeast-1", name = "ap-northeast-1" }
}

mock_data "aws_vpc" {
  defaults = { cidr_block = "10.8.0.0/16" }
}

mock_data "aws_subnets" {
  defaults = { ids = ["subnet-0a1b2c3d4e5f60719", "subnet-0a1b2c3d4e5f60718"] }
}

mock_data "aws_route53_zone" {
  defaults = { zone_id = "Z0PUBLIC", name = "mycalinks.io" }
}

mock_data "aws_elb_service_account" {
  defaults = { arn = "arn:aws:iam::582318560864:root" }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:ap-northeast-1:123456789012:log-group:mock" }
}

mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
}

mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:ap-northeast-1:123456789012:key/00000000-0000-0000-0000-000000000000" }
}

mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:ap-northeast-1:123456789012:mock" }
}

mock_resource "aws_s3_bucket" {
  defaults = { arn = "arn:aws:s3:::mock", bucket_regional_domain_name = "mock.s3.ap-northeast-1.amazonaws.com" }
}

mock_resource "aws_lb" {
  defaults = { arn = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/mock/0123456789abcdef", arn_suffix = "app/mock/0123456789abcdef", zone_id = "Z14GRHDCWA56QT", dns_name = "mock.ap-northeast-1.elb.amazonaws.com" }
}

mock_resource "aws_lb_listener" {
  defaults = { arn = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/mock/0123456789abcdef/0123456789abcdef" }
}

mock_resource "aws_lb_target_group" {
  defaults = { arn = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/mock/0123456789abcdef", arn_suffix = "targetgroup/mock/0123456789abcdef" }
}

mock_resource "aws_wafv2_web_acl" {
  defaults = { arn = "arn:aws:wafv2:ap-northeast-1:123456789012:regional/webacl/mock/00000000-0000-0000-0000-000000000000" }
}

mock_resource "aws_acm_certificate" {
  defaults = { arn = "arn:aws:acm:ap-northeast-1:123456789012:certificate/00000000-0000-0000-0000-000000000000" }
}

mock_resource "aws_ecs_cluster" {
  defaults = { arn = "arn:aws:ecs:ap-northeast-1:123456789012:cluster/mock" }
}

mock_resource "aws_ecs_task_definition" {
  defaults = { arn = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/mock:1", arn_without_revision = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/mock" }
}

mock_resource "aws_rds_cluster" {
  defaults = {
    arn                = "arn:aws:rds:ap-northeast-1:123456789012:cluster:mock"
    master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:mock", kms_key_id = "arn:aws:kms:ap-northeast-1:123456789012:key/00000000-0000-0000-0000-000000000000", secret_status = "active" }]
  }
}

mock_resource "aws_db_proxy" {
  defaults = { arn = "arn:aws:rds:ap-northeast-1:123456789012:db-proxy:prx-mock", endpoint = "mock.proxy-abc.ap-northeast-1.rds.amazonaws.com" }
}

mock_resource "aws_cloudfront_distribution" {
  defaults = { arn = "arn:aws:cloudfront::123456789012:distribution/EMOCK", domain_name = "dmock.cloudfront.net", hosted_zone_id = "Z2FDTNDATAQYW2" }
}

mock_resource "aws_dynamodb_table" {
  defaults = { arn = "arn:aws:dynamodb:ap-northeast-1:123456789012:table/mock", stream_arn = "arn:aws:dynamodb:ap-northeast-1:123456789012:table/mock/stream/2026-01-01T00:00:00.000" }
}

mock_resource "aws_security_group" {
  defaults = { id = "sg-0a1b2c3d4e5f60718", arn = "arn:aws:ec2:ap-northeast-1:123456789012:security-group/sg-0a1b2c3d4e5f60718" }
}

mock_resource "aws_subnet" {
  defaults = { id = "subnet-0a1b2c3d4e5f60718" }
}

mock_resource "aws_scheduler_schedule_group" {
  defaults = { arn = "arn:aws:scheduler:ap-northeast-1:123456789012:schedule-group/mock" }
}

mock_resource "aws_ses_domain_identity" {
  defaults = { arn = "arn:aws:ses:ap-northeast-1:123456789012:identity/mock" }
}

mock_resource "aws_route53_record" {
  defaults = { fqdn = "mock.mycalinks.io" }
}

mock_data "aws_canonical_user_id" {
  defaults = { id = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be" }
}

mock_resource "aws_chatbot_slack_channel_configuration" {
  defaults = { chat_configuration_arn = "arn:aws:chatbot::123456789012:chat-configuration/slack-channel/mock" }
}

mock_resource "aws_db_proxy_default_target_group" {
  defaults = { name = "default" }
}

mock_resource "aws_secretsmanager_secret" {
  defaults = { arn = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:calinks-staging/db-users/mock-AbCdEf" }
}
