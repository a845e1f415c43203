output "certificate_arn" {
  description = "ARN of the certificate, once validated."
  value       = aws_acm_certificate_validation.this.certificate_arn
}
