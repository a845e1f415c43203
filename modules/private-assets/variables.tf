variable "name" {
  description = "Name of the distribution and prefix of its resources, for example `calinks-staging-private-static`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,50}$", var.name))
    error_message = "name must be 2-51 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "bucket_name" {
  description = "Name of the content bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lowercase letters, digits, dots or hyphens."
  }
}

variable "signed_urls_public_key_pem" {
  description = "PEM public key of the key pair that signs URLs and cookies: every viewer request needs a signature from its private half (a key group on the distribution). Required unless public_content; the private half stays with the signing application."
  type        = string
  default     = null

  validation {
    condition     = var.signed_urls_public_key_pem == null || can(regex("^-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=\\s]+-----END PUBLIC KEY-----\\s*$", var.signed_urls_public_key_pem))
    error_message = "signed_urls_public_key_pem must be a PEM public key (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)."
  }
}

variable "public_content" {
  description = "Serve the content to anyone, unsigned (public static sites). False: only through URLs signed with signed_urls_public_key_pem's key pair."
  type        = bool
  default     = false
}

variable "aliases" {
  description = "Other names of the distribution; needs certificate_arn."
  type        = list(string)
  default     = []
}

variable "certificate_arn" {
  description = "ACM certificate in us-east-1 covering aliases. Null: CloudFront's own certificate and name."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:us-east-1:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate in us-east-1, where CloudFront looks for certificates."
  }
}

variable "price_class" {
  description = "CloudFront price class."
  type        = string
  default     = "PriceClass_200"

  validation {
    condition     = contains(["PriceClass_All", "PriceClass_200", "PriceClass_100"], var.price_class)
    error_message = "price_class must be PriceClass_All, PriceClass_200 or PriceClass_100."
  }
}

variable "default_root_object" {
  description = "Object returned for the root URL. Null: none."
  type        = string
  default     = null
}

variable "waf_rate_limit" {
  description = "Requests per 5 minutes one client IP may send through the distribution."
  type        = number
  default     = 2000
}

variable "log_retention_days" {
  description = "Days to keep CloudFront access logs."
  type        = number
  default     = 90
}

variable "force_destroy" {
  description = "Let destroy delete the content and log buckets with their objects. Off: destroy fails while objects remain."
  type        = bool
  default     = false
}

variable "key_user_role_arns" {
  description = "Roles that read and write the content bucket without an IAM policy on its key, for example Copilot's task roles while an adoption's cutover runs: the key policy lets them use the key through S3 only."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.key_user_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "key_user_role_arns must be IAM role ARNs."
  }
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
