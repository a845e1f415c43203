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
