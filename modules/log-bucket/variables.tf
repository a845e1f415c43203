variable "bucket_name" {
  description = "Name of the bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lowercase letters, digits, dots or hyphens."
  }
}

variable "retention_days" {
  description = "Days to keep each log object."
  type        = number
  default     = 90
}

variable "writer_statements" {
  description = "Bucket-policy statements that let a log delivery service write (for example the ELB account for ALB access logs)."
  type = list(object({
    sid        = string
    principals = list(object({ type = string, identifiers = list(string) }))
    actions    = list(string)
    key_prefix = string
  }))
  default = []
}

variable "cloudfront_log_delivery" {
  description = "Grant CloudFront's log delivery account write access through the bucket ACL, the only way CloudFront standard logs are delivered; object ownership then stays with the bucket owner."
  type        = bool
  default     = false
}

variable "force_destroy" {
  description = "Let destroy delete the bucket with its logs. Off: destroy fails while logs remain."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags of the bucket."
  type        = map(string)
  default     = {}
}
