# The SNS FIFO topics services publish to, named as Copilot named them so the
# running publishers and workers keep their ARNs. Only each topic's publisher
# may publish; everything is encrypted and reached over TLS.

locals {
  # Who may publish to each topic: its publisher's role, and while a cutover
  # runs the same publisher's Copilot role.
  topic_publishers = { for name, topic in var.topics : name => concat([var.publisher_role_arns[topic.publisher]],
    compact([lookup(var.cutover_publisher_role_arns, topic.publisher, null)]), var.additional_publisher_arns)
  }
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
  # Publishing to an encrypted topic needs GenerateDataKey and Decrypt
  # (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
  role_grants = length(var.cutover_publisher_role_arns) == 0 ? [] : [{
    sid         = "CopilotPublishersEncrypt"
    role_arns   = sort(distinct(values(var.cutover_publisher_role_arns)))
    actions     = ["kms:Decrypt", "kms:GenerateDataKey"]
    via_service = "sns"
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
      identifiers = local.topic_publishers[each.key]
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
      values   = local.topic_publishers[each.key]
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
