# EventBridge Scheduler schedules that send messages to worker-scheduled's
# FIFO queue, as the EventBridge rules did under Copilot. The queue's policy
# must admit role_arn (the worker module's sender_role_arns).

resource "aws_scheduler_schedule_group" "this" {
  name = var.name
  tags = var.tags
}

data "aws_iam_policy_document" "send" {
  statement {
    sid       = "SendToTheQueue"
    actions   = ["sqs:SendMessage"]
    resources = [var.queue_arn]
  }

  dynamic "statement" {
    for_each = var.queue_kms_key_arn == null ? [] : [var.queue_kms_key_arn]
    content {
      sid       = "EncryptForTheQueue"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

module "role" {
  source = "../service-role"

  name             = "${var.name}-scheduled-events"
  service          = "scheduler.amazonaws.com"
  own_account_only = true
  inline_policies  = { send-to-queue = data.aws_iam_policy_document.send.json }
  tags             = var.tags
}

resource "aws_scheduler_schedule" "this" {
  for_each = var.schedules

  name                         = each.key
  group_name                   = aws_scheduler_schedule_group.this.name
  schedule_expression          = each.value.schedule_expression
  schedule_expression_timezone = each.value.timezone
  state                        = each.value.enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = var.queue_arn
    role_arn = module.role.role_arn
    input    = each.value.message_body

    sqs_parameters {
      message_group_id = each.value.message_group_id
    }

    retry_policy {
      maximum_retry_attempts = var.retry_attempts
    }
  }

  # The role is usable only with its policies.
  depends_on = [module.role]

  lifecycle {
    precondition {
      condition     = var.queue_content_based_deduplication
      error_message = "queue_content_based_deduplication must be true: EventBridge Scheduler sends no MessageDeduplicationId, so the FIFO queue at queue_arn must have content_based_deduplication on (API_SqsParameters)."
    }
  }
}
