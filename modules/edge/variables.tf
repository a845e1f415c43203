variable "name" {
  description = "Name prefix, for example `calinks-staging`; the ALB is named `<name>-alb`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,27}$", var.name))
    error_message = "name must be 2-28 lowercase letters, digits or hyphens (the ALB name is limited to 32 characters)."
  }
}

variable "vpc_id" {
  description = "VPC of the load balancer."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets of the load balancer, in at least two zones."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_ids) >= 2
    error_message = "public_subnet_ids must list at least two subnets."
  }
}

variable "zone_id" {
  description = "Public Route53 zone for the certificate's DNS validation and the hostnames' alias records."
  type        = string
}

variable "domain_name" {
  description = "Main name of the ACM certificate, for example `staging.mycalinks.io`."
  type        = string
}

variable "subject_alternative_names" {
  description = "Other names of the certificate, for example `[\"*.staging.mycalinks.io\"]`."
  type        = list(string)
  default     = []
}

variable "certificate_arn" {
  description = "An existing ACM certificate to use instead of requesting one."
  type        = string
  default     = null
}

variable "hostnames" {
  description = "Names to point at the load balancer with alias A records in zone_id."
  type        = list(string)
  default     = []
}

variable "hostnames_served_by" {
  description = "Another load balancer the hostnames' records point at instead, for example Copilot's while an adoption's cutover runs: switching back and forth is an in-place change of the records, with no moment without one. Null: this module's load balancer."
  type = object({
    dns_name = string
    zone_id  = string
  })
  default = null
}

variable "ingress_cidr_blocks" {
  description = "Client networks allowed to reach ports 80 and 443."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = can(regex("^ELBSecurityPolicy-(TLS13-1-[23]|FS-1-2|TLS-1-2)", var.ssl_policy))
    error_message = "ssl_policy must be a TLS 1.2+ policy (ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -FS-1-2-* or -TLS-1-2-*)."
  }
}

variable "deletion_protection" {
  description = "Protect the load balancer from deletion. On in production."
  type        = bool
  default     = true
}

variable "idle_timeout" {
  description = "Seconds a connection may stay idle."
  type        = number
  default     = 60
}

variable "access_log_retention_days" {
  description = "Days to keep ALB access logs in their bucket."
  type        = number
  default     = 90
}

variable "log_buckets_force_destroy" {
  description = "Let `destroy` delete the access-log bucket with its logs. Off: destroy fails while logs remain."
  type        = bool
  default     = false
}

variable "waf_rate_limit" {
  description = "Requests per 5 minutes one client IP may send before WAF blocks it."
  type        = number
  default     = 2000

  validation {
    condition     = var.waf_rate_limit >= 10 && var.waf_rate_limit <= 2000000000
    error_message = "waf_rate_limit must be from 10 to 2000000000."
  }
}

variable "waf_managed_rule_groups" {
  description = "AWS managed rule groups of the web ACL, evaluated in list order after the rate limit."
  type        = list(string)
  default     = ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"]
}

variable "waf_log_retention_days" {
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
