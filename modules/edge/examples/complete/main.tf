module "network" {
  source = "../../../network"

  name               = var.name
  cidr_block         = var.cidr_block
  availability_zones = ["${var.region}a", "${var.region}c"]
  nat_gateway_mode   = "single"
}

# The example owns its public zone; an environment looks its zone up.
# The public zone the certificate validates in and the records go to: one
# the account already holds.
data "aws_route53_zone" "public" {
  name         = var.zone_name
  private_zone = false
}

module "edge" {
  source = "../.."

  name                      = var.name
  vpc_id                    = module.network.vpc_id
  public_subnet_ids         = module.network.public_subnet_ids
  zone_id                   = data.aws_route53_zone.public.zone_id
  domain_name               = var.zone_name
  subject_alternative_names = ["*.${var.zone_name}"]
  hostnames                 = ["pos.${var.zone_name}"]
  deletion_protection       = false
  log_buckets_force_destroy = true
  tags                      = var.tags
}
