output "table_names" {
  description = "The tables."
  value       = module.dynamodb.table_names
}

output "kms_key_arn" {
  description = "KMS key of the tables."
  value       = module.dynamodb.kms_key_arn
}
