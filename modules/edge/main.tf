# The environment's internet entry: an HTTPS-only ALB (HTTP redirects) with an
# ACM certificate, access logs and a WAFv2 web ACL. Web services attach their
# own target groups and host/path rules to the HTTPS listener (web-service
# module), because ECS refuses a target group that no listener uses yet.

data "aws_caller_identity" "current" {}
data "aws_elb_service_account" "current" {}

################################################################################
# Certificate and DNS
################################################################################

module "certificate" {
  source = "../acm-certificate"
  count  = var.certificate_arn == null ? 1 : 0

  domain_name               = var.domain_name
  subject_alternative_names = var.subject_alternative_names
  zone_id                   = var.zone_id
  tags                      = var.tags
}

locals {
  certificate_arn = var.certificate_arn == null ? module.certificate[0].certificate_arn : var.certificate_arn
}

resource "aws_route53_record" "hostname" {
  for_each = toset(var.hostnames)

  zone_id = var.zone_id
  name    = each.key
  # The record is this module's alone: a create whose answer was lost (the
  # change made, its INSYNC wait failed) is taken over by the next apply
  # instead of failing on "already exists" (found by make faults).
  allow_overwrite = true
  type            = "A"

  alias {
    name                   = try(var.hostnames_served_by.dns_name, aws_lb.this.dns_name)
    zone_id                = try(var.hostnames_served_by.zone_id, aws_lb.this.zone_id)
    evaluate_target_health = true
  }
}

################################################################################
# Access logs
################################################################################

module "access_logs" {
  source = "../private-bucket"

  bucket_name     = "${var.name}-alb-logs-${data.aws_caller_identity.current.account_id}"
  expiration_days = var.access_log_retention_days
  force_destroy   = var.log_buckets_force_destroy
  policy_statements = [{
    sid        = "ElbWritesAccessLogs"
    principals = [{ type = "AWS", identifiers = [data.aws_elb_service_account.current.arn] }]
    actions    = ["s3:PutObject"]
    key_prefix = "AWSLogs/${data.aws_caller_identity.current.account_id}/"
  }]
  tags = var.tags
}

################################################################################
# Load balancer
################################################################################

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Internet-facing ALB of ${var.name}: HTTP and HTTPS in, to the VPC out"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-alb" })
}

resource "aws_vpc_security_group_ingress_rule" "alb" {
  for_each = { for pair in setproduct([80, 443], var.ingress_cidr_blocks) : "${pair[0]}-${pair[1]}" => { port = pair[0], cidr = pair[1] } }

  security_group_id = aws_security_group.alb.id
  description       = each.value.port == 443 ? "HTTPS from clients" : "HTTP from clients, redirected to HTTPS"
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr #trivy:ignore:AVD-AWS-0107 the public entry point of the web apps
}

data "aws_vpc" "this" {
  id = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "alb_to_vpc" {
  security_group_id = aws_security_group.alb.id
  description       = "To targets in the VPC"
  ip_protocol       = "tcp"
  from_port         = 0
  to_port           = 65535
  cidr_ipv4         = data.aws_vpc.this.cidr_block
}

#trivy:ignore:AVD-AWS-0053 the ALB is the internet entry point, guarded by WAF
resource "aws_lb" "this" {
  name                       = "${var.name}-alb"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [aws_security_group.alb.id]
  idle_timeout               = var.idle_timeout
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection

  access_logs {
    bucket  = module.access_logs.bucket_name
    enabled = true
  }

  tags = var.tags

  # The ALB checks at once that it may write to the bucket.
  depends_on = [module.access_logs]
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }

  tags = var.tags
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = local.certificate_arn

  # Requests no service's rule matches.
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "Not Found"
      status_code  = "404"
    }
  }

  tags = var.tags
}

################################################################################
# WAF
################################################################################

module "web_acl" {
  source = "../web-acl"

  name                = "${var.name}-alb"
  scope               = "REGIONAL"
  rate_limit          = var.waf_rate_limit
  managed_rule_groups = var.waf_managed_rule_groups
  log_retention_days  = var.waf_log_retention_days
  log_kms_key_arn     = var.log_kms_key_arn
  tags                = var.tags
}

resource "aws_wafv2_web_acl_association" "alb" {
  resource_arn = aws_lb.this.arn
  web_acl_arn  = module.web_acl.web_acl_arn
}
