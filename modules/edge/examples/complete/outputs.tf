output "alb_arn" {
  description = "ARN of the load balancer."
  value       = module.edge.alb_arn
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener."
  value       = module.edge.https_listener_arn
}

output "web_acl_arn" {
  description = "ARN of the web ACL."
  value       = module.edge.web_acl_arn
}

output "certificate_arn" {
  description = "ARN of the listener's certificate."
  value       = module.edge.certificate_arn
}

output "zone_id" {
  description = "ID of the example's public zone."
  value       = data.aws_route53_zone.public.zone_id
}
