locals {
  env = yamldecode(file("${path.module}/env.yaml"))
}

provider "azurerm" {
  features {}
  subscription_id = local.env.subscription_id != "" ? local.env.subscription_id : null
}

# The pipelines' identities (./github, applied first); here they get rights on what this creates.
data "azurerm_user_assigned_identity" "github" {
  for_each            = toset(["push", "plan", "staging", "apply"])
  name                = "id-${local.env.name}-github-${each.key}"
  resource_group_name = "rg-${local.env.name}-github"
}

module "app_service" {
  source = "../../modules/app-service"

  name                       = local.env.name
  location                   = local.env.location
  tags                       = local.env.tags
  app                        = local.env.app
  postgres                   = local.env.postgres
  monitoring                 = local.env.monitoring
  registry_sku               = local.env.registry_sku
  key_vault_purge_protection = local.env.key_vault.purge_protection
  admin_object_ids           = var.admin_object_ids
  pipeline_identities        = { for role, identity in data.azurerm_user_assigned_identity.github : role => identity.principal_id }
}
