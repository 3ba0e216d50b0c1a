terraform {
  required_version = ">= 1.11"
  required_providers {
    # Pinned to the version the offline schema check reads (tests/terraform, @cdktf/provider-aws 21.22.1).
    aws = {
      source  = "hashicorp/aws"
      version = "= 6.25.0"
    }
  }
}
