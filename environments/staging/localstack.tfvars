# LocalStack profile (CALINKS_TEST_TARGET=localstack, any LocalStack endpoint
# with an auth token): terraform.tfvars plus these lines, LocalStack's own gaps
# only, each from LocalStack's API coverage pages. moto's gaps are not here:
# LocalStack implements RedriveAllowPolicy, Application Auto Scaling,
# ElastiCache Serverless (CreateServerlessCache) and CloudFront key groups.

# An emulator answers an API it lacks with an error: fail at once instead of
# retrying for minutes.
aws_max_retries = 1

# LocalStack's EC2 does not implement AssociateClientVpnTargetNetwork.
client_vpn_enabled = false

# LocalStack has no AWS Chatbot API (no page in its coverage catalog).
chatbot_enabled = false
