variable "name" {
  description = "Name of the task, for example `calinks-staging-worker-item`; roles are `<name>-task` and `<name>-execution`, the log group `/copilot/<name>`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,53}$", var.name))
    error_message = "name must be 1-54 letters, digits or hyphens (IAM role names are limited to 64 characters)."
  }
}

variable "vpc_id" {
  description = "VPC of the task's security group."
  type        = string
}

variable "ingress" {
  description = "Admit TCP on `port` from the security group `source_security_group_id` (a load balancer). Null: no ingress."
  type = object({
    port                     = number
    source_security_group_id = string
  })
  default = null
}

variable "egress_cidr_blocks" {
  description = "Where the task may open HTTPS connections (AWS APIs and other services, through NAT)."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "task_definition" {
  description = "Register a Fargate task definition with these sizes and containers (ECS container definitions, each given this module's log configuration), run with this module's roles. Null: none (the caller registers its own)."
  type = object({
    cpu        = number
    memory     = number
    containers = any
  })
  default = null
}

variable "log_retention_days" {
  description = "Days to keep the container logs."
  type        = number
  default     = 30
}

variable "log_kms_key_arn" {
  description = "KMS key of the log group. Null: CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "secret_arns" {
  description = "Secrets Manager secrets or SSM parameters the execution role may read to inject as container secrets."
  type        = list(string)
  default     = []
}

variable "secret_kms_key_arns" {
  description = "KMS keys that encrypt secret_arns, if not the AWS-managed ones."
  type        = list(string)
  default     = []
}

variable "publish_topic_arns" {
  description = "SNS topics the task publishes to."
  type        = list(string)
  default     = []
}

variable "topic_kms_key_arn" {
  description = "KMS key of publish_topic_arns; the task may generate data keys with it."
  type        = string
  default     = null
}

variable "dynamodb_table_arns" {
  description = "DynamoDB tables the task reads and writes (with their indexes and streams)."
  type        = list(string)
  default     = []
}

variable "enable_execute_command" {
  description = "Let `aws ecs execute-command` open sessions into the task (SSM messages channels)."
  type        = bool
  default     = false
}

variable "exec_kms_key_arn" {
  description = "With enable_execute_command: the cluster's execute-command KMS key."
  type        = string
  default     = null
}

variable "additional_task_policy_json" {
  description = "A further IAM policy document for the task role. Null: none."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
