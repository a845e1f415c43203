module "private_assets" {
  source    = "../.."
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1 }

  name          = "${var.name}-private-static"
  bucket_name   = "${var.name}-private-static"
  force_destroy = true
  tags          = var.tags

  # The public half of the key pair the application signs URLs with.
  public_content             = !var.signed_urls
  signed_urls_public_key_pem = !var.signed_urls ? null : <<-EOT
    -----BEGIN PUBLIC KEY-----
    MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAifoEsWEQLO5joDyOktQT
    7jJ0ylVUV1IeJsP3MjsMP2aZdhHVt6h2BUZ8ThOtpdxdn2BfO/ISh1iMx2a6C7JG
    e3LrADhyiC4Mb6r6RjbF7g5FjPpC9qa9D1bJmKomTfnOw9EOdyeBUkFqc2pOUAod
    1dBoB62AQ2hMXNN69nr6O2SX9JhwPa1+SOhS/t6+UF0OlPIuHf6bRvGKNbuvJRtJ
    TLMYav6OOLJXjMMACRh7QLjoiY1BSZKSSu23EP5nj8gA8cDGDCoWTcRpI8hVgz3B
    d3LgilSXdp/UGbXSmX0EiAQ8RpMfoj/dFClOTD+MlichHqGqsP7Gy4UlKeMhA8xQ
    PwIDAQAB
    -----END PUBLIC KEY-----
  EOT

}
