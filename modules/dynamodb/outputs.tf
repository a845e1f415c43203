output "table_arns" {
  description = "Table ARNs by table key."
  value       = { for name, table in aws_dynamodb_table.this : name => table.arn }
}

output "table_names" {
  description = "Physical table names by table key."
  value       = { for name, table in aws_dynamodb_table.this : name => table.name }
}

output "stream_arns" {
  description = "Stream ARNs of the tables that have a stream."
  value       = { for name, table in aws_dynamodb_table.this : name => table.stream_arn if var.tables[name].stream_view_type != null }
}

output "kms_key_arn" {
  description = "KMS key of the tables."
  value       = local.kms_key_arn
}
