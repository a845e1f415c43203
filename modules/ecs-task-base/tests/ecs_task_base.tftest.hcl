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

# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html#create_task_iam_policy_and_role:
# the task role admits ECS only for this account's tasks (aws:SourceArn and
# aws:SourceAccount against the confused deputy); the execution role's
# documented trust policy has no condition.
run "task_role_trusts_ecs_for_this_account_only" {
  command = plan

  # The mock gives every policy document the same JSON: mark this one.
  override_data {
    target = data.aws_iam_policy_document.task_assume
    values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"TaskTrust\",\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"}}]}" }
  }

  assert {
    condition     = jsondecode(aws_iam_role.task.assume_role_policy).Statement[0].Sid == "TaskTrust" && length(jsondecode(aws_iam_role.execution.assume_role_policy).Statement) == 0
    error_message = "the task role uses the conditioned trust policy, the execution role the plain one"
  }
  assert {
    condition = toset([for c in data.aws_iam_policy_document.task_assume.statement[0].condition : "${c.test} ${c.variable} ${join(",", c.values)}"]) == toset([
      "ArnLike aws:SourceArn arn:aws:ecs:ap-northeast-1:123456789012:*",
      "StringEquals aws:SourceAccount 123456789012",
    ])
    error_message = "the task role's trust names this account's ECS resources (mock account 123456789012, region ap-northeast-1)"
  }
  assert {
    condition     = length(data.aws_iam_policy_document.ecs_tasks_assume.statement[0].condition) == 0
    error_message = "the execution role's trust policy has no condition"
  }
}

run "publisher_with_tables_and_secrets" {
  command = plan

  variables {
    publish_topic_arns = { item = "arn:aws:sns:ap-northeast-1:123456789012:calinks-staging-pos-web-app-item.fifo" }
    topic_kms_key_arn  = "arn:aws:kms:ap-northeast-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    data_access        = { dynamodb_table_arns = ["arn:aws:dynamodb:ap-northeast-1:123456789012:table/Ec_Order"] }
    secret_arns        = ["arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:db"]
    ingress            = { port = 80, source_security_group_id = "sg-0alb" }
  }

  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.task[0].statement : tolist(s.resources) if s.sid == "PublishToTopics"])) == toset(values(var.publish_topic_arns))
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

# A customer managed key is used by DynamoDB and S3 with the caller's own
# permissions, so the task needs it, and only through that service
# (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
run "data_access" {
  command = plan

  variables {
    data_access = {
      dynamodb_table_arns  = ["arn:aws:dynamodb:ap-northeast-1:123456789012:table/Ec_Order"]
      dynamodb_kms_key_arn = "arn:aws:kms:ap-northeast-1:123456789012:key/11111111-1111-1111-1111-111111111111"
      database_user_arns   = ["arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:prx-0123456789abcdef0/pos-web-app"]
      bucket_object_arns   = ["arn:aws:s3:::calinks-staging-private-static/*"]
      bucket_kms_key_arn   = "arn:aws:kms:ap-northeast-1:123456789012:key/22222222-2222-2222-2222-222222222222"
      ses_identity_arns    = ["arn:aws:ses:ap-northeast-1:123456789012:identity/staging.mycalinks.io"]
    }
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.task[0].statement : s if s.sid == "UseKeyThroughDynamodb"]).resources == toset(["arn:aws:kms:ap-northeast-1:123456789012:key/11111111-1111-1111-1111-111111111111"]) && one([
      for s in data.aws_iam_policy_document.task[0].statement : toset(one(s.condition).values) if s.sid == "UseKeyThroughDynamodb"
    ]) == toset(["dynamodb.ap-northeast-1.amazonaws.com"])
    error_message = "the task may use the tables' key through DynamoDB only"
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.task[0].statement : toset(one(s.condition).values) if s.sid == "UseKeyThroughS3"]) == toset(["s3.ap-northeast-1.amazonaws.com"])
    error_message = "the task may use the bucket's key through S3 only"
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.task[0].statement : s.actions if s.sid == "ConnectToTheDatabase"]) == toset(["rds-db:connect"]) && one([for s in data.aws_iam_policy_document.task[0].statement : s.resources if s.sid == "ConnectToTheDatabase"]) == toset(["arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:prx-0123456789abcdef0/pos-web-app"])
    error_message = "the task connects to the database as its own user through IAM authentication"
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.task[0].statement : s.resources if s.sid == "SendMail"]) == toset(["arn:aws:ses:ap-northeast-1:123456789012:identity/staging.mycalinks.io"])
    error_message = "the task sends mail from its identity only"
  }
}

run "rejects_database_user_that_is_no_rds_db_arn" {
  command = plan

  variables {
    data_access = { database_user_arns = ["arn:aws:rds:ap-northeast-1:123456789012:db-proxy:prx-0123456789abcdef0"] }
  }

  expect_failures = [var.data_access]
}

# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
run "rejects_size_fargate_does_not_run" {
  command = plan

  variables {
    task_definition = { cpu = 256, memory = 4096, containers = [{ name = "app", image = "app:1" }] }
  }

  expect_failures = [var.task_definition]
}

run "accepts_largest_fargate_size" {
  command = plan

  variables {
    task_definition = { cpu = 16384, memory = 122880, containers = [{ name = "app", image = "app:1" }] }
  }

  assert {
    condition     = aws_ecs_task_definition.this[0].memory == "122880"
    error_message = "16 vCPU with 120 GiB is a Fargate size"
  }
}

# The execution role decrypts the secrets it injects through Secrets Manager
# or SSM only (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
run "secrets_key_through_secrets_manager" {
  command = plan

  variables {
    secret_arns         = ["arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:job-token"]
    secret_kms_key_arns = ["arn:aws:kms:ap-northeast-1:123456789012:key/33333333-3333-3333-3333-333333333333"]
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.execution_secrets[0].statement : toset(one(s.condition).values) if contains(s.actions, "kms:Decrypt")]) == toset(
      ["secretsmanager.ap-northeast-1.amazonaws.com", "ssm.ap-northeast-1.amazonaws.com"]
    )
    error_message = "the execution role may use the secrets' key through Secrets Manager or SSM only"
  }
}
