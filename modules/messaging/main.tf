# The SNS FIFO topics services publish to, named as Copilot named them so the
# running publishers and workers keep their ARNs. Only each topic's publisher
# may publish; everything is encrypted and reached over TLS.

locals {
  topic_names = { for name, topic in var.topics : name => "${var.app}-${var.environment}-${topic.publisher}-${name}.fifo" }
  kms_key_arn = coalesce(var.kms_key_arn, one(module.kms[*].key_arn))
}

module "kms" {
  source = "../kms-key"
  count  = var.kms_key_arn == null ? 1 : 0

  description = "SNS topics of ${var.app}-${var.environment}"
  # SNS decrypts messages to deliver them to subscribed queues.
  service_grants = [{
    sid     = "SnsDelivers"
    service = "sns.amazonaws.com"
    actions = ["kms:Decrypt", "kms:GenerateDataKey*"]
  }]
  tags = var.tags
}


check "publishers_have_roles" {
  assert {
    condition     = alltrue([for topic in values(var.topics) : contains(keys(var.publisher_role_arns), topic.publisher)])
    error_message = "Every publisher named in topics needs a role in publisher_role_arns."
  }
}

resource "aws_sns_topic" "this" {
  for_each = var.topics

  name                        = local.topic_names[each.key]
  fifo_topic                  = true
  content_based_deduplication = each.value.content_based_deduplication
  kms_master_key_id           = local.kms_key_arn
  tags                        = merge(var.tags, { "calinks:publisher" = each.value.publisher })
}

data "aws_iam_policy_document" "topic" {
  for_each = var.topics

  statement {
    sid       = "PublisherPublishes"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this[each.key].arn]
    principals {
      type        = "AWS"
      identifiers = concat([var.publisher_role_arns[each.value.publisher]], var.additional_publisher_arns)
    }
  }

  # Same-account principals could otherwise publish through their IAM policies.
  statement {
    sid       = "OnlyThePublisherPublishes"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this[each.key].arn]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:PrincipalArn"
      values   = concat([var.publisher_role_arns[each.value.publisher]], var.additional_publisher_arns)
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:Publish", "sns:Subscribe"]
    resources = [aws_sns_topic.this[each.key].arn]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  for_each = var.topics

  arn    = aws_sns_topic.this[each.key].arn
  policy = data.aws_iam_policy_document.topic[each.key].json
}
