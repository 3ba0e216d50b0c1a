output "resource_group" {
  description = "The resource group holding everything."
  value       = data.azurerm_resource_group.this.name
}

output "app_name" {
  description = "The web app (production slot); the staging slot is <app_name>/staging."
  value       = azurerm_linux_web_app.this.name
}

output "url" {
  description = "The production slot's address."
  value       = "https://${azurerm_linux_web_app.this.default_hostname}"
}

output "staging_url" {
  description = "The staging slot's address (deploy here, smoke-test, then swap)."
  value       = "https://${azurerm_linux_web_app_slot.staging.default_hostname}"
}

output "registry_url" {
  description = "The registry's login server: images are <registry_url>/appraise:<tag>."
  value       = azurerm_container_registry.this.login_server
}

output "key_vault_name" {
  description = "The Key Vault holding appraise-api-key (and appraise-database with PostgreSQL)."
  value       = azurerm_key_vault.this.name
}

output "model_repository" {
  description = "Where appraise reads its models (Model__Repository): the models container and the prefix appraise. The app and staging identities read it, the model-release identity writes it."
  value       = "${azurerm_storage_account.models.primary_blob_endpoint}${azurerm_storage_container.models.name}/${local.models_prefix}"
}

output "app_client_ids" {
  description = "Client ids of the slots' own identities (production: app, staging: staging): AZURE_CLIENT_ID for DefaultAzureCredential, which cannot choose among the slot's several user-assigned identities by itself."
  value       = { production = azurerm_user_assigned_identity.app.client_id, staging = azurerm_user_assigned_identity.staging.client_id }
}

output "tenant_id" {
  description = "The Microsoft Entra tenant."
  value       = data.azurerm_client_config.current.tenant_id
}

output "subscription_id" {
  description = "The subscription."
  value       = data.azurerm_client_config.current.subscription_id
}
