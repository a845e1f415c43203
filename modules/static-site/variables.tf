variable "name" {
  description = "Name of the distribution and prefix of its resources, for example `calinks-production-static`."
  type        = string
}

variable "domain_name" {
  description = "Public name of the site."
  type        = string
  default     = "static.mycalinks.io"
}

variable "zone_id" {
  description = "Public Route53 zone of domain_name: certificate validation and the alias records."
  type        = string
}

variable "bucket_name" {
  description = "Name of the content bucket."
  type        = string
}

variable "price_class" {
  description = "CloudFront price class."
  type        = string
  default     = "PriceClass_200"
}

variable "default_root_object" {
  description = "Object returned for the root URL."
  type        = string
  default     = "index.html"
}

variable "force_destroy" {
  description = "Let destroy delete the buckets with their objects."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
