# IAM roles for the platform's ServiceAccounts (IRSA), from terraform-aws-modules/iam 6.2.3's
# iam-role-for-service-accounts (the newest release whose aws requirement, >= 6.0, admits 6.25.0;
# 6.3.0 and later need >= 6.28). Each trusts one ServiceAccount and gets one policy, named
# <name>-... (the module's default names, such as EBS_CSI, are account-wide and outside the apply
# role's policy/<name>-* scope), and carries the apply role's permissions boundary.
locals {
  irsa_trust = {
    cluster = {
      provider_arn = module.eks.oidc_provider_arn
    }
  }
}

module "ebs_csi_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
  version = "6.2.3"

  name                  = "${var.name}-ebs-csi"
  policy_name           = "${var.name}-ebs-csi"
  permissions_boundary  = data.aws_iam_policy.role_boundary.arn
  use_name_prefix       = false
  attach_ebs_csi_policy = true
  oidc_providers = {
    cluster = merge(local.irsa_trust.cluster, { namespace_service_accounts = ["kube-system:ebs-csi-controller-sa"] })
  }
  tags = var.tags
}

# External Secrets reads this environment's secrets (<name>/...) and nothing else: no SSM
# parameter (the module's ssm list is empty), no KMS key beyond the default one.
module "external_secrets_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
  version = "6.2.3"

  name                                  = "${var.name}-external-secrets"
  policy_name                           = "${var.name}-external-secrets"
  permissions_boundary                  = data.aws_iam_policy.role_boundary.arn
  use_name_prefix                       = false
  attach_external_secrets_policy        = true
  external_secrets_secrets_manager_arns = ["arn:aws:secretsmanager:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:secret:${var.name}/*"]
  external_secrets_ssm_parameter_arns   = []
  external_secrets_kms_key_arns         = []
  oidc_providers = {
    cluster = merge(local.irsa_trust.cluster, { namespace_service_accounts = ["external-secrets:external-secrets"] })
  }
  tags = var.tags
}

module "cluster_autoscaler_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
  version = "6.2.3"

  name                             = "${var.name}-cluster-autoscaler"
  policy_name                      = "${var.name}-cluster-autoscaler"
  permissions_boundary             = data.aws_iam_policy.role_boundary.arn
  use_name_prefix                  = false
  attach_cluster_autoscaler_policy = true
  cluster_autoscaler_cluster_names = [var.name]
  oidc_providers = {
    cluster = merge(local.irsa_trust.cluster, { namespace_service_accounts = ["kube-system:cluster-autoscaler"] })
  }
  tags = var.tags
}

data "aws_route53_zone" "external_dns" {
  count        = var.external_dns.enabled ? 1 : 0
  name         = var.external_dns.zone
  private_zone = false
}

module "external_dns_irsa" {
  count   = var.external_dns.enabled ? 1 : 0
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
  version = "6.2.3"

  name                          = "${var.name}-external-dns"
  policy_name                   = "${var.name}-external-dns"
  permissions_boundary          = data.aws_iam_policy.role_boundary.arn
  use_name_prefix               = false
  attach_external_dns_policy    = true
  external_dns_hosted_zone_arns = [data.aws_route53_zone.external_dns[0].arn]
  oidc_providers = {
    cluster = merge(local.irsa_trust.cluster, { namespace_service_accounts = ["external-dns:external-dns"] })
  }
  tags = var.tags
}

# appraise: reads the models and nothing else (models.tf, models_read; the permissions boundary
# allows exactly these reads: envs/aws-dev/github/policies.tf, TheModelsRead). The module creates
# the policy <policy_name> from source_policy_documents and attaches it.
# The chart's ServiceAccount needs the annotation eks.amazonaws.com/role-arn = this role's ARN.
module "appraise_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
  version = "6.2.3"

  name                    = "${var.name}-appraise"
  policy_name             = "${var.name}-appraise"
  permissions_boundary    = data.aws_iam_policy.role_boundary.arn
  use_name_prefix         = false
  source_policy_documents = [data.aws_iam_policy_document.models_read.json]
  oidc_providers = {
    cluster = merge(local.irsa_trust.cluster, { namespace_service_accounts = ["${var.appraise.namespace}:${var.appraise.service_account}"] })
  }
  tags = var.tags
}
