mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  name = "calinks-test-alb"
}

run "rate_limit_managed_rules_logging" {
  command = apply

  assert {
    condition     = length(aws_wafv2_web_acl.this.rule) == 5 && one([for r in aws_wafv2_web_acl.this.rule : r.statement[0].rate_based_statement[0].limit if r.name == "rate-limit"]) == 2000
    error_message = "the web ACL has the rate limit and the four managed rule groups"
  }
  assert {
    condition     = one([for r in aws_wafv2_web_acl.this.rule : r.priority if r.name == "AWSManagedRulesCommonRuleSet"]) == 2
    error_message = "managed groups follow the rate limit in list order"
  }
  assert {
    condition     = startswith(aws_cloudwatch_log_group.waf.name, "aws-waf-logs-") && contains(aws_wafv2_web_acl_logging_configuration.this.log_destination_configs, aws_cloudwatch_log_group.waf.arn)
    error_message = "WAF logs to an aws-waf-logs- log group"
  }
}

run "rejects_unknown_scope" {
  command = plan

  variables {
    scope = "GLOBAL"
  }

  expect_failures = [var.scope]
}
