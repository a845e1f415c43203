# The estate's DynamoDB tables: on-demand, encrypted with a customer managed
# key, point-in-time recovery on, deletion protection where it matters, TTL
# and streams per table.

locals {
  kms_key_arn = coalesce(var.kms_key_arn, one(module.kms[*].key_arn))
  # What a caller of a table under a customer managed key needs, through
  # DynamoDB only (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html).
  key_role_grants = [for grant in [
    {
      sid         = "TableUsersThroughDynamodb"
      role_arns   = sort(distinct(var.key_user_role_arns))
      actions     = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncrypt*", "kms:DescribeKey"]
      via_service = "dynamodb"
    },
    {
      sid         = "TableUsersLetDynamodbGrant"
      role_arns   = sort(distinct(var.key_user_role_arns))
      actions     = ["kms:CreateGrant"]
      via_service = "dynamodb"
      conditions  = [{ test = "Bool", variable = "kms:GrantIsForAWSResource", values = ["true"] }]
    },
  ] : grant if length(var.key_user_role_arns) > 0]
}

module "kms" {
  source = "../kms-key"
  count  = var.kms_key_arn == null ? 1 : 0

  description = "DynamoDB tables ${join(", ", keys(var.tables))}"
  role_grants = local.key_role_grants
  tags        = var.tags
}

check "key_users_need_the_modules_key" {
  assert {
    condition     = var.kms_key_arn == null || length(var.key_user_role_arns) == 0
    error_message = "key_user_role_arns is granted in the policy of the module's own key; with kms_key_arn set, grant those roles in that key's policy instead."
  }
}


resource "aws_dynamodb_table" "this" {
  for_each = var.tables

  name                        = lookup(var.table_names, each.key, "${var.name_prefix}${each.key}")
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = each.value.hash_key
  range_key                   = each.value.range_key
  deletion_protection_enabled = var.deletion_protection
  stream_enabled              = each.value.stream_view_type != null
  stream_view_type            = each.value.stream_view_type

  attribute {
    name = each.value.hash_key
    type = each.value.hash_key_type
  }

  dynamic "attribute" {
    for_each = each.value.range_key == null ? [] : [each.value.range_key]
    content {
      name = attribute.value
      type = each.value.range_key_type
    }
  }

  dynamic "ttl" {
    for_each = each.value.ttl_attribute == null ? [] : [each.value.ttl_attribute]
    content {
      attribute_name = ttl.value
      enabled        = true
    }
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = local.kms_key_arn
  }

  tags = var.tags
}
