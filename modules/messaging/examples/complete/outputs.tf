output "topic_arns" {
  description = "Topic ARNs by topic name."
  value       = module.messaging.topic_arns
}

output "publisher_role_arns" {
  description = "The publishers' roles."
  value       = { for name, role in aws_iam_role.publisher : name => role.arn }
}

output "kms_key_arn" {
  description = "KMS key of the topics."
  value       = module.messaging.kms_key_arn
}
