output "url" {
  description = "URL of the site."
  value       = "https://${var.domain_name}/"
}

output "bucket_name" {
  description = "Bucket to upload the content to."
  value       = module.site.bucket_name
}

output "bucket_arn" {
  description = "ARN of the content bucket."
  value       = module.site.bucket_arn
}

output "kms_key_arn" {
  description = "ARN of the key that encrypts the content."
  value       = module.site.kms_key_arn
}

output "distribution_arn" {
  description = "ARN of the distribution, the only reader of the bucket (origin access control)."
  value       = module.site.distribution_arn
}

output "distribution_id" {
  description = "ID of the distribution (for invalidations)."
  value       = module.site.distribution_id
}

output "certificate_arn" {
  description = "ARN of the site's certificate in us-east-1."
  value       = module.certificate.certificate_arn
}
