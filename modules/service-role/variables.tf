variable "name" {
  description = "Name of the role."
  type        = string

  validation {
    condition     = length(var.name) <= 64
    error_message = "name must be at most 64 characters."
  }
}

variable "service" {
  description = "Service principal that assumes the role, for example `scheduler.amazonaws.com`."
  type        = string
}

variable "own_account_only" {
  description = "Admit the service only when it acts for this account (`aws:SourceAccount` in the trust policy). Set it only for a service whose documentation says it sends that key when it assumes a role (EventBridge Scheduler, VPC Flow Logs): for another service the role could not be assumed at all."
  type        = bool
  default     = false
}

variable "inline_policies" {
  description = "Inline policies by name (IAM policy documents as JSON)."
  type        = map(string)
  default     = {}
}

variable "managed_policy_arns" {
  description = "Managed policies to attach, by a name known at plan time."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags of the role."
  type        = map(string)
  default     = {}
}
