terraform {
  required_providers {
    calinks = {
      source  = "calinks/calinks"
      version = "~> 0.1"
    }
  }
}
