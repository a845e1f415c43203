# What every ECS task of the estate needs around it: its task role (what the
# application may do), its execution role (image pull, logs, secrets), its log
# group, named as Copilot named them, and its security group. Used by
# web-service, worker and scheduled-job.

data "aws_region" "current" {}

data "aws_partition" "current" {}

data "aws_vpc" "this" {
  id = var.vpc_id
}

resource "aws_security_group" "this" {
  name        = var.name
  description = "Tasks of ${var.name}"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = var.name })
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  count = var.ingress == null ? 0 : 1

  security_group_id            = aws_security_group.this.id
  description                  = "From the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = var.ingress.port
  to_port                      = var.ingress.port
  referenced_security_group_id = var.ingress.source_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "https" {
  for_each = toset(var.egress_cidr_blocks)

  security_group_id = aws_security_group.this.id
  description       = "HTTPS to AWS APIs and other services"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.key #trivy:ignore:AVD-AWS-0104 tasks call AWS APIs and partners over HTTPS through NAT
}

# Databases, caches and other services inside the VPC.
resource "aws_vpc_security_group_egress_rule" "vpc" {
  security_group_id = aws_security_group.this.id
  description       = "TCP inside the VPC"
  ip_protocol       = "tcp"
  from_port         = 0
  to_port           = 65535
  cidr_ipv4         = data.aws_vpc.this.cidr_block
}

data "aws_caller_identity" "current" {}

# The execution role is assumed by ECS for the task's launch (image pull,
# logs, secrets); its documented trust policy has no condition
# (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html).
data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# The task role only for ECS acting for this account's tasks, against the
# confused deputy, as the task role's documented trust policy does
# (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html#create_task_iam_policy_and_role).
data "aws_iam_policy_document" "task_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/copilot/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

################################################################################
# Execution role
################################################################################

resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secrets" {
  count = length(var.secret_arns) > 0 ? 1 : 0

  statement {
    actions   = ["secretsmanager:GetSecretValue", "ssm:GetParameters"]
    resources = var.secret_arns
  }

  dynamic "statement" {
    for_each = length(var.secret_kms_key_arns) > 0 ? [1] : []
    content {
      actions   = ["kms:Decrypt"]
      resources = var.secret_kms_key_arns
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${data.aws_region.current.id}.amazonaws.com", "ssm.${data.aws_region.current.id}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  count = length(var.secret_arns) > 0 ? 1 : 0

  name   = "read-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets[0].json
}

################################################################################
# Task role
################################################################################

resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  assume_role_policy = data.aws_iam_policy_document.task_assume.json
  tags               = var.tags
}

locals {
  access = var.data_access
  task_policy_needed = anytrue([
    length(var.publish_topic_arns) > 0, length(local.access.dynamodb_table_arns) > 0, length(local.access.database_user_arns) > 0,
    length(local.access.bucket_object_arns) > 0, length(local.access.ses_identity_arns) > 0, var.enable_execute_command,
  ])
  # A customer managed key is used by the service on the caller's behalf, with
  # the caller's permissions: grant it only through that service.
  # https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
  keys_used_via = { for purpose, key in {
    dynamodb = { key = local.access.dynamodb_kms_key_arn, needed = length(local.access.dynamodb_table_arns) > 0 }
    s3       = { key = local.access.bucket_kms_key_arn, needed = length(local.access.bucket_object_arns) > 0 }
  } : purpose => key.key if key.needed && key.key != null }
}

data "aws_iam_policy_document" "task" {
  count = local.task_policy_needed ? 1 : 0

  dynamic "statement" {
    for_each = length(var.publish_topic_arns) > 0 ? [1] : []
    content {
      sid       = "PublishToTopics"
      actions   = ["sns:Publish"]
      resources = values(var.publish_topic_arns)
    }
  }

  # SNS encrypts with the publisher's permissions on the topic's key.
  # https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse
  dynamic "statement" {
    for_each = length(var.publish_topic_arns) > 0 && var.topic_kms_key_arn != null ? [1] : []
    content {
      sid       = "EncryptTopicMessages"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [var.topic_kms_key_arn]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["sns.${data.aws_region.current.id}.amazonaws.com"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.access.dynamodb_table_arns) > 0 ? [1] : []
    content {
      sid = "UseTables"
      actions = [
        "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
        "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan",
        "dynamodb:UpdateItem", "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
      ]
      resources = flatten([for arn in local.access.dynamodb_table_arns : [arn, "${arn}/index/*", "${arn}/stream/*"]])
    }
  }

  # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html
  # https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
  dynamic "statement" {
    for_each = local.keys_used_via
    content {
      sid       = "UseKeyThrough${title(statement.key)}"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncrypt*", "kms:DescribeKey"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["${statement.key}.${data.aws_region.current.id}.amazonaws.com"]
      }
    }
  }

  # DynamoDB creates grants on the table's key on the caller's behalf, as
  # AWS's key policy for callers through DynamoDB allows.
  dynamic "statement" {
    for_each = contains(keys(local.keys_used_via), "dynamodb") ? [local.keys_used_via.dynamodb] : []
    content {
      sid       = "LetDynamodbGrantOnTheKey"
      actions   = ["kms:CreateGrant"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${data.aws_region.current.id}.amazonaws.com"]
      }
      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }

  # IAM authentication to RDS Proxy: the task never holds a database password.
  # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-iam.html
  dynamic "statement" {
    for_each = length(local.access.database_user_arns) > 0 ? [1] : []
    content {
      sid       = "ConnectToTheDatabase"
      actions   = ["rds-db:connect"]
      resources = local.access.database_user_arns
    }
  }

  dynamic "statement" {
    for_each = length(local.access.bucket_object_arns) > 0 ? [1] : []
    content {
      sid       = "ReadAndWriteObjects"
      actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
      resources = local.access.bucket_object_arns
    }
  }

  dynamic "statement" {
    for_each = length(local.access.ses_identity_arns) > 0 ? [1] : []
    content {
      sid       = "SendMail"
      actions   = ["ses:SendEmail", "ses:SendRawEmail"]
      resources = local.access.ses_identity_arns
    }
  }

  # SSM message channels have no resource ARNs to scope to.
  dynamic "statement" {
    for_each = var.enable_execute_command ? [1] : []
    content {
      sid       = "ExecuteCommandChannels"
      actions   = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]
      resources = ["*"] #trivy:ignore:AVD-AWS-0057 ssmmessages actions support no resource-level permissions
    }
  }

  dynamic "statement" {
    for_each = var.enable_execute_command && var.exec_kms_key_arn != null ? [1] : []
    content {
      sid       = "ExecuteCommandEncryption"
      actions   = ["kms:Decrypt"]
      resources = [var.exec_kms_key_arn]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  count = local.task_policy_needed ? 1 : 0

  name   = "task"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task[0].json
}

resource "aws_iam_role_policy" "additional" {
  count = var.additional_task_policy_json == null ? 0 : 1

  name   = "additional"
  role   = aws_iam_role.task.id
  policy = var.additional_task_policy_json
}

################################################################################
# Task definition
################################################################################

locals {
  container_log_configuration = {
    logDriver = "awslogs"
    options = {
      awslogs-group         = aws_cloudwatch_log_group.this.name
      awslogs-region        = data.aws_region.current.id
      awslogs-stream-prefix = "copilot"
    }
  }
}

resource "aws_ecs_task_definition" "this" {
  count = var.task_definition == null ? 0 : 1

  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_definition.cpu
  memory                   = var.task_definition.memory
  task_role_arn            = aws_iam_role.task.arn
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions    = jsonencode([for container in var.task_definition.containers : merge(container, { logConfiguration = local.container_log_configuration })])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  tags = var.tags

  # Tasks started with the execution role must be able to pull and log at once.
  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.execution_secrets]
}
