mock_provider "aws" {
  source = "../../test/mocks/aws"
}

mock_provider "calinks" {
  mock_resource "calinks_worker_pipeline" {
    defaults = {
      queue_url             = "https://sqs.ap-northeast-1.amazonaws.com/123456789012/calinks-staging-worker-item.fifo"
      dead_letter_queue_url = "https://sqs.ap-northeast-1.amazonaws.com/123456789012/calinks-staging-worker-item-dlq.fifo"
    }
  }
}

variables {
  environment = "staging"
  name        = "worker-item"
  cluster_arn = "arn:aws:ecs:ap-northeast-1:123456789012:cluster/calinks-staging"
  vpc_id      = "vpc-0123456789abcdef0"
  subnet_ids  = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]
  container   = { image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/worker-item:1.0.0" }
  subscriptions = {
    item = { topic_arn = "arn:aws:sns:ap-northeast-1:123456789012:calinks-staging-pos-web-app-item.fifo" }
  }
  alarm_topic_arns = ["arn:aws:sns:ap-northeast-1:123456789012:calinks-staging-alarms"]
}

run "pipeline_roles_and_alarms" {
  command = apply

  assert {
    condition     = keys(calinks_worker_pipeline.this.subscriptions) == tolist(["item"]) && calinks_worker_pipeline.this.subscriptions["item"].topic_arn == var.subscriptions.item.topic_arn
    error_message = "the worker subscribes to exactly its topic"
  }
  assert {
    condition     = calinks_worker_pipeline.this.task_role_arn == module.task.task_role_arn && calinks_worker_pipeline.this.container.log_group_name == "/copilot/calinks-staging-worker-item"
    error_message = "the pipeline runs with the module's task role and Copilot's log group"
  }
  assert {
    condition     = calinks_worker_pipeline.this.dead_letter_queue_redrive_allow_policy && calinks_worker_pipeline.this.kms_master_key_id == null
    error_message = "the dead-letter queue admits only its queue, and SSE-SQS encrypts both queues by default"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.dead_letter_queue_not_empty.dimensions.QueueName == "calinks-staging-worker-item-dlq.fifo" && aws_cloudwatch_metric_alarm.dead_letter_queue_not_empty.threshold == 0
    error_message = "the DLQ alarm fires on the first message in the dead-letter queue"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.oldest_message_age.dimensions.QueueName == "calinks-staging-worker-item.fifo" && aws_cloudwatch_metric_alarm.oldest_message_age.alarm_actions == toset(var.alarm_topic_arns)
    error_message = "the age alarm watches the worker queue and notifies the alarm topic"
  }
}

run "scheduled_worker_without_topics" {
  command = plan

  variables {
    name             = "worker-scheduled"
    subscriptions    = {}
    sender_role_arns = ["arn:aws:iam::123456789012:role/calinks-staging-scheduler"]
  }

  assert {
    condition     = length(calinks_worker_pipeline.this.subscriptions) == 0 && calinks_worker_pipeline.this.sender_role_arns == toset(var.sender_role_arns)
    error_message = "worker-scheduled has no topic and admits the scheduler's role"
  }
}

run "rejects_zero_receives" {
  command = plan

  variables {
    max_receive_count = 0
  }

  expect_failures = [var.max_receive_count]
}
