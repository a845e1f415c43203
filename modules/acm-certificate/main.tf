# An ACM certificate validated through DNS records in a Route53 zone; the
# certificate_arn output is known only once the certificate is issued.

resource "aws_acm_certificate" "this" {
  domain_name               = var.domain_name
  subject_alternative_names = var.subject_alternative_names
  validation_method         = "DNS"
  tags                      = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  # Keyed by names known at plan time; a wildcard and its apex share one record.
  validation_domains = toset([for name in concat([var.domain_name], var.subject_alternative_names) : trimprefix(name, "*.")])
  validation_options = { for option in flatten(aws_acm_certificate.this.domain_validation_options) : trimprefix(option.domain_name, "*.") => option... }
}

resource "aws_route53_record" "certificate_validation" {
  for_each = local.validation_domains

  zone_id         = var.zone_id
  name            = local.validation_options[each.key][0].resource_record_name
  type            = local.validation_options[each.key][0].resource_record_type
  records         = [local.validation_options[each.key][0].resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = [for record in aws_route53_record.certificate_validation : record.fqdn]
}
