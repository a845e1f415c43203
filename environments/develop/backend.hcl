# terraform init -backend-config=backend.hcl: one state per environment, S3
# lock file (no DynamoDB table), encrypted.
bucket       = "calinks-terraform-state"
key          = "environments/develop/terraform.tfstate"
region       = "ap-northeast-1"
encrypt      = true
use_lockfile = true
