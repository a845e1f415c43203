module "private_assets" {
  source    = "../.."
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1 }

  name          = "${var.name}-private-static"
  bucket_name   = "${var.name}-private-static"
  force_destroy = true
  tags          = var.tags
}
