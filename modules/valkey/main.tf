# ElastiCache Serverless for Valkey: encrypted at rest with a customer managed
# key and in transit (serverless caches always use TLS), reachable only from
# the listed task security groups, with usage limits and daily snapshots.

locals {
  kms_key_arn = coalesce(var.kms_key_arn, one(module.kms[*].key_arn))
}

module "kms" {
  source = "../kms-key"
  count  = var.kms_key_arn == null ? 1 : 0

  description = "ElastiCache Valkey ${var.name}"
  tags        = var.tags
}


resource "aws_security_group" "this" {
  name        = "${var.name}-valkey"
  description = "Valkey ${var.name}: 6379 and 6380 from the application tasks"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-valkey" })
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each = { for pair in setproduct([6379, 6380], keys(var.client_security_groups)) : "${pair[0]}-${pair[1]}" => { port = pair[0], source = var.client_security_groups[pair[1]] } }

  security_group_id            = aws_security_group.this.id
  description                  = each.value.port == 6379 ? "Valkey primary endpoint" : "Valkey reader endpoint"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.source
}

resource "aws_elasticache_serverless_cache" "this" {
  name                     = var.name
  engine                   = "valkey"
  major_engine_version     = var.major_engine_version
  description              = "Valkey cache of ${var.name}"
  subnet_ids               = var.subnet_ids
  security_group_ids       = [aws_security_group.this.id]
  kms_key_id               = local.kms_key_arn
  snapshot_retention_limit = var.snapshot_retention_days
  daily_snapshot_time      = var.daily_snapshot_time

  cache_usage_limits {
    data_storage {
      maximum = var.max_data_storage_gb
      unit    = "GB"
    }
    ecpu_per_second {
      maximum = var.max_ecpu_per_second
    }
  }

  tags = var.tags
}
