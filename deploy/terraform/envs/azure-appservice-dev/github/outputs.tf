# GitHub variables (ids are not secrets; README.md, "Pipelines").
output "client_ids" {
  description = "Client ids: push -> AZURE_PUSH_CLIENT_ID (environment release), plan -> AZURE_PLAN_CLIENT_ID, staging -> AZURE_STAGING_CLIENT_ID (environment azure-appservice-dev-staging), apply -> AZURE_APPLY_CLIENT_ID (environment azure-appservice-dev)."
  value       = { for role, identity in azurerm_user_assigned_identity.github : role => identity.client_id }
}

output "tenant_id" {
  description = "AZURE_TENANT_ID."
  value       = data.azurerm_subscription.current.tenant_id
}

output "subscription_id" {
  description = "AZURE_SUBSCRIPTION_ID."
  value       = data.azurerm_subscription.current.subscription_id
}
