# One Calinks environment, composed of the tier modules. Every environment
# root links these files and differs only in its terraform.tfvars (and its
# backend.hcl); the matrix of SYSTEM.md is expressed by the variables
# vpc_id (imported VPC), addons_enabled and static_site_enabled.

locals {
  name       = "${var.app}-${var.environment}"
  production = var.environment == "production"
  # Data stores are protected in production, unless a test environment asks otherwise.
  deletion_protection = local.production && !var.force_destroy_storage
  tags                = merge({ "calinks:app" = var.app, "calinks:environment" = var.environment }, var.extra_tags)

  # Who publishes each topic (SYSTEM.md, "Messaging").
  topics = {
    item         = { publisher = "pos-web-app" }
    product      = { publisher = "pos-web-app" }
    transaction  = { publisher = "pos-web-app" }
    ec-order     = { publisher = "pos-web-app" }
    notification = { publisher = "pos-web-app" }
    outbox       = { publisher = "pos-web-app" }
    external-ec  = { publisher = "backend-outbox" }
  }

  # Which topics each worker consumes; worker-scheduled is fed by EventBridge.
  workers = {
    worker-item         = { topics = ["item"] }
    worker-product      = { topics = ["product"] }
    worker-transaction  = { topics = ["transaction"] }
    worker-ec-order     = { topics = ["ec-order"] }
    worker-notification = { topics = ["notification"] }
    worker-external-ec  = { topics = ["external-ec"] }
    worker-scheduled    = { topics = [] }
  }

  web_services = {
    pos-web-app    = { host = "pos.${var.domain_name}", priority = 100 }
    ec-web-app     = { host = "ec.${var.domain_name}", priority = 200 }
    backend-outbox = { host = null, priority = null }
  }

  jobs = toset(["job-daily-calculate", "job-ensure-consistency", "job-temporary-task"])

  image_registry = coalesce(var.image_registry, "${data.aws_caller_identity.current.account_id}.dkr.ecr.${var.region}.amazonaws.com")
  images = {
    for name in concat(keys(local.web_services), keys(local.workers), tolist(local.jobs)) :
    name => "${local.image_registry}/${var.app}/${name}:${lookup(var.image_tag_overrides, name, var.image_tag)}"
  }

  # What the applications connect to: the add-ons, or the existing endpoints.
  database_host       = var.addons_enabled ? module.aurora[0].database_host : var.existing_endpoints.database_host
  database_secret_arn = var.addons_enabled ? module.aurora[0].master_user_secret_arn : var.existing_endpoints.database_secret_arn
  cache_host          = var.addons_enabled && var.valkey_enabled ? module.valkey[0].endpoint_address : var.existing_endpoints.cache_host
  secret_kms_key_arns = var.addons_enabled ? [module.aurora[0].kms_key_arn] : []
  dynamodb_table_arns = var.addons_enabled ? values(module.dynamodb[0].table_arns) : [
    for table in ["Ec_Product", "Ec_Order", "Outbox_Ec_Order"] :
    "arn:aws:dynamodb:${var.region}:${coalesce(var.existing_endpoints.dynamodb_table_account, data.aws_caller_identity.current.account_id)}:table/${table}"
  ]
  # Keys decided by settings, not by values only known after apply.
  app_environment = merge(
    var.addons_enabled || var.existing_endpoints.database_host != null ? { CALINKS_DB_HOST = local.database_host } : {},
    (var.addons_enabled && var.valkey_enabled) || var.existing_endpoints.cache_host != null ? { CALINKS_CACHE_HOST = local.cache_host } : {},
  )
  app_secrets      = var.addons_enabled || var.existing_endpoints.database_secret_arn != null ? { CALINKS_DB_CREDENTIALS = local.database_secret_arn } : {}
  alarm_topic_arns = var.addons_enabled ? [module.ops[0].alarm_topic_arn] : []
}

data "aws_caller_identity" "current" {}

data "aws_route53_zone" "public" {
  name         = var.public_zone_name
  private_zone = false
}

################################################################################
# Network, cluster, edge
################################################################################

module "network" {
  source = "../../modules/network"

  name               = local.name
  vpc_id             = var.vpc_id
  cidr_block         = var.vpc_cidr_block
  availability_zones = var.availability_zones
  nat_gateway_mode   = var.nat_gateway_mode
  private_zone_name  = var.addons_enabled ? "${var.environment}.${var.app}.internal" : null
}

module "cluster" {
  source = "../../modules/ecs-cluster"

  name = local.name
}

module "edge" {
  source = "../../modules/edge"

  name                      = local.name
  vpc_id                    = module.network.vpc_id
  public_subnet_ids         = module.network.public_subnet_ids
  zone_id                   = data.aws_route53_zone.public.zone_id
  domain_name               = var.domain_name
  subject_alternative_names = ["*.${var.domain_name}"]
  hostnames                 = [for service in values(local.web_services) : service.host if service.host != null]
  deletion_protection       = local.deletion_protection
  log_buckets_force_destroy = var.force_destroy_storage
}

################################################################################
# Messaging and services
################################################################################

module "messaging" {
  source = "../../modules/messaging"

  app                 = var.app
  environment         = var.environment
  topics              = local.topics
  publisher_role_arns = { for name in distinct([for topic in values(local.topics) : topic.publisher]) : name => module.web_service[name].task_role_arn }
}

module "web_service" {
  source   = "../../modules/web-service"
  for_each = local.web_services

  app         = var.app
  environment = var.environment
  name        = each.key
  cluster_arn = module.cluster.cluster_arn
  vpc_id      = module.network.vpc_id
  subnet_ids  = module.network.private_subnet_ids

  container = {
    image       = local.images[each.key]
    environment = local.app_environment
    secrets     = local.app_secrets
  }
  nginx_sidecar = each.value.host == null ? null : { image = var.nginx_image }
  load_balancer = each.value.host == null ? null : {
    listener_arn      = module.edge.https_listener_arn
    security_group_id = module.edge.alb_security_group_id
    priority          = each.value.priority
    host_headers      = [each.value.host]
    health_check_path = "/healthz"
  }

  cpu           = try(coalesce(var.web_service_settings[each.key].cpu), 512)
  memory        = try(coalesce(var.web_service_settings[each.key].memory), 1024)
  desired_count = try(coalesce(var.web_service_settings[each.key].desired_count), 2)
  autoscaling = var.service_autoscaling_enabled ? {
    min_capacity = try(coalesce(var.web_service_settings[each.key].min_capacity), 2)
    max_capacity = try(coalesce(var.web_service_settings[each.key].max_capacity), 10)
  } : null

  task_definition_ownership = contains(keys(var.externally_owned_task_definitions), each.key) ? "external" : "terraform"
  task_definition_arn       = lookup(var.externally_owned_task_definitions, each.key, null)

  publish_topic_arns  = { for topic, arn in module.messaging.topic_arns : topic => arn if local.topics[topic].publisher == each.key }
  topic_kms_key_arn   = module.messaging.kms_key_arn
  dynamodb_table_arns = local.dynamodb_table_arns
  secret_kms_key_arns = local.secret_kms_key_arns
  exec_kms_key_arn    = module.cluster.kms_key_arn
}

module "worker" {
  source   = "../../modules/worker"
  for_each = local.workers

  app         = var.app
  environment = var.environment
  name        = each.key
  cluster_arn = module.cluster.cluster_arn
  vpc_id      = module.network.vpc_id
  subnet_ids  = module.network.private_subnet_ids

  container = {
    image       = local.images[each.key]
    cpu         = try(coalesce(var.worker_settings[each.key].cpu), 256)
    memory      = try(coalesce(var.worker_settings[each.key].memory), 512)
    environment = local.app_environment
    secrets     = local.app_secrets
  }
  task_definition_ownership = contains(keys(var.externally_owned_task_definitions), each.key) ? "external" : "terraform"
  task_definition_arn       = lookup(var.externally_owned_task_definitions, each.key, null)

  subscriptions    = { for topic in each.value.topics : topic => { topic_arn = module.messaging.topic_arns[topic] } }
  sender_role_arns = each.key == "worker-scheduled" && var.addons_enabled ? [module.scheduled_events[0].role_arn] : []

  max_receive_count          = try(coalesce(var.worker_settings[each.key].max_receive_count), 5)
  visibility_timeout_seconds = try(coalesce(var.worker_settings[each.key].visibility_timeout_seconds), 30)
  desired_count              = try(coalesce(var.worker_settings[each.key].desired_count), 1)
  autoscaling = var.service_autoscaling_enabled ? {
    max_capacity               = try(coalesce(var.worker_settings[each.key].max_capacity), 10)
    acceptable_latency_seconds = 300
    message_processing_seconds = try(coalesce(var.worker_settings[each.key].message_processing_seconds), 10)
  } : null
  dead_letter_queue_redrive_allow_policy = var.dead_letter_queue_redrive_allow_policy

  dynamodb_table_arns = local.dynamodb_table_arns
  secret_kms_key_arns = local.secret_kms_key_arns
  exec_kms_key_arn    = module.cluster.kms_key_arn
  alarm_topic_arns    = local.alarm_topic_arns
}

module "job" {
  source   = "../../modules/scheduled-job"
  for_each = local.jobs

  app         = var.app
  environment = var.environment
  name        = each.key
  cluster_arn = module.cluster.cluster_arn
  vpc_id      = module.network.vpc_id
  subnet_ids  = module.network.private_subnet_ids

  container = {
    image       = local.images[each.key]
    environment = local.app_environment
    secrets     = local.app_secrets
  }
  schedule_expression = lookup(var.job_schedules, each.key, "cron(0 0 1 1 ? 2099)")
  schedule_enabled    = contains(keys(var.job_schedules), each.key)
  dynamodb_table_arns = local.dynamodb_table_arns
}

################################################################################
# Add-ons: data
################################################################################

module "aurora" {
  source = "../../modules/aurora-mysql"
  count  = var.addons_enabled ? 1 : 0

  name                   = local.name
  vpc_id                 = module.network.vpc_id
  subnet_ids             = module.network.private_subnet_ids
  client_security_groups = local.app_security_groups
  instance_class         = var.aurora.instance_class
  instance_count         = var.aurora.instance_count
  engine_version         = var.aurora.engine_version
  deletion_protection    = local.deletion_protection
  skip_final_snapshot    = var.force_destroy_storage
  private_dns            = { zone_id = module.network.private_zone_id }
}

module "valkey" {
  source = "../../modules/valkey"
  count  = var.addons_enabled && var.valkey_enabled ? 1 : 0

  name                   = local.name
  vpc_id                 = module.network.vpc_id
  subnet_ids             = slice(module.network.private_subnet_ids, 0, min(3, length(module.network.private_subnet_ids)))
  client_security_groups = local.app_security_groups
}

module "dynamodb" {
  source = "../../modules/dynamodb"
  count  = var.addons_enabled ? 1 : 0

  name_prefix         = var.dynamodb_table_prefix
  deletion_protection = local.deletion_protection
}

locals {
  app_security_groups = merge(
    { for name, service in module.web_service : name => service.security_group_id },
    { for name, worker in module.worker : name => worker.security_group_id },
    { for name, job in module.job : name => job.security_group_id },
  )
}

################################################################################
# Add-ons: storage, scheduling, ops
################################################################################

module "private_assets" {
  source    = "../../modules/private-assets"
  count     = var.addons_enabled ? 1 : 0
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1 }

  name                       = "${local.name}-private-static"
  bucket_name                = "${local.name}-private-static-${data.aws_caller_identity.current.account_id}"
  signed_urls_public_key_pem = var.private_assets_public_key_pem
  force_destroy              = var.force_destroy_storage
}

module "static_site" {
  source    = "../../modules/static-site"
  count     = var.static_site_enabled ? 1 : 0
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1 }

  name          = "${local.name}-static"
  domain_name   = "static.${var.public_zone_name}"
  zone_id       = data.aws_route53_zone.public.zone_id
  bucket_name   = "${local.name}-static-${data.aws_caller_identity.current.account_id}"
  force_destroy = var.force_destroy_storage
}

module "scheduled_events" {
  source = "../../modules/scheduled-events"
  count  = var.addons_enabled ? 1 : 0

  name      = local.name
  queue_arn = module.worker["worker-scheduled"].queue_arn
  schedules = var.scheduled_events
}

module "ops" {
  source = "../../modules/ops"
  count  = var.addons_enabled ? 1 : 0

  name                  = local.name
  alarm_email_addresses = var.alarm_email_addresses
  chatbot_enabled       = var.chatbot_enabled
  slack_team_id         = try(var.slack.team_id, null)
  slack_channel_id      = try(var.slack.channel_id, null)
  ses_domain            = var.ses_domain
  public_zone           = var.ses_domain == null ? null : { zone_id = data.aws_route53_zone.public.zone_id }
  client_vpn_enabled    = local.client_vpn
  client_vpn = local.client_vpn ? {
    server_certificate_arn      = data.aws_acm_certificate.client_vpn["server"].arn
    client_root_certificate_arn = data.aws_acm_certificate.client_vpn["client_root"].arn
    vpc_id                      = module.network.vpc_id
    subnet_ids                  = module.network.private_subnet_ids
  } : null
}

locals {
  client_vpn = var.addons_enabled && var.client_vpn_enabled && var.client_vpn_certificate_domains != null
}

# Client VPN certificates are imported into ACM by the operators (their keys
# never pass through Terraform); they are found by domain.
data "aws_acm_certificate" "client_vpn" {
  for_each = local.client_vpn ? tomap(var.client_vpn_certificate_domains) : {}

  domain      = each.value
  types       = ["IMPORTED"]
  most_recent = true
}

check "client_vpn_certificates_named" {
  assert {
    condition     = !(var.addons_enabled && var.client_vpn_enabled) || var.client_vpn_certificate_domains != null
    error_message = "client_vpn_enabled needs client_vpn_certificate_domains: the Client VPN is left out."
  }
}
