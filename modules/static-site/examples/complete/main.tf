resource "aws_route53_zone" "public" {
  name          = var.zone_name
  force_destroy = true
}

module "static_site" {
  source    = "../.."
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1 }

  name          = "${var.name}-static"
  domain_name   = "static.${var.zone_name}"
  zone_id       = aws_route53_zone.public.zone_id
  bucket_name   = "${var.name}-static"
  force_destroy = true
  tags          = var.tags
}
