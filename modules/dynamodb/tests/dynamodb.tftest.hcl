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
