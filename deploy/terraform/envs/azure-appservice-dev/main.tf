locals {
  env = yamldecode(file("${path.module}/env.yaml"))
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
# deleting it, and ./github imports it (README.md, "Apply").
removed {
  from = module.app_service.azurerm_resource_group.this
  lifecycle {
    destroy = false
  }
}

# The pipelines' identities (./github, applied first); here they get rights on what this creates.
data "azurerm_user_assigned_identity" "github" {
  for_each            = toset(["push", "plan", "staging", "apply", "model-release"])
  name                = "id-${local.env.name}-github-${each.key}"
  resource_group_name = "rg-${local.env.name}-github"
}

module "app_service" {
  source = "../../modules/app-service"

  name                       = local.env.name
  tags                       = local.env.tags
  app                        = local.env.app
  postgres                   = local.env.postgres
  monitoring                 = local.env.monitoring
  registry_sku               = local.env.registry_sku
  key_vault_purge_protection = local.env.key_vault.purge_protection
  admin_object_ids           = var.admin_object_ids
  pipeline_identities        = { for role, identity in data.azurerm_user_assigned_identity.github : replace(role, "-", "_") => identity.principal_id }
}
