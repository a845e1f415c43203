mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  name                   = "calinks-staging"
  vpc_id                 = "vpc-0123456789abcdef0"
  subnet_ids             = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]
  client_security_groups = { worker-item = "sg-0a1b2c3d4e5f60710" }
  application_users      = ["worker-item", "pos-web-app"]
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
    condition     = aws_db_proxy.this.require_tls && length(aws_db_proxy.this.auth) == 2 && alltrue([for a in aws_db_proxy.this.auth : a.secret_arn == "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:calinks-staging/db-users/mock-AbCdEf"])
    error_message = "the proxy requires TLS and authenticates each application as its own user"
  }
  assert {
    condition     = alltrue([for a in aws_db_proxy.this.auth : a.iam_auth == "REQUIRED" && a.auth_scheme == "SECRETS"])
    error_message = "applications must authenticate to the proxy with IAM: no application holds a password (rds-proxy-iam.html)"
  }
  assert {
    condition     = aws_secretsmanager_secret.user["worker-item"].name == "calinks-staging/db-users/worker-item" && aws_secretsmanager_secret.user["worker-item"].kms_key_id == module.kms[0].key_arn
    error_message = "each application user has its own secret, encrypted with the cluster's key"
  }
  assert {
    condition     = !contains(flatten([for st in data.aws_iam_policy_document.proxy.statement : tolist(st.resources)]), "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:mock")
    error_message = "the proxy role must not read the master secret"
  }
  assert {
    condition     = output.database_user_arns == { "worker-item" = "arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:prx-mock/worker-item", "pos-web-app" = "arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:prx-mock/pos-web-app" }
    error_message = "rds-db:connect resources are arn:aws:rds-db:<region>:<account>:dbuser:<proxy resource id>/<user> (rds-proxy-iam.html)"
  }
  assert {
    condition     = one([for p in aws_rds_cluster_parameter_group.this.parameter : p.value if p.name == "server_audit_logging"]) == "1" && contains(aws_rds_cluster.this.enabled_cloudwatch_logs_exports, "audit")
    error_message = "the exported audit log needs Advanced Auditing on (server_audit_logging = 1)"
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

run "rejects_no_application_user" {
  command = plan

  variables {
    application_users = []
  }

  expect_failures = [var.application_users]
}
