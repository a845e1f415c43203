# One Copilot "Worker Service": calinks_worker_pipeline (queue, dead-letter
# queue, subscriptions, Fargate service) with the roles, log group, security
# group and alarms around it.

module "task" {
  source = "../ecs-task-base"

  name                   = "${var.app}-${var.environment}-${var.name}"
  vpc_id                 = var.vpc_id
  log_retention_days     = var.log_retention_days
  secret_arns            = values(var.container.secrets)
  secret_kms_key_arns    = var.secret_kms_key_arns
  publish_topic_arns     = var.publish_topic_arns
  topic_kms_key_arn      = var.topic_kms_key_arn
  data_access            = var.data_access
  enable_execute_command = var.enable_execute_command
  exec_kms_key_arn       = var.exec_kms_key_arn
  # A queue under a customer managed key: receiving needs kms:Decrypt on it.
  additional_task_policy_json = var.queue_kms_key_id == null ? null : data.aws_iam_policy_document.queue_key[0].json
  tags                        = var.tags
}

data "aws_region" "current" {}

# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
data "aws_iam_policy_document" "queue_key" {
  count = var.queue_kms_key_id == null ? 0 : 1

  statement {
    sid       = "DecryptQueueMessages"
    actions   = ["kms:Decrypt"]
    resources = [var.queue_kms_key_id]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sqs.${data.aws_region.current.name}.amazonaws.com"]
    }
  }
}

resource "calinks_worker_pipeline" "this" {
  app         = var.app
  environment = var.environment
  name        = var.name

  queue_name             = var.queue_name
  dead_letter_queue_name = var.dead_letter_queue_name
  service_name           = var.service_name

  cluster            = var.cluster_arn
  subnet_ids         = var.subnet_ids
  security_group_ids = [module.task.security_group_id]
  task_role_arn      = module.task.task_role_arn
  execution_role_arn = module.task.execution_role_arn

  task_definition_ownership = var.task_definition_ownership
  task_definition_arn       = var.task_definition_ownership == "external" ? var.task_definition_arn : null
  container = var.task_definition_ownership == "terraform" ? {
    image   = var.container.image
    command = var.container.command
    cpu     = var.container.cpu
    memory  = var.container.memory
    environment = merge(var.container.environment,
      module.task.copilot_sns_topic_arns == null ? {} : { COPILOT_SNS_TOPIC_ARNS = module.task.copilot_sns_topic_arns },
    var.service_discovery_endpoint == null ? {} : { COPILOT_SERVICE_DISCOVERY_ENDPOINT = var.service_discovery_endpoint })
    secrets        = var.container.secrets
    log_group_name = module.task.log_group_name
  } : null

  subscriptions    = var.subscriptions
  sender_role_arns = var.sender_role_arns

  additional_consumer_role_arns = var.additional_consumer_role_arns

  content_based_deduplication            = var.content_based_deduplication
  max_receive_count                      = var.max_receive_count
  visibility_timeout_seconds             = var.visibility_timeout_seconds
  message_retention_seconds              = var.message_retention_seconds
  delay_seconds                          = var.delay_seconds
  kms_master_key_id                      = var.queue_kms_key_id
  dead_letter_queue_redrive_allow_policy = var.dead_letter_queue_redrive_allow_policy

  desired_count              = var.desired_count
  autoscaling                = var.autoscaling
  capacity_provider_strategy = length(var.capacity_provider_strategy) > 0 ? var.capacity_provider_strategy : null
  enable_execute_command     = var.enable_execute_command

  tags = var.tags
}

################################################################################
# Alarms
################################################################################

resource "aws_cloudwatch_metric_alarm" "dead_letter_queue_not_empty" {
  alarm_name          = "${var.app}-${var.environment}-${var.name}-dlq-not-empty"
  alarm_description   = "${var.name} moved messages to its dead-letter queue after ${var.max_receive_count} failed receives."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = element(split("/", calinks_worker_pipeline.this.dead_letter_queue_url), 4) }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_topic_arns
  ok_actions          = var.alarm_topic_arns
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "oldest_message_age" {
  alarm_name          = "${var.app}-${var.environment}-${var.name}-oldest-message-age"
  alarm_description   = "${var.name} is falling behind: a message has waited more than ${var.oldest_message_alarm_seconds} s."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = element(split("/", calinks_worker_pipeline.this.queue_url), 4) }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.oldest_message_alarm_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_topic_arns
  ok_actions          = var.alarm_topic_arns
  tags                = var.tags
}
