output "url" {
  description = "URL of the site."
  value       = "https://${var.domain_name}/"
}

output "bucket_name" {
  description = "Bucket to upload the content to."
  value       = module.site.bucket_name
}

output "distribution_id" {
  description = "ID of the distribution (for invalidations)."
  value       = module.site.distribution_id
}

output "certificate_arn" {
  description = "ARN of the site's certificate in us-east-1."
  value       = module.certificate.certificate_arn
}
