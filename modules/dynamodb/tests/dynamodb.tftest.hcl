mock_provider "aws" {
  source = "../../test/mocks/aws"
}

run "estate_tables_by_default" {
  command = plan

  assert {
    condition     = toset(keys(aws_dynamodb_table.this)) == toset(["Ec_Product", "Ec_Order", "Outbox_Ec_Order"])
    error_message = "the three estate tables exist"
  }
  assert {
    condition     = alltrue([for t in aws_dynamodb_table.this : t.billing_mode == "PAY_PER_REQUEST" && t.point_in_time_recovery[0].enabled && t.server_side_encryption[0].enabled && t.deletion_protection_enabled])
    error_message = "every table is on-demand, with PITR, SSE and deletion protection"
  }
  assert {
    condition     = aws_dynamodb_table.this["Outbox_Ec_Order"].stream_view_type == "NEW_IMAGE" && aws_dynamodb_table.this["Outbox_Ec_Order"].ttl[0].attribute_name == "ExpiresAt" && aws_dynamodb_table.this["Ec_Order"].stream_enabled == false
    error_message = "only the outbox table streams, and it expires by TTL"
  }
}

run "unprotected_with_prefix" {
  command = plan

  variables {
    name_prefix         = "t123-"
    deletion_protection = false
  }

  assert {
    condition     = aws_dynamodb_table.this["Ec_Order"].name == "t123-Ec_Order" && !aws_dynamodb_table.this["Ec_Order"].deletion_protection_enabled
    error_message = "the prefix and the protection switch apply"
  }
}

run "rejects_bad_key_type" {
  command = plan

  variables {
    tables = { X = { hash_key = "Id", hash_key_type = "STRING" } }
  }

  expect_failures = [var.tables]
}

# An adopted table keeps its name (Copilot's storage init: <app>-<env>-<name>);
# the others keep the prefix.
run "adopted_table_keeps_its_name" {
  command = plan

  variables {
    name_prefix = "t123-"
    table_names = { Ec_Product = "calinks-staging-Ec_Product" }
  }

  assert {
    condition     = aws_dynamodb_table.this["Ec_Product"].name == "calinks-staging-Ec_Product" && aws_dynamodb_table.this["Ec_Order"].name == "t123-Ec_Order"
    error_message = "table_names names Ec_Product only; Ec_Order keeps the prefix"
  }
}

run "rejects_unknown_adopted_table" {
  command = plan

  variables {
    table_names = { Ec_Products = "calinks-staging-Ec_Products" }
  }

  expect_failures = [var.table_names]
}

# Copilot's task roles keep using adopted tables: the table key admits them
# through DynamoDB only, with the actions a caller of a table under a
# customer managed key needs
# (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html).
run "key_users_through_dynamodb_only" {
  command = plan

  variables {
    key_user_role_arns = ["arn:aws:iam::123456789012:role/calinks-staging-ec-web-app-TaskRole-1A2B3C4D5E6F"]
  }

  assert {
    condition = [for g in local.key_role_grants : "${g.sid}:${join(",", g.role_arns)}:${join(",", g.actions)}"] == [
      "TableUsersThroughDynamodb:arn:aws:iam::123456789012:role/calinks-staging-ec-web-app-TaskRole-1A2B3C4D5E6F:kms:Decrypt,kms:Encrypt,kms:GenerateDataKey,kms:ReEncrypt*,kms:DescribeKey",
      "TableUsersLetDynamodbGrant:arn:aws:iam::123456789012:role/calinks-staging-ec-web-app-TaskRole-1A2B3C4D5E6F:kms:CreateGrant",
    ]
    error_message = "the Copilot role gets the table key's data actions and CreateGrant"
  }
  assert {
    condition     = alltrue([for g in local.key_role_grants : g.via_service == "dynamodb"]) && local.key_role_grants[1].conditions == [{ test = "Bool", variable = "kms:GrantIsForAWSResource", values = ["true"] }]
    error_message = "every grant holds only through DynamoDB, and CreateGrant only for DynamoDB's own grants"
  }
}

run "rejects_key_users_of_a_key_it_does_not_own" {
  command = plan

  variables {
    kms_key_arn        = "arn:aws:kms:ap-northeast-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
    key_user_role_arns = ["arn:aws:iam::123456789012:role/x"]
  }

  expect_failures = [check.key_users_need_the_modules_key]
}
