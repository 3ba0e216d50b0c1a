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
  description = "The first API key (export TF_VAR_api_key=...); stored in Key Vault, never in a file."
  type        = string
  sensitive   = true
}

provider "azurerm" {
  features {}
  subscription_id = local.env.subscription_id != "" ? local.env.subscription_id : null
}

provider "helm" {
  kubernetes {
    host                   = module.azure.kube_config.host
    client_certificate     = base64decode(module.azure.kube_config.client_certificate)
    client_key             = base64decode(module.azure.kube_config.client_key)
    cluster_ca_certificate = base64decode(module.azure.kube_config.cluster_ca_certificate)
  }
}

module "azure" {
  source = "../../modules/azure"

  name      = local.env.name
  location  = local.env.location
  tags      = local.env.tags
  network   = local.env.network
  aks       = local.env.aks
  acr       = local.env.acr
  key_vault = local.env.key_vault
  appraise = {
    namespace       = local.env.appraise.namespace
    service_account = local.env.appraise.release
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
    repository = "${module.azure.registry_url}/appraise"
    tag        = var.image_tag != "" ? var.image_tag : local.env.appraise.image_tag
  }
  set = merge(
    {
      "vaults.azureKeyVault.name"      = module.azure.key_vault_name
      "vaults.azureKeyVault.tenantId"  = module.azure.tenant_id
      "vaults.azureKeyVault.clientId"  = module.azure.appraise_client_id
      "ingress.host"                   = local.env.appraise.host
      "networkPolicy.databaseCidrs[0]" = module.azure.database_cidr
      "apiKeys.keyVaultSecretNames[0]" = "appraise-api-key"
      "apiKeys.keyVaultSecretNames[1]" = null
      "database.source"                = local.env.appraise.postgres ? "azureKeyVault" : "none"
      "serviceMonitor.labels.release"  = "kube-prometheus-stack"
      "prometheusRule.labels.release"  = "kube-prometheus-stack"
    },
  )
  platform = {
    ingress_nginx = local.env.platform.ingress_nginx
    cert_manager  = local.env.platform.cert_manager
    external_dns = merge(local.env.platform.external_dns, {
      provider = "azure"
    })
    external_secrets = {
      enabled  = false
      version  = "0.10.7"
      role_arn = ""
      region   = ""
    }
    kube_prometheus_stack = merge(local.env.platform.kube_prometheus_stack, {
      values_file = "${local.repository}/deploy/monitoring/kube-prometheus-stack-values.yaml"
    })
  }

  depends_on = [module.azure]
}
