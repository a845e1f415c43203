# The estate's DynamoDB tables: on-demand, encrypted with a customer managed
# key, point-in-time recovery on, deletion protection where it matters, TTL
# and streams per table.

locals {
  kms_key_arn = coalesce(var.kms_key_arn, one(module.kms[*].key_arn))
}

module "kms" {
  source = "../kms-key"
  count  = var.kms_key_arn == null ? 1 : 0

  description = "DynamoDB tables ${join(", ", keys(var.tables))}"
  tags        = var.tags
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
