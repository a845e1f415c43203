output "role_arn" {
  description = "ARN of the role, known as soon as the role exists (a resource policy may need it before the role's own policies, which may need that resource). Make what uses the role depend on the module to have its policies in place."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}
