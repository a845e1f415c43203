output "alarm_topic_arn" {
  description = "ARN of the alarm topic; pass it to every alarm's actions."
  value       = aws_sns_topic.alarms.arn
}

output "chatbot_configuration_arn" {
  description = "ARN of the Chatbot Slack channel configuration; null when off."
  value       = one(aws_chatbot_slack_channel_configuration.this[*].chat_configuration_arn)
}

output "chatbot_role_arn" {
  description = "ARN of the role Chatbot assumes for the Slack channel; null when off."
  value       = one(module.chatbot_role[*].role_arn)
}

output "ses_identity_arn" {
  description = "ARN of the SES domain identity; null without ses_domain."
  value       = one(aws_ses_domain_identity.this[*].arn)
}

output "ses_dns_records" {
  description = "DNS records SES needs (verification, DKIM, MAIL FROM), to publish by hand when public_zone_id is null."
  value       = local.ses_records
}

output "client_vpn_endpoint_id" {
  description = "ID of the Client VPN endpoint; null when off."
  value       = one(aws_ec2_client_vpn_endpoint.this[*].id)
}

output "client_vpn_dns_name" {
  description = "DNS name operators' VPN clients connect to; null when off."
  value       = one(aws_ec2_client_vpn_endpoint.this[*].dns_name)
}

output "kms_key_arn" {
  description = "KMS key of the alarm topic."
  value       = module.kms.key_arn
}
