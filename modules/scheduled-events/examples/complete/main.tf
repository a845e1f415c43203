resource "aws_sqs_queue" "scheduled" {
  name                        = "${var.name}-worker-scheduled.fifo"
  fifo_queue                  = true
  content_based_deduplication = true
  sqs_managed_sse_enabled     = true
}

module "scheduled_events" {
  source = "../.."

  name                              = var.name
  queue_arn                         = aws_sqs_queue.scheduled.arn
  queue_content_based_deduplication = aws_sqs_queue.scheduled.content_based_deduplication
  schedules = {
    nightly-settlement = {
      schedule_expression = "cron(0 2 * * ? *)"
      message_body        = jsonencode({ type = "nightly-settlement" })
      message_group_id    = "settlement"
    }
  }
  tags = var.tags
}
