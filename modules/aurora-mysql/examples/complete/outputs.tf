output "cluster_identifier" {
  description = "The Aurora cluster."
  value       = module.aurora.cluster_identifier
}

output "database_host" {
  description = "Private name of the proxy."
  value       = module.aurora.database_host
}

output "proxy_endpoint" {
  description = "Endpoint of RDS Proxy."
  value       = module.aurora.proxy_endpoint
}

output "private_zone_id" {
  description = "The private zone of the CNAME."
  value       = module.network.private_zone_id
}
