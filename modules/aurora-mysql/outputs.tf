output "cluster_arn" {
  description = "ARN of the Aurora cluster."
  value       = aws_rds_cluster.this.arn
}

output "cluster_identifier" {
  description = "Identifier of the Aurora cluster."
  value       = aws_rds_cluster.this.cluster_identifier
}

output "proxy_endpoint" {
  description = "Endpoint of RDS Proxy (TLS required)."
  value       = aws_db_proxy.this.endpoint
}

output "database_host" {
  description = "The name applications connect to: the private CNAME when there is one, otherwise the proxy endpoint."
  value       = try(aws_route53_record.proxy[0].fqdn, aws_db_proxy.this.endpoint)
}

output "database_name" {
  description = "Name of the database."
  value       = aws_rds_cluster.this.database_name
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret holding the master credentials (managed and rotated by RDS), for database administrators: no application and not the proxy reads it. For an adopted cluster that keeps its master password, the secret its clients read it from (adopted_cluster.master_secret_arn)."
  value       = local.manage_master_password ? one(aws_rds_cluster.this.master_user_secret[*].secret_arn) : local.adopted.master_secret_arn
}

output "kms_key_arn" {
  description = "KMS key of storage and the master secret."
  value       = local.kms_key_arn
}

output "proxy_security_group_id" {
  description = "Security group of the proxy."
  value       = aws_security_group.proxy.id
}

output "proxy_arn" {
  description = "ARN of the RDS Proxy."
  value       = aws_db_proxy.this.arn
}

output "proxy_role_arn" {
  description = "ARN of the role RDS Proxy assumes to read its secrets."
  value       = module.proxy_role.role_arn
}

output "database_user_arns" {
  description = "Per application user, the resource of its `rds-db:connect` permission: arn:aws:rds-db:<region>:<account>:dbuser:<proxy resource id>/<user>."
  value = {
    for user in var.application_users : user => format("arn:%s:rds-db:%s:%s:dbuser:%s/%s",
      split(":", aws_db_proxy.this.arn)[1], split(":", aws_db_proxy.this.arn)[3], split(":", aws_db_proxy.this.arn)[4],
    split(":", aws_db_proxy.this.arn)[6], user)
  }
}

output "user_secret_arns" {
  description = "Per application user, the secret RDS Proxy reads (never the applications)."
  value       = { for user, secret in aws_secretsmanager_secret.user : user => secret.arn }
}
