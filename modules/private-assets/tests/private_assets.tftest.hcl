mock_provider "aws" {
  source = "../../test/mocks/aws"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "../../test/mocks/aws"
}

variables {
  name                       = "calinks-staging-private-static"
  bucket_name                = "calinks-staging-private-static"
  signed_urls_public_key_pem = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0\n-----END PUBLIC KEY-----\n"
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
    condition     = tolist(aws_cloudfront_distribution.this.default_cache_behavior[0].trusted_key_groups) == tolist([aws_cloudfront_key_group.this[0].id])
    error_message = "every viewer request needs a URL signed by the key group"
  }
}

run "refuses_unsigned_content" {
  command = plan

  variables {
    signed_urls_public_key_pem = null
  }

  expect_failures = [aws_cloudfront_distribution.this]
}

run "public_content_unsigned" {
  command = plan

  variables {
    signed_urls_public_key_pem = null
    public_content             = true
  }

  assert {
    condition     = length(aws_cloudfront_key_group.this) == 0 && length(aws_cloudfront_distribution.this.default_cache_behavior[0].trusted_key_groups) == 0
    error_message = "public content is served unsigned, on purpose only"
  }
}

run "rejects_regional_certificate" {
  command = plan

  variables {
    certificate_arn = "arn:aws:acm:ap-northeast-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  }

  expect_failures = [var.certificate_arn]
}

# Copilot's task roles keep reading and writing an adopted bucket: its key
# admits them through S3 only, with what SSE-KMS needs of a caller
# (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms).
run "key_users_through_s3_only" {
  command = plan

  variables {
    key_user_role_arns = ["arn:aws:iam::123456789012:role/calinks-staging-pos-web-app-TaskRole-1A2B3C4D5E6F", "arn:aws:iam::123456789012:role/calinks-staging-pos-web-app-TaskRole-1A2B3C4D5E6F"]
  }

  assert {
    condition = [for g in local.key_role_grants : "${g.sid}:${join(",", g.role_arns)}:${join(",", g.actions)}:via:${g.via_service}"] == [
      "ObjectUsersThroughS3:arn:aws:iam::123456789012:role/calinks-staging-pos-web-app-TaskRole-1A2B3C4D5E6F:kms:Decrypt,kms:Encrypt,kms:GenerateDataKey,kms:ReEncrypt*,kms:DescribeKey:via:s3",
    ]
    error_message = "the Copilot role is granted the content key once, through S3 only"
  }
}
