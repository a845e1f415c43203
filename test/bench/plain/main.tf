# The worker built from plain hashicorp/aws resources, for the benchmark.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}

provider "aws" {
  max_retries = var.aws_max_retries
}

resource "aws_sqs_queue" "dlq" {
  name                      = "${var.name}-dlq.fifo"
  fifo_queue                = true
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "queue" {
  name                      = "${var.name}.fifo"
  fifo_queue                = true
  sqs_managed_sse_enabled   = true
  receive_wait_time_seconds = 20
  redrive_policy            = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 5 })
}

resource "aws_sqs_queue_policy" "queue" {
  queue_url = aws_sqs_queue.queue.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "AllowSubscribedTopics", Effect = "Allow", Principal = { Service = "sns.amazonaws.com" }, Action = ["sqs:SendMessage"], Resource = aws_sqs_queue.queue.arn, Condition = { ArnEquals = { "aws:SourceArn" = [var.topic_arn] } } },
      { Sid = "AllowWorkerConsume", Effect = "Allow", Principal = { AWS = var.task_role_arn }, Action = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], Resource = aws_sqs_queue.queue.arn },
      { Sid = "DenyInsecureTransport", Effect = "Deny", Principal = { AWS = "*" }, Action = ["sqs:*"], Resource = aws_sqs_queue.queue.arn, Condition = { Bool = { "aws:SecureTransport" = "false" } } },
    ]
  })
}

resource "aws_sns_topic_subscription" "item" {
  topic_arn = var.topic_arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.queue.arn
}

resource "aws_ecs_task_definition" "worker" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  task_role_arn            = var.task_role_arn
  container_definitions = jsonencode([{
    name      = "worker-item"
    image     = "worker:1"
    essential = true
    environment = [
      { name = "COPILOT_APPLICATION_NAME", value = "calinks" },
      { name = "COPILOT_ENVIRONMENT_NAME", value = "bench" },
      { name = "COPILOT_QUEUE_URI", value = aws_sqs_queue.queue.id },
      { name = "COPILOT_SERVICE_NAME", value = "worker-item" },
    ]
  }])
}

resource "aws_ecs_service" "worker" {
  name            = var.name
  cluster         = var.cluster
  task_definition = aws_ecs_task_definition.worker.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = [var.subnet_id]
    security_groups  = [var.security_group_id]
    assign_public_ip = false
  }
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}
