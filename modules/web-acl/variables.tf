variable "name" {
  description = "Name of the web ACL and its metrics."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,100}$", var.name))
    error_message = "name must be 1-100 letters, digits, hyphens or underscores."
  }
}

variable "scope" {
  description = "`REGIONAL` (ALB, in the ALB's region) or `CLOUDFRONT` (through a us-east-1 provider)."
  type        = string
  default     = "REGIONAL"

  validation {
    condition     = contains(["REGIONAL", "CLOUDFRONT"], var.scope)
    error_message = "scope must be REGIONAL or CLOUDFRONT."
  }
}

variable "rate_limit" {
  description = "Requests per 5 minutes one client IP may send before it is blocked."
  type        = number
  default     = 2000

  validation {
    condition     = var.rate_limit >= 10 && var.rate_limit <= 2000000000
    error_message = "rate_limit must be from 10 to 2000000000."
  }
}

variable "managed_rule_groups" {
  description = "AWS managed rule groups, evaluated in list order after the rate limit."
  type        = list(string)
  default     = ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"]
}

variable "log_retention_days" {
  description = "Days to keep WAF logs."
  type        = number
  default     = 90
}

variable "log_kms_key_arn" {
  description = "KMS key of the WAF log group. Null: CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
