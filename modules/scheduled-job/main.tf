# A Copilot "Scheduled Job": a Fargate task definition that EventBridge
# Scheduler starts on a cron (Asia/Tokyo by default) with retries, and that
# can be started by hand with the command in the run_task_command output.

locals {
  full_name = "${var.app}-${var.environment}-${var.name}"
}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

module "task" {
  source = "../ecs-task-base"

  name                = local.full_name
  vpc_id              = var.vpc_id
  log_retention_days  = var.log_retention_days
  secret_arns         = values(var.container.secrets)
  secret_kms_key_arns = var.secret_kms_key_arns
  data_access         = var.data_access
  tags                = var.tags

  task_definition = {
    cpu    = var.cpu
    memory = var.memory
    containers = [{
      name      = var.name
      image     = var.container.image
      command   = var.container.command
      essential = true
      environment = [for key, value in merge(var.container.environment, {
        COPILOT_APPLICATION_NAME = var.app
        COPILOT_ENVIRONMENT_NAME = var.environment
        COPILOT_SERVICE_NAME     = var.name
      }) : { name = key, value = value }]
      secrets = [for key, arn in var.container.secrets : { name = key, valueFrom = arn }]
    }]
  }
}

################################################################################
# Scheduler
################################################################################

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "RunTheJob"
    actions   = ["ecs:RunTask"]
    resources = ["${module.task.task_definition_family_arn}:*"]
    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [var.cluster_arn]
    }
  }

  # propagate_tags makes Scheduler tag the task it starts, with its own role.
  # https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role
  statement {
    sid       = "TagTheTask"
    actions   = ["ecs:TagResource"]
    resources = ["arn:aws:ecs:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:task/${element(split("/", var.cluster_arn), 1)}/*"]
    condition {
      test     = "StringEquals"
      variable = "ecs:CreateAction"
      values   = ["RunTask"]
    }
  }

  statement {
    sid       = "HandTheJobItsRoles"
    actions   = ["iam:PassRole"]
    resources = [module.task.task_role_arn, module.task.execution_role_arn]
  }
}

module "scheduler_role" {
  source = "../service-role"

  name             = "${local.full_name}-scheduler"
  service          = "scheduler.amazonaws.com"
  own_account_only = true
  inline_policies  = { run-task = data.aws_iam_policy_document.scheduler.json }
  tags             = var.tags
}

resource "aws_scheduler_schedule" "this" {
  name                         = local.full_name
  description                  = "Runs ${var.name} of ${var.app}-${var.environment}"
  schedule_expression          = var.schedule_expression
  schedule_expression_timezone = var.schedule_timezone
  state                        = var.schedule_enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = var.cluster_arn
    role_arn = module.scheduler_role.role_arn

    ecs_parameters {
      task_definition_arn = module.task.task_definition_arn
      launch_type         = "FARGATE"
      task_count          = 1
      propagate_tags      = "TASK_DEFINITION"

      network_configuration {
        subnets          = var.subnet_ids
        security_groups  = [module.task.security_group_id]
        assign_public_ip = false
      }
    }

    retry_policy {
      maximum_retry_attempts       = var.retry_attempts
      maximum_event_age_in_seconds = var.maximum_event_age_seconds
    }
  }

  # The role is usable only with its policies.
  depends_on = [module.scheduler_role]
}
