data "azurerm_client_config" "current" {}

# Key Vault names are global and at most 24 characters: "kv-" and a name of at most 21
# (variables.tf, env.schema.json).
resource "azurerm_key_vault" "this" {
  name                       = "kv-${var.name}"
  location                   = data.azurerm_resource_group.this.location
  resource_group_name        = data.azurerm_resource_group.this.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  rbac_authorization_enabled = true # azurerm 4.x name; enable_rbac_authorization is deprecated (removed in 5.0)
  purge_protection_enabled   = var.key_vault.purge_protection
  soft_delete_retention_days = 7
  tags                       = var.tags
}

# The administrators and the apply identity manage secrets; appraise's identity reads them.
resource "azurerm_role_assignment" "key_vault_officers" {
  for_each             = local.admins
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = each.value
}

# Azure role assignments take up to 10 minutes to take effect (azure-aks-docs
# articles/aks/workload-identity-deploy-cluster.md: "If terraform apply returns a 403 error while
# creating the secret, wait for the role assignment to propagate"). The first apply writes a Key
# Vault secret and then talks to the Kubernetes API with roles it has just been given, so it waits
# once, here, after the assignments (again only when they are re-created).
resource "time_sleep" "role_propagation" {
  create_duration = "10m"
  triggers = {
    key_vault = join(",", sort([for assignment in azurerm_role_assignment.key_vault_officers : assignment.id]))
    cluster   = join(",", sort([for assignment in azurerm_role_assignment.aks_admins : assignment.id]))
  }
}

# The first API key, generated here and written write-only: it is in no file, state or plan. Read
# it with `az keyvault secret show --vault-name kv-<name> -n appraise-api-key --query value -o tsv`.
# A new value is generated on every run but written only when value_wo_version changes.
ephemeral "random_password" "api_key" {
  length  = 40
  special = false
}

resource "azurerm_key_vault_secret" "api_key" {
  name             = "appraise-api-key"
  key_vault_id     = azurerm_key_vault.this.id
  value_wo         = ephemeral.random_password.api_key.result
  value_wo_version = 1
  content_type     = "text/plain"
  depends_on       = [time_sleep.role_propagation]
}

resource "azurerm_role_assignment" "appraise_secrets" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.appraise.principal_id
}

# The plan identity refreshes the one secret Terraform manages (reading a secret reads its value).
resource "azurerm_role_assignment" "plan_api_key" {
  scope                = azurerm_key_vault_secret.api_key.resource_versionless_id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = data.azurerm_user_assigned_identity.github["plan"].principal_id
}
