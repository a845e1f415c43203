mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  description = "test key"
  service_grants = [{
    sid     = "SnsDelivers"
    service = "sns.amazonaws.com"
    actions = ["kms:Decrypt", "kms:GenerateDataKey*"]
  }]
}

run "rotated_and_granted" {
  command = plan

  assert {
    condition     = aws_kms_key.this.enable_key_rotation
    error_message = "the key rotates"
  }
  assert {
    condition     = [for s in data.aws_iam_policy_document.this.statement : s.sid] == ["AccountAdministers", "SnsDelivers"]
    error_message = "the policy has the account statement and one per service grant"
  }
}

run "role_grant_names_its_roles" {
  command = plan

  variables {
    role_grants = [{
      sid       = "CopilotPublishersEncrypt"
      role_arns = ["arn:aws:iam::123456789012:role/calinks-staging-pos-web-app-TaskRole-1A2B3C4D5E6F"]
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      conditions = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["sns.ap-northeast-1.amazonaws.com"]
      }]
    }]
  }

  assert {
    condition     = [for s in data.aws_iam_policy_document.this.statement : s.sid] == ["AccountAdministers", "SnsDelivers", "CopilotPublishersEncrypt"]
    error_message = "the policy has one statement per role grant after the service grants"
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.this.statement : [for p in s.principals : "${p.type}:${join(",", p.identifiers)}"] if s.sid == "CopilotPublishersEncrypt"]) == [
    "AWS:arn:aws:iam::123456789012:role/calinks-staging-pos-web-app-TaskRole-1A2B3C4D5E6F"]
    error_message = "the role grant names the roles as AWS principals"
  }
}
