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
  default     = "10.50.0.0/16"
}

variable "imported_vpc" {
  description = "An existing VPC to import as well, with the subnets to use. Null: none."
  type = object({
    id                 = string
    private_subnet_ids = list(string)
    public_subnet_ids  = list(string)
  })
  default = null
}
