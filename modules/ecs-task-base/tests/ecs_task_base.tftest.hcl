mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  name   = "calinks-staging-pos-web-app"
  vpc_id = "vpc-0123456789abcdef0"
}

run "minimal" {
  command = plan

  assert {
    condition     = aws_iam_role.task.name == "calinks-staging-pos-web-app-task" && aws_iam_role.execution.name == "calinks-staging-pos-web-app-execution"
    error_message = "roles are named <name>-task and <name>-execution"
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/copilot/calinks-staging-pos-web-app"
    error_message = "the log group keeps Copilot's name"
  }
  assert {
    condition     = length(aws_iam_role_policy.task) == 0 && length(aws_iam_role_policy.execution_secrets) == 0
    error_message = "a task that needs nothing gets no permissions"
  }
  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.this) == 0
    error_message = "a task without a load balancer admits no traffic"
  }
}

run "publisher_with_tables_and_secrets" {
  command = plan

  variables {
    publish_topic_arns  = ["arn:aws:sns:ap-northeast-1:123456789012:calinks-staging-pos-web-app-item.fifo"]
    topic_kms_key_arn   = "arn:aws:kms:ap-northeast-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    dynamodb_table_arns = ["arn:aws:dynamodb:ap-northeast-1:123456789012:table/Ec_Order"]
    secret_arns         = ["arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:db"]
    ingress             = { port = 80, source_security_group_id = "sg-0alb" }
  }

  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.task[0].statement : tolist(s.resources) if s.sid == "PublishToTopics"])) == toset(var.publish_topic_arns)
    error_message = "the task may publish to exactly its topics"
  }
  assert {
    condition     = contains(flatten([for s in data.aws_iam_policy_document.task[0].statement : tolist(s.resources) if s.sid == "UseTables"]), "arn:aws:dynamodb:ap-northeast-1:123456789012:table/Ec_Order/stream/*")
    error_message = "the task may read the table's streams"
  }
  assert {
    condition     = length(aws_iam_role_policy.execution_secrets) == 1
    error_message = "the execution role may read the secrets"
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.this[0].from_port == 80 && aws_vpc_security_group_ingress_rule.this[0].referenced_security_group_id == "sg-0alb"
    error_message = "the task admits the load balancer on its port only"
  }
}

run "task_definition_logs_every_container" {
  command = plan

  variables {
    task_definition = {
      cpu    = 256
      memory = 512
      containers = [
        { name = "app", image = "app:1", essential = true },
        { name = "nginx", image = "nginx:1", essential = true, portMappings = [{ containerPort = 80 }] },
      ]
    }
  }

  assert {
    condition     = alltrue([for c in jsondecode(aws_ecs_task_definition.this[0].container_definitions) : c.logConfiguration.options["awslogs-group"] == "/copilot/calinks-staging-pos-web-app" && c.logConfiguration.options["awslogs-stream-prefix"] == "copilot"])
    error_message = "every container logs to the task's log group with Copilot's stream prefix"
  }
  assert {
    condition     = aws_ecs_task_definition.this[0].family == "calinks-staging-pos-web-app" && aws_ecs_task_definition.this[0].network_mode == "awsvpc"
    error_message = "the task definition is a Fargate family named after the task"
  }
}
