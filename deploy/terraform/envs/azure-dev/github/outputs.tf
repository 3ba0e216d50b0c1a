# Set these as GitHub variables (ids are not secrets; README.md, "CI/CD").
output "github_push_client_id" {
  description = "AZURE_PUSH_CLIENT_ID in the GitHub environment release: pushes images to ACR (AcrPush, assigned by the environment)."
  value       = azurerm_user_assigned_identity.github["push"].client_id
}

output "github_plan_client_id" {
  description = "AZURE_PLAN_CLIENT_ID, a repository variable: terraform plan on main (it trusts no pull request: it reads the state and Secrets)."
  value       = azurerm_user_assigned_identity.github["plan"].client_id
}

output "github_apply_client_id" {
  description = "AZURE_APPLY_CLIENT_ID in the GitHub environment azure-dev: apply, deploy and destroy."
  value       = azurerm_user_assigned_identity.github["apply"].client_id
}

output "github_model_release_client_id" {
  description = "AZURE_MODEL_RELEASE_CLIENT_ID in the GitHub environment model-release: uploads models (Storage Blob Data Contributor on the models container, assigned by the environment)."
  value       = azurerm_user_assigned_identity.github["model-release"].client_id
}

output "tenant_id" {
  description = "AZURE_TENANT_ID (repository variable)."
  value       = data.azurerm_subscription.current.tenant_id
}

output "subscription_id" {
  description = "AZURE_SUBSCRIPTION_ID (repository variable)."
  value       = data.azurerm_subscription.current.subscription_id
}
