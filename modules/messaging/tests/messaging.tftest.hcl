mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  environment = "staging"
  topics = {
    item        = { publisher = "pos-web-app" }
    external-ec = { publisher = "backend-outbox" }
  }
  publisher_role_arns = {
    pos-web-app    = "arn:aws:iam::123456789012:role/calinks-staging-pos-web-app-task"
    backend-outbox = "arn:aws:iam::123456789012:role/calinks-staging-backend-outbox-task"
  }
}

run "copilot_names_fifo_encrypted" {
  command = plan

  assert {
    condition     = aws_sns_topic.this["item"].name == "calinks-staging-pos-web-app-item.fifo" && aws_sns_topic.this["external-ec"].name == "calinks-staging-backend-outbox-external-ec.fifo"
    error_message = "topic names must follow Copilot: {app}-{env}-{publisher}-{topic}.fifo"
  }
  assert {
    condition     = alltrue([for t in aws_sns_topic.this : t.fifo_topic && t.kms_master_key_id != null])
    error_message = "every topic must be FIFO and encrypted"
  }
}

run "only_publisher_publishes" {
  command = apply

  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.topic["item"].statement : [for p in s.principals : tolist(p.identifiers)] if s.sid == "PublisherPublishes"])) == toset(["arn:aws:iam::123456789012:role/calinks-staging-pos-web-app-task"])
    error_message = "only pos-web-app's task role may publish to item"
  }
  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.topic["external-ec"].statement : [for c in s.condition : tolist(c.values)] if s.sid == "OnlyThePublisherPublishes"])) == toset(["arn:aws:iam::123456789012:role/calinks-staging-backend-outbox-task"])
    error_message = "everyone but backend-outbox's task role is denied publishing to external-ec"
  }
  assert {
    condition     = output.publisher_topic_arns["backend-outbox"] == { external-ec = aws_sns_topic.this["external-ec"].arn }
    error_message = "backend-outbox publishes only external-ec"
  }
}

# During an adoption's cutover the publishers still under Copilot keep
# publishing: each to its own topics only.
run "cutover_publishers_publish_their_topics" {
  command = plan

  variables {
    cutover_publisher_role_arns = {
      pos-web-app = "arn:aws:iam::123456789012:role/calinks-staging-pos-web-app-TaskRole-1A2B3C4D5E6F"
    }
  }

  assert {
    condition = toset(flatten([for s in data.aws_iam_policy_document.topic["item"].statement : [for p in s.principals : tolist(p.identifiers)] if s.sid == "PublisherPublishes"])) == toset([
      "arn:aws:iam::123456789012:role/calinks-staging-pos-web-app-task", "arn:aws:iam::123456789012:role/calinks-staging-pos-web-app-TaskRole-1A2B3C4D5E6F",
    ])
    error_message = "pos-web-app's Copilot role may publish to pos-web-app's topic"
  }
  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.topic["external-ec"].statement : [for p in s.principals : tolist(p.identifiers)] if s.sid == "PublisherPublishes"])) == toset(["arn:aws:iam::123456789012:role/calinks-staging-backend-outbox-task"])
    error_message = "pos-web-app's Copilot role may not publish to backend-outbox's topic"
  }
}

run "rejects_uppercase_topic" {
  command = plan

  variables {
    topics = { Item = { publisher = "pos-web-app" } }
  }

  expect_failures = [var.topics]
}
