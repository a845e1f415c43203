terraform {
  required_version = ">= 1.11"

  # Partial configuration: bucket, key and region come from each environment's
  # backend.hcl (terraform init -backend-config=backend.hcl).
  backend "s3" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
    calinks = {
      source  = "calinks/calinks"
      version = "~> 0.1"
    }
  }
}
