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

# The public zone the certificate validates in and the records go to: one
# the account already holds.
data "aws_route53_zone" "public" {
  name         = var.zone_name
  private_zone = false
}

module "edge" {
  source = "../../../edge"

  name                      = var.name
  vpc_id                    = module.network.vpc_id
  public_subnet_ids         = module.network.public_subnet_ids
  zone_id                   = data.aws_route53_zone.public.zone_id
  domain_name               = var.zone_name
  deletion_protection       = false
  log_buckets_force_destroy = true
}

# A web service behind the ALB with its nginx sidecar.
module "web" {
  source = "../.."

  environment = "example"
  name        = "pos-web-app"
  cluster_arn = module.cluster.cluster_arn
  vpc_id      = module.network.vpc_id
  subnet_ids  = module.network.private_subnet_ids
  # httpd moved to 8080: the sidecar listens on 80 in the task's shared network.
  container_port = 8080
  container = {
    image   = "public.ecr.aws/docker/library/httpd:2.4"
    command = ["sh", "-c", "sed -i 's/^Listen 80$/Listen 8080/' /usr/local/apache2/conf/httpd.conf && exec httpd-foreground"]
  }
  # The load balancer checks the sidecar's /healthz, which the sidecar passes
  # to the application's "/" (httpd's default page).
  nginx_sidecar = {
    health_check_path             = "/healthz"
    application_health_check_path = "/"
  }
  listener_arn                    = module.edge.https_listener_arn
  load_balancer_security_group_id = module.edge.alb_security_group_id
  load_balancer = {
    priority     = 100
    host_headers = ["pos.${var.zone_name}"]
  }
  tags = var.tags
}

# The same module as a backend service: no load balancer, no sidecar.
module "backend" {
  source = "../.."

  environment   = "example"
  name          = "backend-outbox"
  cluster_arn   = module.cluster.cluster_arn
  vpc_id        = module.network.vpc_id
  subnet_ids    = module.network.private_subnet_ids
  container     = { image = "public.ecr.aws/docker/library/busybox:stable", command = ["sleep", "3600"] }
  nginx_sidecar = null
  tags          = var.tags
}
