# One worker as Copilot ran it: pos-web-app publishes to the `item` FIFO topic,
# worker-item consumes it through its queue. Everything the worker needs around
# the pipeline (topic, network, cluster, roles, logs) comes from hashicorp/aws.

provider "aws" {
  region      = var.region
  max_retries = var.aws_max_retries

  default_tags {
    tags = var.tags
  }
}

provider "calinks" {
  region       = var.region
  max_attempts = var.aws_max_retries + 1

  default_tags {
    tags = var.tags
  }
}

locals {
  prefix = "${var.app}-${var.environment}"
}

resource "aws_sns_topic" "item" {
  name                        = "${local.prefix}-pos-web-app-item.fifo"
  fifo_topic                  = true
  content_based_deduplication = false
  kms_master_key_id           = "alias/aws/sns"
}

resource "aws_vpc" "this" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = local.prefix }
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
  availability_zone = "${var.region}${count.index == 0 ? "a" : "c"}"
  tags              = { Name = "${local.prefix}-private-${count.index}" }
}

resource "aws_security_group" "worker" {
  name        = "${local.prefix}-worker-item"
  description = "worker-item tasks: no ingress, HTTPS egress"
  vpc_id      = aws_vpc.this.id

  egress {
    description = "HTTPS to AWS APIs"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] #trivy:ignore:AVD-AWS-0104 workers call AWS APIs through NAT
  }
}

resource "aws_ecs_cluster" "this" {
  name = local.prefix

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "task" {
  name               = "${local.prefix}-worker-item-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role" "execution" {
  name               = "${local.prefix}-worker-item-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_cloudwatch_log_group" "worker" {
  name              = "/copilot/${local.prefix}-worker-item"
  retention_in_days = 30
}

resource "calinks_worker_pipeline" "item" {
  app         = var.app
  environment = var.environment
  name        = "worker-item"

  cluster            = aws_ecs_cluster.this.name
  subnet_ids         = aws_subnet.private[*].id
  security_group_ids = [aws_security_group.worker.id]
  task_role_arn      = aws_iam_role.task.arn
  execution_role_arn = aws_iam_role.execution.arn

  container = {
    image          = "public.ecr.aws/docker/library/busybox:stable"
    command        = ["sh", "-c", "echo worker-item consuming $COPILOT_QUEUE_URI; sleep 3600"]
    log_group_name = aws_cloudwatch_log_group.worker.name
  }

  subscriptions = {
    item = { topic_arn = aws_sns_topic.item.arn }
  }

  dead_letter_queue_redrive_allow_policy = var.redrive_allow_policy_enabled

  autoscaling = {
    max_capacity               = 4
    acceptable_latency_seconds = 300
    message_processing_seconds = 10
  }

  depends_on = [aws_iam_role_policy_attachment.execution]
}
