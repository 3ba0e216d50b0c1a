# The roles GitHub Actions assumes with OIDC (no AWS key stored anywhere), created once by an
# administrator before the environment (../README.md, "First apply"). Each trusts only the
# workflow runs that need it (the token's sub claim) and may do only what those runs do.
# model-release uploads models to the environment's models bucket (policies.tf), from jobs in the
# GitHub environment model-release only (give it required reviewers: what it writes, appraise serves).
locals {
  env        = yamldecode(file("${path.module}/../env.yaml"))
  name       = local.env.name
  repository = local.env.github.repository
  region     = local.env.region
  account    = data.aws_caller_identity.current.account_id
  bucket     = local.env.terraform_state.bucket
  # The environment's state object and its S3 lock file (use_lockfile: <key>.tflock).
  state_keys = ["aws-dev/terraform.tfstate"]
}

provider "aws" {
  region = local.region
  default_tags {
    tags = local.env.tags
  }
}

data "aws_caller_identity" "current" {}

# One GitHub OIDC provider per account: create it here, or use the one the account already has.
resource "aws_iam_openid_connect_provider" "github" {
  count          = local.env.github.create_oidc_provider ? 1 : 0
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_openid_connect_provider" "github" {
  count = local.env.github.create_oidc_provider ? 0 : 1
  url   = "https://token.actions.githubusercontent.com"
}

locals {
  oidc_provider_arn = local.env.github.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn
  # The sub claim of each kind of run (GitHub docs, "About security hardening with OpenID Connect":
  # a job with an environment gets repo:<repo>:environment:<name>; otherwise pull_request or the ref).
  # The plan role trusts main only, not pull_request: it reads the state, the API key and, through
  # its EKS access entry, the cluster's objects, and any branch can change the workflow a pull
  # request runs without review.
  subjects = {
    push  = ["repo:${local.repository}:environment:release"]
    plan  = ["repo:${local.repository}:ref:refs/heads/main"]
    apply = ["repo:${local.repository}:environment:${local.env.github.environment}"]
    # Like push, created here by an administrator, not by the apply role: no permissions boundary
    # applies (the boundary caps the roles the apply role creates, policies.tf).
    model-release = ["repo:${local.repository}:environment:model-release"]
  }
}

data "aws_iam_policy_document" "trust" {
  for_each = local.subjects
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = each.value
    }
  }
}

resource "aws_iam_role" "github" {
  for_each             = local.subjects
  name                 = "${local.name}-github-${each.key}"
  assume_role_policy   = data.aws_iam_policy_document.trust[each.key].json
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "github" {
  for_each = local.subjects
  name     = each.key
  role     = aws_iam_role.github[each.key].id
  policy   = local.policies[each.key]
}

# The permissions boundary of every role the environment creates (policies.tf, "boundary"). Out of
# the apply role's reach: it may neither change nor delete this policy.
resource "aws_iam_policy" "boundary" {
  name        = "${local.name}-github-boundary"
  description = "The most a role created by the ${local.name} apply role may do."
  policy      = data.aws_iam_policy_document.boundary.json
}
