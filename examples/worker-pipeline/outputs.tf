output "topic_arn" {
  description = "ARN of the item FIFO topic the worker subscribes to."
  value       = aws_sns_topic.item.arn
}

output "queue_url" {
  description = "URL of worker-item's queue (COPILOT_QUEUE_URI)."
  value       = calinks_worker_pipeline.item.queue_url
}

output "dead_letter_queue_url" {
  description = "URL of worker-item's dead-letter queue."
  value       = calinks_worker_pipeline.item.dead_letter_queue_url
}

output "service_arn" {
  description = "ARN of worker-item's ECS service."
  value       = calinks_worker_pipeline.item.service_arn
}

output "environment_variables" {
  description = "The Copilot variables injected into the worker."
  value       = calinks_worker_pipeline.item.environment_variables
}
