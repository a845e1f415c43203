# The public zone the certificate validates in and the records go to: one
# the account already holds.
data "aws_route53_zone" "public" {
  name         = var.zone_name
  private_zone = false
}

module "static_site" {
  source    = "../.."
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1 }

  name          = "${var.name}-static"
  domain_name   = "static.${var.zone_name}"
  zone_id       = data.aws_route53_zone.public.zone_id
  bucket_name   = "${var.name}-static"
  force_destroy = true
  tags          = var.tags
}
