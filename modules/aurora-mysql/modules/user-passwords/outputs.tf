output "version_ids" {
  description = "Secret version of each user's generated password."
  value       = { for user, version in aws_secretsmanager_secret_version.this : user => version.version_id }
}
