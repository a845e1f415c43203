output "alb_arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the load balancer, for CloudWatch metrics."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "alb_security_group_id" {
  description = "Security group of the load balancer; targets admit traffic from it."
  value       = aws_security_group.alb.id
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener that web services add their rules to."
  value       = aws_lb_listener.https.arn
}

output "certificate_arn" {
  description = "ARN of the (validated) certificate of the HTTPS listener."
  value       = local.certificate_arn
}

output "web_acl_arn" {
  description = "ARN of the WAF web ACL associated with the load balancer."
  value       = module.web_acl.web_acl_arn
}

output "access_logs_bucket_name" {
  description = "Bucket of the ALB access logs."
  value       = module.access_logs.bucket_name
}
