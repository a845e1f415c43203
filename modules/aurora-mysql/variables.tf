variable "name" {
  description = "Name of the cluster, for example `calinks-staging`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,50}$", var.name))
    error_message = "name must be 2-51 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster and the proxy."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets in at least two zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must list at least two subnets (RDS needs two zones)."
  }
}

variable "client_security_groups" {
  description = "Security groups of the tasks that may connect to the proxy on 3306, by a name known at plan time (the IDs may not be)."
  type        = map(string)
  default     = {}
}

variable "application_users" {
  description = "Database users the applications connect as through RDS Proxy with IAM authentication, one per application. Each gets a Secrets Manager secret that only the proxy reads, its value written by `modules/user-passwords` (or the operator); the applications hold no password (their task roles get `rds-db:connect` on `database_user_arns`)."
  type        = set(string)

  validation {
    condition     = length(var.application_users) > 0
    error_message = "application_users needs at least one user: RDS Proxy needs at least one authentication entry."
  }
  validation {
    condition     = alltrue([for user in var.application_users : can(regex("^[A-Za-z][A-Za-z0-9_-]{0,31}$", user))])
    error_message = "every application_users entry must be a MySQL user name of 1-32 letters, digits, hyphens or underscores, starting with a letter."
  }
}

variable "secrets_manager_cidr_blocks" {
  description = "Where the proxy reaches Secrets Manager on 443: the internet through NAT by default, or the subnets of a Secrets Manager interface endpoint."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "engine_version" {
  description = "Aurora MySQL version, for example `8.0.mysql_aurora.3.08.2`."
  type        = string
  default     = "8.0.mysql_aurora.3.08.2"
}

variable "parameter_group_family" {
  description = "Parameter group family matching engine_version."
  type        = string
  default     = "aurora-mysql8.0"
}

variable "instance_class" {
  description = "Instance class of the cluster's instances."
  type        = string
  default     = "db.r6g.large"
}

variable "instance_count" {
  description = "Instances: one writer plus readers in other zones."
  type        = number
  default     = 2

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 16
    error_message = "instance_count must be from 1 to 16."
  }
}

variable "database_name" {
  description = "Name of the database created with the cluster."
  type        = string
  default     = "calinks"
}

variable "master_username" {
  description = "Master user; its password is generated and kept in Secrets Manager by RDS."
  type        = string
  default     = "calinks_admin"
}

variable "kms_key_arn" {
  description = "KMS key of storage, the master secret and Performance Insights. Null: the module creates one."
  type        = string
  default     = null
}

variable "backup_retention_days" {
  description = "Days of automated backups."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be from 1 to 35."
  }
}

variable "preferred_backup_window" {
  description = "Daily backup window (UTC), `hh24:mi-hh24:mi`."
  type        = string
  default     = "17:00-18:00"
}

variable "deletion_protection" {
  description = "Protect the cluster from deletion; a final snapshot is taken on destroy when off. On in production."
  type        = bool
  default     = true
}

variable "skip_final_snapshot" {
  description = "Destroy without a final snapshot; for throwaway stacks only."
  type        = bool
  default     = false
}

variable "cluster_parameters" {
  description = "Cluster parameters on top of the secure ones (require_secure_transport = ON)."
  type        = map(string)
  default     = {}
}

variable "db_parameters" {
  description = "Instance parameters."
  type        = map(string)
  default     = {}
}

variable "private_dns" {
  description = "A CNAME to the proxy endpoint: the private Route53 zone and the record's name in it (relative or fully qualified). Null: no record."
  type = object({
    zone_id = string
    name    = optional(string, "database")
  })
  default = null
}

variable "adopted_cluster" {
  description = <<-EOT
    A cluster made elsewhere (Copilot's Aurora Serverless v2 add-on), imported with its data instead of created: import the cluster, its instances (by their order in `instances`) and its subnet group at this module's addresses (`make adopt` writes the blocks). What would replace the cluster if changed is kept as it is: the identifiers, the subnet group (name, description, subnets), the database and master user names, and the storage encryption (`storage_kms_key_arn`; null: unencrypted, as Copilot makes it; encrypting one needs a snapshot restored into a new cluster). What its running clients depend on is kept while set: the engine version (as it runs, automatic minor upgrades included), each instance's class, the Serverless v2 capacity, the backup window (it must not overlap the maintenance window the cluster has), the cluster's parameter group (the module's requires TLS), its security groups (the module's is added beside them), and with `keep_master_password` the master password they read from their own secret, `master_secret_arn` (output as master_user_secret_arn, so that access checks see who reads it; false: RDS manages the password in a secret of its own, and the old one stops working). The cluster's own IAM database authentication stays as made (applications authenticate to the proxy, which logs in with the users' secrets), and its automated backups are never deleted with it. `vpc_id` is the cluster's VPC, which must be var.vpc_id: a cluster cannot move to another VPC. Null: the module's own cluster.
  EOT
  type = object({
    cluster_identifier           = string
    instances                    = list(object({ identifier = string, instance_class = string }))
    subnet_group_name            = string
    subnet_group_description     = string
    subnet_ids                   = list(string)
    vpc_id                       = string
    database_name                = string
    master_username              = string
    storage_kms_key_arn          = optional(string)
    serverless_v2_scaling        = optional(object({ min_capacity = number, max_capacity = number }))
    preferred_backup_window      = optional(string)
    cluster_parameter_group_name = optional(string)
    security_group_ids           = optional(list(string), [])
    keep_master_password         = optional(bool, true)
    master_secret_arn            = optional(string)
  })
  default = null

  validation {
    condition     = var.adopted_cluster == null || try(length(var.adopted_cluster.instances) >= 1, false)
    error_message = "adopted_cluster.instances must name the cluster's instances (at least its writer): each is imported at aws_rds_cluster_instance.this[<index>]."
  }
  validation {
    condition     = var.adopted_cluster == null || try(!var.adopted_cluster.keep_master_password || var.adopted_cluster.master_secret_arn != null, false)
    error_message = "adopted_cluster.keep_master_password needs master_secret_arn: the secret the cluster's clients read the master password from, which access checks must see."
  }
  validation {
    condition     = var.adopted_cluster == null || try(alltrue([for i in var.adopted_cluster.instances : i.instance_class != "db.serverless"]) || var.adopted_cluster.serverless_v2_scaling != null, false)
    error_message = "adopted_cluster.serverless_v2_scaling is required with a db.serverless instance: Serverless v2 instances need the cluster's capacity range."
  }
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
