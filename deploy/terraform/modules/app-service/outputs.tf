output "resource_group" {
  description = "The resource group holding everything."
  value       = azurerm_resource_group.this.name
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

output "tenant_id" {
  description = "The Microsoft Entra tenant."
  value       = data.azurerm_client_config.current.tenant_id
}

output "subscription_id" {
  description = "The subscription."
  value       = data.azurerm_client_config.current.subscription_id
}
