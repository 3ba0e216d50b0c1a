# The pipelines' identities live outside this configuration (envs/azure-dev/github: created once,
# before it, and kept when this is destroyed); here they get their rights on what this creates.
data "azurerm_user_assigned_identity" "github" {
  for_each            = toset(["push", "plan", "apply", "model-release"])
  name                = "id-${var.name}-github-${each.key}"
  resource_group_name = "rg-${var.name}-github"
}

locals {
  # Kubernetes and Key Vault administrators: the listed people or groups and the apply identity.
  admins = merge(
    { for id in var.admin_object_ids : id => id },
    { apply = data.azurerm_user_assigned_identity.github["apply"].principal_id },
  )
}

# appraise's identity: federated with its Kubernetes ServiceAccount (workload identity), allowed to
# read Key Vault secrets and nothing else. The ServiceAccount's name is an input, and the same
# value goes to the chart (serviceAccount.name in the appraise_values output), whatever the
# release is called.
resource "azurerm_user_assigned_identity" "appraise" {
  name                = "id-${var.name}-appraise"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = var.tags
}

resource "azurerm_federated_identity_credential" "appraise" {
  name                = "appraise"
  resource_group_name = data.azurerm_resource_group.this.name
  parent_id           = azurerm_user_assigned_identity.appraise.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = azurerm_kubernetes_cluster.this.oidc_issuer_url
  subject             = "system:serviceaccount:${var.appraise.namespace}:${var.appraise.service_account}"
}

# Nodes pull images with the kubelet identity; the release pipeline pushes with its own identity.
resource "azurerm_role_assignment" "kubelet_acr_pull" {
  scope                            = azurerm_container_registry.this.id
  role_definition_name             = "AcrPull"
  principal_id                     = azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id
  skip_service_principal_aad_check = true
}

resource "azurerm_role_assignment" "github_push" {
  scope                = azurerm_container_registry.this.id
  role_definition_name = "AcrPush"
  principal_id         = data.azurerm_user_assigned_identity.github["push"].principal_id
}

# ExternalDNS: an identity federated with its ServiceAccount (external-dns/external-dns), allowed to
# change records in the one zone and to read its resource group (external-dns
# docs/tutorials/azure.md @ v0.21.0: DNS Zone Contributor on the zone, Reader on the group).
data "azurerm_dns_zone" "external_dns" {
  count               = var.external_dns.enabled ? 1 : 0
  name                = var.external_dns.zone
  resource_group_name = var.external_dns.zone_resource_group
}

resource "azurerm_user_assigned_identity" "external_dns" {
  count               = var.external_dns.enabled ? 1 : 0
  name                = "id-${var.name}-external-dns"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = var.tags
}

resource "azurerm_federated_identity_credential" "external_dns" {
  count               = var.external_dns.enabled ? 1 : 0
  name                = "external-dns"
  resource_group_name = data.azurerm_resource_group.this.name
  parent_id           = azurerm_user_assigned_identity.external_dns[0].id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = azurerm_kubernetes_cluster.this.oidc_issuer_url
  subject             = "system:serviceaccount:external-dns:external-dns"
}

resource "azurerm_role_assignment" "external_dns_zone" {
  count                = var.external_dns.enabled ? 1 : 0
  scope                = data.azurerm_dns_zone.external_dns[0].id
  role_definition_name = "DNS Zone Contributor"
  principal_id         = azurerm_user_assigned_identity.external_dns[0].principal_id
}

resource "azurerm_role_assignment" "external_dns_group" {
  count                = var.external_dns.enabled ? 1 : 0
  scope                = "/subscriptions/${data.azurerm_client_config.current.subscription_id}/resourceGroups/${var.external_dns.zone_resource_group}"
  role_definition_name = "Reader"
  principal_id         = azurerm_user_assigned_identity.external_dns[0].principal_id
}
