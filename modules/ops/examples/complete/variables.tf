variable "name" {
  description = "Name prefix of everything the example creates; unique per run."
  type        = string
  default     = "calinks-example"
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "ap-northeast-1"
}

variable "aws_max_retries" {
  description = "Retries of one AWS API call: the provider's default against AWS, 1 against an emulator."
  type        = number
  default     = 25
}

variable "tags" {
  description = "Tags of every resource (a test run adds calinks:test)."
  type        = map(string)
  default     = {}
}

variable "cidr_block" {
  description = "CIDR block of the example's VPC."
  type        = string
  default     = "10.57.0.0/16"
}

variable "zone_name" {
  description = "An existing public hosted zone of the account: the certificate validates in it and the example's names go to it."
  type        = string
  default     = "calinks-example.test"
}

variable "chatbot_enabled" {
  description = "Create the Chatbot Slack channel (the workspace must be authorised in the account)."
  type        = bool
  default     = false
}

variable "client_vpn_enabled" {
  description = "Create the Client VPN endpoint (needs the two certificates in ACM)."
  type        = bool
  default     = false
}

variable "client_vpn_server_certificate_arn" {
  description = "ACM certificate of the VPN server."
  type        = string
  default     = null
}

variable "client_vpn_client_root_certificate_arn" {
  description = "ACM certificate of the clients' root CA."
  type        = string
  default     = null
}
