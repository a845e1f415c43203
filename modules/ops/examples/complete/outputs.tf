output "alarm_topic_arn" {
  description = "The alarm topic."
  value       = module.ops.alarm_topic_arn
}

output "ses_identity_arn" {
  description = "The SES domain identity."
  value       = module.ops.ses_identity_arn
}

output "client_vpn_endpoint_id" {
  description = "The Client VPN endpoint, when on."
  value       = module.ops.client_vpn_endpoint_id
}
