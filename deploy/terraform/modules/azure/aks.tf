resource "azurerm_log_analytics_workspace" "this" {
  name                = "log-${var.name}"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  sku                 = "PerGB2018"
  retention_in_days   = var.aks.log_analytics_retention
  tags                = var.tags
}

# What the cluster was created with, among the settings azurerm 4.55.0 replaces it for (ForceNew in
# internal/services/containers/kubernetes_cluster_resource.go: name, dns_prefix,
# node_resource_group, private_cluster_enabled, network_profile's pod_cidr, service_cidr and
# dns_service_ip; the location is the resource group's, created by envs/<env>/github). A
# replacement cannot happen in the same plan as the releases inside the cluster: the kubernetes and
# helm providers' host comes from this cluster and would be unknown, and the releases would be
# left in the state of a cluster that is gone (hashicorp/terraform-provider-kubernetes v2.38.0
# docs/index.md: cluster and Kubernetes resources belong in separate applies). So a plan that
# changes one of them stops here with the settings named; envs/azure-dev/README.md "Replacing the
# cluster" is the way, which starts with -replace=module.azure.terraform_data.cluster_settings.
locals {
  replaces_cluster = {
    name            = var.name
    private_cluster = var.aks.private_cluster
    pod_cidr        = var.network.pod_cidr
    service_cidr    = var.network.service_cidr
    dns_service_ip  = var.network.dns_service_ip
  }
}

resource "terraform_data" "cluster_settings" {
  input = local.replaces_cluster
  lifecycle {
    # The recorded values stay those of the first apply (or of the last deliberate -replace).
    ignore_changes = [input]
    postcondition {
      condition     = self.output == local.replaces_cluster
      error_message = "These settings replace the AKS cluster, which cannot be done in one apply with the releases inside it: ${join(", ", [for key, value in local.replaces_cluster : "${key} ${jsonencode(self.output[key])} -> ${jsonencode(value)}" if self.output[key] != value])}. Follow envs/azure-dev/README.md, \"Replacing the cluster\"."
    }
  }
}

resource "azurerm_kubernetes_cluster" "this" {
  name                = "aks-${var.name}"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  dns_prefix          = var.name
  # A minor in AKS standard support (env README: when to upgrade); patches come automatically.
  kubernetes_version        = var.aks.kubernetes_version
  sku_tier                  = var.aks.sku_tier
  node_resource_group       = "rg-${var.name}-nodes"
  private_cluster_enabled   = var.aks.private_cluster
  oidc_issuer_enabled       = true
  workload_identity_enabled = true
  automatic_upgrade_channel = "patch"
  node_os_upgrade_channel   = "NodeImage"
  # Microsoft Entra ID with Azure RBAC for Kubernetes authorization; no local admin certificate
  # (whoever holds one is cluster-admin, beyond any role assignment).
  local_account_disabled = true
  tags                   = var.tags

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled = true
    tenant_id          = data.azurerm_client_config.current.tenant_id
  }

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

  # The cluster autoscaler (auto_scaling_enabled above) with its profile: pick the node size that
  # wastes least, remove nodes unneeded for 10 minutes. Pods with emptyDir volumes do not pin a
  # node (appraise mounts /tmp as emptyDir).
  auto_scaler_profile {
    expander                      = "least-waste"
    balance_similar_node_groups   = true
    scale_down_unneeded           = "10m"
    scale_down_delay_after_add    = "10m"
    skip_nodes_with_local_storage = false
  }

  identity {
    type = "SystemAssigned"
  }

  # Azure CNI Overlay with the Cilium dataplane and Cilium network policy. Cilium enforces every
  # kind of peer the chart's NetworkPolicy uses - namespaceSelector with podSelector (the Gateway's
  # proxies, kube-dns), and ipBlock egress to the database subnet - with one documented limit:
  # ipBlock cannot select pod or node addresses, and the chart uses ipBlock only for the database
  # and OTLP collector ranges outside the cluster (azure-aks-docs articles/aks/azure-cni-powered-by-
  # cilium.md, "Limitations"). Azure Network Policy Manager would enforce the same policies on
  # Linux, but AKS retires it on 2028-09-30 and recommends Cilium for new clusters
  # (articles/aks/use-network-policies.md).
  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_data_plane  = "cilium"
    network_policy      = "cilium"
    pod_cidr            = var.network.pod_cidr
    service_cidr        = var.network.service_cidr
    dns_service_ip      = var.network.dns_service_ip
    load_balancer_sku   = "standard"
  }

  # A public API server only answers the listed ranges (an empty list: every address).
  dynamic "api_server_access_profile" {
    for_each = var.aks.private_cluster || length(var.api_server_authorized_ranges) == 0 ? [] : [1]
    content {
      authorized_ip_ranges = var.api_server_authorized_ranges
    }
  }

  # The Secrets Store CSI driver with the Azure provider, re-reading rotated secrets every 2 minutes.
  key_vault_secrets_provider {
    secret_rotation_enabled  = true
    secret_rotation_interval = "2m"
  }

  # Container Insights with managed-identity auth: what it collects comes from the data collection
  # rule associated below.
  oms_agent {
    log_analytics_workspace_id      = azurerm_log_analytics_workspace.this.id
    msi_auth_for_monitoring_enabled = true
  }

  depends_on = [terraform_data.cluster_settings]

  lifecycle {
    # The cluster autoscaler owns the node count.
    ignore_changes = [default_node_pool[0].node_count]
  }
}

# Azure CNI with a subnet of ours: the cluster identity manages the subnet's IP configurations.
resource "azurerm_role_assignment" "aks_network" {
  scope                = azurerm_subnet.aks.id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_kubernetes_cluster.this.identity[0].principal_id
}

# Who may administer the cluster through the Kubernetes API (Azure RBAC): the listed
# administrators and the pipelines' apply identity (Terraform's kubernetes and helm providers).
resource "azurerm_role_assignment" "aks_admins" {
  for_each             = local.admins
  scope                = azurerm_kubernetes_cluster.this.id
  role_definition_name = "Azure Kubernetes Service RBAC Cluster Admin"
  principal_id         = each.value
}

# The plan identity refreshes the helm releases, whose state Helm keeps in Secrets: it reads every
# Kubernetes object, Secrets included, and changes none (the built-in RBAC Reader excludes
# Secrets). The role is defined in envs/<env>/github, which an administrator applies: the apply
# identity (Contributor and Role Based Access Control Administrator on the resource group) may
# assign roles but not define them (Microsoft.Authorization/roleDefinitions/write is in neither),
# and only the roles listed in github/'s assignable_roles, this one among them.
resource "azurerm_role_assignment" "aks_plan_reader" {
  scope                = azurerm_kubernetes_cluster.this.id
  role_definition_name = "${var.name} Kubernetes plan reader"
  principal_id         = data.azurerm_user_assigned_identity.github["plan"].principal_id
}

# The kubeconfig of a Microsoft Entra ID cluster holds no credential; reading the cluster (plan's
# refresh) lists it.
resource "azurerm_role_assignment" "aks_plan_user" {
  scope                = azurerm_kubernetes_cluster.this.id
  role_definition_name = "Azure Kubernetes Service Cluster User Role"
  principal_id         = data.azurerm_user_assigned_identity.github["plan"].principal_id
}

# Container Insights with managed-identity auth (oms_agent.msi_auth_for_monitoring_enabled) takes
# what to collect, and where to send it, from a data collection rule with the ContainerInsights
# extension associated with the cluster: without one the agent has no output stream and sends
# nothing. As Microsoft's own Terraform onboarding for this setting creates them
# (microsoft/Docker-Provider scripts/onboarding/aks/onboarding-msi-terraform/main.tf and
# variables.tf, last changed in e2eeadb7: rule MSCI-<workspace region>-<cluster> in the workspace's
# region, its default streams and settings). Schema: azurerm 4.55.0
# internal/services/monitor/monitor_data_collection_rule_resource.go and
# monitor_data_collection_rule_association_resource.go (the association's name defaults to
# configurationAccessEndpoint, for an endpoint: data_collection_rule_id is RequiredWith name).
locals {
  container_insights_streams = [
    "Microsoft-ContainerLog", "Microsoft-ContainerLogV2", "Microsoft-KubeEvents", "Microsoft-KubePodInventory",
    "Microsoft-KubeNodeInventory", "Microsoft-KubePVInventory", "Microsoft-KubeServices", "Microsoft-KubeMonAgentEvents",
    "Microsoft-InsightsMetrics", "Microsoft-ContainerInventory", "Microsoft-ContainerNodeInventory", "Microsoft-Perf",
  ]
}

resource "azurerm_monitor_data_collection_rule" "container_insights" {
  name                = "MSCI-${azurerm_log_analytics_workspace.this.location}-${azurerm_kubernetes_cluster.this.name}"
  resource_group_name = data.azurerm_resource_group.this.name
  location            = azurerm_log_analytics_workspace.this.location
  description         = "Container Insights for ${azurerm_kubernetes_cluster.this.name}"
  tags                = var.tags

  destinations {
    log_analytics {
      name                  = "ciworkspace"
      workspace_resource_id = azurerm_log_analytics_workspace.this.id
    }
  }

  data_flow {
    streams      = local.container_insights_streams
    destinations = ["ciworkspace"]
  }

  data_sources {
    extension {
      name           = "ContainerInsightsExtension"
      extension_name = "ContainerInsights"
      streams        = local.container_insights_streams
      extension_json = jsonencode({
        dataCollectionSettings = {
          interval               = "1m"
          namespaceFilteringMode = "Off"
          enableContainerLogV2   = true
        }
      })
    }
  }
}

resource "azurerm_monitor_data_collection_rule_association" "container_insights" {
  name                    = "ContainerInsightsExtension"
  target_resource_id      = azurerm_kubernetes_cluster.this.id
  data_collection_rule_id = azurerm_monitor_data_collection_rule.container_insights.id
  description             = "Container Insights: deleting this association stops data collection for the cluster."
}
