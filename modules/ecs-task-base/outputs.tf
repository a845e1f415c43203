output "task_role_arn" {
  description = "ARN of the task role, once its policies are attached: a service started on it can use them from its first task (an adopted worker's queue key, above all)."
  value       = aws_iam_role.task.arn
  depends_on  = [aws_iam_role_policy.task, aws_iam_role_policy.additional]
}

output "task_role_name" {
  description = "Name of the task role, to attach further policies to."
  value       = aws_iam_role.task.name
}

output "execution_role_arn" {
  description = "ARN of the execution role. Depends on its managed policy attachment, so tasks started with it can pull and log."
  value       = aws_iam_role.execution.arn

  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.execution_secrets]
}

output "log_group_name" {
  description = "Name of the container log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the container log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "security_group_id" {
  description = "Security group of the tasks; data stores admit traffic from it."
  value       = aws_security_group.this.id
}

output "task_definition_arn" {
  description = "ARN (with revision) of the registered task definition; null without task_definition."
  value       = one(aws_ecs_task_definition.this[*].arn)
}

output "task_definition_family_arn" {
  description = "ARN without revision of the registered task definition; null without task_definition."
  value       = one(aws_ecs_task_definition.this[*].arn_without_revision)
}

output "container_definitions" {
  description = "Container definitions (JSON) of the registered task definition; null without task_definition."
  value       = one(aws_ecs_task_definition.this[*].container_definitions)
}

output "copilot_sns_topic_arns" {
  description = "Value of Copilot's `COPILOT_SNS_TOPIC_ARNS`: the topic ARNs as JSON, keyed by topic name with `.fifo` for FIFO topics, as Copilot keys them (manifest `publish.topics`). Null without topics."
  value       = length(var.publish_topic_arns) == 0 ? null : jsonencode({ for name, arn in var.publish_topic_arns : (endswith(arn, ".fifo") ? "${name}.fifo" : name) => arn })
}
