variable "app" {
  description = "Application name (`COPILOT_APPLICATION_NAME`)."
  type        = string
  default     = "calinks"
}

variable "environment" {
  description = "Environment name (`COPILOT_ENVIRONMENT_NAME`)."
  type        = string
}

variable "name" {
  description = "Service name (`COPILOT_SERVICE_NAME`), for example `pos-web-app`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.name))
    error_message = "name must be 1-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "cluster_arn" {
  description = "ECS cluster of the service."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the tasks."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the tasks."
  type        = list(string)
}

variable "container" {
  description = "The application container: its image, command, environment variables and secrets (variable name => secret ARN). Its port is `container_port`."
  type = object({
    image       = string
    port        = optional(number) # moved to container_port; set here, it fails validation
    command     = optional(list(string))
    environment = optional(map(string), {})
    secrets     = optional(map(string), {})
  })

  validation {
    condition     = var.container.port == null
    error_message = "container.port has moved to the container_port variable: the target group uses the port, and a target group that depended on the container's environment would pass create_before_destroy on to everything the environment names (databases, secrets, buckets), whose replacements then fail on their own names."
  }
}

variable "container_port" {
  description = "Where the application container listens (behind the nginx sidecar when there is one). A variable of its own, not part of `container`, so that the target group, which is replaced create-before-destroy, depends on nothing the container's environment names."
  type        = number
  default     = 8080

  validation {
    condition     = var.container_port >= 1 && var.container_port <= 65535
    error_message = "container_port must be from 1 to 65535."
  }
}

variable "nginx_sidecar" {
  description = <<-EOT
    The nginx sidecar that fronts the application, as under Copilot: it listens on `port`, the load balancer's target, and answers `health_check_path` (the target group's health check). By default it runs the official nginx image with a configuration this module writes at start (`nginx_configuration` output): it proxies everything to the application's port, the health check to the application's `application_health_check_path` (default: the same path), so a failing application fails its health check. With `image_configuration = true` the image is the team's own and its configuration must answer `health_check_path`. Null: no sidecar (the application is the target).
  EOT
  type = object({
    image                         = optional(string, "public.ecr.aws/nginx/nginx:stable")
    port                          = optional(number, 80)
    health_check_path             = optional(string, "/")
    application_health_check_path = optional(string)
    client_max_body_size          = optional(string, "10m")
    image_configuration           = optional(bool, false)
    environment                   = optional(map(string), {})
  })
  default = {}

  validation {
    condition     = var.nginx_sidecar == null || try(alltrue([for path in compact([var.nginx_sidecar.health_check_path, var.nginx_sidecar.application_health_check_path]) : can(regex("^/[A-Za-z0-9._~/-]*$", path))]), false)
    error_message = "nginx_sidecar.health_check_path and application_health_check_path must be absolute URL paths of letters, digits and . _ ~ / - (they are written into the nginx configuration)."
  }
  validation {
    condition     = var.nginx_sidecar == null || try(can(regex("^[0-9]+[kmg]?$", var.nginx_sidecar.client_max_body_size)), false)
    error_message = "nginx_sidecar.client_max_body_size must be an nginx size such as 10m (0 turns the limit off)."
  }
  validation {
    condition     = var.nginx_sidecar == null || try(var.nginx_sidecar.image_configuration || can(regex("(^|/)nginx(:|@|$)", var.nginx_sidecar.image)), false)
    error_message = "nginx_sidecar.image is not an official nginx image: the configuration this module writes needs its entrypoint (/docker-entrypoint.sh). Set nginx_sidecar.image_configuration = true when the team's image carries its own configuration that answers health_check_path."
  }
}

variable "cpu" {
  description = "Task CPU units (256 = 0.25 vCPU)."
  type        = number
  default     = 512
}

variable "memory" {
  description = "Task memory in MiB; must suit cpu on Fargate."
  type        = number
  default     = 1024
}

variable "load_balancer" {
  description = "Route requests from the ALB's HTTPS listener (`listener_arn`) to this service: the rule's host headers and/or path patterns, its priority, and the target group's health check (`health_check_path` only without a sidecar: the sidecar's own path is checked otherwise). `target_group_name` keeps an existing group's name (adoption; a replacement then needs a new name); by default the name is the service name's first letters (`pos-w-`) and a unique suffix, new with every replacement, so a replacement, a group left tainted by a failed create included, is created beside the old group. Only plain settings belong here: the target group reads this object and is replaced create-before-destroy, so anything it depends on is too (the listener and the load balancer's security group are variables of their own). Null: no load balancer (a backend service such as backend-outbox)."
  type = object({
    priority              = number
    host_headers          = optional(list(string), [])
    path_patterns         = optional(list(string), [])
    health_check_path     = optional(string)
    target_group_name     = optional(string)
    health_check_matcher  = optional(string, "200-399")
    deregistration_delay  = optional(number, 60)
    health_check_interval = optional(number, 15)
  })
  default = null

  validation {
    condition     = var.load_balancer == null || try(length(var.load_balancer.host_headers) + length(var.load_balancer.path_patterns) > 0, false)
    error_message = "load_balancer needs at least one of host_headers and path_patterns."
  }
  validation {
    condition     = var.load_balancer == null || try(var.load_balancer.priority >= 1 && var.load_balancer.priority <= 50000, false)
    error_message = "load_balancer.priority must be from 1 to 50000."
  }
  # https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html (Name)
  validation {
    condition     = try(var.load_balancer.target_group_name, null) == null || can(regex("^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$", var.load_balancer.target_group_name))
    error_message = "load_balancer.target_group_name must be 1 to 32 letters, digits and hyphens, not beginning or ending with a hyphen."
  }
}

variable "listener_arn" {
  description = "ARN of the ALB's HTTPS listener that routes to this service; required with `load_balancer`."
  type        = string
  default     = null
}

variable "load_balancer_security_group_id" {
  description = "Security group of the ALB, the only source admitted to the target port; required with `load_balancer`."
  type        = string
  default     = null
}

variable "desired_count" {
  description = "Tasks to start with. Afterwards the autoscaler (or an operator) owns the count and Terraform leaves it alone."
  type        = number
  default     = 1
}

variable "autoscaling" {
  description = "Target tracking on average CPU between min and max tasks. Null: a fixed count."
  type = object({
    min_capacity = optional(number, 1)
    max_capacity = number
    cpu_target   = optional(number, 70)
  })
  default = null

  validation {
    condition     = var.autoscaling == null || try(var.autoscaling.min_capacity <= var.autoscaling.max_capacity, false)
    error_message = "autoscaling.min_capacity must not exceed autoscaling.max_capacity."
  }
}

variable "task_definition_ownership" {
  description = "Who owns the task definition: `terraform` (built from container and nginx_sidecar) or `external` (CI deploys revisions; task_definition_arn is used at creation only and later deploys are not reverted)."
  type        = string
  default     = "terraform"

  validation {
    condition     = contains(["terraform", "external"], var.task_definition_ownership)
    error_message = "task_definition_ownership must be terraform or external."
  }
}

variable "task_definition_arn" {
  description = "With task_definition_ownership = external: the revision the service starts with."
  type        = string
  default     = null

  validation {
    condition     = var.task_definition_arn == null || can(regex("^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:task-definition/", var.task_definition_arn))
    error_message = "task_definition_arn must be an ECS task definition ARN."
  }
}

variable "capacity_provider_strategy" {
  description = "Capacity providers of the service. Empty: the cluster's default strategy."
  type = list(object({
    capacity_provider = string
    weight            = number
    base              = optional(number, 0)
  }))
  default = []
}

variable "publish_topic_arns" {
  description = "SNS topics the service publishes to, by topic name; injected as Copilot's `COPILOT_SNS_TOPIC_ARNS`."
  type        = map(string)
  default     = {}
}

variable "topic_kms_key_arn" {
  description = "KMS key of the topics in publish_topic_arns."
  type        = string
  default     = null
}

variable "data_access" {
  description = "What the application may use besides its queue and topics: DynamoDB tables and their key, the database users it connects as through RDS Proxy (IAM authentication), S3 objects and their bucket's key, SES identities. See ecs-task-base."
  type = object({
    dynamodb_table_arns  = optional(list(string), [])
    dynamodb_kms_key_arn = optional(string)
    database_user_arns   = optional(list(string), [])
    bucket_object_arns   = optional(list(string), [])
    bucket_kms_key_arn   = optional(string)
    ses_identity_arns    = optional(list(string), [])
  })
  default  = {}
  nullable = false
}

variable "secret_kms_key_arns" {
  description = "KMS keys that encrypt the container's secrets, if not the AWS-managed ones."
  type        = list(string)
  default     = []
}

variable "enable_execute_command" {
  description = "Allow `aws ecs execute-command` into the tasks."
  type        = bool
  default     = false
}

variable "exec_kms_key_arn" {
  description = "The cluster's execute-command KMS key, with enable_execute_command."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Days to keep container logs."
  type        = number
  default     = 30
}

variable "wait_for_steady_state" {
  description = "Make apply wait until the service is stable."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
