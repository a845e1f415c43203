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

  # https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
  validation {
    condition = var.task_definition == null || try(contains(lookup({
      256   = [512, 1024, 2048]
      512   = range(1024, 4097, 1024)
      1024  = range(2048, 8193, 1024)
      2048  = range(4096, 16385, 1024)
      4096  = range(8192, 30721, 1024)
      8192  = range(16384, 61441, 4096)
      16384 = range(32768, 122881, 8192)
    }, var.task_definition.cpu, []), var.task_definition.memory), false)
    error_message = "task_definition cpu and memory must be a Fargate size: cpu 256 takes memory 512, 1024 or 2048; 512 takes 1024-4096; 1024 takes 2048-8192; 2048 takes 4096-16384 (1024 steps); 4096 takes 8192-30720 (1024 steps); 8192 takes 16384-61440 (4096 steps); 16384 takes 32768-122880 (8192 steps)."
  }
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
  description = "SNS topics the task publishes to, by topic name."
  type        = map(string)
  default     = {}
}

variable "topic_kms_key_arn" {
  description = "KMS key of publish_topic_arns; the task may generate data keys with it."
  type        = string
  default     = null
}

variable "data_access" {
  description = <<-EOT
    What the application may use besides its topics: DynamoDB tables (with their indexes and streams) and the customer managed key that encrypts them (used through DynamoDB only); the database users it may connect as through RDS Proxy with IAM authentication (`rds-db:connect` ARNs); S3 object ARNs it reads and writes and the key of their bucket (used through S3 only); SES identities it sends mail from.
  EOT
  type = object({
    dynamodb_table_arns  = optional(list(string), [])
    dynamodb_kms_key_arn = optional(string)
    database_user_arns   = optional(list(string), [])
    bucket_object_arns   = optional(list(string), [])
    bucket_kms_key_arn   = optional(string)
    ses_identity_arns    = optional(list(string), [])
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for arn in var.data_access.database_user_arns : can(regex("^arn:aws[a-z-]*:rds-db:[a-z0-9-]+:[0-9]{12}:dbuser:[A-Za-z0-9-]+/[^/]+$", arn))])
    error_message = "data_access.database_user_arns must be rds-db:connect ARNs, arn:aws:rds-db:<region>:<account>:dbuser:<proxy resource id>/<user> (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-iam.html)."
  }
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
