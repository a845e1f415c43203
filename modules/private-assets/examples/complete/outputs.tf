output "bucket_name" {
  description = "Content bucket."
  value       = module.private_assets.bucket_name
}

output "distribution_id" {
  description = "The distribution."
  value       = module.private_assets.distribution_id
}

output "kms_key_arn" {
  description = "KMS key of the content bucket."
  value       = module.private_assets.kms_key_arn
}

output "web_acl_arn" {
  description = "Web ACL of the distribution."
  value       = module.private_assets.web_acl_arn
}
