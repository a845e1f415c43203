variable "name" {
  description = "Name of the cache, for example `calinks-staging`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,39}$", var.name))
    error_message = "name must be 1-40 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "VPC of the cache."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the cache endpoints (2 or 3 zones)."
  type        = list(string)
}

variable "client_security_groups" {
  description = "Security groups of the tasks that may connect (6379 primary, 6380 reader), by a name known at plan time (the IDs may not be)."
  type        = map(string)
  default     = {}
}

variable "major_engine_version" {
  description = "Valkey major version."
  type        = string
  default     = "8"
}

variable "max_data_storage_gb" {
  description = "Usage limit: most data the cache may hold, in GB."
  type        = number
  default     = 10

  validation {
    condition     = var.max_data_storage_gb >= 1 && var.max_data_storage_gb <= 5000
    error_message = "max_data_storage_gb must be from 1 to 5000."
  }
}

variable "max_ecpu_per_second" {
  description = "Usage limit: most ElastiCache Processing Units per second."
  type        = number
  default     = 100000

  validation {
    condition     = var.max_ecpu_per_second >= 1000 && var.max_ecpu_per_second <= 15000000
    error_message = "max_ecpu_per_second must be from 1000 to 15000000."
  }
}

variable "snapshot_retention_days" {
  description = "Days to keep the daily snapshots (0 turns them off)."
  type        = number
  default     = 7

  validation {
    condition     = var.snapshot_retention_days >= 0 && var.snapshot_retention_days <= 35
    error_message = "snapshot_retention_days must be from 0 to 35."
  }
}

variable "daily_snapshot_time" {
  description = "Time (UTC, `hh:mm`) of the daily snapshot."
  type        = string
  default     = "18:00"
}

variable "kms_key_arn" {
  description = "KMS key of the cache data. Null: the module creates one."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
