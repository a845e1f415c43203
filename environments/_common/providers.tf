provider "aws" {
  region      = var.region
  max_retries = var.aws_max_retries

  default_tags {
    tags = local.tags
  }
}

# CloudFront's certificates and web ACLs live in us-east-1.
provider "aws" {
  alias       = "us_east_1"
  region      = "us-east-1"
  max_retries = var.aws_max_retries

  default_tags {
    tags = local.tags
  }
}

provider "calinks" {
  region       = var.region
  max_attempts = var.aws_max_retries + 1

  default_tags {
    tags = local.tags
  }
}
