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

  override_data {
    target = data.aws_region.current
    values = { id = "ap-northeast-1", name = "ap-northeast-1" }
  }

  variables {
    role_grants = [{
      sid         = "CopilotPublishersEncrypt"
      role_arns   = ["arn:aws:iam::123456789012:role/calinks-staging-pos-web-app-TaskRole-1A2B3C4D5E6F"]
      actions     = ["kms:Decrypt", "kms:GenerateDataKey"]
      via_service = "sns"
      conditions  = [{ test = "Bool", variable = "aws:SecureTransport", values = ["true"] }]
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
  # kms:ViaService is <service>.<region>.amazonaws.com
  # (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
  assert {
    condition = toset(one([for s in data.aws_iam_policy_document.this.statement : [for c in s.condition : "${c.test}:${c.variable}=${join(",", c.values)}"] if s.sid == "CopilotPublishersEncrypt"])) == toset([
    "StringEquals:kms:ViaService=sns.ap-northeast-1.amazonaws.com", "Bool:aws:SecureTransport=true"])
    error_message = "via_service holds the grant to calls through that service in the key's region, beside the grant's other conditions"
  }
}
