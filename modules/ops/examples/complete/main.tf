module "network" {
  source = "../../../network"

  name               = var.name
  cidr_block         = var.cidr_block
  availability_zones = ["${var.region}a", "${var.region}c"]
  nat_gateway_mode   = "single"
}

# The public zone the certificate validates in and the records go to: one
# the account already holds.
data "aws_route53_zone" "public" {
  name         = var.zone_name
  private_zone = false
}

module "ops" {
  source = "../.."

  name                  = var.name
  alarm_email_addresses = ["ops@${var.zone_name}"]
  chatbot_enabled       = var.chatbot_enabled
  slack_team_id         = "T0EXAMPLE"
  slack_channel_id      = "C0EXAMPLE"
  ses_domain            = var.zone_name
  public_zone           = { zone_id = data.aws_route53_zone.public.zone_id }
  client_vpn_enabled    = var.client_vpn_enabled
  client_vpn = var.client_vpn_enabled ? {
    server_certificate_arn      = var.client_vpn_server_certificate_arn
    client_root_certificate_arn = var.client_vpn_client_root_certificate_arn
    vpc_id                      = module.network.vpc_id
    subnet_ids                  = module.network.private_subnet_ids
  } : null
  tags = var.tags
}
