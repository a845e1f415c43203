data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Stand-ins for the publishers' task roles (web-service makes them in an environment).
resource "aws_iam_role" "publisher" {
  for_each = toset(["pos-web-app", "backend-outbox"])

  name               = "${var.name}-${each.key}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

module "messaging" {
  source = "../.."

  environment = var.name
  # The seven topics of the estate and who publishes each.
  topics = {
    item         = { publisher = "pos-web-app" }
    product      = { publisher = "pos-web-app" }
    transaction  = { publisher = "pos-web-app" }
    ec-order     = { publisher = "pos-web-app" }
    notification = { publisher = "pos-web-app" }
    outbox       = { publisher = "pos-web-app" }
    external-ec  = { publisher = "backend-outbox" }
  }
  publisher_role_arns = { for name, role in aws_iam_role.publisher : name => role.arn }
  tags                = var.tags
}
