variable "secret_ids" {
  description = "Secret of each database user, by user name."
  type        = map(string)
}
