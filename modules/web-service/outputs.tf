output "service_name" {
  description = "Name of the ECS service."
  value       = local.service.name
}

output "service_arn" {
  description = "ARN of the ECS service."
  value       = local.service.id
}

output "task_definition_arn" {
  description = "The task definition revision Terraform registered (ownership terraform) or started with (external)."
  value       = local.terraform_owns ? module.task.task_definition_arn : var.task_definition_arn
}

output "task_role_arn" {
  description = "ARN of the task role."
  value       = module.task.task_role_arn
}

output "execution_role_arn" {
  description = "ARN of the execution role."
  value       = module.task.execution_role_arn
}

output "security_group_id" {
  description = "Security group of the tasks."
  value       = module.task.security_group_id
}

output "log_group_name" {
  description = "Container log group."
  value       = module.task.log_group_name
}

output "target_group_arn" {
  description = "ARN of the target group; null without load balancer."
  value       = one(aws_lb_target_group.this[*].arn)
}

output "environment_variables" {
  description = "The Copilot variables the application container receives; hand them to CI when it owns the task definition."
  value       = local.copilot_environment
}

output "nginx_configuration" {
  description = "The nginx server configuration the sidecar starts with (null without a sidecar or with image_configuration)."
  value       = local.module_configures_nginx ? local.nginx_configuration : null
}

output "target_group_name" {
  description = "Name of the target group (its CloudWatch dimension); it changes when the group must be replaced."
  value       = one(aws_lb_target_group.this[*].name)
}
