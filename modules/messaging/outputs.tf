output "topic_arns" {
  description = "Topic ARNs by topic name (`item` => `arn:...:calinks-staging-pos-web-app-item.fifo`)."
  value       = { for name, topic in aws_sns_topic.this : name => topic.arn }
}

output "topic_names" {
  description = "Full topic names by topic name."
  value       = local.topic_names
}

output "publisher_topic_arns" {
  description = "For each publisher, its topic ARNs by topic name: the value of Copilot's COPILOT_SNS_TOPIC_ARNS."
  value = {
    for publisher in distinct([for topic in values(var.topics) : topic.publisher]) :
    publisher => { for name, topic in var.topics : name => aws_sns_topic.this[name].arn if topic.publisher == publisher }
  }
}

output "kms_key_arn" {
  description = "KMS key of the topics; publishers need kms:GenerateDataKey and kms:Decrypt on it."
  value       = local.kms_key_arn
}
