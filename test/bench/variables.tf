# Variables both benchmark roots take (linked into plain/ and pipeline/).
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
