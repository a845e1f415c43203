mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  name                = "calinks-test-scheduler"
  service             = "scheduler.amazonaws.com"
  inline_policies     = { run-task = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  managed_policy_arns = { read-only = "arn:aws:iam::aws:policy/ReadOnlyAccess" }
}

run "assumed_by_the_service" {
  command = plan

  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.assume.statement : [for p in s.principals : tolist(p.identifiers)]])) == toset(["scheduler.amazonaws.com"])
    error_message = "only the named service may assume the role"
  }
  assert {
    condition     = keys(aws_iam_role_policy.this) == ["run-task"] && aws_iam_role_policy_attachment.this["read-only"].policy_arn == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    error_message = "the role carries its inline and managed policies"
  }
}
