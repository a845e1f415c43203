module "network" {
  source = "../../../network"

  name               = var.name
  cidr_block         = var.cidr_block
  availability_zones = ["${var.region}a", "${var.region}c"]
  nat_gateway_mode   = "single"
}

module "cluster" {
  source = "../../../ecs-cluster"

  name = var.name
}

module "job" {
  source = "../.."

  environment         = var.name
  name                = "job-daily-calculate"
  cluster_arn         = module.cluster.cluster_arn
  vpc_id              = module.network.vpc_id
  subnet_ids          = module.network.private_subnet_ids
  container           = { image = "public.ecr.aws/docker/library/busybox:stable", command = ["echo", "calculated"] }
  schedule_expression = "cron(0 3 * * ? *)"
  tags                = var.tags
}
