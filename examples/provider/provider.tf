# Real AWS: the standard credential chain, optionally through a role.
provider "calinks" {
  region = "ap-northeast-1"

  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/terraform"
    session_name = "calinks-deploy"
  }

  default_tags {
    tags = { "calinks:managed-by" = "terraform" }
  }
}

# A LocalStack-compatible endpoint (or set AWS_ENDPOINT_URL instead).
provider "calinks" {
  alias        = "local"
  region       = "ap-northeast-1"
  endpoint     = "http://127.0.0.1:4566"
  max_attempts = 2
}
