variable "domain_name" {
  description = "Main name of the certificate, for example `staging.mycalinks.io`."
  type        = string
}

variable "subject_alternative_names" {
  description = "Other names of the certificate, for example `[\"*.staging.mycalinks.io\"]`."
  type        = list(string)
  default     = []
}

variable "zone_id" {
  description = "Public Route53 zone that holds the DNS validation records."
  type        = string
}

variable "tags" {
  description = "Tags of the certificate."
  type        = map(string)
  default     = {}
}
