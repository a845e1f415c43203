variable "name" {
  description = "Name prefix, for example `calinks-staging`; the schedule group and role are named after it."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "queue_arn" {
  description = "ARN of the FIFO queue the schedules send to (worker-scheduled's queue)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:.+\\.fifo$", var.queue_arn))
    error_message = "queue_arn must be the ARN of a FIFO queue (name ending in .fifo)."
  }
}

variable "queue_content_based_deduplication" {
  description = "Whether the queue deduplicates by content. EventBridge Scheduler sends a FIFO message with a message group but no deduplication ID (SqsParameters holds MessageGroupId only), so a FIFO queue must deduplicate by content or refuses every message: https://docs.aws.amazon.com/scheduler/latest/APIReference/API_SqsParameters.html"
  type        = bool
}

variable "queue_kms_key_arn" {
  description = "KMS key of the queue when it is encrypted with a customer managed key. Null: SSE-SQS."
  type        = string
  default     = null
}

variable "schedules" {
  description = "Schedules by name: when (`cron(...)`, `rate(...)`), the message body sent, and its message group (FIFO order is kept per group)."
  type = map(object({
    schedule_expression = string
    message_body        = string
    message_group_id    = string
    timezone            = optional(string, "Asia/Tokyo")
    enabled             = optional(bool, true)
  }))

  validation {
    condition     = alltrue([for s in values(var.schedules) : can(regex("^(cron|rate|at)\\(.+\\)$", s.schedule_expression))])
    error_message = "every schedule_expression must be cron(...), rate(...) or at(...)."
  }
  validation {
    condition     = alltrue([for s in values(var.schedules) : length(s.message_group_id) >= 1 && length(s.message_group_id) <= 128])
    error_message = "every message_group_id must be 1-128 characters: a FIFO queue accepts no message without one."
  }
  validation {
    condition     = alltrue([for name in keys(var.schedules) : can(regex("^[A-Za-z0-9_.-]{1,64}$", name))])
    error_message = "schedule names must be 1-64 letters, digits, dots, hyphens or underscores."
  }
}

variable "retry_attempts" {
  description = "Times the scheduler retries a failed send."
  type        = number
  default     = 3
}

variable "tags" {
  description = "Tags of the role and the schedule group."
  type        = map(string)
  default     = {}
}
