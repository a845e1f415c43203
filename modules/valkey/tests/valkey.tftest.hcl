mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  name                   = "calinks-staging"
  vpc_id                 = "vpc-0123456789abcdef0"
  subnet_ids             = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]
  client_security_groups = { pos-web-app = "sg-0a1b2c3d4e5f60710", worker-item = "sg-0a1b2c3d4e5f60711" }
}

run "valkey_limits_snapshots_ports" {
  command = plan

  assert {
    condition     = aws_elasticache_serverless_cache.this.engine == "valkey" && aws_elasticache_serverless_cache.this.snapshot_retention_limit == 7
    error_message = "a Valkey cache with daily snapshots kept 7 days"
  }
  assert {
    condition     = one(one(aws_elasticache_serverless_cache.this.cache_usage_limits).data_storage).maximum == 10 && one(one(aws_elasticache_serverless_cache.this.cache_usage_limits).ecpu_per_second).maximum == 100000
    error_message = "usage limits cap storage and ECPU"
  }
  assert {
    condition     = toset([for r in aws_vpc_security_group_ingress_rule.clients : r.from_port]) == toset([6379, 6380]) && length(aws_vpc_security_group_ingress_rule.clients) == 4
    error_message = "each client group reaches 6379 and 6380, nothing else"
  }
}

run "rejects_tiny_ecpu" {
  command = plan

  variables {
    max_ecpu_per_second = 10
  }

  expect_failures = [var.max_ecpu_per_second]
}
