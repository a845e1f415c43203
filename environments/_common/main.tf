# One Calinks environment, composed of the tier modules. Every environment
# root links these files and differs only in its terraform.tfvars (and its
# backend.hcl); the matrix of docs/architecture.md is expressed by the variables
# vpc_id (imported VPC), addons_enabled and static_site_enabled.

locals {
  name = "${var.app}-${var.environment}"
  tags = merge({ "calinks:app" = var.app, "calinks:environment" = var.environment }, var.extra_tags)

  # Who publishes each topic and which topics each worker consumes
  # (docs/architecture.md, "Messaging"); worker-scheduled is fed by EventBridge.
  # In JSON because `make adopt` reads it too.
  messaging = jsondecode(file("${path.module}/../_common/messaging.json"))
  topics    = local.messaging.topics
  workers   = local.messaging.workers

  # The web services (by the subdomain they serve, none for a backend) and
  # the jobs; in JSON for the same reason.
  workloads = jsondecode(file("${path.module}/../_common/workloads.json"))
  web_services = { for name, service in local.workloads.web_services : name => {
    host     = service.subdomain == null ? null : "${service.subdomain}.${var.domain_name}"
    priority = service.priority
  } }
  jobs = toset(local.workloads.jobs)

  image_registry = coalesce(var.image_registry, "${data.aws_caller_identity.current.account_id}.dkr.ecr.${var.region}.amazonaws.com")
  images = {
    for name in concat(keys(local.web_services), keys(local.workers), tolist(local.jobs)) :
    name => "${local.image_registry}/${var.app}/${name}:${lookup(var.image_tag_overrides, name, var.image_tag)}"
  }

  workload_names = concat(keys(local.web_services), keys(local.workers), tolist(local.jobs))

  # What the applications connect to: the add-ons, or the existing endpoints.
  database_configured = var.addons_enabled || var.existing_endpoints.database_host != null
  cache_configured    = (var.addons_enabled && var.valkey_enabled) || var.existing_endpoints.cache_host != null
  database_host       = var.addons_enabled ? module.aurora[0].database_host : var.existing_endpoints.database_host
  cache_host          = var.addons_enabled && var.valkey_enabled ? module.valkey[0].endpoint_address : var.existing_endpoints.cache_host
  # IAM authentication to RDS Proxy, each workload as its own database user.
  database_proxy_arn = var.existing_endpoints.database_proxy_arn
  database_user_arns = var.addons_enabled ? module.aurora[0].database_user_arns : {
    for name in local.workload_names : name => format("arn:%s:rds-db:%s:%s:dbuser:%s/%s", split(":", local.database_proxy_arn)[1],
    split(":", local.database_proxy_arn)[3], split(":", local.database_proxy_arn)[4], split(":", local.database_proxy_arn)[6], name)
    if local.database_proxy_arn != null
  }
  dynamodb_table_arns = var.addons_enabled ? values(module.dynamodb[0].table_arns) : [
    for table in ["Ec_Product", "Ec_Order", "Outbox_Ec_Order"] :
    "arn:aws:dynamodb:${var.region}:${coalesce(var.existing_endpoints.dynamodb_table_account, data.aws_caller_identity.current.account_id)}:table/${table}"
  ]
  dynamodb_kms_key_arn = var.addons_enabled ? module.dynamodb[0].kms_key_arn : var.existing_endpoints.dynamodb_kms_key_arn
  private_static       = var.addons_enabled ? module.private_assets[0] : null
  mail                 = var.addons_enabled && var.ses_domain != null

  # What each workload may use besides its queue and topics (docs/architecture.md, "What
  # each workload may do"): the tables, the database as its own user, the
  # private bucket (pos-web-app), mail (mail_senders).
  data_access = { for name in local.workload_names : name => {
    dynamodb_table_arns  = local.dynamodb_table_arns
    dynamodb_kms_key_arn = local.dynamodb_kms_key_arn
    database_user_arns   = local.database_configured ? [local.database_user_arns[name]] : []
    bucket_object_arns   = name == "pos-web-app" && var.addons_enabled ? ["${local.private_static.bucket_arn}/*"] : []
    bucket_kms_key_arn   = name == "pos-web-app" && var.addons_enabled ? local.private_static.kms_key_arn : null
    ses_identity_arns    = local.mail && contains(var.mail_senders, name) ? [module.ops[0].ses_identity_arn] : []
  } }

  # Each workload's environment: documented defaults (variable
  # service_environment), then the operator's own. Keys depend on settings
  # only, never on values known after apply.
  app_environment = { for name in local.workload_names : name => merge(
    local.database_configured ? {
      CALINKS_DB_HOST = local.database_host
      CALINKS_DB_PORT = "3306"
      CALINKS_DB_USER = name
      CALINKS_DB_AUTH = "iam"
    } : {},
    local.cache_configured && contains(var.cache_clients, name) ? { CALINKS_CACHE_HOST = local.cache_host } : {},
    var.addons_enabled && name == "pos-web-app" ? {
      CALINKS_PRIVATE_STATIC_BUCKET      = local.private_static.bucket_name
      CALINKS_PRIVATE_STATIC_DOMAIN      = local.private_static.distribution_domain_name
      CALINKS_PRIVATE_STATIC_KEY_PAIR_ID = local.private_static.public_key_id
    } : {},
    local.mail && contains(var.mail_senders, name) ? { CALINKS_MAIL_DOMAIN = var.ses_domain } : {},
    lookup(var.service_environment, name, {}),
  ) }
  app_secrets      = { for name in local.workload_names : name => lookup(var.service_secrets, name, {}) }
  alarm_topic_arns = var.addons_enabled ? [module.ops[0].alarm_topic_arn] : []
}

# Rules between inputs, checked at plan time with the input named.
data "aws_caller_identity" "current" {
  lifecycle {
    precondition {
      condition     = var.vpc_id == null || var.imported_subnet_ids != null
      error_message = "vpc_id (an imported VPC) needs imported_subnet_ids: name its private and public subnets; they are never guessed."
    }
    postcondition {
      condition = var.existing_endpoints.database_proxy_arn == null || try(
        split(":", var.existing_endpoints.database_proxy_arn)[4] == self.account_id && split(":", var.existing_endpoints.database_proxy_arn)[3] == var.region, false
      )
      error_message = "existing_endpoints.database_proxy_arn must name an RDS Proxy of this account in var.region: the tasks' rds-db:connect permissions point at it."
    }
    precondition {
      condition     = !var.addons_enabled || !var.private_assets_signed_urls || var.private_assets_public_key_pem != null
      error_message = "addons_enabled needs private_assets_public_key_pem: private-static serves its bucket only through signed URLs."
    }
    precondition {
      condition     = var.addons_enabled || (length(var.adoption.dynamodb_table_names) == 0 && var.adoption.private_static_bucket_name == null)
      error_message = "adoption.dynamodb_table_names and adoption.private_static_bucket_name need addons_enabled: without the add-ons the root manages no table and no private-static bucket."
    }
    precondition {
      condition     = var.adoption.aurora == null || (var.addons_enabled && var.vpc_id == try(var.adoption.aurora.vpc_id, null))
      error_message = "adoption.aurora needs addons_enabled and vpc_id = adoption.aurora.vpc_id (${try(var.adoption.aurora.vpc_id, "")}): the root manages a database only with the add-ons, and a cluster cannot move to another VPC, so the environment runs in Copilot's (with imported_subnet_ids)."
    }
    precondition {
      condition     = var.static_site_enabled || var.adoption.static_bucket_name == null
      error_message = "adoption.static_bucket_name needs static_site_enabled: without it the root manages no static bucket."
    }
    precondition {
      condition     = length(setsubtract(concat(keys(var.service_environment), keys(var.service_secrets), var.cache_clients, var.mail_senders), local.workload_names)) == 0
      error_message = "service_environment, service_secrets, cache_clients and mail_senders may name only this estate's workloads: ${join(", ", local.workload_names)}."
    }
  }
}

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

  imported_private_subnet_ids = try(var.imported_subnet_ids.private, [])
  imported_public_subnet_ids  = try(var.imported_subnet_ids.public, [])
  private_zone_name           = var.addons_enabled ? "${var.environment}.${var.app}.internal" : null
}

module "cluster" {
  source = "../../modules/ecs-cluster"

  name = coalesce(var.adoption.cluster_name, local.name)
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
  # On Copilot's load balancer while it serves them (var.adoption).
  hostnames_served_by       = var.adoption.copilot_serves_traffic ? var.adoption.copilot_load_balancer : null
  deletion_protection       = var.deletion_protection
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
  # Copilot's publishers keep publishing until the web services are cut over.
  cutover_publisher_role_arns = var.adoption.publisher_role_arns
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
    environment = local.app_environment[each.key]
    secrets     = local.app_secrets[each.key]
  }
  nginx_sidecar = each.value.host == null ? null : { image = var.nginx_image }
  # The listener and the load balancer's group are passed apart from the
  # target group's settings, so create_before_destroy stays on the target group.
  listener_arn                    = each.value.host == null ? null : module.edge.https_listener_arn
  load_balancer_security_group_id = each.value.host == null ? null : module.edge.alb_security_group_id
  load_balancer = each.value.host == null ? null : {
    priority     = each.value.priority
    host_headers = [each.value.host]
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
  data_access         = local.data_access[each.key]
  secret_kms_key_arns = var.service_secret_kms_key_arns
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

  # Copilot's objects, when adopted (var.adoption).
  queue_name                    = try(var.adoption.workers[each.key].queue_name, null)
  dead_letter_queue_name        = try(var.adoption.workers[each.key].dead_letter_queue_name, null)
  service_name                  = try(var.adoption.workers[each.key].service_name, null)
  queue_kms_key_id              = try(var.adoption.workers[each.key].queue_kms_key_arn, null)
  additional_consumer_role_arns = compact([try(var.adoption.workers[each.key].copilot_task_role_arn, null)])
  service_discovery_endpoint    = try(var.adoption.workers[each.key].service_discovery_endpoint, null)

  container = {
    image       = local.images[each.key]
    cpu         = try(coalesce(var.worker_settings[each.key].cpu), 256)
    memory      = try(coalesce(var.worker_settings[each.key].memory), 512)
    environment = local.app_environment[each.key]
    secrets     = local.app_secrets[each.key]
  }
  task_definition_ownership = contains(keys(var.externally_owned_task_definitions), each.key) ? "external" : "terraform"
  task_definition_arn       = lookup(var.externally_owned_task_definitions, each.key, null)

  subscriptions    = { for topic in each.value.topics : topic => { topic_arn = module.messaging.topic_arns[topic] } }
  sender_role_arns = each.key == "worker-scheduled" && var.addons_enabled ? [module.scheduled_events[0].role_arn] : []
  # EventBridge Scheduler sends no deduplication ID (see scheduled-events).
  content_based_deduplication = each.key == "worker-scheduled"

  # An adopted queue keeps Copilot's settings unless worker_settings says otherwise:
  # a shorter retention would expire the messages it holds.
  max_receive_count          = coalesce(try(var.worker_settings[each.key].max_receive_count, null), try(var.adoption.workers[each.key].max_receive_count, null), 5)
  visibility_timeout_seconds = coalesce(try(var.worker_settings[each.key].visibility_timeout_seconds, null), try(var.adoption.workers[each.key].visibility_timeout_seconds, null), 30)
  message_retention_seconds  = try(coalesce(var.adoption.workers[each.key].message_retention_seconds), 345600)
  delay_seconds              = try(coalesce(var.adoption.workers[each.key].delay_seconds), 0)
  desired_count              = try(coalesce(var.worker_settings[each.key].desired_count), 1)
  autoscaling = var.service_autoscaling_enabled ? {
    max_capacity               = try(coalesce(var.worker_settings[each.key].max_capacity), 10)
    acceptable_latency_seconds = 300
    message_processing_seconds = try(coalesce(var.worker_settings[each.key].message_processing_seconds), 10)
  } : null
  dead_letter_queue_redrive_allow_policy = var.dead_letter_queue_redrive_allow_policy

  data_access         = local.data_access[each.key]
  secret_kms_key_arns = var.service_secret_kms_key_arns
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
    environment = local.app_environment[each.key]
    secrets     = local.app_secrets[each.key]
  }
  schedule_expression = lookup(var.job_schedules, each.key, "cron(0 0 1 1 ? 2099)")
  schedule_enabled    = contains(keys(var.job_schedules), each.key)
  data_access         = local.data_access[each.key]
  secret_kms_key_arns = var.service_secret_kms_key_arns
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
  application_users      = toset(local.workload_names)
  instance_class         = var.aurora.instance_class
  instance_count         = var.aurora.instance_count
  engine_version         = var.aurora.engine_version
  deletion_protection    = var.deletion_protection
  skip_final_snapshot    = var.force_destroy_storage
  private_dns            = { zone_id = module.network.private_zone_id }
  adopted_cluster        = var.adoption.aurora
}

# Each application user's database password, generated into the secret only
# the proxy reads (write-only: never in a plan or the state).
module "database_user_passwords" {
  source = "../../modules/aurora-mysql/modules/user-passwords"
  count  = var.addons_enabled ? 1 : 0

  secret_ids = module.aurora[0].user_secret_arns
}

module "valkey" {
  source = "../../modules/valkey"
  count  = var.addons_enabled && var.valkey_enabled ? 1 : 0

  name                   = local.name
  vpc_id                 = module.network.vpc_id
  subnet_ids             = slice(module.network.private_subnet_ids, 0, min(3, length(module.network.private_subnet_ids)))
  client_security_groups = { for name in var.cache_clients : name => local.app_security_groups[name] }
}

module "dynamodb" {
  source = "../../modules/dynamodb"
  count  = var.addons_enabled ? 1 : 0

  name_prefix         = var.dynamodb_table_prefix
  table_names         = var.adoption.dynamodb_table_names
  key_user_role_arns  = var.adoption.copilot_task_role_arns
  deletion_protection = var.deletion_protection
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
  bucket_name                = coalesce(var.adoption.private_static_bucket_name, "${local.name}-private-static-${data.aws_caller_identity.current.account_id}")
  signed_urls_public_key_pem = var.private_assets_signed_urls ? var.private_assets_public_key_pem : null
  public_content             = !var.private_assets_signed_urls
  force_destroy              = var.force_destroy_storage
  key_user_role_arns         = var.adoption.copilot_task_role_arns
}

module "static_site" {
  source    = "../../modules/static-site"
  count     = var.static_site_enabled ? 1 : 0
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1 }

  name          = "${local.name}-static"
  domain_name   = "static.${var.public_zone_name}"
  zone_id       = data.aws_route53_zone.public.zone_id
  bucket_name   = coalesce(var.adoption.static_bucket_name, "${local.name}-static-${data.aws_caller_identity.current.account_id}")
  force_destroy = var.force_destroy_storage
}

module "scheduled_events" {
  source = "../../modules/scheduled-events"
  count  = var.addons_enabled ? 1 : 0

  name                              = local.name
  queue_arn                         = module.worker["worker-scheduled"].queue_arn
  queue_content_based_deduplication = module.worker["worker-scheduled"].content_based_deduplication
  # An adopted queue stays under Copilot's key: Scheduler's role encrypts with it.
  queue_kms_key_arn = try(var.adoption.workers["worker-scheduled"].queue_kms_key_arn, null)
  schedules         = var.scheduled_events
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
