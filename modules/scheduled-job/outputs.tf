output "task_definition_arn" {
  description = "ARN of the job's task definition revision."
  value       = module.task.task_definition_arn
}

output "schedule_arn" {
  description = "ARN of the EventBridge Scheduler schedule."
  value       = aws_scheduler_schedule.this.arn
}

output "scheduler_role_arn" {
  description = "ARN of the role the schedule starts the task with."
  value       = module.scheduler_role.role_arn
}

output "task_role_arn" {
  description = "ARN of the job's task role."
  value       = module.task.task_role_arn
}

output "security_group_id" {
  description = "Security group of the job's tasks."
  value       = module.task.security_group_id
}

output "log_group_name" {
  description = "Log group of the job."
  value       = module.task.log_group_name
}

output "run_task_command" {
  description = "The AWS CLI command that runs the job once by hand, exactly as the schedule does."
  value = join(" ", [
    "aws ecs run-task",
    "--cluster ${var.cluster_arn}",
    "--task-definition ${module.task.task_definition_arn}",
    "--launch-type FARGATE",
    "--propagate-tags TASK_DEFINITION",
    "--network-configuration 'awsvpcConfiguration={subnets=[${join(",", var.subnet_ids)}],securityGroups=[${module.task.security_group_id}],assignPublicIp=DISABLED}'",
  ])
}

output "execution_role_arn" {
  description = "ARN of the job's execution role (image pull, logs, secrets)."
  value       = module.task.execution_role_arn
}
