# The ECS cluster the services, workers and jobs of one environment run in:
# Fargate and Fargate Spot, Container Insights, and execute-command sessions
# encrypted and logged.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  kms_key_arn = coalesce(var.kms_key_arn, one(module.kms[*].key_arn))
}

module "kms" {
  source = "../kms-key"
  count  = var.kms_key_arn == null ? 1 : 0

  description = "ECS execute-command sessions and logs of ${var.name}"
  service_grants = [{
    sid     = "CloudWatchLogsEncrypts"
    service = "logs.${data.aws_region.current.id}.amazonaws.com"
    actions = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    conditions = [{
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:aws:logs:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:log-group:/aws/ecs/${var.name}/*"]
    }]
  }]
  tags = var.tags
}


resource "aws_cloudwatch_log_group" "exec" {
  name              = "/aws/ecs/${var.name}/execute-command"
  retention_in_days = var.exec_log_retention_days
  kms_key_id        = local.kms_key_arn
  tags              = var.tags
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = var.container_insights
  }

  configuration {
    execute_command_configuration {
      kms_key_id = local.kms_key_arn
      logging    = "OVERRIDE"

      log_configuration {
        cloud_watch_encryption_enabled = true
        cloud_watch_log_group_name     = aws_cloudwatch_log_group.exec.name
      }
    }
  }

  tags = var.tags
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  dynamic "default_capacity_provider_strategy" {
    for_each = var.default_capacity_provider_strategy
    content {
      capacity_provider = default_capacity_provider_strategy.value.capacity_provider
      weight            = default_capacity_provider_strategy.value.weight
      base              = default_capacity_provider_strategy.value.base
    }
  }
}
