mock_provider "aws" {
  source = "../../test/mocks/aws"
}

variables {
  name = "calinks-test"
}

run "managed_per_az" {
  # Applied against the mock provider: the IDs compared below are computed.
  command = apply

  assert {
    condition     = length(aws_subnet.private) == 3 && length(aws_subnet.public) == 3
    error_message = "a managed VPC has one public and one private subnet per zone"
  }
  assert {
    condition     = length(aws_nat_gateway.this) == 3
    error_message = "per_az mode creates one NAT gateway per zone"
  }
  assert {
    condition     = alltrue([for s in aws_subnet.public : s.map_public_ip_on_launch == false])
    error_message = "public subnets must not hand out public IPs on launch"
  }
  assert {
    condition     = aws_flow_log.this[0].traffic_type == "ALL" && aws_flow_log.this[0].log_destination_type == "cloud-watch-logs"
    error_message = "flow logs must record all traffic to CloudWatch Logs"
  }
  assert {
    condition     = aws_route.private_nat["ap-northeast-1c"].nat_gateway_id == aws_nat_gateway.this["ap-northeast-1c"].id
    error_message = "each private subnet egresses through its own zone's NAT gateway"
  }
}

run "managed_single_nat" {
  command = apply

  variables {
    nat_gateway_mode   = "single"
    availability_zones = ["ap-northeast-1a", "ap-northeast-1c"]
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && length(aws_subnet.private) == 2
    error_message = "single mode creates one NAT gateway for two zones"
  }
  assert {
    condition     = aws_route.private_nat["ap-northeast-1c"].nat_gateway_id == aws_nat_gateway.this["ap-northeast-1a"].id
    error_message = "every private subnet egresses through the single NAT gateway"
  }
}

run "imported" {
  command = plan

  variables {
    vpc_id                      = "vpc-01e2cc9c6c0ec2e19"
    imported_private_subnet_ids = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]
    imported_public_subnet_ids  = ["subnet-0a1b2c3d4e5f60720"]
    private_zone_name           = "develop.calinks.internal"
  }

  assert {
    condition     = length(aws_vpc.this) == 0 && length(aws_subnet.private) == 0 && length(aws_nat_gateway.this) == 0 && length(aws_flow_log.this) == 0
    error_message = "an imported VPC must not be modified: no VPC, subnet, NAT or flow log resources"
  }
  assert {
    condition     = output.private_subnet_ids == tolist(["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]) && output.vpc_cidr_block == "10.8.0.0/16"
    error_message = "an imported VPC's subnets are the ones given"
  }
  assert {
    condition     = output.vpc_managed == false
    error_message = "vpc_managed must say the VPC is imported"
  }
}

run "rejects_bad_vpc_id" {
  command = plan

  variables {
    vpc_id = "vpc_123"
  }

  expect_failures = [var.vpc_id]
}

run "rejects_one_zone" {
  command = plan

  variables {
    availability_zones = ["ap-northeast-1a"]
  }

  expect_failures = [var.availability_zones]
}

run "rejects_imported_vpc_without_subnets" {
  command = plan

  variables {
    vpc_id = "vpc-01e2cc9c6c0ec2e19"
  }

  expect_failures = [data.aws_vpc.imported]
}
