variable "description" {
  description = "What the key encrypts."
  type        = string
}

variable "service_grants" {
  description = "AWS services that may use the key, each as a key-policy statement: its sid, the service principal, the actions and optional conditions."
  type = list(object({
    sid     = string
    service = string
    actions = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default = []
}

variable "tags" {
  description = "Tags of the key."
  type        = map(string)
  default     = {}
}
