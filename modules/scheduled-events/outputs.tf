output "role_arn" {
  description = "ARN of the role the schedules send with; admit it in the queue's policy."
  value       = module.role.role_arn
}

output "schedule_arns" {
  description = "Schedule ARNs by name."
  value       = { for name, schedule in aws_scheduler_schedule.this : name => schedule.arn }
}

output "schedule_group_name" {
  description = "Name of the schedule group."
  value       = aws_scheduler_schedule_group.this.name
}
