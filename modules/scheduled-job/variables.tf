variable "app" {
  description = "Application name (`COPILOT_APPLICATION_NAME`)."
  type        = string
  default     = "calinks"
}

variable "environment" {
  description = "Environment name (`COPILOT_ENVIRONMENT_NAME`)."
  type        = string
}

variable "name" {
  description = "Job name (`COPILOT_SERVICE_NAME`), for example `job-daily-calculate`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.name))
    error_message = "name must be 1-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "cluster_arn" {
  description = "ECS cluster the job runs in."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the job's tasks."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the job's tasks."
  type        = list(string)
}

variable "container" {
  description = "The job container: image, command, variables and secrets (name to Secrets Manager or SSM ARN)."
  type = object({
    image       = string
    command     = optional(list(string))
    environment = optional(map(string), {})
    secrets     = optional(map(string), {})
  })
}

variable "cpu" {
  description = "Task CPU units."
  type        = number
  default     = 256
}

variable "memory" {
  description = "Task memory in MiB."
  type        = number
  default     = 512
}

variable "schedule_expression" {
  description = "When the job runs: `cron(minutes hours day-of-month month day-of-week year)`, `rate(...)` or `at(...)`."
  type        = string

  validation {
    condition     = can(regex("^(cron|rate|at)\\(.+\\)$", var.schedule_expression))
    error_message = "schedule_expression must be cron(...), rate(...) or at(...)."
  }
}

variable "schedule_timezone" {
  description = "Time zone of the schedule expression."
  type        = string
  default     = "Asia/Tokyo"
}

variable "schedule_enabled" {
  description = "Whether the schedule runs the job; off, the job runs only by hand."
  type        = bool
  default     = true
}

variable "retry_attempts" {
  description = "Times EventBridge Scheduler retries starting the task when RunTask fails."
  type        = number
  default     = 3

  validation {
    condition     = var.retry_attempts >= 0 && var.retry_attempts <= 185
    error_message = "retry_attempts must be from 0 to 185."
  }
}

variable "maximum_event_age_seconds" {
  description = "Seconds after the scheduled time during which the scheduler keeps retrying."
  type        = number
  default     = 3600

  validation {
    condition     = var.maximum_event_age_seconds >= 60 && var.maximum_event_age_seconds <= 86400
    error_message = "maximum_event_age_seconds must be from 60 to 86400."
  }
}

variable "secret_kms_key_arns" {
  description = "KMS keys that encrypt the container's secrets, if not the AWS-managed ones; the execution role decrypts through Secrets Manager or SSM only."
  type        = list(string)
  default     = []
}

variable "data_access" {
  description = "What the application may use besides its queue and topics: DynamoDB tables and their key, the database users it connects as through RDS Proxy (IAM authentication), S3 objects and their bucket's key, SES identities. See ecs-task-base."
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
}

variable "log_retention_days" {
  description = "Days to keep the job's logs."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
