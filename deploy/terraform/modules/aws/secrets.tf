resource "aws_secretsmanager_secret" "api_key" {
  name                    = "${var.name}/api-key"
  description             = "appraise API key, read by the External Secrets Operator"
  recovery_window_in_days = 7
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id     = aws_secretsmanager_secret.api_key.id
  secret_string = var.api_key
}

# External Secrets reads appraise's secrets (and nothing else) through its ServiceAccount (IRSA).
module "external_secrets_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.48"

  role_name                             = "${var.name}-external-secrets"
  attach_external_secrets_policy        = true
  external_secrets_secrets_manager_arns = ["arn:aws:secretsmanager:*:*:secret:${var.name}/*"]
  external_secrets_kms_key_arns         = []

  oidc_providers = {
    cluster = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = [var.appraise.external_secrets_account]
    }
  }

  tags = var.tags
}
