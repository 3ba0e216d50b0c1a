locals {
  env        = yamldecode(file("${path.module}/env.yaml"))
  repository = abspath("${path.module}/../../../..")
  # Terraform's kubernetes and helm providers sign in to the Microsoft Entra ID cluster with
  # kubelogin; 6dae42f8-... is the AKS server application (azure-aks-docs
  # articles/aks/kubelogin-authentication.md). --login azurecli uses the Azure CLI's session: right
  # for `az login` at a desk, wrong in GitHub Actions, where azure/login hands az one OIDC
  # assertion that expires after minutes and is never renewed (Azure/azure-cli#28708), while a
  # first apply reaches the cluster about 20 minutes in. So the jobs (deploy.yml apply, destroy.yml,
  # terraform-plan.yml) set AAD_LOGIN_METHOD=workloadidentity with AZURE_CLIENT_ID and AZURE_TENANT_ID: kubelogin v0.2.19 reads them after
  # its flags (pkg/cmd/token.go, UpdateFromEnv) and, with ACTIONS_ID_TOKEN_REQUEST_* set, asks
  # GitHub for a fresh token each time (pkg/internal/token/provider.go, newGithubActionsCredential).
  kubelogin = {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "kubelogin"
    args        = ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]
  }
}

# The apply identity holds Contributor on the environment's resource group only, with Reader on the
# subscription (./github), so two of azurerm 4.55.0's subscription-wide defaults are switched off:
# registering resource providers (internal/provider/provider.go resource_provider_registrations,
# default "legacy": Microsoft.*/register/action on the subscription; README.md "Prerequisites"
# lists the ones to register once) and purging the
# soft-deleted Key Vault on destroy (internal/services/keyvault/key_vault_resource.go: a purge of
# /subscriptions/<id>/providers/Microsoft.KeyVault/locations/<region>/deletedVaults/<name>, outside
# the group). The next apply recovers the vault (recover_soft_deleted_key_vaults, on by default).
#
# And the provider reaches no storage data plane (features.storage.data_plane_available = false;
# website/docs/guides/features-block.html.markdown): the models' storage account has shared keys
# off, and azurerm 4.55.0 reads an account's queue and static-website properties through the data
# plane (storage_account_resource.go, signed with the account key unless storage_use_azuread) -
# refused with shared keys off, and a private account is out of the runner's reach. Everything
# the configuration sets on the account is Resource Manager (blob_properties, the container with
# storage_account_id), so nothing else needs it; storage_use_azuread would instead need a data
# role on the account for the apply and plan identities.
provider "azurerm" {
  features {
    key_vault {
      purge_soft_delete_on_destroy = false
    }
    storage {
      data_plane_available = false
    }
  }
  resource_provider_registrations = "none"
  subscription_id                 = local.env.subscription_id != "" ? local.env.subscription_id : null
}

# The resource group moved to ./github (issue 27: the apply identity's Contributor is scoped to it).
# An environment applied before that keeps its group: this configuration forgets it without
# deleting it, and ./github imports it (README.md, "First apply, on paper", stage 1).
removed {
  from = module.azure.azurerm_resource_group.this
  lifecycle {
    destroy = false
  }
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
  # Models from the environment's storage account (modules/azure/storage.tf), read by appraise's
  # workload identity; new versions arrive without a new image (scripts/model-release.sh).
  models = { repository = module.azure.model_repository, default = "housing" }
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
