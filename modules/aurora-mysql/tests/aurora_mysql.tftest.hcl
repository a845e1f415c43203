mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  name                   = "calinks-staging"
  vpc_id                 = "vpc-0123456789abcdef0"
  subnet_ids             = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]
  client_security_groups = { worker-item = "sg-0a1b2c3d4e5f60710" }
  private_dns            = { zone_id = "Z0PRIVATE" }
}

run "encrypted_managed_secret_tls_proxy" {
  command = apply

  variables {
    deletion_protection = false
  }

  assert {
    condition     = aws_rds_cluster.this.storage_encrypted && aws_rds_cluster.this.manage_master_user_password && aws_rds_cluster.this.kms_key_id == module.kms[0].key_arn
    error_message = "storage must be encrypted and the master password managed in Secrets Manager"
  }
  assert {
    condition     = aws_rds_cluster.this.backup_retention_period == 14 && aws_rds_cluster.this.skip_final_snapshot == false
    error_message = "backups are kept and a final snapshot is taken"
  }
  assert {
    condition     = one([for p in aws_rds_cluster_parameter_group.this.parameter : p.value if p.name == "require_secure_transport"]) == "ON"
    error_message = "the cluster requires TLS"
  }
  assert {
    condition     = aws_db_proxy.this.require_tls && one(aws_db_proxy.this.auth).auth_scheme == "SECRETS" && one(aws_db_proxy.this.auth).secret_arn == aws_rds_cluster.this.master_user_secret[0].secret_arn
    error_message = "the proxy requires TLS and authenticates with the master secret"
  }
  assert {
    condition     = aws_route53_record.proxy[0].type == "CNAME" && aws_route53_record.proxy[0].records == toset([aws_db_proxy.this.endpoint])
    error_message = "the private CNAME points at the proxy"
  }
  assert {
    condition     = alltrue([for i in aws_rds_cluster_instance.this : i.publicly_accessible == false])
    error_message = "instances are never public"
  }
  assert {
    condition     = aws_rds_cluster.this.deletion_protection == false
    error_message = "deletion protection follows the input"
  }
}

run "protected_by_default" {
  command = plan

  assert {
    condition     = aws_rds_cluster.this.deletion_protection
    error_message = "deletion protection is on by default"
  }
}
