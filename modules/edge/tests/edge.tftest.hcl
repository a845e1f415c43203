mock_provider "aws" {
  source = "../../test/mocks/aws"
}

# The real provider derives the validation records from the names; the mock must be told.
override_resource {
  target = module.certificate[0].aws_acm_certificate.this
  values = {
    arn = "arn:aws:acm:ap-northeast-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
    domain_validation_options = [{
      domain_name           = "test.mycalinks.io"
      resource_record_name  = "_x1.test.mycalinks.io."
      resource_record_type  = "CNAME"
      resource_record_value = "_x2.acm-validations.aws."
    }]
  }
}

variables {
  name              = "calinks-test"
  vpc_id            = "vpc-0123456789abcdef0"
  public_subnet_ids = ["subnet-0a", "subnet-0b"]
  zone_id           = "Z0PUBLIC"
  domain_name       = "test.mycalinks.io"
  hostnames         = ["pos.test.mycalinks.io"]
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = aws_lb.this.drop_invalid_header_fields && aws_lb.this.enable_deletion_protection && aws_lb.this.access_logs[0].enabled
    error_message = "the ALB must drop invalid headers, be protected from deletion and log access"
  }
  assert {
    condition     = aws_lb_listener.http.default_action[0].type == "redirect" && aws_lb_listener.http.default_action[0].redirect[0].protocol == "HTTPS"
    error_message = "HTTP must redirect to HTTPS"
  }
  assert {
    condition     = aws_lb_listener.https.protocol == "HTTPS" && startswith(aws_lb_listener.https.ssl_policy, "ELBSecurityPolicy-TLS13")
    error_message = "the HTTPS listener must use a TLS 1.3 policy"
  }
  assert {
    condition     = aws_lb_listener.https.certificate_arn == module.certificate[0].certificate_arn
    error_message = "the HTTPS listener must use the requested ACM certificate"
  }
  assert {
    condition     = aws_wafv2_web_acl_association.alb.resource_arn == aws_lb.this.arn && aws_wafv2_web_acl_association.alb.web_acl_arn == module.web_acl.web_acl_arn
    error_message = "the web ACL must be associated with the ALB"
  }
}

run "existing_certificate_not_protected" {
  command = plan

  variables {
    certificate_arn     = "arn:aws:acm:ap-northeast-1:123456789012:certificate/11111111-1111-1111-1111-111111111111"
    deletion_protection = false
  }

  assert {
    condition     = length(module.certificate) == 0 && aws_lb_listener.https.certificate_arn == var.certificate_arn
    error_message = "an existing certificate is used as given, none requested"
  }
  assert {
    condition     = aws_lb.this.enable_deletion_protection == false
    error_message = "deletion protection follows the input"
  }
}

# During an adoption's cutover the hostnames stay on Copilot's load balancer.
run "hostnames_served_by_copilot" {
  command = plan

  variables {
    hostnames_served_by = { dns_name = "calinks-Publi-1A2B3C4D5E6F-123456789.ap-northeast-1.elb.amazonaws.com", zone_id = "Z14GRHDCWA56QT" }
  }

  assert {
    condition = (aws_route53_record.hostname["pos.test.mycalinks.io"].alias[0].name == "calinks-Publi-1A2B3C4D5E6F-123456789.ap-northeast-1.elb.amazonaws.com" &&
    aws_route53_record.hostname["pos.test.mycalinks.io"].alias[0].zone_id == "Z14GRHDCWA56QT")
    error_message = "the record points at the load balancer that serves the hostnames"
  }
}

run "rejects_tls10_policy" {
  command = plan

  variables {
    ssl_policy = "ELBSecurityPolicy-2016-08"
  }

  expect_failures = [var.ssl_policy]
}
