mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  bucket_name = "calinks-test-logs"
}

run "private_expiring_tls_only" {
  command = plan

  variables {
    expiration_days = 90
  }

  assert {
    condition     = aws_s3_bucket_public_access_block.this.block_public_acls && aws_s3_bucket_public_access_block.this.block_public_policy && aws_s3_bucket_public_access_block.this.ignore_public_acls && aws_s3_bucket_public_access_block.this.restrict_public_buckets
    error_message = "the log bucket blocks all public access"
  }
  assert {
    condition     = one(aws_s3_bucket_lifecycle_configuration.this[0].rule).expiration[0].days == 90
    error_message = "logs expire"
  }
  assert {
    condition     = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership == "BucketOwnerEnforced" && length(aws_s3_bucket_acl.cloudfront_log_delivery) == 0
    error_message = "without CloudFront delivery, ACLs stay disabled"
  }
}

run "cloudfront_delivery" {
  command = plan

  variables {
    cloudfront_log_delivery = true
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership == "BucketOwnerPreferred" && length(aws_s3_bucket_acl.cloudfront_log_delivery) == 1
    error_message = "CloudFront delivery needs the ACL grant"
  }
}

run "kms_content_read_by_a_distribution" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:ap-northeast-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    policy_statements = [{
      sid        = "DistributionReads"
      principals = [{ type = "Service", identifiers = ["cloudfront.amazonaws.com"] }]
      actions    = ["s3:GetObject"]
      conditions = [{ test = "StringEquals", variable = "aws:SourceArn", values = ["arn:aws:cloudfront::123456789012:distribution/E1"] }]
    }]
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms" && aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "content is KMS-encrypted and versioned"
  }
  assert {
    condition     = length(aws_s3_bucket_lifecycle_configuration.this) == 0
    error_message = "content does not expire"
  }
  assert {
    condition     = [for s in data.aws_iam_policy_document.this.statement : s.sid] == ["DistributionReads", "DenyInsecureTransport"]
    error_message = "the policy admits the distribution and denies plain HTTP"
  }
}
