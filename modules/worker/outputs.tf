output "queue_url" {
  description = "URL of the worker queue (`COPILOT_QUEUE_URI`)."
  value       = calinks_worker_pipeline.this.queue_url
}

output "queue_arn" {
  description = "ARN of the worker queue."
  value       = calinks_worker_pipeline.this.queue_arn
}

output "dead_letter_queue_url" {
  description = "URL of the dead-letter queue."
  value       = calinks_worker_pipeline.this.dead_letter_queue_url
}

output "dead_letter_queue_arn" {
  description = "ARN of the dead-letter queue."
  value       = calinks_worker_pipeline.this.dead_letter_queue_arn
}

output "service_arn" {
  description = "ARN of the worker's ECS service."
  value       = calinks_worker_pipeline.this.service_arn
}

output "subscription_arns" {
  description = "SNS subscription ARNs by topic name."
  value       = calinks_worker_pipeline.this.subscription_arns
}

output "task_role_arn" {
  description = "ARN of the worker's task role."
  value       = module.task.task_role_arn
}

output "security_group_id" {
  description = "Security group of the worker's tasks."
  value       = module.task.security_group_id
}

output "log_group_name" {
  description = "Container log group."
  value       = module.task.log_group_name
}

output "environment_variables" {
  description = "The Copilot variables injected into the worker; hand them to CI when it owns the task definition."
  value       = calinks_worker_pipeline.this.environment_variables
}

output "alarm_arns" {
  description = "ARNs of the dead-letter and oldest-message alarms."
  value       = [aws_cloudwatch_metric_alarm.dead_letter_queue_not_empty.arn, aws_cloudwatch_metric_alarm.oldest_message_age.arn]
}

output "execution_role_arn" {
  description = "ARN of the worker's execution role (image pull, logs, secrets)."
  value       = module.task.execution_role_arn
}

output "content_based_deduplication" {
  description = "Whether the queue deduplicates by content (the setting, known at plan time)."
  value       = var.content_based_deduplication
}
