# A customer managed KMS key with rotation on, administered by the account
# (IAM policies then decide who uses it) and usable by the named services and
# roles.

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  # Service grants first, then role grants, each one statement.
  dynamic "statement" {
    for_each = concat(
      [for g in var.service_grants : { sid = g.sid, actions = g.actions, conditions = g.conditions, principal_type = "Service", principals = [g.service] }],
      [for g in var.role_grants : { sid = g.sid, actions = g.actions, principal_type = "AWS", principals = g.role_arns, conditions = concat(
        g.via_service == null ? [] : [{ test = "StringEquals", variable = "kms:ViaService", values = ["${g.via_service}.${data.aws_region.current.id}.amazonaws.com"] }],
        g.conditions,
      ) }],
    )
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = ["*"]
      principals {
        type        = statement.value.principal_type
        identifiers = statement.value.principals
      }
      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description         = var.description
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.this.json
  tags                = var.tags
}
