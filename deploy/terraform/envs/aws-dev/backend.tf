# State in S3, encrypted, locked with S3's own lock file (Terraform 1.10+; no DynamoDB table).
# Create the bucket once (README.md, "Prerequisites"); names are not secrets.
terraform {
  backend "s3" {
    bucket       = "appraise-tfstate-dev"
    key          = "aws-dev/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
