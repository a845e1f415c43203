provider "aws" {
  region      = var.region
  max_retries = var.aws_max_retries

  default_tags {
    tags = var.tags
  }
}

provider "aws" {
  alias       = "us_east_1"
  region      = "us-east-1"
  max_retries = var.aws_max_retries

  default_tags {
    tags = var.tags
  }
}
