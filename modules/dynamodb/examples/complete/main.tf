module "dynamodb" {
  source = "../.."

  name_prefix         = "${var.name}-"
  deletion_protection = false
  tags                = var.tags
}
