variable "region" {
  description = "AWS region."
  type        = string
  default     = "ap-northeast-1"
}

variable "app" {
  description = "Application name, as Copilot's."
  type        = string
  default     = "calinks"
}

variable "environment" {
  description = "Environment name."
  type        = string
  default     = "demo"
}

variable "aws_max_retries" {
  description = "Retries of one AWS API call. Keep the providers' default against AWS; 1 against an emulator that answers unimplemented APIs with HTTP 500."
  type        = number
  default     = 25
}

variable "redrive_allow_policy_enabled" {
  description = "Set a redrive-allow policy on the dead-letter queue. The local emulator does not know that SQS attribute."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags of every resource (a test run adds calinks:test)."
  type        = map(string)
  default     = {}
}
