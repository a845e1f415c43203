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

# Adopting a Copilot worker: its names, its queue key and its task role are kept.
run "adopts_copilot_worker" {
  command = plan

  variables {
    queue_name                    = "calinks-staging-worker-item-EventsQueue-1A2B3C4D5E6F.fifo"
    service_name                  = "calinks-staging-worker-item-Service-7G8H9I0J"
    queue_kms_key_id              = "arn:aws:kms:ap-northeast-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
    additional_consumer_role_arns = ["arn:aws:iam::123456789012:role/calinks-staging-worker-item-TaskRole-K1L2M3"]
    service_discovery_endpoint    = "staging.calinks.local"
  }

  assert {
    condition = (calinks_worker_pipeline.this.queue_name == var.queue_name && calinks_worker_pipeline.this.service_name == var.service_name &&
    calinks_worker_pipeline.this.additional_consumer_role_arns == toset(var.additional_consumer_role_arns))
    error_message = "the pipeline keeps the adopted queue and service names and admits Copilot's task role while it drains"
  }
  assert {
    condition     = calinks_worker_pipeline.this.container.environment["COPILOT_SERVICE_DISCOVERY_ENDPOINT"] == "staging.calinks.local"
    error_message = "COPILOT_SERVICE_DISCOVERY_ENDPOINT is injected as Copilot did"
  }
  # SQS: a consumer of a queue under a customer managed key needs kms:Decrypt on it
  # (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
  assert {
    condition     = data.aws_iam_policy_document.queue_key[0].statement[0].actions == toset(["kms:Decrypt"]) && data.aws_iam_policy_document.queue_key[0].statement[0].resources == toset([var.queue_kms_key_id])
    error_message = "the task role may decrypt with the queue key"
  }
  assert {
    condition     = one(data.aws_iam_policy_document.queue_key[0].statement[0].condition).variable == "kms:ViaService"
    error_message = "the task role may use the queue key through SQS only"
  }
  assert {
    condition     = one(data.aws_iam_policy_document.queue_key[0].statement[0].condition).values == tolist(["sqs.ap-northeast-1.amazonaws.com"])
    error_message = "the task role may use the queue key through SQS in the worker's region"
  }
}

run "rejects_queue_key_alias" {
  command = plan

  variables {
    queue_kms_key_id = "alias/copilot-events"
  }

  expect_failures = [var.queue_kms_key_id]
}
