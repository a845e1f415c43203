output "schedule_arn" {
  description = "The job's schedule."
  value       = module.job.schedule_arn
}

output "task_definition_arn" {
  description = "The job's task definition."
  value       = module.job.task_definition_arn
}

output "run_task_command" {
  description = "How to run the job by hand."
  value       = module.job.run_task_command
}

output "cluster_arn" {
  description = "Cluster of the job."
  value       = module.cluster.cluster_arn
}
