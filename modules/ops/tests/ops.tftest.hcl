mock_provider "aws" {
  source = "../../test/mocks/aws"
}

override_resource {
  target = aws_ses_domain_dkim.this
  values = { dkim_tokens = ["tokena", "tokenb", "tokenc"] }
}

variables {
  name             = "calinks-staging"
  slack_team_id    = "T0123456789"
  slack_channel_id = "C0123456789"
  ses_domain       = "mycalinks.io"
  public_zone      = { zone_id = "Z0PUBLIC" }
  client_vpn = {
    server_certificate_arn      = "arn:aws:acm:ap-northeast-1:123456789012:certificate/11111111-1111-1111-1111-111111111111"
    client_root_certificate_arn = "arn:aws:acm:ap-northeast-1:123456789012:certificate/22222222-2222-2222-2222-222222222222"
    vpc_id                      = "vpc-0123456789abcdef0"
    subnet_ids                  = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]
  }
}

run "everything_on" {
  command = apply

  assert {
    condition     = aws_sns_topic.alarms.kms_master_key_id == module.kms.key_arn
    error_message = "the alarm topic is encrypted with a key CloudWatch may use"
  }
  assert {
    condition     = aws_chatbot_slack_channel_configuration.this[0].sns_topic_arns == toset([aws_sns_topic.alarms.arn])
    error_message = "Chatbot forwards the alarm topic to Slack"
  }
  assert {
    condition     = length(aws_route53_record.ses) == 6 && aws_route53_record.ses["dkim-1"].name == "tokenb._domainkey.mycalinks.io" && aws_ses_domain_mail_from.this[0].mail_from_domain == "mail.mycalinks.io"
    error_message = "SES gets verification, three DKIM and two MAIL FROM records"
  }
  assert {
    condition     = one(aws_ec2_client_vpn_endpoint.this[0].authentication_options).type == "certificate-authentication" && one(aws_ec2_client_vpn_endpoint.this[0].connection_log_options).enabled
    error_message = "the Client VPN authenticates by certificate and logs connections"
  }
  assert {
    condition     = length(aws_ec2_client_vpn_network_association.this) == 2 && aws_ec2_client_vpn_authorization_rule.vpc[0].target_network_cidr == "10.8.0.0/16"
    error_message = "the Client VPN is associated with each private subnet and authorised for the VPC"
  }
}

run "switched_off" {
  command = plan

  variables {
    chatbot_enabled    = false
    client_vpn_enabled = false
  }

  assert {
    condition     = length(aws_chatbot_slack_channel_configuration.this) == 0 && length(aws_ec2_client_vpn_endpoint.this) == 0 && length(module.chatbot_role) == 0
    error_message = "switches remove Chatbot and Client VPN entirely"
  }
}
