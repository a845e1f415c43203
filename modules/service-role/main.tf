# An IAM role that one AWS service assumes, with its inline and attached
# policies (flow logs, schedulers, RDS Proxy, Chatbot).

data "aws_caller_identity" "current" {
  count = var.own_account_only ? 1 : 0
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = [var.service]
    }
    # Confused-deputy protection, where the service documents that it sends
    # aws:SourceAccount when it assumes the role: a service acting for another
    # account cannot assume this one
    # (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
    dynamic "condition" {
      for_each = var.own_account_only ? [1] : []
      content {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [data.aws_caller_identity.current[0].account_id]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "this" {
  for_each = var.inline_policies

  name   = each.key
  role   = aws_iam_role.this.id
  policy = each.value
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = var.managed_policy_arns

  role       = aws_iam_role.this.name
  policy_arn = each.value
}
