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

variable "zone_name" {
  description = "An existing public hosted zone of the account: the certificate validates in it and the example's names go to it."
  type        = string
  default     = "calinks-example.test"
}
