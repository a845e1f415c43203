# One output shape for both cases: a VPC this module manages (public and
# private subnets per zone, NAT egress, flow logs) or an existing VPC that it
# only looks up, as Copilot's imported environments did.

locals {
  managed = var.vpc_id == null
  zones   = local.managed ? var.availability_zones : []
  # One NAT gateway for all zones, or one in each zone's public subnet.
  nat_zones = local.managed ? (var.nat_gateway_mode == "single" ? slice(local.zones, 0, 1) : local.zones) : []
}

################################################################################
# Managed VPC
################################################################################

resource "aws_vpc" "this" {
  count = local.managed ? 1 : 0

  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(var.tags, { Name = var.name })
}

# The default security group is left without rules so nothing uses it by accident.
resource "aws_default_security_group" "this" {
  count = local.managed ? 1 : 0

  vpc_id = aws_vpc.this[0].id
  tags   = merge(var.tags, { Name = "${var.name}-default-unused" })
}

resource "aws_internet_gateway" "this" {
  count = local.managed ? 1 : 0

  vpc_id = aws_vpc.this[0].id
  tags   = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  for_each = toset(local.zones)

  vpc_id            = aws_vpc.this[0].id
  availability_zone = each.key
  cidr_block        = cidrsubnet(var.cidr_block, 20 - tonumber(split("/", var.cidr_block)[1]), index(local.zones, each.key))
  # Only load balancers and NAT gateways live here; they get addresses explicitly.
  map_public_ip_on_launch = false
  tags                    = merge(var.tags, { Name = "${var.name}-public-${each.key}", Tier = "public" })
}

resource "aws_subnet" "private" {
  for_each = toset(local.zones)

  vpc_id            = aws_vpc.this[0].id
  availability_zone = each.key
  cidr_block        = cidrsubnet(var.cidr_block, 20 - tonumber(split("/", var.cidr_block)[1]), 8 + index(local.zones, each.key))
  tags              = merge(var.tags, { Name = "${var.name}-private-${each.key}", Tier = "private" })
}

resource "aws_eip" "nat" {
  for_each = toset(local.nat_zones)

  domain = "vpc"
  tags   = merge(var.tags, { Name = "${var.name}-nat-${each.key}" })
}

resource "aws_nat_gateway" "this" {
  for_each = toset(local.nat_zones)

  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.public[each.key].id
  tags          = merge(var.tags, { Name = "${var.name}-${each.key}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route_table" "public" {
  count = local.managed ? 1 : 0

  vpc_id = aws_vpc.this[0].id
  tags   = merge(var.tags, { Name = "${var.name}-public" })
}

resource "aws_route" "public_internet" {
  count = local.managed ? 1 : 0

  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  for_each = aws_subnet.public

  subnet_id      = each.value.id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_route_table" "private" {
  for_each = toset(local.zones)

  vpc_id = aws_vpc.this[0].id
  tags   = merge(var.tags, { Name = "${var.name}-private-${each.key}" })
}

resource "aws_route" "private_nat" {
  for_each = aws_route_table.private

  route_table_id         = each.value.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[contains(local.nat_zones, each.key) ? each.key : local.nat_zones[0]].id
}

resource "aws_route_table_association" "private" {
  for_each = aws_subnet.private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private[each.key].id
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  count = local.managed ? 1 : 0

  name              = "/vpc/${var.name}/flow-logs"
  retention_in_days = var.flow_log_retention_days
  kms_key_id        = var.flow_log_kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "flow_logs_write" {
  count = local.managed ? 1 : 0

  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.flow_logs[0].arn}:*"]
  }
}

module "flow_logs_role" {
  source = "../service-role"
  count  = local.managed ? 1 : 0

  name             = "${var.name}-vpc-flow-logs"
  service          = "vpc-flow-logs.amazonaws.com"
  own_account_only = true
  inline_policies  = { write-flow-logs = data.aws_iam_policy_document.flow_logs_write[0].json }
  tags             = var.tags
}

resource "aws_flow_log" "this" {
  count = local.managed ? 1 : 0

  vpc_id               = aws_vpc.this[0].id
  traffic_type         = "ALL"
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow_logs[0].arn
  iam_role_arn         = module.flow_logs_role[0].role_arn
  tags                 = merge(var.tags, { Name = var.name })

  # The role is usable only with its policies.
  depends_on = [module.flow_logs_role]
}

################################################################################
# Imported VPC
################################################################################

data "aws_vpc" "imported" {
  count = local.managed ? 0 : 1

  id = var.vpc_id

  # Subnets are named, never guessed: a subnet's MapPublicIpOnLaunch says
  # nothing about its route to the internet.
  lifecycle {
    precondition {
      condition     = length(var.imported_private_subnet_ids) > 0 && length(var.imported_public_subnet_ids) > 0
      error_message = "An imported VPC (vpc_id) needs imported_private_subnet_ids (tasks, data stores) and imported_public_subnet_ids (load balancer), each naming at least one subnet."
    }
  }
}

################################################################################
# Private DNS zone
################################################################################

resource "aws_route53_zone" "private" {
  count = var.private_zone_name == null ? 0 : 1

  name          = var.private_zone_name
  comment       = "Private names of ${var.name}"
  force_destroy = false

  vpc {
    vpc_id = local.vpc_id
  }

  tags = var.tags

  # The zone belongs to this VPC for its whole life; further associations
  # (other VPCs, other accounts) are made with aws_route53_zone_association
  # outside, which this must not undo.
  lifecycle {
    ignore_changes = [vpc]
  }
}

locals {
  vpc_id             = local.managed ? aws_vpc.this[0].id : data.aws_vpc.imported[0].id
  vpc_cidr_block     = local.managed ? aws_vpc.this[0].cidr_block : data.aws_vpc.imported[0].cidr_block
  private_subnet_ids = local.managed ? [for zone in local.zones : aws_subnet.private[zone].id] : var.imported_private_subnet_ids
  public_subnet_ids  = local.managed ? [for zone in local.zones : aws_subnet.public[zone].id] : var.imported_public_subnet_ids
}
