# staging: a VPC managed here, every add-on, no public static CDN.
environment      = "staging"
vpc_cidr_block   = "10.20.0.0/16"
nat_gateway_mode = "single"
domain_name      = "staging.mycalinks.io"
image_tag        = "staging"

addons_enabled = true

# private_assets_public_key_pem: the public half of the key pair pos-web-app
# signs private-static URLs with, given at plan time (-var or a tfvars file of
# the operators); its private half goes to pos-web-app through service_secrets.

aurora = { instance_class = "db.t4g.medium", instance_count = 1 }

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

ses_domain = "staging.mycalinks.io"
slack = {
  team_id    = "T01CALINKS"
  channel_id = "C01STGALERT"
}
client_vpn_certificate_domains = {
  server      = "vpn.staging.mycalinks.io"
  client_root = "client-ca.vpn.staging.mycalinks.io"
}
