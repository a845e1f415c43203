# A Copilot "Load Balanced Web Service" (or "Backend Service" without
# load_balancer): a Fargate service of the application container and an nginx
# sidecar, its target group and host/path rule on the ALB, roles, logs and
# autoscaling.

locals {
  full_name   = "${var.app}-${var.environment}-${var.name}"
  target_port = var.nginx_sidecar == null ? var.container_port : var.nginx_sidecar.port
  target_name = var.nginx_sidecar == null ? var.name : "nginx"
  # AWS allows 6 characters (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-target-group.html: 32 in all).
  target_group_name_prefix = "${trimsuffix(substr(var.name, 0, 5), "-")}-"
  terraform_owns           = var.task_definition_ownership == "terraform"

  # The sidecar answers the health check; without one the application does.
  health_check_path = var.nginx_sidecar == null ? coalesce(try(var.load_balancer.health_check_path, null), "/") : var.nginx_sidecar.health_check_path
  nginx_configuration = var.nginx_sidecar == null ? null : templatefile("${path.module}/templates/nginx-server.conf.tftpl", {
    name                          = local.full_name
    port                          = var.nginx_sidecar.port
    health_check_path             = var.nginx_sidecar.health_check_path
    application_health_check_path = coalesce(var.nginx_sidecar.application_health_check_path, var.nginx_sidecar.health_check_path)
    application_port              = var.container_port
    client_max_body_size          = var.nginx_sidecar.client_max_body_size
  })
  # The official image's entrypoint starts once the module's configuration is in place.
  module_configures_nginx = var.nginx_sidecar != null && !try(var.nginx_sidecar.image_configuration, true)

  copilot_environment = merge(
    {
      COPILOT_APPLICATION_NAME = var.app
      COPILOT_ENVIRONMENT_NAME = var.environment
      COPILOT_SERVICE_NAME     = var.name
    },
    module.task.copilot_sns_topic_arns == null ? {} : { COPILOT_SNS_TOPIC_ARNS = module.task.copilot_sns_topic_arns },
  )
}

check "external_task_definition_given" {
  assert {
    condition     = local.terraform_owns || var.task_definition_arn != null
    error_message = "task_definition_ownership = external needs task_definition_arn."
  }
}

module "task" {
  source = "../ecs-task-base"

  name                   = local.full_name
  vpc_id                 = var.vpc_id
  ingress                = var.load_balancer == null ? null : { port = local.target_port, source_security_group_id = var.load_balancer_security_group_id }
  log_retention_days     = var.log_retention_days
  secret_arns            = values(var.container.secrets)
  secret_kms_key_arns    = var.secret_kms_key_arns
  publish_topic_arns     = var.publish_topic_arns
  topic_kms_key_arn      = var.topic_kms_key_arn
  data_access            = var.data_access
  enable_execute_command = var.enable_execute_command
  exec_kms_key_arn       = var.exec_kms_key_arn
  tags                   = var.tags

  task_definition = local.terraform_owns ? {
    cpu    = var.cpu
    memory = var.memory
    containers = concat(
      [{
        name         = var.name
        image        = var.container.image
        command      = var.container.command
        essential    = true
        portMappings = [{ containerPort = var.container_port, protocol = "tcp" }]
        environment  = [for key, value in merge(var.container.environment, local.copilot_environment) : { name = key, value = value }]
        secrets      = [for key, arn in var.container.secrets : { name = key, valueFrom = arn }]
      }],
      var.nginx_sidecar == null ? [] : [merge({
        name         = "nginx"
        image        = var.nginx_sidecar.image
        essential    = true
        portMappings = [{ containerPort = var.nginx_sidecar.port, protocol = "tcp" }]
        dependsOn    = [{ containerName = var.name, condition = "START" }]
        }, local.module_configures_nginx ? tomap({
          entryPoint = ["/bin/sh", "-c"]
          command    = ["printf '%s\\n' \"$NGINX_SERVER_CONF\" > /etc/nginx/conf.d/default.conf && exec /docker-entrypoint.sh nginx -g 'daemon off;'"]
        }) : tomap({}), {
        environment = [for key, value in merge(var.nginx_sidecar.environment, { APP_PORT = tostring(var.container_port) },
        local.module_configures_nginx ? { NGINX_SERVER_CONF = local.nginx_configuration } : {}) : { name = key, value = value }]
      })],
    )
  } : null
}

################################################################################
# Load balancer target
################################################################################

resource "aws_lb_target_group" "this" {
  count = var.load_balancer == null ? 0 : 1

  # Every replacement gets a name of its own (the provider adds a unique
  # suffix to the prefix), so create_before_destroy creates it beside the old
  # group, a group tainted by a failed create included (a name derived from
  # the inputs would be the same again). A name given to keep an existing
  # group cannot do that: change it with the port.
  name                 = var.load_balancer.target_group_name
  name_prefix          = var.load_balancer.target_group_name == null ? local.target_group_name_prefix : null
  vpc_id               = var.vpc_id
  target_type          = "ip"
  protocol             = "HTTP"
  port                 = local.target_port
  deregistration_delay = var.load_balancer.deregistration_delay

  health_check {
    path                = local.health_check_path
    matcher             = var.load_balancer.health_check_matcher
    interval            = var.load_balancer.health_check_interval
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = var.nginx_sidecar == null || try(var.load_balancer.health_check_path, null) == null || try(var.load_balancer.health_check_path, null) == try(var.nginx_sidecar.health_check_path, null)
      error_message = "load_balancer.health_check_path differs from nginx_sidecar.health_check_path: the target group checks the sidecar, which answers only its own health_check_path. Set the path once, in nginx_sidecar."
    }
  }
}

resource "aws_lb_listener_rule" "this" {
  count = var.load_balancer == null ? 0 : 1

  listener_arn = var.listener_arn
  priority     = var.load_balancer.priority

  lifecycle {
    precondition {
      condition     = var.listener_arn != null && var.load_balancer_security_group_id != null
      error_message = "load_balancer needs listener_arn and load_balancer_security_group_id (variables of their own, no longer attributes of load_balancer)."
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[0].arn
  }

  dynamic "condition" {
    for_each = length(var.load_balancer.host_headers) > 0 ? [var.load_balancer.host_headers] : []
    content {
      host_header {
        values = condition.value
      }
    }
  }

  dynamic "condition" {
    for_each = length(var.load_balancer.path_patterns) > 0 ? [var.load_balancer.path_patterns] : []
    content {
      path_pattern {
        values = condition.value
      }
    }
  }

  tags = var.tags
}

################################################################################
# Service
################################################################################

# ECS refuses a target group that no listener uses yet, so the service waits
# for the rule. Terraform cannot make ignore_changes conditional: the two
# ownership modes are two resources that differ only in what they ignore.
resource "aws_ecs_service" "terraform_owned" {
  count = local.terraform_owns ? 1 : 0

  name                   = var.name
  cluster                = var.cluster_arn
  task_definition        = module.task.task_definition_arn
  desired_count          = var.desired_count
  launch_type            = length(var.capacity_provider_strategy) == 0 ? "FARGATE" : null
  enable_execute_command = var.enable_execute_command
  propagate_tags         = "SERVICE"
  wait_for_steady_state  = var.wait_for_steady_state

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [module.task.security_group_id]
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = aws_lb_target_group.this
    content {
      target_group_arn = load_balancer.value.arn
      container_name   = local.target_name
      container_port   = local.target_port
    }
  }

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy
    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = capacity_provider_strategy.value.weight
      base              = capacity_provider_strategy.value.base
    }
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  tags = var.tags

  lifecycle {
    ignore_changes = [desired_count]
  }

  depends_on = [aws_lb_listener_rule.this]
}

resource "aws_ecs_service" "externally_owned" {
  count = local.terraform_owns ? 0 : 1

  name                   = var.name
  cluster                = var.cluster_arn
  task_definition        = var.task_definition_arn
  desired_count          = var.desired_count
  launch_type            = length(var.capacity_provider_strategy) == 0 ? "FARGATE" : null
  enable_execute_command = var.enable_execute_command
  propagate_tags         = "SERVICE"
  wait_for_steady_state  = var.wait_for_steady_state

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [module.task.security_group_id]
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = aws_lb_target_group.this
    content {
      target_group_arn = load_balancer.value.arn
      container_name   = local.target_name
      container_port   = local.target_port
    }
  }

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy
    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = capacity_provider_strategy.value.weight
      base              = capacity_provider_strategy.value.base
    }
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  tags = var.tags

  lifecycle {
    ignore_changes = [desired_count, task_definition]
  }

  depends_on = [aws_lb_listener_rule.this]
}

locals {
  service = one(concat(aws_ecs_service.terraform_owned, aws_ecs_service.externally_owned))
}

################################################################################
# Autoscaling
################################################################################

resource "aws_appautoscaling_target" "this" {
  count = var.autoscaling == null ? 0 : 1

  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${element(split("/", var.cluster_arn), length(split("/", var.cluster_arn)) - 1)}/${local.service.name}"
  min_capacity       = var.autoscaling.min_capacity
  max_capacity       = var.autoscaling.max_capacity
  tags               = var.tags
}

resource "aws_appautoscaling_policy" "cpu" {
  count = var.autoscaling == null ? 0 : 1

  name               = "${local.full_name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension
  resource_id        = aws_appautoscaling_target.this[0].resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.cpu_target
    scale_in_cooldown  = 120
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
