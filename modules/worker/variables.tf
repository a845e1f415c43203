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
  description = "Worker name (`COPILOT_SERVICE_NAME`), for example `worker-item`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.name))
    error_message = "name must be 1-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "cluster_arn" {
  description = "ECS cluster of the worker."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the tasks."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the tasks."
  type        = list(string)
}

variable "container" {
  description = "The worker container (task definition ownership `terraform`). Secrets map variable names to Secrets Manager or SSM ARNs."
  type = object({
    image       = string
    command     = optional(list(string))
    cpu         = optional(number, 256)
    memory      = optional(number, 512)
    environment = optional(map(string), {})
    secrets     = optional(map(string), {})
  })
}

variable "subscriptions" {
  description = "SNS FIFO topics the worker's queue subscribes to, keyed by topic name, with an optional filter policy. Workers receive the SNS envelope (no raw delivery), as under Copilot."
  type = map(object({
    topic_arn           = string
    filter_policy       = optional(string)
    filter_policy_scope = optional(string)
  }))
  default = {}
}

variable "sender_role_arns" {
  description = "IAM roles allowed to send to the queue directly, for example EventBridge Scheduler's role."
  type        = list(string)
  default     = []
}

variable "content_based_deduplication" {
  description = "Deduplicate FIFO messages by a hash of their body. Required when a sender gives no deduplication ID, as EventBridge Scheduler does (worker-scheduled)."
  type        = bool
  default     = false
}

variable "max_receive_count" {
  description = "Receives of one message before it moves to the dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be from 1 to 1000."
  }
}

variable "visibility_timeout_seconds" {
  description = "Seconds a received message stays invisible to other tasks."
  type        = number
  default     = 30
}

variable "message_retention_seconds" {
  description = "Seconds the worker queue keeps a message."
  type        = number
  default     = 345600
}

variable "delay_seconds" {
  description = "Seconds the worker queue holds a new message before delivering it (Copilot's `queue.delay`)."
  type        = number
  default     = 0

  validation {
    condition     = var.delay_seconds >= 0 && var.delay_seconds <= 900
    error_message = "delay_seconds must be from 0 to 900."
  }
}

variable "desired_count" {
  description = "Tasks to start with; with autoscaling, the autoscaler owns the count afterwards."
  type        = number
  default     = 1
}

variable "autoscaling" {
  description = "Backlog-per-task autoscaling (target tracking on visible messages / running tasks). Null: a fixed count."
  type = object({
    min_capacity               = optional(number, 1)
    max_capacity               = number
    acceptable_latency_seconds = number
    message_processing_seconds = number
  })
  default = null
}

variable "capacity_provider_strategy" {
  description = "Capacity providers (`FARGATE`, `FARGATE_SPOT`). Empty: launch type FARGATE."
  type = list(object({
    capacity_provider = string
    weight            = number
    base              = optional(number, 0)
  }))
  default = []
}

variable "task_definition_ownership" {
  description = "`terraform` (built from container) or `external` (CI deploys revisions; task_definition_arn is used at creation only)."
  type        = string
  default     = "terraform"

  validation {
    condition     = contains(["terraform", "external"], var.task_definition_ownership)
    error_message = "task_definition_ownership must be terraform or external."
  }
}

variable "task_definition_arn" {
  description = "With task_definition_ownership = external: the revision the service starts with."
  type        = string
  default     = null
}

variable "dead_letter_queue_redrive_allow_policy" {
  description = "Set a redrive-allow policy on the dead-letter queue. Off only for endpoints without the SQS RedriveAllowPolicy attribute."
  type        = bool
  default     = true
}

variable "queue_kms_key_id" {
  description = "ARN of the customer managed KMS key of both queues, for example the `EventsKMSKey` of an adopted Copilot worker (messages already in its queues are encrypted with it). The task role may decrypt with it through SQS; the key policy must let sns.amazonaws.com use it. Null: SQS-managed encryption (SSE-SQS)."
  type        = string
  default     = null

  validation {
    condition     = var.queue_kms_key_id == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.queue_kms_key_id))
    error_message = "queue_kms_key_id must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>): the task role's IAM policy names it."
  }
}

################################################################################
# Adoption of a Copilot worker (docs/migrating-from-copilot.md)
################################################################################

variable "queue_name" {
  description = "Name of an existing worker queue to adopt, for example Copilot's `<app>-<env>-<name>-EventsQueue-<random>.fifo`. Null: `<app>-<environment>-<name>.fifo`."
  type        = string
  default     = null
}

variable "dead_letter_queue_name" {
  description = "Name of an existing dead-letter queue to adopt. Null: the queue name with `-dlq` before `.fifo` (created in place when the adopted worker had none)."
  type        = string
  default     = null
}

variable "service_name" {
  description = "Name of an existing ECS service to adopt, for example Copilot's `<app>-<env>-<name>-Service-<random>`. Null: `name`."
  type        = string
  default     = null
}

variable "additional_consumer_role_arns" {
  description = "Roles that may also receive and delete messages: the task role of the Copilot worker being adopted, so that its tasks keep draining the queue (and a rollback to them still works) until the new deployment replaces them. Empty once the cutover is over."
  type        = list(string)
  default     = []
}

variable "service_discovery_endpoint" {
  description = "Value of `COPILOT_SERVICE_DISCOVERY_ENDPOINT` (Copilot's `<env>.<app>.local`) for workers that read it. Null: not set."
  type        = string
  default     = null
}

variable "secret_kms_key_arns" {
  description = "KMS keys that encrypt the container's secrets, if not the AWS-managed ones."
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

variable "publish_topic_arns" {
  description = "SNS topics the worker publishes to, by topic name."
  type        = map(string)
  default     = {}
}

variable "topic_kms_key_arn" {
  description = "KMS key of publish_topic_arns."
  type        = string
  default     = null
}

variable "enable_execute_command" {
  description = "Allow `aws ecs execute-command` into the tasks."
  type        = bool
  default     = false
}

variable "exec_kms_key_arn" {
  description = "The cluster's execute-command KMS key, with enable_execute_command."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Days to keep container logs."
  type        = number
  default     = 30
}

variable "alarm_topic_arns" {
  description = "SNS topics notified when an alarm fires or clears. Empty: alarms without actions."
  type        = list(string)
  default     = []
}

variable "oldest_message_alarm_seconds" {
  description = "Alarm when the oldest message in the worker queue is older than this."
  type        = number
  default     = 900
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
