################################################################################
# Identity
################################################################################

variable "app" {
  description = "Application name, as in Copilot (`calinks`)."
  type        = string
  default     = "calinks"
}

variable "environment" {
  description = "Environment name: develop, customer, staging or production."
  type        = string

  validation {
    condition     = contains(["develop", "customer", "staging", "production"], var.environment)
    error_message = "environment must be develop, customer, staging or production."
  }
}

variable "region" {
  description = "Region of everything but CloudFront's certificates and web ACLs (us-east-1)."
  type        = string
  default     = "ap-northeast-1"
}

variable "aws_max_retries" {
  description = "Retries of one AWS API call. Keep the default against AWS; 1 against an emulator that answers unimplemented APIs with HTTP 500."
  type        = number
  default     = 25
}

variable "extra_tags" {
  description = "Tags added to every resource on top of app and environment (for example a test run's `calinks:test`)."
  type        = map(string)
  default     = {}
}

################################################################################
# Network and names
################################################################################

variable "vpc_id" {
  description = "Existing VPC to import (develop, customer). Null: the environment manages its own VPC."
  type        = string
  default     = null
}

variable "vpc_cidr_block" {
  description = "CIDR block of a managed VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "availability_zones" {
  description = "Zones of a managed VPC (2 or 3)."
  type        = list(string)
  default     = ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]
}

variable "imported_subnet_ids" {
  description = "With vpc_id (required there): the imported VPC's private subnets (tasks, data stores) and public subnets (load balancer), named explicitly."
  type = object({
    private = list(string)
    public  = list(string)
  })
  default = null
}

variable "nat_gateway_mode" {
  description = "NAT of a managed VPC: `single` or `per_az`."
  type        = string
  default     = "per_az"
}

variable "public_zone_name" {
  description = "Public Route53 zone that holds the environment's names (looked up, not managed)."
  type        = string
  default     = "mycalinks.io"
}

variable "domain_name" {
  description = "The environment's domain; web services answer at `<host>.<domain_name>`."
  type        = string
}

################################################################################
# Services, workers, jobs
################################################################################

variable "image_registry" {
  description = "Registry of the application images (`<registry>/<app>/<name>:<tag>`, as Copilot pushed them). Null: this account's ECR in region."
  type        = string
  default     = null
}

variable "image_tag" {
  description = "Tag of the application images this environment runs."
  type        = string
}

variable "image_tag_overrides" {
  description = "Per service, worker or job: a tag other than image_tag."
  type        = map(string)
  default     = {}
}

variable "nginx_image" {
  description = "Image of the nginx sidecar of the web services."
  type        = string
  default     = "public.ecr.aws/nginx/nginx:stable"
}

variable "service_environment" {
  description = "Per service, worker or job: environment variables added to (or replacing) the defaults. The defaults: CALINKS_DB_HOST, CALINKS_DB_PORT, CALINKS_DB_USER (the workload's own name) and CALINKS_DB_AUTH = iam where there is a database; CALINKS_CACHE_HOST for cache_clients; CALINKS_PRIVATE_STATIC_BUCKET, _DOMAIN and _KEY_PAIR_ID for pos-web-app (add-ons); CALINKS_MAIL_DOMAIN for mail_senders; the COPILOT_* variables are always set."
  type        = map(map(string))
  default     = {}
}

variable "service_secrets" {
  description = "Per service, worker or job: secrets injected as environment variables (variable name => Secrets Manager or SSM parameter ARN); only that workload's execution role may read them. None by default: the database needs no password (IAM authentication)."
  type        = map(map(string))
  default     = {}
}

variable "service_secret_kms_key_arns" {
  description = "Customer managed keys that encrypt the secrets in service_secrets (none when they use the AWS managed key)."
  type        = list(string)
  default     = []
}

variable "cache_clients" {
  description = "Workloads that reach the Valkey cache (network access and CALINKS_CACHE_HOST)."
  type        = list(string)
  default     = ["pos-web-app"]
}

variable "mail_senders" {
  description = "Workloads that send mail through SES (add-ons with ses_domain)."
  type        = list(string)
  default     = ["worker-notification"]
}

variable "externally_owned_task_definitions" {
  description = "Services and workers whose task definition CI owns, with the revision they start with (name => task definition ARN). Others are built by Terraform."
  type        = map(string)
  default     = {}
}

variable "web_service_settings" {
  description = "Per web or backend service overrides: task size, count and CPU autoscaling range."
  type = map(object({
    cpu           = optional(number)
    memory        = optional(number)
    desired_count = optional(number)
    min_capacity  = optional(number)
    max_capacity  = optional(number)
  }))
  default = {}
}

variable "worker_settings" {
  description = "Per worker overrides of the queue and service settings."
  type = map(object({
    cpu                        = optional(number)
    memory                     = optional(number)
    desired_count              = optional(number)
    max_capacity               = optional(number)
    max_receive_count          = optional(number)
    visibility_timeout_seconds = optional(number)
    message_processing_seconds = optional(number)
  }))
  default = {}
}

variable "job_schedules" {
  description = "Cron of each scheduled job (Asia/Tokyo); a job missing here runs only by hand."
  type        = map(string)
  default = {
    job-daily-calculate    = "cron(0 3 * * ? *)"
    job-ensure-consistency = "cron(15 * * * ? *)"
  }
}

variable "scheduled_events" {
  description = "EventBridge schedules that send a message to worker-scheduled's queue (add-ons only)."
  type = map(object({
    schedule_expression = string
    message_body        = string
    message_group_id    = string
  }))
  default = {}
}

variable "service_autoscaling_enabled" {
  description = "CPU autoscaling of the web services and backlog autoscaling of the workers."
  type        = bool
  default     = true
}

variable "dead_letter_queue_redrive_allow_policy" {
  description = "Redrive-allow policies on the workers' dead-letter queues."
  type        = bool
  default     = true
}

################################################################################
# Add-ons (data, storage, ops)
################################################################################

variable "addons_enabled" {
  description = "Create the data, storage and ops add-ons (Aurora + RDS Proxy, Valkey, DynamoDB, private-static CDN, alarms, Chatbot, SES, Client VPN, scheduled events). Off: the services use the existing endpoints below."
  type        = bool
}

variable "existing_endpoints" {
  description = "Without add-ons: what the services use instead. The database is reached through an existing RDS Proxy with IAM authentication (`database_host` its name, `database_proxy_arn` its ARN; each application connects as the database user named after it); the tables may sit in another account and be encrypted with a customer managed key."
  type = object({
    database_host          = optional(string)
    database_proxy_arn     = optional(string)
    cache_host             = optional(string)
    dynamodb_table_account = optional(string)
    dynamodb_kms_key_arn   = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = (var.existing_endpoints.database_host == null) == (var.existing_endpoints.database_proxy_arn == null)
    error_message = "existing_endpoints.database_host and existing_endpoints.database_proxy_arn go together: the applications connect to that proxy with IAM authentication (rds-db:connect on its ARN)."
  }
  validation {
    condition     = var.existing_endpoints.database_proxy_arn == null || can(regex("^arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:db-proxy:prx-[0-9a-z]+$", var.existing_endpoints.database_proxy_arn))
    error_message = "existing_endpoints.database_proxy_arn must be an RDS Proxy ARN, arn:aws:rds:<region>:<account>:db-proxy:prx-<id>."
  }
}

variable "dynamodb_table_prefix" {
  description = "Prefix of the DynamoDB table names (add-ons); the estate's tables have none, test stacks sharing an account do."
  type        = string
  default     = ""
}

variable "aurora" {
  description = "Aurora MySQL settings (add-ons)."
  type = object({
    instance_class = optional(string, "db.r6g.large")
    instance_count = optional(number, 2)
    engine_version = optional(string, "8.0.mysql_aurora.3.08.2")
  })
  default = {}
}

variable "valkey_enabled" {
  description = "Create the ElastiCache Serverless Valkey cache (add-ons)."
  type        = bool
  default     = true
}

variable "private_assets_public_key_pem" {
  description = "Add-ons: PEM public key that verifies the signed URLs of private-static (required there: the private bucket is never served unsigned). pos-web-app signs with the private half, which it gets as a secret through service_secrets."
  type        = string
  default     = null
}

variable "private_assets_signed_urls" {
  description = "Serve private-static only through signed URLs (private_assets_public_key_pem). Off only in the emulator profile: moto cannot delete a CloudFront key group."
  type        = bool
  default     = true
}

variable "static_site_enabled" {
  description = "Serve the public static content at static.<public_zone_name> (production)."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Protect the load balancer, the Aurora cluster and the DynamoDB tables from deletion. Off only for throwaway stacks (tests)."
  type        = bool
  default     = true
}

variable "force_destroy_storage" {
  description = "Let destroy delete buckets with their objects, Aurora without a final snapshot and secrets at once; for test environments only."
  type        = bool
  default     = false
}

variable "alarm_email_addresses" {
  description = "Addresses that receive alarms."
  type        = list(string)
  default     = []
}

variable "chatbot_enabled" {
  description = "Forward alarms to Slack through AWS Chatbot."
  type        = bool
  default     = true
}

variable "slack" {
  description = "Slack workspace and channel of the alarms."
  type = object({
    team_id    = string
    channel_id = string
  })
  default = null
}

variable "ses_domain" {
  description = "Domain that sends mail through SES. Null: none."
  type        = string
  default     = null
}

variable "client_vpn_enabled" {
  description = "Create the operators' Client VPN endpoint."
  type        = bool
  default     = true
}

variable "client_vpn_certificate_domains" {
  description = "Domains of the certificates the operators imported into ACM for the Client VPN: the server's and the client root CA's (mutual authentication)."
  type = object({
    server      = string
    client_root = string
  })
  default = null
}

variable "adoption" {
  description = "What a Copilot environment already has, kept by name instead of created (written by `make adopt` into adoption.auto.tfvars; see docs/migrating-from-copilot.md). Empty: a fresh estate with the project's names. `workers` is keyed by worker name: its queue, dead-letter queue (null when Copilot made none: one is created in place), service, queue key (Copilot's EventsKMSKey, which still encrypts the messages in the queue), and Copilot's task role, admitted as a consumer until the cutover ends. `publisher_role_arns`: the task roles of the publishers still running under Copilot, by service name, admitted to publish to their topics until the cutover ends. `copilot_serves_traffic`: while true, the web services' DNS records point at `copilot_load_balancer`; set it to false to switch traffic here, true to switch back (both in place). `dynamodb_table_names`, `private_static_bucket_name` and `static_bucket_name`: the tables and buckets of Copilot's storage add-ons, imported with their data (they need addons_enabled; static_bucket_name static_site_enabled); `copilot_task_role_arns`: the task roles of Copilot's services, granted the tables' and private-static's keys through DynamoDB and S3 until the cutover ends. `aurora`: Copilot's Aurora cluster, imported with its data and kept as made where changing it would replace it or cut off Copilot's services (needs addons_enabled, and vpc_id its VPC: a cluster cannot move; see modules/aurora-mysql, variable adopted_cluster)."
  type = object({
    cluster_name = optional(string)
    workers = optional(map(object({
      queue_name                 = string
      dead_letter_queue_name     = optional(string)
      service_name               = string
      queue_kms_key_arn          = optional(string)
      copilot_task_role_arn      = optional(string)
      service_discovery_endpoint = optional(string)
      # Copilot's queue settings, kept.
      visibility_timeout_seconds = optional(number)
      message_retention_seconds  = optional(number)
      delay_seconds              = optional(number)
      max_receive_count          = optional(number)
    })), {})
    publisher_role_arns = optional(map(string), {})
    # Copilot's load balancer, and whether it still serves the web services'
    # hostnames: their records then point at it, so the apply moves no traffic.
    copilot_load_balancer = optional(object({
      dns_name = string
      zone_id  = string
    }))
    copilot_serves_traffic = optional(bool, false)
    # Copilot's storage add-ons (addons_enabled): tables by the root's table
    # name (Ec_Product, ...), and the buckets private-static and static.
    dynamodb_table_names = optional(map(string), {})
    # Copilot's task roles, which keep using the adopted tables and bucket
    # (through the environment's keys) until the cutover ends.
    copilot_task_role_arns     = optional(list(string), [])
    private_static_bucket_name = optional(string)
    static_bucket_name         = optional(string)
    # Copilot's Aurora add-on, imported with its data (addons_enabled, and
    # vpc_id its VPC): typed and checked as modules/aurora-mysql's variable
    # adopted_cluster.
    aurora = optional(any)
  })
  validation {
    condition     = !var.adoption.copilot_serves_traffic || var.adoption.copilot_load_balancer != null
    error_message = "adoption.copilot_serves_traffic = true needs adoption.copilot_load_balancer (its dns_name and zone_id), where the hostnames keep pointing."
  }
  default  = {}
  nullable = false
}
