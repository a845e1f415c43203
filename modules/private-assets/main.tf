# Private content behind CloudFront: a bucket nobody reaches but the
# distribution (origin access control), encrypted with a key only the
# distribution may decrypt with, TLS-only, versioned; served only through
# signed URLs unless the content is public on purpose; WAF and access logs on
# the distribution.

data "aws_caller_identity" "current" {}

locals {
  # AWS managed policies: CachingOptimized and SecurityHeadersPolicy.
  caching_optimized_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  security_headers_policy_id  = "67f7725c-6f97-4210-82d7-5512b31e9d03"
  distribution_arn            = "arn:aws:cloudfront::${data.aws_caller_identity.current.account_id}:distribution/${aws_cloudfront_distribution.this.id}"
  # SSE-KMS objects need the caller's Decrypt and GenerateDataKey, through S3
  # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms).
  key_role_grants = length(var.key_user_role_arns) == 0 ? [] : [{
    sid         = "ObjectUsersThroughS3"
    role_arns   = sort(distinct(var.key_user_role_arns))
    actions     = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncrypt*", "kms:DescribeKey"]
    via_service = "s3"
  }]
}

module "kms" {
  source = "../kms-key"

  description = "Content bucket ${var.bucket_name}"
  service_grants = [{
    sid     = "DistributionDecrypts"
    service = "cloudfront.amazonaws.com"
    actions = ["kms:Decrypt"]
    conditions = [{
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.distribution_arn]
    }]
  }]
  role_grants = local.key_role_grants
  tags        = var.tags
}

module "content" {
  source = "../private-bucket"

  bucket_name       = var.bucket_name
  kms_key_arn       = module.kms.key_arn
  force_destroy     = var.force_destroy
  access_log_bucket = { bucket = module.logs.bucket_name, prefix = "s3/" }
  policy_statements = [{
    sid        = "DistributionReads"
    principals = [{ type = "Service", identifiers = ["cloudfront.amazonaws.com"] }]
    actions    = ["s3:GetObject"]
    conditions = [{ test = "StringEquals", variable = "aws:SourceArn", values = [local.distribution_arn] }]
  }]
  tags = var.tags
}

################################################################################
# Logs and WAF
################################################################################

module "logs" {
  source = "../private-bucket"

  bucket_name             = "${var.name}-logs-${data.aws_caller_identity.current.account_id}"
  expiration_days         = var.log_retention_days
  cloudfront_log_delivery = true
  force_destroy           = var.force_destroy
  policy_statements = [{
    sid        = "S3ServerAccessLogs"
    principals = [{ type = "Service", identifiers = ["logging.s3.amazonaws.com"] }]
    actions    = ["s3:PutObject"]
    key_prefix = "s3/"
  }]
  tags = var.tags
}

module "web_acl" {
  source    = "../web-acl"
  providers = { aws = aws.us_east_1 }

  name       = var.name
  scope      = "CLOUDFRONT"
  rate_limit = var.waf_rate_limit
  tags       = var.tags
}

################################################################################
# Distribution
################################################################################

resource "aws_cloudfront_origin_access_control" "this" {
  name                              = var.name
  description                       = "CloudFront ${var.name} reads ${var.bucket_name}"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_public_key" "this" {
  count = var.public_content || var.signed_urls_public_key_pem == null ? 0 : 1

  # No comment: the emulator drops it, and it would be the only drift.
  name        = var.name
  encoded_key = var.signed_urls_public_key_pem
}

resource "aws_cloudfront_key_group" "this" {
  count = length(aws_cloudfront_public_key.this)

  name  = var.name
  items = [aws_cloudfront_public_key.this[0].id]
}

resource "aws_cloudfront_distribution" "this" {
  comment             = var.name
  enabled             = true
  is_ipv6_enabled     = true
  http_version        = "http2and3"
  price_class         = var.price_class
  aliases             = var.aliases
  default_root_object = var.default_root_object
  web_acl_id          = module.web_acl.web_acl_arn

  origin {
    origin_id                = "s3"
    domain_name              = module.content.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.this.id
  }

  default_cache_behavior {
    target_origin_id           = "s3"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.caching_optimized_policy_id
    response_headers_policy_id = local.security_headers_policy_id
    trusted_key_groups         = aws_cloudfront_key_group.this[*].id
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = var.certificate_arn == null
    acm_certificate_arn            = var.certificate_arn
    ssl_support_method             = var.certificate_arn == null ? null : "sni-only"
    minimum_protocol_version       = var.certificate_arn == null ? "TLSv1" : "TLSv1.2_2021"
  }

  logging_config {
    bucket          = module.logs.bucket_domain_name
    prefix          = "cloudfront/"
    include_cookies = false
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.public_content || var.signed_urls_public_key_pem != null
      error_message = "signed_urls_public_key_pem is required unless public_content = true: without signed URLs the distribution serves the private bucket to anyone."
    }
  }
}
