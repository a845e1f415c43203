# A managed VPC over two zones with one NAT gateway and flow logs, and the
# same module importing an existing VPC by ID (as develop and customer do).

module "managed" {
  source = "../.."

  name               = var.name
  cidr_block         = var.cidr_block
  availability_zones = ["${var.region}a", "${var.region}c"]
  nat_gateway_mode   = "single"
  private_zone_name  = "${var.name}.internal"
  tags               = var.tags
}

module "imported" {
  source = "../.."
  count  = var.imported_vpc == null ? 0 : 1

  name                        = "${var.name}-imported"
  vpc_id                      = var.imported_vpc.id
  imported_private_subnet_ids = var.imported_vpc.private_subnet_ids
  imported_public_subnet_ids  = var.imported_vpc.public_subnet_ids
}
