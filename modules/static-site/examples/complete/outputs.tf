output "url" {
  description = "URL of the site."
  value       = module.static_site.url
}

output "distribution_id" {
  description = "The distribution."
  value       = module.static_site.distribution_id
}

output "zone_id" {
  description = "The example's public zone."
  value       = data.aws_route53_zone.public.zone_id
}

output "bucket_name" {
  description = "Content bucket."
  value       = module.static_site.bucket_name
}
