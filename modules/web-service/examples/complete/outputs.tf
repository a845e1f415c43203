output "cluster_name" {
  description = "Cluster of the services."
  value       = module.cluster.cluster_name
}

output "web_task_definition_arn" {
  description = "Task definition of the web service."
  value       = module.web.task_definition_arn
}

output "web_target_group_arn" {
  description = "Target group of the web service."
  value       = module.web.target_group_arn
}

output "web_security_group_id" {
  description = "Security group of the web service's tasks."
  value       = module.web.security_group_id
}

output "alb_security_group_id" {
  description = "Security group of the load balancer."
  value       = module.edge.alb_security_group_id
}
