variable "bucket_name" {
  description = "Name of the bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lowercase letters, digits, dots or hyphens."
  }
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the objects. Null: S3-managed keys (SSE-S3), which log delivery (ALB access logs) requires."
  type        = string
  default     = null
}

variable "expiration_days" {
  description = "Days after which objects expire (logs). Null: objects are kept."
  type        = number
  default     = null
}

variable "policy_statements" {
  description = "Bucket-policy statements that let principals use objects under a key prefix, with optional conditions (for example the ELB account writing access logs, or a CloudFront distribution reading content). A statement denying plain HTTP is always added."
  type = list(object({
    sid        = string
    principals = list(object({ type = string, identifiers = list(string) }))
    actions    = list(string)
    key_prefix = optional(string, "")
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default = []
}

variable "cloudfront_log_delivery" {
  description = "Grant CloudFront's log delivery account write access through the bucket ACL, the only way CloudFront standard logs are delivered; object ownership then stays with the bucket owner."
  type        = bool
  default     = false
}

variable "access_log_bucket" {
  description = "Where S3 writes this bucket's server access logs (a bucket whose policy admits logging.s3.amazonaws.com). Null: no access logs."
  type = object({
    bucket = string
    prefix = string
  })
  default = null
}

variable "force_destroy" {
  description = "Let destroy delete the bucket with its objects. Off: destroy fails while objects remain."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags of the bucket."
  type        = map(string)
  default     = {}
}
