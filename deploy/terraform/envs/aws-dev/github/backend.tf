# The pipelines' roles have their own state, next to the environment's (same bucket, own key), so
# destroying the environment keeps the roles that destroy runs with.
terraform {
  backend "s3" {
    bucket       = "appraise-tfstate-dev"
    key          = "aws-dev/github.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
