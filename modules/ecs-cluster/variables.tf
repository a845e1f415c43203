variable "name" {
  description = "Cluster name, for example `calinks-staging`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.name))
    error_message = "name must be 1-255 letters, digits, hyphens or underscores."
  }
}

variable "container_insights" {
  description = "Container Insights level: `enabled`, `enhanced` or `disabled`."
  type        = string
  default     = "enabled"

  validation {
    condition     = contains(["enabled", "enhanced", "disabled"], var.container_insights)
    error_message = "container_insights must be enabled, enhanced or disabled."
  }
}

variable "default_capacity_provider_strategy" {
  description = "Default strategy of services that name none: weights and bases per capacity provider (`FARGATE`, `FARGATE_SPOT`)."
  type = list(object({
    capacity_provider = string
    weight            = number
    base              = optional(number, 0)
  }))
  default = [{ capacity_provider = "FARGATE", weight = 1, base = 1 }]

  validation {
    condition     = alltrue([for s in var.default_capacity_provider_strategy : contains(["FARGATE", "FARGATE_SPOT"], s.capacity_provider)])
    error_message = "default_capacity_provider_strategy may name only FARGATE and FARGATE_SPOT."
  }
}

variable "exec_log_retention_days" {
  description = "Days to keep the `ecs execute-command` session logs."
  type        = number
  default     = 365
}

variable "kms_key_arn" {
  description = "KMS key that encrypts execute-command sessions and their log group. Null: the module creates one."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
