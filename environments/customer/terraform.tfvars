# customer: Copilot's imported VPC, no add-ons: the services use the existing
# database, cache and tables.
environment = "customer"
vpc_id      = "vpc-05953f861d6ff363d"
domain_name = "customer.mycalinks.io"
image_tag   = "customer"

addons_enabled = false
existing_endpoints = {
  # The existing RDS Proxy; each application connects as its own database
  # user with IAM authentication. Confirm both before the first real apply.
  database_host      = "database.customer.calinks.internal"
  database_proxy_arn = "arn:aws:rds:ap-northeast-1:123456789012:db-proxy:prx-0customer0calinks"
  cache_host         = "cache.customer.calinks.internal"
}

web_service_settings = {
  pos-web-app    = { desired_count = 1, min_capacity = 1, max_capacity = 2 }
  ec-web-app     = { desired_count = 1, min_capacity = 1, max_capacity = 2 }
  backend-outbox = { desired_count = 1, min_capacity = 1, max_capacity = 2 }
}
