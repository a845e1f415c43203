# Production's public static content at static.mycalinks.io: the private
# bucket and distribution of private-assets (public_content: unsigned), a certificate in
# us-east-1 where CloudFront looks for it, and alias records for the name.

module "certificate" {
  source    = "../acm-certificate"
  providers = { aws = aws.us_east_1 }

  domain_name = var.domain_name
  zone_id     = var.zone_id
  tags        = var.tags
}

module "site" {
  source    = "../private-assets"
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1 }

  name                = var.name
  bucket_name         = var.bucket_name
  aliases             = [var.domain_name]
  certificate_arn     = module.certificate.certificate_arn
  price_class         = var.price_class
  default_root_object = var.default_root_object
  public_content      = true
  force_destroy       = var.force_destroy
  tags                = var.tags
}

resource "aws_route53_record" "alias" {
  for_each = toset(["A", "AAAA"])

  zone_id = var.zone_id
  name    = var.domain_name
  # The record is this module's alone: a create whose answer was lost (the
  # change made, its INSYNC wait failed) is taken over by the next apply
  # instead of failing on "already exists" (found by make faults).
  allow_overwrite = true
  type            = each.key

  alias {
    name                   = module.site.distribution_domain_name
    zone_id                = module.site.distribution_hosted_zone_id
    evaluate_target_health = false
  }
}
