# GitHub variables (ids are not secrets; README.md, "Pipelines").
output "client_ids" {
  description = "Client ids: push -> APPSERVICE_PUSH_CLIENT_ID (environment release, with APPSERVICE_ACR_NAME), plan -> APPSERVICE_PLAN_CLIENT_ID (repository), staging -> AZURE_STAGING_CLIENT_ID (environment azure-appservice-dev-staging), apply -> AZURE_APPLY_CLIENT_ID (environment azure-appservice-dev), model-release -> APPSERVICE_MODEL_RELEASE_CLIENT_ID (environment model-release: uploads models, Storage Blob Data Contributor on the models container). The APPSERVICE_ names keep them apart from azure-dev's identities in the same repository."
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
