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

variable "role_grants" {
  description = "IAM roles that may use the key without an IAM policy of their own (for example Copilot's task roles while an adoption's cutover runs), each as a key-policy statement: its sid, the role ARNs, the actions, `via_service` (the service the roles must use the key through, such as `dynamodb`: the condition kms:ViaService = `<service>.<region>.amazonaws.com`) and other conditions."
  type = list(object({
    sid         = string
    role_arns   = list(string)
    actions     = list(string)
    via_service = optional(string)
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
