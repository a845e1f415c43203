mock_provider "aws" {
  source = "../../test/mocks/aws"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "../../test/mocks/aws"
}

variables {
  name        = "calinks-staging-private-static"
  bucket_name = "calinks-staging-private-static"
}

run "private_bucket_behind_oac" {
  command = apply

  assert {
    condition     = one(aws_cloudfront_distribution.this.origin).origin_access_control_id == aws_cloudfront_origin_access_control.this.id && aws_cloudfront_origin_access_control.this.signing_behavior == "always"
    error_message = "CloudFront reads the bucket through origin access control"
  }
  assert {
    condition     = aws_cloudfront_distribution.this.comment == "calinks-staging-private-static" && aws_cloudfront_distribution.this.default_cache_behavior[0].viewer_protocol_policy == "redirect-to-https"
    error_message = "the private-static distribution serves HTTPS only"
  }
  assert {
    condition     = aws_cloudfront_distribution.this.web_acl_id == module.web_acl.web_acl_arn && one(aws_cloudfront_distribution.this.logging_config).prefix == "cloudfront/"
    error_message = "the distribution has a web ACL and access logs"
  }
  assert {
    condition     = length(aws_cloudfront_key_group.this) == 0 && length(aws_cloudfront_distribution.this.default_cache_behavior[0].trusted_key_groups) == 0
    error_message = "without a public key the content is served unsigned"
  }
}

run "signed_urls" {
  command = plan

  variables {
    signed_urls_public_key_pem = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0\n-----END PUBLIC KEY-----\n"
  }

  assert {
    condition     = length(aws_cloudfront_key_group.this) == 1
    error_message = "a public key makes a key group that must sign URLs"
  }
}

run "rejects_regional_certificate" {
  command = plan

  variables {
    certificate_arn = "arn:aws:acm:ap-northeast-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  }

  expect_failures = [var.certificate_arn]
}
