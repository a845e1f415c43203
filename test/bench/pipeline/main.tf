# The same worker as ../plain, as one calinks_worker_pipeline.
terraform {
  required_providers {
    calinks = {
      source = "calinks/calinks"
    }
  }
}

variable "redrive_allow_policy_enabled" {
  description = "Redrive-allow policy on the DLQ (the emulator lacks it)."
  type        = bool
  default     = true
}

provider "calinks" {
  max_attempts = var.aws_max_retries + 1
}

resource "calinks_worker_pipeline" "worker" {
  app                = "calinks"
  environment        = "bench"
  name               = "worker-item"
  queue_name         = "${var.name}.fifo"
  service_name       = var.name
  cluster            = var.cluster
  subnet_ids         = [var.subnet_id]
  security_group_ids = [var.security_group_id]
  task_role_arn      = var.task_role_arn
  container          = { image = "worker:1" }
  subscriptions      = { item = { topic_arn = var.topic_arn } }

  dead_letter_queue_redrive_allow_policy = var.redrive_allow_policy_enabled
}
