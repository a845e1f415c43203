output "cache_arn" {
  description = "ARN of the serverless cache."
  value       = aws_elasticache_serverless_cache.this.arn
}

output "endpoint_address" {
  description = "Host of the primary endpoint (TLS, port 6379)."
  value       = aws_elasticache_serverless_cache.this.endpoint[0].address
}

output "reader_endpoint_address" {
  description = "Host of the reader endpoint (TLS, port 6380)."
  value       = aws_elasticache_serverless_cache.this.reader_endpoint[0].address
}

output "security_group_id" {
  description = "Security group of the cache."
  value       = aws_security_group.this.id
}
