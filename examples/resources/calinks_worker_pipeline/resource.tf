# Basic: worker-item consumes the item FIFO topic, as under Copilot.
resource "calinks_worker_pipeline" "item" {
  app         = "calinks"
  environment = "staging"
  name        = "worker-item"

  cluster            = "calinks-staging"
  subnet_ids         = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]
  security_group_ids = ["sg-0a1b2c3d4e5f60718"]
  task_role_arn      = "arn:aws:iam::123456789012:role/calinks-staging-worker-item-task"
  execution_role_arn = "arn:aws:iam::123456789012:role/calinks-staging-worker-item-execution"

  container = {
    image          = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/worker-item:1.4.2"
    cpu            = 512
    memory         = 1024
    log_group_name = "/copilot/calinks-staging-worker-item"
    secrets        = { DB_PASSWORD = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:calinks-staging-db" }
  }

  subscriptions = {
    item = { topic_arn = "arn:aws:sns:ap-northeast-1:123456789012:calinks-staging-pos-web-app-item.fifo" }
  }

  autoscaling = {
    min_capacity               = 1
    max_capacity               = 10
    acceptable_latency_seconds = 300
    message_processing_seconds = 5
  }
}

# Several topics, one with a filter policy, Fargate Spot first.
resource "calinks_worker_pipeline" "notification" {
  app         = "calinks"
  environment = "staging"
  name        = "worker-notification"

  cluster            = "calinks-staging"
  subnet_ids         = ["subnet-0a1b2c3d4e5f60718"]
  security_group_ids = ["sg-0a1b2c3d4e5f60718"]
  task_role_arn      = "arn:aws:iam::123456789012:role/calinks-staging-worker-notification-task"

  container = { image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/worker-notification:2.0.0" }

  subscriptions = {
    notification = { topic_arn = "arn:aws:sns:ap-northeast-1:123456789012:calinks-staging-pos-web-app-notification.fifo" }
    ec-order = {
      topic_arn     = "arn:aws:sns:ap-northeast-1:123456789012:calinks-staging-pos-web-app-ec-order.fifo"
      filter_policy = jsonencode({ status = ["paid", "cancelled"] })
    }
  }

  capacity_provider_strategy = [
    { capacity_provider = "FARGATE_SPOT", weight = 3 },
    { capacity_provider = "FARGATE", weight = 1, base = 1 },
  ]
}

# EventBridge-fed queue (worker-scheduled): no topic, the scheduler's role may send.
resource "calinks_worker_pipeline" "scheduled" {
  app         = "calinks"
  environment = "staging"
  name        = "worker-scheduled"

  cluster            = "calinks-staging"
  subnet_ids         = ["subnet-0a1b2c3d4e5f60718"]
  security_group_ids = ["sg-0a1b2c3d4e5f60718"]
  task_role_arn      = "arn:aws:iam::123456789012:role/calinks-staging-worker-scheduled-task"

  container = { image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/worker-scheduled:3.1.0" }

  sender_role_arns      = ["arn:aws:iam::123456789012:role/calinks-staging-scheduler"]
  eventbridge_rule_arns = ["arn:aws:events:ap-northeast-1:123456789012:rule/calinks-staging-nightly"]
}

# Task definition owned by CI: Terraform starts the service with this
# revision and leaves later deploys alone; hand it the injected variables.
resource "calinks_worker_pipeline" "external_ec" {
  app         = "calinks"
  environment = "staging"
  name        = "worker-external-ec"

  cluster            = "calinks-staging"
  subnet_ids         = ["subnet-0a1b2c3d4e5f60718"]
  security_group_ids = ["sg-0a1b2c3d4e5f60718"]
  task_role_arn      = "arn:aws:iam::123456789012:role/calinks-staging-worker-external-ec-task"

  task_definition_ownership = "external"
  task_definition_arn       = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/calinks-staging-worker-external-ec:42"

  subscriptions = {
    external-ec = { topic_arn = "arn:aws:sns:ap-northeast-1:123456789012:calinks-staging-backend-outbox-external-ec.fifo" }
  }
}

output "worker_external_ec_environment" {
  description = "Variables the CI-built task definition must carry."
  value       = calinks_worker_pipeline.external_ec.environment_variables
}
