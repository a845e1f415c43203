mock_provider "aws" {
  source = "../../test/mocks/aws"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "../../test/mocks/aws"
}

override_resource {
  target = module.certificate.aws_acm_certificate.this
  values = {
    arn                       = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
    domain_validation_options = [{ domain_name = "static.mycalinks.io", resource_record_name = "_a.static.mycalinks.io.", resource_record_type = "CNAME", resource_record_value = "_b.acm-validations.aws." }]
  }
}

override_resource {
  target = module.certificate.aws_acm_certificate_validation.this
  values = { certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000" }
}

variables {
  name        = "calinks-production-static"
  zone_id     = "Z0PUBLIC"
  bucket_name = "calinks-production-static"
}

run "public_name_with_us_east_1_certificate" {
  command = apply

  assert {
    condition     = toset(keys(aws_route53_record.alias)) == toset(["A", "AAAA"]) && aws_route53_record.alias["A"].name == "static.mycalinks.io"
    error_message = "static.mycalinks.io has A and AAAA alias records"
  }
  assert {
    condition     = startswith(output.certificate_arn, "arn:aws:acm:us-east-1:")
    error_message = "the certificate lives in us-east-1"
  }
  assert {
    condition     = output.url == "https://static.mycalinks.io/"
    error_message = "the site's URL is its public name"
  }
}
