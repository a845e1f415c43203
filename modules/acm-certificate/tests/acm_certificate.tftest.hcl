mock_provider "aws" {
  source = "../../test/mocks/aws"
}

# The real provider derives the validation records from the names; the mock must be told.
override_resource {
  target = aws_acm_certificate.this
  values = {
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
    domain_validation_options = [
      { domain_name = "static.mycalinks.io", resource_record_name = "_a.static.mycalinks.io.", resource_record_type = "CNAME", resource_record_value = "_b.acm-validations.aws." },
      { domain_name = "*.static.mycalinks.io", resource_record_name = "_a.static.mycalinks.io.", resource_record_type = "CNAME", resource_record_value = "_b.acm-validations.aws." },
    ]
  }
}

variables {
  domain_name               = "static.mycalinks.io"
  subject_alternative_names = ["*.static.mycalinks.io"]
  zone_id                   = "Z0PUBLIC"
}

run "dns_validated_once_per_name" {
  command = apply

  assert {
    condition     = aws_acm_certificate.this.validation_method == "DNS"
    error_message = "the certificate is validated through DNS"
  }
  assert {
    condition     = length(aws_route53_record.certificate_validation) == 1 && aws_route53_record.certificate_validation["static.mycalinks.io"].zone_id == "Z0PUBLIC"
    error_message = "a wildcard and its apex share one validation record in the zone"
  }
}
