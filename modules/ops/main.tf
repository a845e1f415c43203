# Operations of one environment: the alarm topic every alarm notifies, its
# Slack channel through AWS Chatbot, SES sending identity (DKIM, MAIL FROM),
# and the Client VPN operators reach the private subnets through.

check "chatbot_has_slack_ids" {
  assert {
    condition     = !var.chatbot_enabled || (var.slack_team_id != null && var.slack_channel_id != null)
    error_message = "chatbot_enabled needs slack_team_id and slack_channel_id."
  }
}

check "client_vpn_has_settings" {
  assert {
    condition     = !var.client_vpn_enabled || var.client_vpn != null
    error_message = "client_vpn_enabled needs client_vpn."
  }
}

locals {
  chatbot    = var.chatbot_enabled && var.slack_team_id != null && var.slack_channel_id != null
  client_vpn = var.client_vpn_enabled && var.client_vpn != null
}

################################################################################
# Alarm topic
################################################################################

module "kms" {
  source = "../kms-key"

  description = "Alarm topic of ${var.name}"
  service_grants = [{
    sid     = "AlarmsPublish"
    service = "cloudwatch.amazonaws.com"
    actions = ["kms:Decrypt", "kms:GenerateDataKey*"]
  }]
  tags = var.tags
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = module.kms.key_arn
  tags              = var.tags
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "alarms" {
  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms.json
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_email_addresses)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.key
}

################################################################################
# Chatbot
################################################################################

module "chatbot_role" {
  source = "../service-role"
  count  = local.chatbot ? 1 : 0

  name                = "${var.name}-chatbot"
  service             = "chatbot.amazonaws.com"
  managed_policy_arns = { cloudwatch-read-only = "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess" }
  tags                = var.tags
}

resource "aws_chatbot_slack_channel_configuration" "this" {
  count = local.chatbot ? 1 : 0

  configuration_name    = "${var.name}-alarms"
  slack_team_id         = var.slack_team_id
  slack_channel_id      = var.slack_channel_id
  iam_role_arn          = module.chatbot_role[0].role_arn
  sns_topic_arns        = [aws_sns_topic.alarms.arn]
  guardrail_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
  logging_level         = "ERROR"
  tags                  = var.tags

  # The role is usable only with its policies.
  depends_on = [module.chatbot_role]
}

################################################################################
# SES
################################################################################

resource "aws_ses_domain_identity" "this" {
  count = var.ses_domain == null ? 0 : 1

  domain = var.ses_domain
}

resource "aws_ses_domain_dkim" "this" {
  count = var.ses_domain == null ? 0 : 1

  domain = aws_ses_domain_identity.this[0].domain
}

resource "aws_ses_domain_mail_from" "this" {
  count = var.ses_domain == null ? 0 : 1

  domain                 = aws_ses_domain_identity.this[0].domain
  mail_from_domain       = "${var.ses_mail_from_subdomain}.${var.ses_domain}"
  behavior_on_mx_failure = "UseDefaultValue"
}

data "aws_region" "current" {}

locals {
  ses_records = var.ses_domain == null ? {} : merge(
    { verification = { name = "_amazonses.${var.ses_domain}", type = "TXT", value = aws_ses_domain_identity.this[0].verification_token } },
    { for i in range(3) : "dkim-${i}" => {
      name  = "${aws_ses_domain_dkim.this[0].dkim_tokens[i]}._domainkey.${var.ses_domain}"
      type  = "CNAME"
      value = "${aws_ses_domain_dkim.this[0].dkim_tokens[i]}.dkim.amazonses.com"
    } },
    {
      mail-from-mx  = { name = aws_ses_domain_mail_from.this[0].mail_from_domain, type = "MX", value = "10 feedback-smtp.${data.aws_region.current.id}.amazonses.com" }
      mail-from-spf = { name = aws_ses_domain_mail_from.this[0].mail_from_domain, type = "TXT", value = "v=spf1 include:amazonses.com ~all" }
    },
  )
  ses_record_keys = var.ses_domain == null ? [] : ["verification", "dkim-0", "dkim-1", "dkim-2", "mail-from-mx", "mail-from-spf"]
}

resource "aws_route53_record" "ses" {
  for_each = var.public_zone == null ? toset([]) : toset(local.ses_record_keys)

  zone_id = var.public_zone.zone_id
  name    = local.ses_records[each.key].name
  # The record is this module's alone: a create whose answer was lost (the
  # change made, its INSYNC wait failed) is taken over by the next apply
  # instead of failing on "already exists" (found by make faults).
  allow_overwrite = true
  type            = local.ses_records[each.key].type
  ttl             = 600
  records         = [local.ses_records[each.key].value]
}

resource "aws_ses_domain_identity_verification" "this" {
  count = var.ses_domain != null && var.public_zone != null ? 1 : 0

  domain = aws_ses_domain_identity.this[0].domain

  depends_on = [aws_route53_record.ses]
}

################################################################################
# Client VPN
################################################################################

resource "aws_cloudwatch_log_group" "client_vpn" {
  count = local.client_vpn ? 1 : 0

  name              = "/vpn/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_cloudwatch_log_stream" "client_vpn" {
  count = local.client_vpn ? 1 : 0

  name           = "connections"
  log_group_name = aws_cloudwatch_log_group.client_vpn[0].name
}

data "aws_vpc" "client_vpn" {
  count = local.client_vpn ? 1 : 0

  id = var.client_vpn.vpc_id
}

resource "aws_security_group" "client_vpn" {
  count = local.client_vpn ? 1 : 0

  name        = "${var.name}-client-vpn"
  description = "Client VPN of ${var.name}: operators into the VPC"
  vpc_id      = var.client_vpn.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-client-vpn" })
}

resource "aws_vpc_security_group_egress_rule" "client_vpn" {
  count = local.client_vpn ? 1 : 0

  security_group_id = aws_security_group.client_vpn[0].id
  description       = "Operators to the VPC"
  ip_protocol       = "-1"
  cidr_ipv4         = data.aws_vpc.client_vpn[0].cidr_block
}

resource "aws_ec2_client_vpn_endpoint" "this" {
  count = local.client_vpn ? 1 : 0

  description            = "Operators of ${var.name}"
  server_certificate_arn = var.client_vpn.server_certificate_arn
  client_cidr_block      = var.client_vpn.client_cidr_block
  vpc_id                 = var.client_vpn.vpc_id
  security_group_ids     = [aws_security_group.client_vpn[0].id]
  split_tunnel           = var.client_vpn.split_tunnel
  transport_protocol     = "udp"
  session_timeout_hours  = 8
  # The VPC's resolver, so private zone names resolve for operators.
  dns_servers = [cidrhost(data.aws_vpc.client_vpn[0].cidr_block, 2)]

  authentication_options {
    type                       = "certificate-authentication"
    root_certificate_chain_arn = var.client_vpn.client_root_certificate_arn
  }

  connection_log_options {
    enabled               = true
    cloudwatch_log_group  = aws_cloudwatch_log_group.client_vpn[0].name
    cloudwatch_log_stream = aws_cloudwatch_log_stream.client_vpn[0].name
  }

  tags = merge(var.tags, { Name = "${var.name}-client-vpn" })
}

resource "aws_ec2_client_vpn_network_association" "this" {
  # Keyed by position: subnet IDs may be known only after apply.
  for_each = local.client_vpn ? { for i, id in var.client_vpn.subnet_ids : tostring(i) => id } : {}

  client_vpn_endpoint_id = aws_ec2_client_vpn_endpoint.this[0].id
  subnet_id              = each.value
}

resource "aws_ec2_client_vpn_authorization_rule" "vpc" {
  count = local.client_vpn ? 1 : 0

  client_vpn_endpoint_id = aws_ec2_client_vpn_endpoint.this[0].id
  target_network_cidr    = data.aws_vpc.client_vpn[0].cidr_block
  authorize_all_groups   = true
  description            = "Every authenticated operator reaches the VPC"
}
