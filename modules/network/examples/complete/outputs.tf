output "vpc_id" {
  description = "ID of the managed VPC."
  value       = module.managed.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets of the managed VPC."
  value       = module.managed.private_subnet_ids
}

output "public_subnet_ids" {
  description = "Public subnets of the managed VPC."
  value       = module.managed.public_subnet_ids
}

output "imported_vpc_id" {
  description = "The imported VPC, as looked up."
  value       = try(module.imported[0].vpc_id, null)
}

output "imported_private_subnet_ids" {
  description = "Private subnets found in the imported VPC."
  value       = try(module.imported[0].private_subnet_ids, [])
}

output "imported_public_subnet_ids" {
  description = "Public subnets found in the imported VPC."
  value       = try(module.imported[0].public_subnet_ids, [])
}

output "flow_log_group_name" {
  description = "Flow log group of the managed VPC."
  value       = module.managed.flow_log_group_name
}

output "private_zone_id" {
  description = "Private zone attached to the VPC."
  value       = module.managed.private_zone_id
}
