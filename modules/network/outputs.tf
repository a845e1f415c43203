output "vpc_id" {
  description = "ID of the VPC, managed or imported."
  value       = local.vpc_id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  value       = local.vpc_cidr_block
}

output "vpc_managed" {
  description = "Whether this module manages the VPC (false: imported)."
  value       = local.managed
}

output "private_subnet_ids" {
  description = "IDs of the private subnets (tasks, databases, caches)."
  value       = local.private_subnet_ids
}

output "public_subnet_ids" {
  description = "IDs of the public subnets (load balancers, NAT gateways)."
  value       = local.public_subnet_ids
}

output "nat_public_ips" {
  description = "Public IPs of the managed NAT gateways; empty for an imported VPC."
  value       = [for eip in aws_eip.nat : eip.public_ip]
}

output "flow_log_group_name" {
  description = "CloudWatch log group of the VPC flow logs; null for an imported VPC."
  value       = one(aws_cloudwatch_log_group.flow_logs[*].name)
}

output "private_zone_id" {
  description = "ID of the private hosted zone; null when private_zone_name is null."
  value       = one(aws_route53_zone.private[*].zone_id)
}

output "private_zone_name" {
  description = "Name of the private hosted zone; null when private_zone_name is null."
  value       = one(aws_route53_zone.private[*].name)
}
