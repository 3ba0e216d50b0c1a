locals {
  env        = yamldecode(file("${path.module}/env.yaml"))
  repository = abspath("${path.module}/../../../..")
  # Short-lived tokens from the AWS CLI, as whoever runs Terraform (an admin role, or the apply role).
  eks_token = {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", module.aws.kubernetes.name, "--region", module.aws.kubernetes.region]
  }
}

provider "aws" {
  region = local.env.region
  default_tags {
    tags = local.env.tags
  }
}

# helm 3.x: kubernetes and exec are attributes (objects), not blocks (docs/guides/v3-upgrade-guide.md).
provider "helm" {
  kubernetes = {
    host                   = module.aws.kubernetes.host
    cluster_ca_certificate = base64decode(module.aws.kubernetes.cluster_ca_certificate)
    exec                   = local.eks_token
  }
}

provider "kubernetes" {
  host                   = module.aws.kubernetes.host
  cluster_ca_certificate = base64decode(module.aws.kubernetes.cluster_ca_certificate)
  exec {
    api_version = local.eks_token.api_version
    command     = local.eks_token.command
    args        = local.eks_token.args
  }
}

module "aws" {
  source = "../../modules/aws"

  name                         = local.env.name
  tags                         = local.env.tags
  vpc                          = local.env.vpc
  eks                          = local.env.eks
  ecr                          = local.env.ecr
  api_server_allowed_cidrs     = var.api_server_allowed_cidrs
  admin_role_arns              = var.admin_role_arns
  external_dns                 = local.env.platform.external_dns
  secrets_recovery_window_days = local.env.secrets_recovery_window_days
  appraise = {
    namespace       = local.env.appraise.namespace
    service_account = local.env.appraise.service_account
  }
}

# On destroy the platform goes first: uninstalling Envoy Gateway deletes the proxy's Service, and
# the cloud's service controller deletes its NLB only afterwards, on its own. Destroying the VPC
# while the NLB's network interfaces are still in the subnets fails, so this waits between the
# two (it is destroyed after the platform, which depends on it, and before the cluster and VPC).
resource "time_sleep" "load_balancers_gone" {
  destroy_duration = "3m"
  depends_on       = [module.aws]
}

# The platform needs the cluster, its nodes, the EBS CSI add-on and the access entries that let
# Terraform in: hence depends_on the whole module.
module "platform" {
  source = "../../modules/platform"

  cloud         = "aws"
  cluster_name  = module.aws.cluster_name
  app_namespace = local.env.appraise.namespace
  host          = local.env.appraise.host
  acme          = local.env.platform.acme
  external_dns = {
    enabled        = local.env.platform.external_dns.enabled
    domain_filters = [local.env.platform.external_dns.zone]
    aws_role_arn   = coalesce(module.aws.external_dns_role_arn, "none")
  }
  aws = {
    region                      = local.env.region
    external_secrets_role_arn   = module.aws.external_secrets_role_arn
    cluster_autoscaler_role_arn = module.aws.cluster_autoscaler_role_arn
  }
  monitoring = {
    values_file    = "${local.repository}/deploy/monitoring/kube-prometheus-stack-values.yaml"
    teams_receiver = local.env.platform.monitoring.teams_receiver
  }
  teams_webhook_url = var.teams_webhook_url

  depends_on = [module.aws, time_sleep.load_balancers_gone]
}

# What the appraise chart needs from all this (the deploy pipeline's values document).
module "appraise_values" {
  source = "../../modules/appraise-values"

  image_repository       = module.aws.registry_url
  service_account        = local.env.appraise.service_account
  host                   = local.env.appraise.host
  gateway                = module.platform.gateway
  trusted_proxy_networks = module.aws.private_subnets
  database_cidrs         = [module.aws.vpc_cidr]
  monitoring_labels      = module.platform.monitoring_release_label
  # Models from the environment's bucket (modules/aws/models.tf), read by appraise's IRSA role.
  models = { repository = module.aws.model_repository, default = "housing", aws_role_arn = module.aws.appraise_role_arn }
  secrets = {
    source          = "awsSecretsManager"
    postgres        = local.env.appraise.postgres
    api_key_secret  = module.aws.api_key_secret
    database_secret = "${local.env.name}/database"
  }
}
