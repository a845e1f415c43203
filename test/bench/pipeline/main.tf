# The same worker as ../plain, as one calinks_worker_pipeline.
terraform {
  required_providers {
    calinks = {
      source = "calinks/calinks"
    }
  }
}

variable "name" {
  description = "Worker name, unique per run."
  type        = string
}

variable "topic_arn" {
  description = "FIFO topic the worker subscribes to."
  type        = string
}

variable "cluster" {
  description = "ECS cluster name."
  type        = string
}

variable "subnet_id" {
  description = "Subnet of the tasks."
  type        = string
}

variable "security_group_id" {
  description = "Security group of the tasks."
  type        = string
}

variable "task_role_arn" {
  description = "Task role of the worker."
  type        = string
}

variable "aws_max_retries" {
  description = "Retries of one AWS API call."
  type        = number
  default     = 25
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
