variable "app" {
  description = "Application name, the first part of Copilot's topic names."
  type        = string
  default     = "calinks"
}

variable "environment" {
  description = "Environment name, the second part of Copilot's topic names."
  type        = string
}

variable "topics" {
  description = "FIFO topics by topic name (`item`, `ec-order`, ...), each with the service that publishes to it. The topic is named `{app}-{environment}-{publisher}-{topic}.fifo`, as Copilot named it."
  type = map(object({
    publisher                   = string
    content_based_deduplication = optional(bool, false)
  }))

  validation {
    condition     = alltrue([for name, topic in var.topics : can(regex("^[a-z0-9][a-z0-9-]*$", name)) && can(regex("^[a-z0-9][a-z0-9-]*$", topic.publisher))])
    error_message = "topics keys and publisher names must be lowercase letters, digits and hyphens."
  }
  validation {
    condition     = alltrue([for name, topic in var.topics : length("${var.app}-${var.environment}-${topic.publisher}-${name}.fifo") <= 256])
    error_message = "topic names ({app}-{environment}-{publisher}-{topic}.fifo) must be at most 256 characters."
  }
}

variable "publisher_role_arns" {
  description = "Task role ARN of each publisher named in topics; only that role may publish to its topics."
  type        = map(string)

  validation {
    condition     = alltrue([for arn in values(var.publisher_role_arns) : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "publisher_role_arns values must be IAM role ARNs."
  }
}

variable "additional_publisher_arns" {
  description = "Other principals (IAM role or user ARNs) allowed to publish to every topic, for example an operator role that replays messages."
  type        = list(string)
  default     = []
}

variable "cutover_publisher_role_arns" {
  description = "While an adoption's cutover runs, the task role of each publisher still running under Copilot, by publisher name: it may publish to that publisher's topics and encrypt for them with the module's key (its IAM policies know no such key). Empty once the publishers run here."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.cutover_publisher_role_arns) : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "cutover_publisher_role_arns values must be IAM role ARNs."
  }
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the topics. Null: the module creates one that SNS may use to deliver to encrypted queues."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
