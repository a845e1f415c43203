output "topic_arn" {
  description = "The item topic."
  value       = aws_sns_topic.item.arn
}

output "queue_url" {
  description = "The worker's queue."
  value       = module.worker.queue_url
}

output "dead_letter_queue_url" {
  description = "The worker's dead-letter queue."
  value       = module.worker.dead_letter_queue_url
}

output "subscription_arns" {
  description = "The worker's subscriptions."
  value       = module.worker.subscription_arns
}

output "task_role_arn" {
  description = "The worker's task role."
  value       = module.worker.task_role_arn
}

output "alarm_arns" {
  description = "The worker's alarms."
  value       = module.worker.alarm_arns
}

output "cluster_name" {
  description = "Cluster of the worker."
  value       = module.cluster.cluster_name
}
