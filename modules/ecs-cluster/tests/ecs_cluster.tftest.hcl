mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  name = "calinks-test"
}

run "defaults" {
  command = apply

  assert {
    condition     = one([for s in aws_ecs_cluster.this.setting : s.value if s.name == "containerInsights"]) == "enabled"
    error_message = "Container Insights must be on"
  }
  assert {
    condition     = toset(aws_ecs_cluster_capacity_providers.this.capacity_providers) == toset(["FARGATE", "FARGATE_SPOT"])
    error_message = "both Fargate capacity providers must be attached"
  }
  assert {
    condition     = aws_ecs_cluster.this.configuration[0].execute_command_configuration[0].logging == "OVERRIDE" && aws_ecs_cluster.this.configuration[0].execute_command_configuration[0].log_configuration[0].cloud_watch_log_group_name == aws_cloudwatch_log_group.exec.name
    error_message = "execute-command sessions must be logged to the module's log group"
  }
  assert {
    condition     = aws_cloudwatch_log_group.exec.kms_key_id == module.kms[0].key_arn
    error_message = "the exec log group must be encrypted with the module's key"
  }
}

run "rejects_ec2_capacity" {
  command = plan

  variables {
    default_capacity_provider_strategy = [{ capacity_provider = "EC2", weight = 1 }]
  }

  expect_failures = [var.default_capacity_provider_strategy]
}
