# Generates a password for each database user of aurora-mysql into its
# secret, write-only: the password passes through no plan and no state. A
# submodule the caller adds (see the example) rather than part of
# aurora-mysql: mock providers know no ephemeral resources, and operators who
# adopt existing MySQL users write their passwords instead.

ephemeral "aws_secretsmanager_random_password" "this" {
  for_each = var.secret_ids

  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret_version" "this" {
  for_each = var.secret_ids

  secret_id                = each.value
  secret_string_wo         = jsonencode({ username = each.key, password = ephemeral.aws_secretsmanager_random_password.this[each.key].random_password })
  secret_string_wo_version = 1
}
