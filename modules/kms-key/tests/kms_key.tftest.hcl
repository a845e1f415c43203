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
