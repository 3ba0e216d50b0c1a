data "azurerm_client_config" "current" {}

resource "azurerm_key_vault" "this" {
  name                       = "kv-${var.name}"
  location                   = azurerm_resource_group.this.location
  resource_group_name        = azurerm_resource_group.this.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  enable_rbac_authorization  = true
  purge_protection_enabled   = var.key_vault.purge_protection
  soft_delete_retention_days = 7
  tags                       = var.tags
}

# Whoever runs Terraform writes the secrets; the listed administrators manage them later.
resource "azurerm_role_assignment" "key_vault_admins" {
  for_each             = toset(concat([data.azurerm_client_config.current.object_id], var.key_vault.admin_object_ids))
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = each.value
}

resource "azurerm_key_vault_secret" "api_key" {
  name         = "appraise-api-key"
  value        = var.api_key
  key_vault_id = azurerm_key_vault.this.id
  content_type = "text/plain"
  depends_on   = [azurerm_role_assignment.key_vault_admins]
}

# appraise's identity: federated with its Kubernetes ServiceAccount (workload identity), allowed
# to read secrets and nothing else.
resource "azurerm_user_assigned_identity" "appraise" {
  name                = "id-${var.name}-appraise"
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  tags                = var.tags
}

resource "azurerm_federated_identity_credential" "appraise" {
  name                = "appraise"
  resource_group_name = azurerm_resource_group.this.name
  parent_id           = azurerm_user_assigned_identity.appraise.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = azurerm_kubernetes_cluster.this.oidc_issuer_url
  subject             = "system:serviceaccount:${var.appraise.namespace}:${var.appraise.service_account}"
}

resource "azurerm_role_assignment" "appraise_secrets" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.appraise.principal_id
}
