mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  bucket_name = "calinks-test-logs"
}

run "private_expiring_tls_only" {
  command = plan

  assert {
    condition     = aws_s3_bucket_public_access_block.this.block_public_acls && aws_s3_bucket_public_access_block.this.block_public_policy && aws_s3_bucket_public_access_block.this.ignore_public_acls && aws_s3_bucket_public_access_block.this.restrict_public_buckets
    error_message = "the log bucket blocks all public access"
  }
  assert {
    condition     = one(aws_s3_bucket_lifecycle_configuration.this.rule).expiration[0].days == 90
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
