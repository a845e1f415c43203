module "network" {
  source = "../../../network"

  name               = var.name
  cidr_block         = var.cidr_block
  availability_zones = ["${var.region}a", "${var.region}c"]
  nat_gateway_mode   = "single"
}

resource "aws_security_group" "client" {
  name        = "${var.name}-client"
  description = "Stand-in for an application's tasks"
  vpc_id      = module.network.vpc_id
}

module "valkey" {
  source = "../.."

  name                   = var.name
  vpc_id                 = module.network.vpc_id
  subnet_ids             = module.network.private_subnet_ids
  client_security_groups = { app = aws_security_group.client.id }
  max_data_storage_gb    = 1
  max_ecpu_per_second    = 1000
  tags                   = var.tags
}
