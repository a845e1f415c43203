# Emulator profile (moto 5.2.1 on 127.0.0.1:4566): terraform.tfvars plus
# these lines. Only what the endpoint cannot do differs from the real profile.

# moto answers unimplemented APIs with HTTP 500, and now and then resets a
# connection in the middle of an answer: three attempts per call retry the
# resets and fail a missing API within seconds instead of minutes.
aws_max_retries = 3

# moto does not know the SQS RedriveAllowPolicy attribute.
dead_letter_queue_redrive_allow_policy = false

# moto lacks Application Auto Scaling tagging (ListTagsForResource), so
# aws_appautoscaling_target cannot be read back.
service_autoscaling_enabled = false
