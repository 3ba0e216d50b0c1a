terraform {
  # 1.11: write-only arguments (the generated API key and Grafana password never reach the state).
  required_version = ">= 1.11"
  # Exact pins: the versions the offline schema check reads (tests/terraform/package.json, the
  # @cdktf/provider-* package generated from each). Newer releases exist (aws 6.6x, kubernetes 3.x);
  # move a pin only together with a schema package generated from it, and with module versions
  # whose requirements admit it (eks 21.12+ and iam 6.3+ need aws >= 6.28).
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "= 6.25.0"
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
