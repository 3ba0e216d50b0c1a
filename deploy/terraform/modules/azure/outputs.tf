output "resource_group" {
  description = "The resource group holding everything."
  value       = data.azurerm_resource_group.this.name
}

output "cluster_name" {
  description = "The AKS cluster's name."
  value       = azurerm_kubernetes_cluster.this.name
}

output "kubeconfig_command" {
  description = "Writes a kubeconfig for the cluster (Microsoft Entra ID: kubelogin convert-kubeconfig -l azurecli; in GitHub Actions AAD_LOGIN_METHOD=workloadidentity overrides it, envs/azure-dev/main.tf)."
  value       = "az aks get-credentials --resource-group ${data.azurerm_resource_group.this.name} --name ${azurerm_kubernetes_cluster.this.name} && kubelogin convert-kubeconfig -l azurecli"
}

output "kubernetes" {
  description = "API server address and CA for the kubernetes and helm providers (they authenticate with kubelogin). Available once the role assignments have propagated."
  value = {
    host                   = azurerm_kubernetes_cluster.this.kube_config[0].host
    cluster_ca_certificate = azurerm_kubernetes_cluster.this.kube_config[0].cluster_ca_certificate
    ready                  = time_sleep.role_propagation.id
  }
}

output "registry_url" {
  description = "The registry's login server: images are <registry_url>/appraise:<tag>."
  value       = azurerm_container_registry.this.login_server
}

output "key_vault_name" {
  description = "The Key Vault holding appraise-api-key (and appraise-database when you add it)."
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

output "appraise_client_id" {
  description = "Client id of appraise's workload identity: the chart's vaults.azureKeyVault.clientId."
  value       = azurerm_user_assigned_identity.appraise.client_id
}

output "external_dns_client_id" {
  description = "Client id of ExternalDNS's workload identity (empty when ExternalDNS is off)."
  value       = one(azurerm_user_assigned_identity.external_dns[*].client_id)
}

output "database_cidr" {
  description = "Where the database lives (private endpoints subnet): the chart's networkPolicy.databaseCidrs."
  value       = var.network.private_endpoints_subnet
}

output "pod_cidr" {
  description = "The pod range (overlay): where the Gateway's proxies connect from, the chart's settings.trustedProxyNetworks."
  value       = var.network.pod_cidr
}

output "github_client_ids" {
  description = "Client ids of the pipelines' identities (push, plan, apply, model-release), created by envs/azure-dev/github."
  value       = { for role, identity in data.azurerm_user_assigned_identity.github : role => identity.client_id }
}

output "model_repository" {
  description = "Where appraise reads its models (the chart's Model__Repository): the models container and the prefix appraise. appraise's workload identity reads it, the model-release identity writes it."
  value       = "${azurerm_storage_account.models.primary_blob_endpoint}${azurerm_storage_container.models.name}/${local.models_prefix}"
}
