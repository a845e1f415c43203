module "network" {
  source = "../../../network"

  name               = var.name
  cidr_block         = var.cidr_block
  availability_zones = ["${var.region}a", "${var.region}c"]
  nat_gateway_mode   = "single"
  private_zone_name  = "${var.name}.internal"
}

module "aurora" {
  source = "../.."

  name                = var.name
  vpc_id              = module.network.vpc_id
  subnet_ids          = module.network.private_subnet_ids
  application_users   = ["worker-item"]
  instance_class      = "db.t4g.medium"
  instance_count      = 1
  deletion_protection = false
  skip_final_snapshot = true
  private_dns         = { zone_id = module.network.private_zone_id }
  tags                = var.tags
}

# Each application user's password, generated into its secret (write-only).
module "user_passwords" {
  source = "../../modules/user-passwords"

  secret_ids = module.aurora.user_secret_arns
}
