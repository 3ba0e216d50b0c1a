terraform {
  # 1.11: write-only arguments (the generated API key and Grafana password never reach the state).
  required_version = ">= 1.11"
  # Exact pins: the versions the offline schema check reads (tests/terraform/package.json, the
  # @cdktf/provider-* package generated from each). Newer releases exist (azurerm 4.81 in the 4.x
  # line, kubernetes 3.x); move a pin only together with a schema package generated from it.
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "= 4.55.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "= 3.1.1"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "= 2.38.0"
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
