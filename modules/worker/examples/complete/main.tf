module "network" {
  source = "../../../network"

  name               = var.name
  cidr_block         = var.cidr_block
  availability_zones = ["${var.region}a", "${var.region}c"]
  nat_gateway_mode   = "single"
}

module "cluster" {
  source = "../../../ecs-cluster"

  name = var.name
}

# In an environment the messaging and ops modules make these topics.
module "topic_key" {
  source = "../../../kms-key"

  description = "Topics of the worker example"
  service_grants = [
    { sid = "SnsDelivers", service = "sns.amazonaws.com", actions = ["kms:Decrypt", "kms:GenerateDataKey*"] },
    { sid = "AlarmsPublish", service = "cloudwatch.amazonaws.com", actions = ["kms:Decrypt", "kms:GenerateDataKey*"] },
  ]
}

resource "aws_sns_topic" "item" {
  name                        = "${var.name}-pos-web-app-item.fifo"
  fifo_topic                  = true
  content_based_deduplication = false
  kms_master_key_id           = module.topic_key.key_arn
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = module.topic_key.key_arn
}

# worker-item as Copilot ran it: the item topic's queue, consumed by a Fargate service.
module "worker" {
  source = "../.."

  environment = var.name
  name        = "worker-item"
  cluster_arn = module.cluster.cluster_arn
  vpc_id      = module.network.vpc_id
  subnet_ids  = module.network.private_subnet_ids
  container   = { image = "public.ecr.aws/docker/library/busybox:stable", command = ["sh", "-c", "sleep 3600"] }
  subscriptions = {
    item = { topic_arn = aws_sns_topic.item.arn }
  }
  max_receive_count                      = var.max_receive_count
  dead_letter_queue_redrive_allow_policy = var.redrive_allow_policy_enabled
  alarm_topic_arns                       = [aws_sns_topic.alarms.arn]
  tags                                   = var.tags
}
