provider "aws" {
  region      = var.region
  max_retries = var.aws_max_retries

  default_tags {
    tags = var.tags
  }
}

provider "calinks" {
  region       = var.region
  max_attempts = var.aws_max_retries + 1

  default_tags {
    tags = var.tags
  }
}
