# Aurora MySQL behind RDS Proxy: encrypted storage, the master password
# generated and rotated by RDS in Secrets Manager, TLS required end to end,
# backups, and a private DNS name for the proxy so applications never need
# the cluster's own endpoints. Applications authenticate to the proxy with
# IAM, each as its own database user: no application holds a password, and
# rotating a secret never breaks a running task. A cluster made elsewhere
# (Copilot's Aurora add-on) is adopted with its data through adopted_cluster:
# imported, and kept as made wherever a change would replace it or cut off
# the clients it has today.

locals {
  kms_key_arn = coalesce(var.kms_key_arn, one(module.kms[*].key_arn))
  adopted     = var.adopted_cluster
  # An adopted cluster keeps its master password while its clients read it
  # from their own secret.
  manage_master_password = local.adopted == null || !try(local.adopted.keep_master_password, true)
  adopted_instances      = try(local.adopted.instances, [])
}

module "kms" {
  source = "../kms-key"
  count  = var.kms_key_arn == null ? 1 : 0

  description = "Aurora MySQL ${var.name}: storage, master secret, Performance Insights"
  tags        = var.tags
}


################################################################################
# Network
################################################################################

resource "aws_db_subnet_group" "this" {
  name = try(local.adopted.subnet_group_name, var.name)
  # An adopted group as it was: its subnets hold the cluster's instances.
  description = try(local.adopted.subnet_group_description, null)
  subnet_ids  = try(local.adopted.subnet_ids, var.subnet_ids)
  tags        = var.tags
}

resource "aws_security_group" "proxy" {
  name        = "${var.name}-db-proxy"
  description = "RDS Proxy of ${var.name}: MySQL from the application tasks"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-db-proxy" })
}

resource "aws_vpc_security_group_ingress_rule" "proxy_from_clients" {
  for_each = var.client_security_groups

  security_group_id            = aws_security_group.proxy.id
  description                  = "MySQL from application tasks"
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
  referenced_security_group_id = each.value
}

resource "aws_vpc_security_group_egress_rule" "proxy_to_cluster" {
  security_group_id            = aws_security_group.proxy.id
  description                  = "MySQL to the cluster"
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
  referenced_security_group_id = aws_security_group.cluster.id
}

# The proxy fetches its users' secrets from Secrets Manager's regional
# endpoint: through NAT by default, or an interface endpoint's addresses.
resource "aws_vpc_security_group_egress_rule" "proxy_to_secrets_manager" {
  for_each = toset(var.secrets_manager_cidr_blocks)

  security_group_id = aws_security_group.proxy.id
  description       = "HTTPS to Secrets Manager"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.key #trivy:ignore:AVD-AWS-0104 Secrets Manager's public endpoint is reached through NAT unless an interface endpoint is given
}

resource "aws_security_group" "cluster" {
  name        = "${var.name}-db"
  description = "Aurora MySQL ${var.name}: MySQL from its proxy only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-db" })
}

resource "aws_vpc_security_group_ingress_rule" "cluster_from_proxy" {
  security_group_id            = aws_security_group.cluster.id
  description                  = "MySQL from RDS Proxy"
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
  referenced_security_group_id = aws_security_group.proxy.id
}

################################################################################
# Cluster
################################################################################

resource "aws_rds_cluster_parameter_group" "this" {
  name        = "${var.name}-cluster"
  family      = var.parameter_group_family
  description = "Cluster parameters of ${var.name}"

  dynamic "parameter" {
    # The audit log export carries only what Advanced Auditing records.
    # https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Auditing.html
    for_each = merge({
      require_secure_transport = "ON"
      server_audit_logging     = "1"
      server_audit_events      = "CONNECT,QUERY_DCL,QUERY_DDL"
    }, var.cluster_parameters)
    content {
      name  = parameter.key
      value = parameter.value
    }
  }

  tags = var.tags
}

resource "aws_db_parameter_group" "this" {
  name        = "${var.name}-instance"
  family      = var.parameter_group_family
  description = "Instance parameters of ${var.name}"

  dynamic "parameter" {
    for_each = var.db_parameters
    content {
      name  = parameter.key
      value = parameter.value
    }
  }

  tags = var.tags
}

# Deletion protection is an input: on in production, off where an environment
# must be rebuildable (staging, tests).
#trivy:ignore:AVD-AWS-0343
resource "aws_rds_cluster" "this" {
  cluster_identifier = try(local.adopted.cluster_identifier, var.name)
  engine             = "aurora-mysql"
  # An adopted cluster runs the version it has (RDS upgrades minor versions).
  engine_version = local.adopted == null ? var.engine_version : null
  database_name  = try(local.adopted.database_name, var.database_name)

  master_username               = try(local.adopted.master_username, var.master_username)
  manage_master_user_password   = local.manage_master_password ? true : null
  master_user_secret_kms_key_id = local.manage_master_password ? local.kms_key_arn : null

  db_subnet_group_name            = aws_db_subnet_group.this.name
  vpc_security_group_ids          = concat([aws_security_group.cluster.id], try(local.adopted.security_group_ids, []))
  db_cluster_parameter_group_name = coalesce(try(local.adopted.cluster_parameter_group_name, null), aws_rds_cluster_parameter_group.this.name)

  # An adopted cluster's storage stays as it was made: changing either
  # attribute replaces the cluster.
  storage_encrypted                   = local.adopted == null || try(local.adopted.storage_kms_key_arn != null, false)
  kms_key_id                          = local.adopted == null ? local.kms_key_arn : try(local.adopted.storage_kms_key_arn, null)
  iam_database_authentication_enabled = local.adopted == null
  enabled_cloudwatch_logs_exports     = ["audit", "error", "slowquery"]

  backup_retention_period   = var.backup_retention_days
  preferred_backup_window   = coalesce(try(local.adopted.preferred_backup_window, null), var.preferred_backup_window)
  delete_automated_backups  = local.adopted == null ? null : false
  copy_tags_to_snapshot     = true
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = var.skip_final_snapshot
  final_snapshot_identifier = var.skip_final_snapshot ? null : "${var.name}-final"

  dynamic "serverlessv2_scaling_configuration" {
    for_each = try(local.adopted.serverless_v2_scaling, null) == null ? [] : [local.adopted.serverless_v2_scaling]
    content {
      min_capacity = serverlessv2_scaling_configuration.value.min_capacity
      max_capacity = serverlessv2_scaling_configuration.value.max_capacity
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.adopted == null || try(local.adopted.vpc_id == var.vpc_id, false)
      error_message = "adopted_cluster.vpc_id (${try(local.adopted.vpc_id, "")}) must be vpc_id (${var.vpc_id}): a cluster cannot move to another VPC, and the module's security groups and subnet group must be in its VPC."
    }
    precondition {
      condition     = length(local.adopted_instances) <= var.instance_count
      error_message = "instance_count (${var.instance_count}) must be at least the number of adopted_cluster.instances: an adopted instance beyond it would be destroyed."
    }
  }
}

resource "aws_rds_cluster_instance" "this" {
  count = var.instance_count

  # The adopted instances first, by their own identifiers, in their class.
  identifier         = try(local.adopted_instances[count.index].identifier, "${var.name}-${count.index + 1}")
  cluster_identifier = aws_rds_cluster.this.id
  engine             = aws_rds_cluster.this.engine
  engine_version     = aws_rds_cluster.this.engine_version
  instance_class     = try(local.adopted_instances[count.index].instance_class, var.instance_class)
  # An adopted instance has the cluster's group (a change replaces it): left
  # unset, as Copilot's template leaves it.
  db_subnet_group_name            = count.index < length(local.adopted_instances) ? null : aws_db_subnet_group.this.name
  db_parameter_group_name         = aws_db_parameter_group.this.name
  publicly_accessible             = false
  auto_minor_version_upgrade      = true
  performance_insights_enabled    = true
  performance_insights_kms_key_id = local.kms_key_arn
  copy_tags_to_snapshot           = true
  tags                            = var.tags
}

################################################################################
# RDS Proxy
################################################################################

# One database user per application, its secret read by the proxy only. The
# password is written by the caller: generated write-only by the submodule
# modules/user-passwords (never in a plan or the state), or set by the
# operator for existing users. The MySQL user is created once by an operator
# with that password (README); the proxy reads the secret at each new
# connection, so rotating it needs no redeploy.
resource "aws_secretsmanager_secret" "user" {
  for_each = var.application_users

  name                    = "${var.name}/db-users/${each.key}"
  description             = "MySQL user ${each.key} of ${var.name}; read by RDS Proxy only"
  kms_key_id              = local.kms_key_arn
  recovery_window_in_days = var.skip_final_snapshot ? 0 : 30
  tags                    = var.tags
}

# The region from the provider, not from the cluster's ARN: a planned change
# to the cluster must not defer this document and rewrite the proxy's policy.
data "aws_region" "current" {}

data "aws_iam_policy_document" "proxy" {
  statement {
    sid       = "ReadTheUsersSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [for secret in aws_secretsmanager_secret.user : secret.arn]
  }

  # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-secrets-arns.html
  statement {
    sid       = "DecryptTheUsersSecrets"
    actions   = ["kms:Decrypt"]
    resources = [local.kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${data.aws_region.current.id}.amazonaws.com"]
    }
  }
}

module "proxy_role" {
  source = "../service-role"

  name            = "${var.name}-db-proxy"
  service         = "rds.amazonaws.com"
  inline_policies = { read-user-secrets = data.aws_iam_policy_document.proxy.json }
  tags            = var.tags
}

resource "aws_db_proxy" "this" {
  name                   = var.name
  engine_family          = "MYSQL"
  role_arn               = module.proxy_role.role_arn
  vpc_subnet_ids         = var.subnet_ids
  vpc_security_group_ids = [aws_security_group.proxy.id]
  require_tls            = true
  idle_client_timeout    = 1800

  # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-iam.html
  dynamic "auth" {
    for_each = var.application_users
    content {
      description = "Application user ${auth.key}"
      auth_scheme = "SECRETS"
      iam_auth    = "REQUIRED"
      secret_arn  = aws_secretsmanager_secret.user[auth.key].arn
    }
  }

  tags = var.tags

  # The role is usable only with its policies.
  depends_on = [module.proxy_role]
}

resource "aws_db_proxy_default_target_group" "this" {
  db_proxy_name = aws_db_proxy.this.name

  connection_pool_config {
    max_connections_percent      = 90
    max_idle_connections_percent = 50
    connection_borrow_timeout    = 120
  }
}

resource "aws_db_proxy_target" "this" {
  db_proxy_name         = aws_db_proxy.this.name
  target_group_name     = aws_db_proxy_default_target_group.this.name
  db_cluster_identifier = aws_rds_cluster.this.cluster_identifier

  # The proxy can register the cluster only once an instance is available.
  depends_on = [aws_rds_cluster_instance.this]
}

resource "aws_route53_record" "proxy" {
  count = var.private_dns == null ? 0 : 1

  zone_id = var.private_dns.zone_id
  name    = var.private_dns.name
  # The record is this module's alone: a create whose answer was lost (the
  # change made, its INSYNC wait failed) is taken over by the next apply
  # instead of failing on "already exists" (found by make faults).
  allow_overwrite = true
  type            = "CNAME"
  ttl             = 60
  records         = [aws_db_proxy.this.endpoint]
}
