mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  environment = "staging"
  name        = "pos-web-app"
  cluster_arn = "arn:aws:ecs:ap-northeast-1:123456789012:cluster/calinks-staging"
  vpc_id      = "vpc-0123456789abcdef0"
  subnet_ids  = ["subnet-0a", "subnet-0b"]
  container   = { image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/pos-web-app:1.0.0" }
  nginx_sidecar = {
    health_check_path = "/healthz"
  }
  publish_topic_arns = {
    item = "arn:aws:sns:ap-northeast-1:123456789012:calinks-staging-pos-web-app-item.fifo"
  }
  listener_arn                    = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/calinks-staging-alb/0123456789abcdef/0123456789abcdef"
  load_balancer_security_group_id = "sg-0alb"
  load_balancer = {
    priority          = 100
    host_headers      = ["pos.staging.mycalinks.io"]
    health_check_path = "/healthz"
  }
}

# Each target group gets a name of its own from a prefix (the provider adds a
# unique suffix at every create), so create_before_destroy can create a
# replacement, a tainted group's included, beside the old one; the
# replacement is exercised against the endpoint (test/module_examples_test.go).
# First, so that no earlier apply's state supplies the prefix.
run "target_group_named_from_a_prefix" {
  command = plan

  assert {
    condition     = aws_lb_target_group.this[0].name_prefix == "pos-w-"
    error_message = "the target group is named from the prefix pos-w- (6 characters at most)"
  }
}

run "behind_alb_with_sidecar" {
  command = apply

  assert {
    condition     = [for c in jsondecode(module.task.container_definitions) : c.name] == ["pos-web-app", "nginx"]
    error_message = "the task runs the application and the nginx sidecar"
  }
  assert {
    condition     = one(aws_ecs_service.terraform_owned[0].load_balancer).container_name == "nginx" && one(aws_ecs_service.terraform_owned[0].load_balancer).container_port == 80
    error_message = "the load balancer targets the nginx sidecar on port 80"
  }
  assert {
    condition     = aws_lb_target_group.this[0].health_check[0].path == "/healthz" && aws_lb_target_group.this[0].target_type == "ip"
    error_message = "the target group checks the given health path on IP targets"
  }
  assert {
    condition     = one(one(aws_lb_listener_rule.this[0].condition).host_header).values == toset(["pos.staging.mycalinks.io"])
    error_message = "the listener rule matches the service's host"
  }
  assert {
    condition     = aws_ecs_service.terraform_owned[0].network_configuration[0].assign_public_ip == false
    error_message = "tasks get no public IP"
  }
  assert {
    condition     = jsondecode(output.environment_variables.COPILOT_SNS_TOPIC_ARNS)["item.fifo"] == var.publish_topic_arns.item && output.environment_variables.COPILOT_SERVICE_NAME == "pos-web-app"
    error_message = "the publisher receives Copilot's COPILOT_SNS_TOPIC_ARNS"
  }
}

run "backend_without_lb_owned_by_ci" {
  command = plan

  variables {
    name                      = "backend-outbox"
    load_balancer             = null
    task_definition_ownership = "external"
    task_definition_arn       = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/calinks-staging-backend-outbox:7"
  }

  assert {
    condition     = length(aws_lb_target_group.this) == 0 && length(aws_lb_listener_rule.this) == 0
    error_message = "a backend service has no target group nor rule"
  }
  assert {
    condition     = module.task.task_definition_arn == null && aws_ecs_service.externally_owned[0].task_definition == var.task_definition_arn
    error_message = "with external ownership the service starts with the given revision and registers none"
  }
}

run "rejects_rule_without_condition" {
  command = plan

  variables {
    load_balancer = {
      priority = 100
    }
  }

  expect_failures = [var.load_balancer]
}

# The target group checks the sidecar, so the sidecar must answer the path
# (test/nginx_sidecar_test.go runs this configuration with a real nginx).
run "sidecar_answers_health_check_and_proxies" {
  command = plan

  assert {
    condition     = strcontains(output.nginx_configuration, "listen 80;") && strcontains(output.nginx_configuration, "location = /healthz {") && strcontains(output.nginx_configuration, "proxy_pass http://127.0.0.1:8080/healthz;") && strcontains(output.nginx_configuration, "proxy_pass http://127.0.0.1:8080;")
    error_message = "the sidecar listens on 80, passes /healthz to the application's health path and proxies the rest to its port 8080"
  }
  assert {
    condition     = aws_lb_target_group.this[0].health_check[0].path == "/healthz" && aws_lb_target_group.this[0].port == 80
    error_message = "the target group checks the sidecar's health path on the sidecar's port"
  }
  assert {
    condition     = one([for c in jsondecode(module.task.container_definitions) : c.entryPoint if c.name == "nginx"]) == ["/bin/sh", "-c"]
    error_message = "the sidecar writes the module's configuration before nginx starts"
  }
}

run "rejects_health_check_the_sidecar_does_not_answer" {
  command = plan

  variables {
    load_balancer = {
      priority          = 100
      host_headers      = ["pos.staging.mycalinks.io"]
      health_check_path = "/status"
    }
  }

  expect_failures = [aws_lb_target_group.this]
}

run "rejects_unknown_sidecar_image_without_its_configuration" {
  command = plan

  variables {
    nginx_sidecar = { image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/calinks/proxy:1" }
  }

  expect_failures = [var.nginx_sidecar]
}

run "adopted_target_group_keeps_its_name" {
  command = plan

  variables {
    load_balancer = {
      priority          = 100
      host_headers      = ["pos.staging.mycalinks.io"]
      health_check_path = "/healthz"
      target_group_name = "calin-Targe-1A2B3C4D5E6F"
    }
  }

  assert {
    condition     = aws_lb_target_group.this[0].name == "calin-Targe-1A2B3C4D5E6F"
    error_message = "a given target_group_name is kept as it is"
  }
}

run "rejects_target_group_name_too_long" {
  command = plan

  variables {
    load_balancer = {
      priority          = 100
      host_headers      = ["pos.staging.mycalinks.io"]
      target_group_name = "calinks-staging-pos-web-app-target"
    }
  }

  expect_failures = [var.load_balancer]
}

run "application_port_without_sidecar" {
  command = plan

  variables {
    nginx_sidecar  = null
    container_port = 3000
    load_balancer = {
      priority     = 100
      host_headers = ["pos.staging.mycalinks.io"]
    }
  }

  assert {
    condition     = aws_lb_target_group.this[0].port == 3000 && one(jsondecode(module.task.container_definitions)[0].portMappings).containerPort == 3000
    error_message = "without a sidecar the target group and the container mapping use container_port"
  }
}

# The old place of the port fails instead of being dropped by the type
# conversion (which would silently move the application to 8080).
run "rejects_port_inside_container" {
  command = plan

  variables {
    container = { image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/pos-web-app:1.0.0", port = 3000 }
  }

  expect_failures = [var.container]
}

run "rejects_load_balancer_without_listener" {
  command = plan

  variables {
    listener_arn = null
  }

  expect_failures = [aws_lb_listener_rule.this]
}
