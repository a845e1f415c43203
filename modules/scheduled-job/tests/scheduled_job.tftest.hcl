mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  environment         = "staging"
  name                = "job-daily-calculate"
  cluster_arn         = "arn:aws:ecs:ap-northeast-1:123456789012:cluster/calinks-staging"
  vpc_id              = "vpc-0123456789abcdef0"
  subnet_ids          = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]
  container           = { image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/job-daily-calculate:1.0.0" }
  schedule_expression = "cron(0 3 * * ? *)"
}

run "cron_in_tokyo_with_retries" {
  command = apply

  assert {
    condition     = aws_scheduler_schedule.this.schedule_expression_timezone == "Asia/Tokyo" && aws_scheduler_schedule.this.state == "ENABLED"
    error_message = "the job runs on its cron in Asia/Tokyo"
  }
  assert {
    condition     = aws_scheduler_schedule.this.target[0].retry_policy[0].maximum_retry_attempts == 3
    error_message = "the scheduler retries a failed start"
  }
  assert {
    condition     = aws_scheduler_schedule.this.target[0].arn == var.cluster_arn && aws_scheduler_schedule.this.target[0].ecs_parameters[0].task_definition_arn == module.task.task_definition_arn
    error_message = "the schedule starts the job's task definition in the cluster"
  }
  assert {
    condition     = one(aws_scheduler_schedule.this.target[0].ecs_parameters[0].network_configuration).assign_public_ip == false
    error_message = "the job's tasks get no public IP"
  }
  assert {
    condition     = startswith(output.run_task_command, "aws ecs run-task --cluster ${var.cluster_arn} --task-definition ${module.task.task_definition_arn} --launch-type FARGATE") && strcontains(output.run_task_command, "subnets=[subnet-0a1b2c3d4e5f60718,subnet-0a1b2c3d4e5f60719]")
    error_message = "run_task_command runs the same task by hand"
  }
}

run "rejects_bad_expression" {
  command = plan

  variables {
    schedule_expression = "0 3 * * *"
  }

  expect_failures = [var.schedule_expression]
}

# Scheduler tags the task it starts (propagate_tags) with its own role.
# https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role
run "scheduler_may_tag_the_task" {
  command = plan

  assert {
    condition     = one([for s in data.aws_iam_policy_document.scheduler.statement : s.actions if s.sid == "TagTheTask"]) == toset(["ecs:TagResource"]) && aws_scheduler_schedule.this.target[0].ecs_parameters[0].propagate_tags == "TASK_DEFINITION"
    error_message = "a scheduler that propagates tags must be allowed ecs:TagResource"
  }
}
