# production: a VPC managed here with a NAT gateway per zone, every add-on,
# and the public static CDN at static.mycalinks.io.
environment      = "production"
vpc_cidr_block   = "10.30.0.0/16"
nat_gateway_mode = "per_az"
domain_name      = "mycalinks.io"
image_tag        = "production"

addons_enabled = true

# Public half of the key pair pos-web-app signs private-static URLs with; the
# private half goes to pos-web-app as a secret (service_secrets). Replace with
# the team's own key before the first real apply (README).
private_assets_public_key_pem = <<-EOT
  -----BEGIN PUBLIC KEY-----
  MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAifoEsWEQLO5joDyOktQT
  7jJ0ylVUV1IeJsP3MjsMP2aZdhHVt6h2BUZ8ThOtpdxdn2BfO/ISh1iMx2a6C7JG
  e3LrADhyiC4Mb6r6RjbF7g5FjPpC9qa9D1bJmKomTfnOw9EOdyeBUkFqc2pOUAod
  1dBoB62AQ2hMXNN69nr6O2SX9JhwPa1+SOhS/t6+UF0OlPIuHf6bRvGKNbuvJRtJ
  TLMYav6OOLJXjMMACRh7QLjoiY1BSZKSSu23EP5nj8gA8cDGDCoWTcRpI8hVgz3B
  d3LgilSXdp/UGbXSmX0EiAQ8RpMfoj/dFClOTD+MlichHqGqsP7Gy4UlKeMhA8xQ
  PwIDAQAB
  -----END PUBLIC KEY-----
EOT
static_site_enabled           = true
aurora                        = { instance_class = "db.r6g.large", instance_count = 2 }

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
