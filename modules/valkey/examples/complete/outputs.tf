output "endpoint_address" {
  description = "Primary endpoint of the cache."
  value       = module.valkey.endpoint_address
}

output "cache_arn" {
  description = "ARN of the cache."
  value       = module.valkey.cache_arn
}
