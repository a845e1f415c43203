output "cluster_name" {
  description = "Name of the cluster."
  value       = module.cluster.cluster_name
}

output "exec_log_group_name" {
  description = "Log group of execute-command sessions."
  value       = module.cluster.exec_log_group_name
}
