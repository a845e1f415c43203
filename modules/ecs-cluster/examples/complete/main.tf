# An ECS cluster with Fargate and Fargate Spot, Container Insights and
# logged, encrypted execute-command sessions.

module "cluster" {
  source = "../.."

  name = var.name
  default_capacity_provider_strategy = [
    { capacity_provider = "FARGATE", weight = 1, base = 1 },
    { capacity_provider = "FARGATE_SPOT", weight = 3 },
  ]
  tags = var.tags
}
