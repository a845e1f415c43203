variable "name" {
  description = "Name prefix of everything created, for example `calinks-staging`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "ID of an existing VPC to import (look up, never modify). Null: this module creates and manages the VPC."
  type        = string
  default     = null

  validation {
    condition     = var.vpc_id == null || can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "imported_private_subnet_ids" {
  description = "Imported VPC only (required there): the private subnets of the tasks and data stores."
  type        = list(string)
  default     = []
}

variable "imported_public_subnet_ids" {
  description = "Imported VPC only (required there): the public subnets of the load balancer."
  type        = list(string)
  default     = []
}

variable "cidr_block" {
  description = "Managed VPC only: its IPv4 CIDR block; subnets are /20 slices of it."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && tonumber(split("/", var.cidr_block)[1]) <= 20
    error_message = "cidr_block must be an IPv4 CIDR of /20 or larger."
  }
}

variable "availability_zones" {
  description = "Managed VPC only: 2 or 3 availability zones; one public and one private subnet in each."
  type        = list(string)
  default     = ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]

  validation {
    condition     = length(var.availability_zones) >= 2 && length(var.availability_zones) <= 3 && length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "availability_zones must list 2 or 3 distinct zones."
  }
}

variable "nat_gateway_mode" {
  description = "Managed VPC only: `single` (one NAT gateway, cheaper) or `per_az` (one per zone, survives a zone outage)."
  type        = string
  default     = "per_az"

  validation {
    condition     = contains(["single", "per_az"], var.nat_gateway_mode)
    error_message = "nat_gateway_mode must be single or per_az."
  }
}

variable "flow_log_retention_days" {
  description = "Managed VPC only: days to keep VPC flow logs in CloudWatch Logs."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "flow_log_kms_key_arn" {
  description = "Managed VPC only: KMS key that encrypts the flow log group. Null: CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "private_zone_name" {
  description = "Name of a Route53 private hosted zone to create and attach to the VPC (for example `staging.calinks.internal`). Null: none."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
