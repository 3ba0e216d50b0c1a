terraform {
  required_version = ">= 1.11"
  required_providers {
    # Pinned to the version the offline schema check reads (tests/terraform, @cdktf/provider-azurerm 14.23.1).
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "= 4.55.0"
    }
  }
}
