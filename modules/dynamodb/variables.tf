variable "tables" {
  description = <<-EOT
    Tables by name, with their keys (attribute name and type S, N or B), an
    optional TTL attribute and an optional stream. The default is the estate's
    three tables: `Ec_Product` (ProductId), `Ec_Order` (OrderId) and
    `Outbox_Ec_Order` (OrderId + EventId, TTL on ExpiresAt, a NEW_IMAGE stream
    that backend-outbox reads).
  EOT
  type = map(object({
    hash_key         = string
    hash_key_type    = optional(string, "S")
    range_key        = optional(string)
    range_key_type   = optional(string, "S")
    ttl_attribute    = optional(string)
    stream_view_type = optional(string)
  }))
  default = {
    Ec_Product = { hash_key = "ProductId" }
    Ec_Order   = { hash_key = "OrderId" }
    Outbox_Ec_Order = {
      hash_key         = "OrderId"
      range_key        = "EventId"
      ttl_attribute    = "ExpiresAt"
      stream_view_type = "NEW_IMAGE"
    }
  }

  validation {
    condition     = alltrue([for t in values(var.tables) : contains(["S", "N", "B"], t.hash_key_type) && contains(["S", "N", "B"], t.range_key_type)])
    error_message = "hash_key_type and range_key_type must be S, N or B."
  }
  validation {
    condition     = alltrue([for t in values(var.tables) : t.stream_view_type == null || contains(["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"], coalesce(t.stream_view_type, "KEYS_ONLY"))])
    error_message = "stream_view_type must be KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES (or null: no stream)."
  }
}

variable "name_prefix" {
  description = "Prefix of every table name, for example for tests; the estate's tables have none."
  type        = string
  default     = ""
}

variable "table_names" {
  description = "Physical name of a table, by its key in `tables`, where it is not `name_prefix` + key: for example a table Copilot created (`<app>-<env>-<key>`) that is imported rather than recreated."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = length(setsubtract(keys(var.table_names), keys(var.tables))) == 0
    error_message = "table_names may name only tables of var.tables."
  }
  validation {
    condition     = alltrue([for name in values(var.table_names) : can(regex("^[a-zA-Z0-9_.-]{3,255}$", name))])
    error_message = "table_names: a DynamoDB table name is 3-255 letters, digits, underscores, hyphens or dots."
  }
}

variable "key_user_role_arns" {
  description = "Roles that use the tables without an IAM policy on the module's key, for example Copilot's task roles while an adoption's cutover runs: the key policy lets them use the key through DynamoDB only. Needs the module's own key (kms_key_arn = null)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.key_user_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "key_user_role_arns must be IAM role ARNs."
  }
}

variable "deletion_protection" {
  description = "Protect the tables from deletion. On in production."
  type        = bool
  default     = true
}

variable "point_in_time_recovery" {
  description = "Continuous backups with point-in-time recovery."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "KMS key of the tables. Null: the module creates one."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of every table."
  type        = map(string)
  default     = {}
}
