# Adopt a worker Copilot created: <cluster name>/<service name>/<queue name>.
# The dead-letter queue is found through the queue's redrive policy, the
# subscriptions by the queue ARN (keyed by topic name), and app, environment
# and name from the COPILOT_* variables of the running task definition.
terraform import calinks_worker_pipeline.item \
  'calinks-staging-Cluster-AbCdEf/calinks-staging-worker-item-Service-XyZ/calinks-staging-worker-item-EventsQueue-123.fifo'
