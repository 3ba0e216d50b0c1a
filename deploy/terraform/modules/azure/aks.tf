resource "azurerm_log_analytics_workspace" "this" {
  name                = "log-${var.name}"
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  sku                 = "PerGB2018"
  retention_in_days   = var.aks.log_analytics_retention
  tags                = var.tags
}

resource "azurerm_kubernetes_cluster" "this" {
  name                      = "aks-${var.name}"
  location                  = azurerm_resource_group.this.location
  resource_group_name       = azurerm_resource_group.this.name
  dns_prefix                = var.name
  kubernetes_version        = var.aks.kubernetes_version
  sku_tier                  = var.aks.sku_tier
  node_resource_group       = "rg-${var.name}-nodes"
  private_cluster_enabled   = var.aks.private_cluster
  oidc_issuer_enabled       = true
  workload_identity_enabled = true
  automatic_upgrade_channel = "patch"
  node_os_upgrade_channel   = "NodeImage"
  local_account_disabled    = false
  tags                      = var.tags

  default_node_pool {
    name                        = "system"
    vm_size                     = var.aks.vm_size
    vnet_subnet_id              = azurerm_subnet.aks.id
    auto_scaling_enabled        = true
    min_count                   = var.aks.min_nodes
    max_count                   = var.aks.max_nodes
    zones                       = var.aks.zones
    os_sku                      = "AzureLinux"
    max_pods                    = 50
    temporary_name_for_rotation = "rotation"

    upgrade_settings {
      max_surge = "33%"
    }
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin    = "azure"
    network_policy    = "azure"
    load_balancer_sku = "standard"
    service_cidr      = var.network.service_cidr
    dns_service_ip    = var.network.dns_service_ip
  }

  dynamic "api_server_access_profile" {
    for_each = var.aks.private_cluster || length(var.aks.authorized_ip_ranges) == 0 ? [] : [1]
    content {
      authorized_ip_ranges = var.aks.authorized_ip_ranges
    }
  }

  # The Secrets Store CSI driver with the Azure provider, re-reading rotated secrets every 2 minutes.
  key_vault_secrets_provider {
    secret_rotation_enabled  = true
    secret_rotation_interval = "2m"
  }

  oms_agent {
    log_analytics_workspace_id      = azurerm_log_analytics_workspace.this.id
    msi_auth_for_monitoring_enabled = true
  }

  lifecycle {
    # The cluster autoscaler owns the node count.
    ignore_changes = [default_node_pool[0].node_count]
  }
}

# Azure CNI with a custom subnet: the cluster identity manages the subnet's IP configurations.
resource "azurerm_role_assignment" "aks_network" {
  scope                = azurerm_subnet.aks.id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_kubernetes_cluster.this.identity[0].principal_id
}
