mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  name                              = "calinks-staging"
  queue_arn                         = "arn:aws:sqs:ap-northeast-1:123456789012:calinks-staging-worker-scheduled.fifo"
  queue_content_based_deduplication = true
  schedules = {
    nightly-settlement = {
      schedule_expression = "cron(0 2 * * ? *)"
      message_body        = "{\"type\":\"nightly-settlement\"}"
      message_group_id    = "settlement"
    }
  }
}

run "sends_to_the_fifo_queue_with_group" {
  command = plan

  assert {
    condition     = aws_scheduler_schedule.this["nightly-settlement"].target[0].arn == var.queue_arn
    error_message = "the schedule targets worker-scheduled's queue"
  }
  assert {
    condition     = aws_scheduler_schedule.this["nightly-settlement"].target[0].sqs_parameters[0].message_group_id == "settlement"
    error_message = "the schedule sets the message group id the FIFO queue needs"
  }
  assert {
    condition     = aws_scheduler_schedule.this["nightly-settlement"].schedule_expression_timezone == "Asia/Tokyo"
    error_message = "schedules run in Asia/Tokyo by default"
  }
  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.send.statement : tolist(s.resources)])) == toset([var.queue_arn])
    error_message = "the role may send to that queue only"
  }
}

run "rejects_standard_queue" {
  command = plan

  variables {
    queue_arn = "arn:aws:sqs:ap-northeast-1:123456789012:calinks-staging-worker-scheduled"
  }

  expect_failures = [var.queue_arn]
}

run "rejects_missing_group" {
  command = plan

  variables {
    schedules = { x = { schedule_expression = "rate(1 hour)", message_body = "{}", message_group_id = "" } }
  }

  expect_failures = [var.schedules]
}

# EventBridge Scheduler's SqsParameters carry MessageGroupId only: a FIFO queue
# without content-based deduplication refuses every scheduled message
# (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_SqsParameters.html).
run "rejects_queue_without_content_deduplication" {
  command = plan

  variables {
    queue_content_based_deduplication = false
  }

  expect_failures = [aws_scheduler_schedule.this]
}
