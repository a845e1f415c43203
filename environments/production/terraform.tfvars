# production: a VPC managed here with a NAT gateway per zone, every add-on,
# and the public static CDN at static.mycalinks.io.
environment      = "production"
vpc_cidr_block   = "10.30.0.0/16"
nat_gateway_mode = "per_az"
domain_name      = "mycalinks.io"
image_tag        = "production"

addons_enabled = true

# private_assets_public_key_pem: the public half of the key pair pos-web-app
# signs private-static URLs with, given at plan time (-var or a tfvars file of
# the operators); its private half goes to pos-web-app through service_secrets.
static_site_enabled = true
aurora              = { instance_class = "db.r6g.large", instance_count = 2 }

web_service_settings = {
  pos-web-app = { desired_count = 3, min_capacity = 3, max_capacity = 20 }
  ec-web-app  = { desired_count = 2, min_capacity = 2, max_capacity = 10 }
}
worker_settings = {
  worker-transaction = { max_capacity = 20 }
}

scheduled_events = {
  nightly-settlement = {
    schedule_expression = "cron(0 2 * * ? *)"
    message_body        = "{\"type\":\"nightly-settlement\"}"
    message_group_id    = "settlement"
  }
  hourly-stock-sync = {
    schedule_expression = "cron(5 * * * ? *)"
    message_body        = "{\"type\":\"stock-sync\"}"
    message_group_id    = "stock"
  }
}

ses_domain = "mycalinks.io"
slack = {
  team_id    = "T01CALINKS"
  channel_id = "C01PRODALERT"
}
client_vpn_certificate_domains = {
  server      = "vpn.mycalinks.io"
  client_root = "client-ca.vpn.mycalinks.io"
}
