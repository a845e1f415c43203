terraform {
  required_providers {
    calinks = {
      source = "calinks/calinks"
    }
  }
}
