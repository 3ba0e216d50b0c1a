output "resource_group" {
  description = "The resource group holding everything."
  value       = azurerm_resource_group.this.name
}

output "cluster_name" {
  description = "The AKS cluster's name."
  value       = azurerm_kubernetes_cluster.this.name
}

output "kubeconfig_command" {
  description = "Writes a kubeconfig for the cluster."
  value       = "az aks get-credentials --resource-group ${azurerm_resource_group.this.name} --name ${azurerm_kubernetes_cluster.this.name}"
}

output "kube_config" {
  description = "Connection details for the Kubernetes and Helm providers."
  value = {
    host                   = azurerm_kubernetes_cluster.this.kube_config[0].host
    client_certificate     = azurerm_kubernetes_cluster.this.kube_config[0].client_certificate
    client_key             = azurerm_kubernetes_cluster.this.kube_config[0].client_key
    cluster_ca_certificate = azurerm_kubernetes_cluster.this.kube_config[0].cluster_ca_certificate
  }
  sensitive = true
}

output "registry_url" {
  description = "Where images are pushed: <registry>/appraise:<tag>."
  value       = azurerm_container_registry.this.login_server
}

output "key_vault_name" {
  description = "The Key Vault holding appraise-api-key (and appraise-database when you add it)."
  value       = azurerm_key_vault.this.name
}

output "tenant_id" {
  description = "The Azure AD tenant."
  value       = data.azurerm_client_config.current.tenant_id
}

output "appraise_client_id" {
  description = "Client id of appraise's workload identity: the chart's vaults.azureKeyVault.clientId."
  value       = azurerm_user_assigned_identity.appraise.client_id
}

output "database_cidr" {
  description = "Where the database lives (private endpoints subnet): the chart's networkPolicy.databaseCidrs."
  value       = var.network.private_endpoints_subnet
}
