terraform {
  required_version = ">= 1.6"

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
