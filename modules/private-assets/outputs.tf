output "bucket_name" {
  description = "Name of the content bucket."
  value       = module.content.bucket_name
}

output "bucket_arn" {
  description = "ARN of the content bucket."
  value       = module.content.bucket_arn
}

output "distribution_id" {
  description = "ID of the CloudFront distribution."
  value       = aws_cloudfront_distribution.this.id
}

output "distribution_arn" {
  description = "ARN of the CloudFront distribution."
  value       = aws_cloudfront_distribution.this.arn
}

output "distribution_domain_name" {
  description = "CloudFront domain name of the distribution."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "distribution_hosted_zone_id" {
  description = "Route53 zone ID for alias records to the distribution."
  value       = aws_cloudfront_distribution.this.hosted_zone_id
}

output "key_group_id" {
  description = "Key group whose keys sign URLs; null for public content."
  value       = one(aws_cloudfront_key_group.this[*].id)
}

output "public_key_id" {
  description = "ID of the public key: the Key-Pair-Id of every signed URL; null for public content."
  value       = one(aws_cloudfront_public_key.this[*].id)
}

output "kms_key_arn" {
  description = "KMS key of the content bucket; uploaders need kms:GenerateDataKey on it."
  value       = module.kms.key_arn
}

output "web_acl_arn" {
  description = "ARN of the distribution's web ACL (us-east-1)."
  value       = module.web_acl.web_acl_arn
}
