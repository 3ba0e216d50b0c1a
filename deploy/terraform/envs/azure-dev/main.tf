locals {
  env        = yamldecode(file("${path.module}/env.yaml"))
  repository = abspath("${path.module}/../../../..")
  # Terraform's kubernetes and helm providers sign in to the Microsoft Entra ID cluster with
  # kubelogin and the Azure CLI's session (az login, or azure/login in a pipeline); 6dae42f8-...
  # is the AKS server application (azure-aks-docs articles/aks/kubelogin-authentication.md).
  kubelogin = {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "kubelogin"
    args        = ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]
  }
}

provider "azurerm" {
  features {}
  subscription_id = local.env.subscription_id != "" ? local.env.subscription_id : null
}

# helm 3.x: kubernetes and exec are attributes (objects), not blocks (docs/guides/v3-upgrade-guide.md).
provider "helm" {
  kubernetes = {
    host                   = module.azure.kubernetes.host
    cluster_ca_certificate = base64decode(module.azure.kubernetes.cluster_ca_certificate)
    exec                   = local.kubelogin
  }
}

provider "kubernetes" {
  host                   = module.azure.kubernetes.host
  cluster_ca_certificate = base64decode(module.azure.kubernetes.cluster_ca_certificate)
  exec {
    api_version = local.kubelogin.api_version
    command     = local.kubelogin.command
    args        = local.kubelogin.args
  }
}

module "azure" {
  source = "../../modules/azure"

  name                         = local.env.name
  location                     = local.env.location
  tags                         = local.env.tags
  network                      = local.env.network
  aks                          = local.env.aks
  acr                          = local.env.acr
  key_vault                    = local.env.key_vault
  api_server_authorized_ranges = var.api_server_authorized_ranges
  admin_object_ids             = var.admin_object_ids
  appraise = {
    namespace       = local.env.appraise.namespace
    service_account = local.env.appraise.service_account
  }
  external_dns = local.env.platform.external_dns
}

# The platform needs the cluster and the role assignments that let Terraform into it, after they
# have propagated (module.azure waits for that): hence depends_on the whole module.
module "platform" {
  source = "../../modules/platform"

  cloud         = "azure"
  cluster_name  = module.azure.cluster_name
  app_namespace = local.env.appraise.namespace
  host          = local.env.appraise.host
  acme          = local.env.platform.acme
  external_dns = {
    enabled         = local.env.platform.external_dns.enabled
    domain_filters  = [local.env.platform.external_dns.zone]
    azure_client_id = coalesce(module.azure.external_dns_client_id, "none")
    tenant_id       = module.azure.tenant_id
    subscription_id = module.azure.subscription_id
    resource_group  = local.env.platform.external_dns.zone_resource_group
  }
  monitoring = {
    values_file    = "${local.repository}/deploy/monitoring/kube-prometheus-stack-values.yaml"
    teams_receiver = local.env.platform.monitoring.teams_receiver
  }
  teams_webhook_url = var.teams_webhook_url

  depends_on = [module.azure]
}

# What the appraise chart needs from all this (the deploy pipeline's values document).
module "appraise_values" {
  source = "../../modules/appraise-values"

  image_repository       = "${module.azure.registry_url}/appraise"
  service_account        = local.env.appraise.service_account
  host                   = local.env.appraise.host
  gateway                = module.platform.gateway
  trusted_proxy_networks = [module.azure.pod_cidr]
  database_cidrs         = [module.azure.database_cidr]
  monitoring_labels      = module.platform.monitoring_release_label
  secrets = {
    source   = "azureKeyVault"
    postgres = local.env.appraise.postgres
    key_vault = {
      name      = module.azure.key_vault_name
      tenant_id = module.azure.tenant_id
      client_id = module.azure.appraise_client_id
    }
  }
}
