# Emulator profile: only what the local endpoint (moto) cannot do differs.
aws_max_retries = 1 # moto answers unimplemented APIs with HTTP 500; fail fast instead of retrying for minutes
# moto does not know the SQS RedriveAllowPolicy attribute
redrive_allow_policy_enabled = false
