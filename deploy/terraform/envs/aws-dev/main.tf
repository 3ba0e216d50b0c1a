locals {
  env        = yamldecode(file("${path.module}/env.yaml"))
  repository = abspath("${path.module}/../../../..")
}

variable "image_tag" {
  description = "Overrides appraise.image_tag from env.yaml (the deploy workflow passes the release being deployed)."
  type        = string
  default     = ""
}

variable "install_appraise" {
  description = "Whether terraform apply installs appraise too; the deploy workflow sets false and runs helm upgrade --install --atomic itself."
  type        = bool
  default     = true
}

variable "api_key" {
  description = "The first API key (export TF_VAR_api_key=...); stored in Secrets Manager, never in a file."
  type        = string
  sensitive   = true
}

provider "aws" {
  region = local.env.region
  default_tags {
    tags = local.env.tags
  }
}

# The Helm provider authenticates to EKS with short-lived tokens from the AWS CLI.
provider "helm" {
  kubernetes {
    host                   = module.aws.cluster.endpoint
    cluster_ca_certificate = base64decode(module.aws.cluster.cluster_ca_certificate)
    exec {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.aws.cluster.name, "--region", local.env.region]
    }
  }
}

module "aws" {
  source = "../../modules/aws"

  name   = local.env.name
  tags   = local.env.tags
  vpc    = local.env.vpc
  eks    = local.env.eks
  ecr    = local.env.ecr
  github = local.env.github
  appraise = {
    namespace                = local.env.appraise.namespace
    external_secrets_account = "external-secrets:external-secrets"
  }
  api_key = var.api_key
}

module "release" {
  source = "../../modules/release"

  install_appraise = var.install_appraise
  chart_path       = "${local.repository}/deploy/helm/appraise"
  namespace        = local.env.appraise.namespace
  release_name     = local.env.appraise.release
  values_files     = [for file in local.env.appraise.values_files : "${local.repository}/${file}"]
  image = {
    repository = module.aws.registry_url
    tag        = var.image_tag != "" ? var.image_tag : local.env.appraise.image_tag
  }
  set = {
    "apiKeys.secretsManagerKey"      = module.aws.api_key_secret
    "database.secretsManagerKey"     = "${local.env.name}/database"
    "database.source"                = local.env.appraise.postgres ? "awsSecretsManager" : "none"
    "ingress.host"                   = local.env.appraise.host
    "networkPolicy.databaseCidrs[0]" = module.aws.vpc_cidr
  }
  platform = {
    ingress_nginx = local.env.platform.ingress_nginx
    cert_manager  = local.env.platform.cert_manager
    external_dns = merge(local.env.platform.external_dns, {
      provider = "aws"
    })
    external_secrets = merge(local.env.platform.external_secrets, {
      role_arn = module.aws.external_secrets_role_arn
      region   = local.env.region
    })
    kube_prometheus_stack = merge(local.env.platform.kube_prometheus_stack, {
      values_file = "${local.repository}/deploy/monitoring/kube-prometheus-stack-values.yaml"
    })
  }

  depends_on = [module.aws]
}
