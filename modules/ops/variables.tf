variable "name" {
  description = "Name prefix, for example `calinks-staging`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "alarm_email_addresses" {
  description = "Addresses subscribed to the alarm topic (each must confirm)."
  type        = list(string)
  default     = []
}

variable "chatbot_enabled" {
  description = "Forward alarms to Slack through AWS Chatbot (the Slack workspace must be authorised in the Chatbot console first)."
  type        = bool
  default     = true
}

variable "slack_team_id" {
  description = "Slack workspace ID for Chatbot; required with chatbot_enabled."
  type        = string
  default     = null
}

variable "slack_channel_id" {
  description = "Slack channel ID for Chatbot; required with chatbot_enabled."
  type        = string
  default     = null
}

variable "ses_domain" {
  description = "Domain that sends mail through SES, for example `mycalinks.io`. Null: no SES identity."
  type        = string
  default     = null
}

variable "ses_mail_from_subdomain" {
  description = "Subdomain of ses_domain used as the MAIL FROM domain."
  type        = string
  default     = "mail"
}

variable "public_zone" {
  description = "Public Route53 zone of ses_domain that gets the verification, DKIM and MAIL FROM records (an object, so that its presence is known before the zone exists). Null: publish them yourself (see the ses_dns_records output)."
  type = object({
    zone_id = string
  })
  default = null
}

variable "client_vpn_enabled" {
  description = "Create the Client VPN endpoint for operators."
  type        = bool
  default     = true
}

variable "client_vpn" {
  description = "Client VPN settings: ACM certificates for the server and for the client root CA (mutual certificate authentication), the clients' address range (must not overlap the VPC) and the VPC with its private subnets."
  type = object({
    server_certificate_arn      = string
    client_root_certificate_arn = string
    client_cidr_block           = optional(string, "172.16.0.0/22")
    vpc_id                      = string
    subnet_ids                  = list(string)
    split_tunnel                = optional(bool, true)
  })
  default = null
}

variable "log_retention_days" {
  description = "Days to keep Client VPN connection logs."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
