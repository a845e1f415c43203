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

run "trusts_the_service_for_any_account_by_default" {
  command = plan

  assert {
    condition     = length(flatten([for s in data.aws_iam_policy_document.assume.statement : s.condition])) == 0
    error_message = "without own_account_only the trust policy has no condition"
  }
}

# https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role:
# the execution role's trust policy limits Scheduler to the account with aws:SourceAccount.
run "own_account_only_limits_the_service_to_this_account" {
  command = plan

  variables {
    own_account_only = true
  }

  assert {
    condition     = [for c in data.aws_iam_policy_document.assume.statement[0].condition : "${c.test} ${c.variable} ${join(",", c.values)}"] == ["StringEquals aws:SourceAccount 123456789012"]
    error_message = "own_account_only admits the service for this account only (aws:SourceAccount = the mock account)"
  }
}
