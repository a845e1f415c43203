# develop: Copilot's imported VPC, no add-ons: the services use the existing
# database, cache and tables.
environment = "develop"
vpc_id      = "vpc-01e2cc9c6c0ec2e19"
domain_name = "develop.mycalinks.io"
image_tag   = "develop"

addons_enabled = false
existing_endpoints = {
  # The existing RDS Proxy; each application connects as its own database
  # user with IAM authentication. Confirm both before the first real apply.
  database_host      = "database.develop.calinks.internal"
  database_proxy_arn = "arn:aws:rds:ap-northeast-1:123456789012:db-proxy:prx-0develop0calinks"
  cache_host         = "cache.develop.calinks.internal"
}

web_service_settings = {
  pos-web-app    = { desired_count = 1, min_capacity = 1, max_capacity = 2 }
  ec-web-app     = { desired_count = 1, min_capacity = 1, max_capacity = 2 }
  backend-outbox = { desired_count = 1, min_capacity = 1, max_capacity = 2 }
}
