provider "aws" {
  region      = var.region
  max_retries = var.aws_max_retries

  default_tags {
    tags = var.tags
  }
}
