# customer: Copilot's imported VPC, no add-ons: the services use the existing
# database, cache and tables.
environment = "customer"
vpc_id      = "vpc-05953f861d6ff363d"
domain_name = "customer.mycalinks.io"
image_tag   = "customer"

addons_enabled = false
existing_endpoints = {
  database_host = "database.customer.calinks.internal"
  cache_host    = "cache.customer.calinks.internal"
}

web_service_settings = {
  pos-web-app    = { desired_count = 1, min_capacity = 1, max_capacity = 2 }
  ec-web-app     = { desired_count = 1, min_capacity = 1, max_capacity = 2 }
  backend-outbox = { desired_count = 1, min_capacity = 1, max_capacity = 2 }
}
