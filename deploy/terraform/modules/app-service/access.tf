data "azurerm_client_config" "current" {}

# The registry the app pulls from with its managed identity: no admin user, no registry password
# anywhere (site_config.container_registry_use_managed_identity).
resource "azurerm_container_registry" "this" {
  name                = "acr${replace(var.name, "-", "")}"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  sku                 = var.registry_sku
  admin_enabled       = false
  tags                = var.tags
}

# appraise's identities. A swap keeps each slot's identities (deploy-staging-slots.md: managed
# identities are not swapped) and its sticky settings (main.tf), so:
#   app      production's: resolves production's Key Vault references (the whole vault).
#   staging  the staging slot's: resolves the staging secrets only. Whoever may deploy to the slot
#            (the unapproved staging job, Website Contributor) runs code that can get this
#            identity's tokens, so it reads nothing of production's.
#   pull     both slots': pulls the image (AcrPull, nothing else). One identity for both, so the
#            registry settings are the same in each slot whether a swap moves them or not.
resource "azurerm_user_assigned_identity" "app" {
  name                = "id-${var.name}-app"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = var.tags
}

resource "azurerm_user_assigned_identity" "staging" {
  name                = "id-${var.name}-staging"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = var.tags
}

resource "azurerm_user_assigned_identity" "pull" {
  name                = "id-${var.name}-pull"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = var.tags
}

resource "azurerm_role_assignment" "acr_pull" {
  scope                = azurerm_container_registry.this.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.pull.principal_id
}

resource "azurerm_role_assignment" "push" {
  scope                = azurerm_container_registry.this.id
  role_definition_name = "AcrPush"
  principal_id         = var.pipeline_identities.push
}

# The unapproved staging job may change the staging slot and nothing else; the swap runs with
# the apply identity after a reviewer approves.
resource "azurerm_role_assignment" "staging_slot" {
  scope                = azurerm_linux_web_app_slot.staging.id
  role_definition_name = "Website Contributor"
  principal_id         = var.pipeline_identities.staging
}

# The plan identity refreshes the web app and its slot: their settings are list actions, in the
# role envs/<env>/github defines (Reader has none of them).
resource "azurerm_role_assignment" "plan_web_app" {
  scope                = azurerm_linux_web_app.this.id
  role_definition_name = "${var.name} web app plan reader"
  principal_id         = var.pipeline_identities.plan
}

# Key Vault in RBAC mode. Key Vault names are global and at most 24 characters: "kv-" and a name
# of at most 21.
resource "azurerm_key_vault" "this" {
  name                       = "kv-${var.name}"
  location                   = data.azurerm_resource_group.this.location
  resource_group_name        = data.azurerm_resource_group.this.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  rbac_authorization_enabled = true
  purge_protection_enabled   = var.key_vault_purge_protection
  soft_delete_retention_days = 7
  tags                       = var.tags
}

resource "azurerm_role_assignment" "key_vault_officers" {
  for_each             = merge({ for id in var.admin_object_ids : id => id }, { apply = var.pipeline_identities.apply })
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = each.value
}

# The identity named in each slot's key_vault_reference_identity_id resolves its references:
# production's reads the vault, staging's only the staging secrets.
resource "azurerm_role_assignment" "app_secrets" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}

resource "azurerm_role_assignment" "staging_secrets" {
  for_each             = merge({ api_key = azurerm_key_vault_secret.api_key["staging"].resource_versionless_id }, local.postgres ? { database = azurerm_key_vault_secret.database["staging"].resource_versionless_id } : {})
  scope                = each.value
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.staging.principal_id
}

# Role assignments take up to 10 minutes to apply; the secrets below are written with the ones
# just made (as in modules/azure).
resource "time_sleep" "role_propagation" {
  create_duration = "10m"
  triggers = {
    officers = join(",", sort([for assignment in azurerm_role_assignment.key_vault_officers : assignment.id]))
  }
}

# The first API key of each slot (appraise-api-key, appraise-api-key-staging), generated and
# written write-only: in no file, state or plan. Read it with `az keyvault secret show
# --vault-name kv-<name> -n appraise-api-key --query value -o tsv`.
ephemeral "random_password" "api_key" {
  for_each = local.slots
  length   = 40
  special  = false
}

resource "azurerm_key_vault_secret" "api_key" {
  for_each         = local.slots
  name             = "appraise-api-key${each.value}"
  key_vault_id     = azurerm_key_vault.this.id
  value_wo         = ephemeral.random_password.api_key[each.key].result
  value_wo_version = 1
  content_type     = "text/plain"
  depends_on       = [time_sleep.role_propagation]
}

# Before the staging slot had secrets of its own, the one API key was production's.
moved {
  from = azurerm_key_vault_secret.api_key
  to   = azurerm_key_vault_secret.api_key["production"]
}

# Refreshing a Key Vault secret reads it (the write-only value is never in the state, but the
# provider reads the secret's version and attributes): the plan identity may read these.
resource "azurerm_role_assignment" "plan_secrets" {
  for_each = merge(
    { for slot, secret in azurerm_key_vault_secret.api_key : "api_key${local.slots[slot]}" => secret.resource_versionless_id },
    { for slot, secret in azurerm_key_vault_secret.database : "database${local.slots[slot]}" => secret.resource_versionless_id },
  )
  scope                = each.value
  role_definition_name = "Key Vault Secrets User"
  principal_id         = var.pipeline_identities.plan
}
