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

  # Copilot's Aurora Serverless v2 add-on as made: unencrypted, the master
  # password in Copilot's own secret, its parameter group and security group
  # (aws/copilot-cli, templates/addons/aurora/env/serverlessv2.yml).
  copilot_cluster = {
    cluster_identifier           = "calinks-staging-addonsstack-1x2y3z-dbcluster-abcdefghijkl"
    instances                    = [{ identifier = "calinks-staging-addonsstack-1x2y3z-dbwriterinstance-mnopqrstuvwx", instance_class = "db.serverless" }]
    subnet_group_name            = "calinks-staging-addonsstack-1x2y3z-dbsubnetgroup-yzabcdefghij"
    subnet_group_description     = "Group of private subnets for Aurora Serverless v2 cluster."
    subnet_ids                   = ["subnet-0c0p110tpr1v0", "subnet-0c0p110tpr1v1"]
    vpc_id                       = "vpc-0123456789abcdef0"
    database_name                = "calinks"
    master_username              = "admin"
    serverless_v2_scaling        = { min_capacity = 0.5, max_capacity = 8 }
    preferred_backup_window      = "01:37-02:07"
    cluster_parameter_group_name = "calinks-staging-addonsstack-1x2y3z-dbclusterparametergroup-klmnopqrstuv"
    security_group_ids           = ["sg-0c0p110tdbc1u5t3r"]
    master_secret_arn            = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:calinksdbAuroraSecret-1A2B3C4D5E6F-AbCdEf"
  }
}

run "encrypted_managed_secret_tls_proxy" {
  command = apply

  variables {
    deletion_protection = false
  }

  assert {
    condition     = aws_rds_cluster.this.storage_encrypted && aws_rds_cluster.this.manage_master_user_password && aws_rds_cluster.this.kms_key_id == module.kms[0].key_arn && aws_rds_cluster.this.iam_database_authentication_enabled
    error_message = "storage must be encrypted, the master password managed in Secrets Manager, IAM database authentication on"
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

run "adopts_copilot_cluster_as_made" {
  command = plan

  variables {
    instance_count  = 2
    adopted_cluster = var.copilot_cluster
  }

  # Each of these replaces the cluster or its subnet group when changed
  # (AWS::RDS::DBCluster and AWS::RDS::DBSubnetGroup: "Update requires:
  # Replacement"), so each is Copilot's value.
  assert {
    condition     = aws_rds_cluster.this.cluster_identifier == "calinks-staging-addonsstack-1x2y3z-dbcluster-abcdefghijkl" && aws_rds_cluster.this.database_name == "calinks" && aws_rds_cluster.this.master_username == "admin"
    error_message = "the adopted cluster keeps its identifier, database and master user"
  }
  assert {
    condition     = aws_rds_cluster.this.storage_encrypted == false
    error_message = "an adopted unencrypted cluster stays unencrypted: encrypting replaces it"
  }
  assert {
    condition = (aws_db_subnet_group.this.name == "calinks-staging-addonsstack-1x2y3z-dbsubnetgroup-yzabcdefghij" && aws_db_subnet_group.this.description == "Group of private subnets for Aurora Serverless v2 cluster."
    && aws_db_subnet_group.this.subnet_ids == toset(["subnet-0c0p110tpr1v0", "subnet-0c0p110tpr1v1"]))
    error_message = "the adopted subnet group keeps its name, description and subnets (ModifyDBSubnetGroup cannot take away a subnet an instance is in)"
  }
  # What Copilot's running services depend on until the cutover ends.
  assert {
    condition     = aws_rds_cluster.this.manage_master_user_password == null && output.master_user_secret_arn == "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:calinksdbAuroraSecret-1A2B3C4D5E6F-AbCdEf"
    error_message = "the master password stays the one Copilot's services read from their secret, which the output names"
  }
  assert {
    condition     = aws_rds_cluster.this.iam_database_authentication_enabled == false
    error_message = "the adopted cluster's IAM database authentication stays as made (Copilot's template leaves it off)"
  }
  assert {
    condition     = aws_rds_cluster.this.db_cluster_parameter_group_name == "calinks-staging-addonsstack-1x2y3z-dbclusterparametergroup-klmnopqrstuv"
    error_message = "the adopted cluster keeps its parameter group"
  }
  # Its backup window, which RDS chose outside its maintenance window
  # (ModifyDBCluster: PreferredBackupWindow must not conflict with it).
  assert {
    condition     = aws_rds_cluster.this.preferred_backup_window == "01:37-02:07" && aws_rds_cluster.this.delete_automated_backups == false
    error_message = "the adopted cluster keeps its backup window, and its automated backups are never deleted with it"
  }
  assert {
    condition     = contains(aws_rds_cluster.this.vpc_security_group_ids, "sg-0c0p110tdbc1u5t3r") && length(aws_rds_cluster.this.vpc_security_group_ids) == 2
    error_message = "Copilot's security group stays attached, the module's is added"
  }
  assert {
    condition     = aws_rds_cluster.this.serverlessv2_scaling_configuration[0].min_capacity == 0.5 && aws_rds_cluster.this.serverlessv2_scaling_configuration[0].max_capacity == 8
    error_message = "the Serverless v2 capacity range is kept"
  }
  assert {
    condition = (aws_rds_cluster_instance.this[0].identifier == "calinks-staging-addonsstack-1x2y3z-dbwriterinstance-mnopqrstuvwx" && aws_rds_cluster_instance.this[0].instance_class == "db.serverless"
      && aws_rds_cluster_instance.this[1].identifier == "calinks-staging-2" && aws_rds_cluster_instance.this[1].instance_class == "db.r6g.large"
    && aws_rds_cluster_instance.this[1].db_subnet_group_name == "calinks-staging-addonsstack-1x2y3z-dbsubnetgroup-yzabcdefghij")
    error_message = "the adopted writer keeps its identifier and class; an added instance gets the module's"
  }
}

run "adopted_cluster_ends_cutover" {
  command = plan

  variables {
    instance_count  = 1
    adopted_cluster = merge(var.copilot_cluster, { keep_master_password = false, cluster_parameter_group_name = null, security_group_ids = [] })
  }

  assert {
    condition     = aws_rds_cluster.this.manage_master_user_password && aws_rds_cluster.this.db_cluster_parameter_group_name == "calinks-staging-cluster" && length(aws_rds_cluster.this.vpc_security_group_ids) == 1
    error_message = "when the cutover ends, RDS manages the master password and the module's parameter group and security group apply"
  }
  assert {
    condition     = aws_rds_cluster.this.cluster_identifier == "calinks-staging-addonsstack-1x2y3z-dbcluster-abcdefghijkl" && aws_rds_cluster.this.storage_encrypted == false
    error_message = "ending the cutover changes nothing that replaces the cluster"
  }
}

run "rejects_adopted_cluster_in_another_vpc" {
  command = plan

  variables {
    instance_count  = 1
    adopted_cluster = merge(var.copilot_cluster, { vpc_id = "vpc-0ffffffffffffffff" })
  }
  expect_failures = [aws_rds_cluster.this]
}

run "rejects_fewer_instances_than_adopted" {
  command = plan

  variables {
    instance_count  = 1
    adopted_cluster = merge(var.copilot_cluster, { instances = [{ identifier = "writer", instance_class = "db.serverless" }, { identifier = "reader", instance_class = "db.serverless" }] })
  }
  expect_failures = [aws_rds_cluster.this]
}

run "rejects_kept_password_without_its_secret" {
  command = plan

  variables {
    instance_count  = 1
    adopted_cluster = merge(var.copilot_cluster, { master_secret_arn = null })
  }
  expect_failures = [var.adopted_cluster]
}

run "rejects_serverless_without_capacity" {
  command = plan

  variables {
    instance_count  = 1
    adopted_cluster = merge(var.copilot_cluster, { serverless_v2_scaling = null })
  }
  expect_failures = [var.adopted_cluster]
}
