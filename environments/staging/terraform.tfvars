# staging: a VPC managed here, every add-on, no public static CDN.
environment      = "staging"
vpc_cidr_block   = "10.20.0.0/16"
nat_gateway_mode = "single"
domain_name      = "staging.mycalinks.io"
image_tag        = "staging"

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
aurora                        = { instance_class = "db.t4g.medium", instance_count = 1 }

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
