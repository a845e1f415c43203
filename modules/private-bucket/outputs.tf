output "bucket_name" {
  description = "Name of the bucket, known once its policy and ACL are in place (so services may write to it)."
  value       = aws_s3_bucket.this.id

  depends_on = [aws_s3_bucket_policy.this, aws_s3_bucket_acl.cloudfront_log_delivery]
}

output "bucket_arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the bucket, for a CloudFront origin (known as soon as the bucket exists)."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}

output "bucket_domain_name" {
  description = "Domain name of the bucket, as CloudFront's logging configuration wants it. Known once the bucket accepts logs."
  value       = aws_s3_bucket.this.bucket_domain_name

  depends_on = [aws_s3_bucket_policy.this, aws_s3_bucket_acl.cloudfront_log_delivery]
}
