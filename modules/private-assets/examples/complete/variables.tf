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

variable "signed_urls" {
  description = "Serve the content only through signed URLs; false only against an emulator that cannot delete key groups."
  type        = bool
  default     = true
}
