output "web_acl_arn" {
  description = "ARN of the web ACL (for an association, or CloudFront's web_acl_id)."
  value       = aws_wafv2_web_acl.this.arn
}

output "log_group_name" {
  description = "Log group of the WAF logs."
  value       = aws_cloudwatch_log_group.waf.name
}
