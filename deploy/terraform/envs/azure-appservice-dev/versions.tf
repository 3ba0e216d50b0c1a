terraform {
  # 1.11: write-only arguments (the generated API key and database password never reach the state).
  required_version = ">= 1.11"
  # Exact pins: the versions the offline schema check reads (tests/terraform/package.json).
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "= 4.55.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "= 3.7.2"
    }
    time = {
      source  = "hashicorp/time"
      version = "= 0.13.1"
    }
  }
}
