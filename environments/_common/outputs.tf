output "vpc_id" {
  description = "VPC of the environment (managed or imported)."
  value       = module.network.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets of the tasks and data stores."
  value       = module.network.private_subnet_ids
}

output "cluster_name" {
  description = "ECS cluster of every service, worker and job."
  value       = module.cluster.cluster_name
}

output "alb_dns_name" {
  description = "DNS name of the load balancer."
  value       = module.edge.alb_dns_name
}

output "web_acl_arn" {
  description = "WAF web ACL associated with the load balancer."
  value       = module.edge.web_acl_arn
}

output "service_urls" {
  description = "URL of each web service."
  value       = { for name, service in local.web_services : name => "https://${service.host}/" if service.host != null }
}

output "topic_arns" {
  description = "SNS FIFO topic ARNs by topic name."
  value       = module.messaging.topic_arns
}

output "workers" {
  description = "Each worker's topics, queue, dead-letter queue and service."
  value = {
    for name, worker in module.worker : name => {
      topics                = local.workers[name].topics
      queue_url             = worker.queue_url
      dead_letter_queue_url = worker.dead_letter_queue_url
      service_arn           = worker.service_arn
    }
  }

  precondition {
    condition     = length(setsubtract(keys(var.adoption.workers), keys(local.workers))) == 0
    error_message = "adoption.workers names workers this environment does not have: ${join(", ", setsubtract(keys(var.adoption.workers), keys(local.workers)))}."
  }
}

output "web_services" {
  description = "Each web or backend service's ECS service and the topics it publishes to."
  value = {
    for name, service in module.web_service : name => {
      service_arn = service.service_arn
      publishes   = sort([for topic, spec in local.topics : topic if spec.publisher == name])
    }
  }
}

output "job_run_commands" {
  description = "The command that runs each scheduled job by hand."
  value       = { for name, job in module.job : name => job.run_task_command }
}

output "scheduled_event_arns" {
  description = "EventBridge schedules that feed worker-scheduled (add-ons)."
  value       = try(module.scheduled_events[0].schedule_arns, {})
}

output "database_host" {
  description = "Host the applications use for MySQL (RDS Proxy's private name, or the existing endpoint)."
  value       = local.database_host
}

output "cache_host" {
  description = "Host of the Valkey cache (add-on or existing)."
  value       = local.cache_host
}

output "dynamodb_table_arns" {
  description = "DynamoDB tables the applications use."
  value       = local.dynamodb_table_arns
}

output "private_assets_domain_name" {
  description = "CloudFront name of private-static (add-ons)."
  value       = try(module.private_assets[0].distribution_domain_name, null)
}

output "static_site_url" {
  description = "URL of the public static content (production)."
  value       = try(module.static_site[0].url, null)
}

output "alarm_topic_arn" {
  description = "Topic every alarm notifies (add-ons)."
  value       = try(module.ops[0].alarm_topic_arn, null)
}

output "switched_off" {
  description = "Parts this environment's settings leave out, each with the setting that does it."
  value = {
    for part, setting in {
      "ElastiCache Serverless Valkey"           = var.addons_enabled && !var.valkey_enabled ? "valkey_enabled = false" : null
      "Client VPN endpoint"                     = var.addons_enabled && !var.client_vpn_enabled ? "client_vpn_enabled = false" : null
      "Chatbot Slack channel"                   = var.addons_enabled && !var.chatbot_enabled ? "chatbot_enabled = false" : null
      "service and worker autoscaling"          = !var.service_autoscaling_enabled ? "service_autoscaling_enabled = false" : null
      "redrive-allow policy of the DLQs"        = !var.dead_letter_queue_redrive_allow_policy ? "dead_letter_queue_redrive_allow_policy = false" : null
      "signed URLs of private-static"           = var.addons_enabled && !var.private_assets_signed_urls ? "private_assets_signed_urls = false" : null
      "add-ons (data, storage, ops, schedules)" = !var.addons_enabled ? "addons_enabled = false" : null
    } : part => setting if setting != null
  }
}

# Read by the access-contract check (test/contract): every principal and
# resource the contract names, by workload and purpose. Null where the
# environment's settings leave the part out.
output "access_inventory" {
  description = "ARNs of every workload's roles and of every queue, topic, table, secret, bucket and key, for the access-contract check."
  value = {
    account_id  = data.aws_caller_identity.current.account_id
    region      = var.region
    environment = var.environment
    workloads = { for name in local.workload_names : name => {
      kind = contains(keys(local.workers), name) ? "worker" : contains(tolist(local.jobs), name) ? "job" : (
        local.web_services[name].host == null ? "backend-service" : "web-service"
      )
      task_role_arn         = try(module.web_service[name].task_role_arn, module.worker[name].task_role_arn, module.job[name].task_role_arn)
      execution_role_arn    = try(module.web_service[name].execution_role_arn, module.worker[name].execution_role_arn, module.job[name].execution_role_arn)
      queue_arn             = try(module.worker[name].queue_arn, null)
      dead_letter_queue_arn = try(module.worker[name].dead_letter_queue_arn, null)
      secret_arns           = values(local.app_secrets[name])
    } }
    topics            = { for topic, spec in local.topics : topic => { arn = module.messaging.topic_arns[topic], publisher = spec.publisher } }
    topic_kms_key_arn = module.messaging.kms_key_arn
    tables            = { for arn in local.dynamodb_table_arns : element(split("/", arn), 1) => arn }
    table_kms_key_arn = local.dynamodb_kms_key_arn
    database = local.database_configured ? {
      master_secret_arn  = try(module.aurora[0].master_user_secret_arn, null)
      secret_kms_key_arn = try(module.aurora[0].kms_key_arn, null)
      proxy_arn          = try(module.aurora[0].proxy_arn, local.database_proxy_arn)
      proxy_role_arn     = try(module.aurora[0].proxy_role_arn, null)
      proxy_user_arns    = local.database_user_arns
      user_secret_arns   = try(module.aurora[0].user_secret_arns, {})
    } : null
    private_bucket = var.addons_enabled ? {
      arn              = local.private_static.bucket_arn
      kms_key_arn      = local.private_static.kms_key_arn
      distribution_arn = local.private_static.distribution_arn
    } : null
    scheduler_role_arn      = try(module.scheduled_events[0].role_arn, null)
    job_scheduler_role_arns = { for name, job in module.job : name => job.scheduler_role_arn }
    static_site = var.static_site_enabled ? {
      bucket_arn       = module.static_site[0].bucket_arn
      kms_key_arn      = module.static_site[0].kms_key_arn
      distribution_arn = module.static_site[0].distribution_arn
    } : null
    alarms = var.addons_enabled ? {
      topic_arn        = module.ops[0].alarm_topic_arn
      kms_key_arn      = module.ops[0].kms_key_arn
      chatbot_role_arn = module.ops[0].chatbot_role_arn
    } : null
    # What Copilot's running services keep during a cutover (adoption).
    copilot = {
      consumer_role_arns  = { for name, worker in var.adoption.workers : name => worker.copilot_task_role_arn if worker.copilot_task_role_arn != null }
      queue_key_arns      = { for name, worker in var.adoption.workers : name => worker.queue_kms_key_arn if worker.queue_kms_key_arn != null }
      publisher_role_arns = var.adoption.publisher_role_arns
      task_role_arns      = var.adoption.copilot_task_role_arns
    }
    ses_identity_arn = local.mail ? module.ops[0].ses_identity_arn : null
    mail_senders     = local.mail ? var.mail_senders : []
    cache_clients    = local.cache_configured ? var.cache_clients : []
  }
}
