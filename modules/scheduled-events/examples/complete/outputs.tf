output "queue_arn" {
  description = "The queue the schedules send to."
  value       = aws_sqs_queue.scheduled.arn
}

output "schedule_arns" {
  description = "The schedules."
  value       = module.scheduled_events.schedule_arns
}

output "schedule_group_name" {
  description = "Group of the schedules."
  value       = module.scheduled_events.schedule_group_name
}
