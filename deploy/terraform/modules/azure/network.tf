# The environment's resource group is created by envs/<env>/github (an administrator applies it):
# the apply identity's Contributor role is scoped to this group, so the group must exist before
# that role can be assigned, and the identities' own group stays out of its reach (issue 27).
data "azurerm_resource_group" "this" {
  name = "rg-${var.name}"
}

resource "azurerm_virtual_network" "this" {
  name                = "vnet-${var.name}"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  address_space       = [var.network.address_space]
  tags                = var.tags
}

# The nodes (Azure CNI Overlay: pods take addresses from network.pod_cidr, outside the VNet).
resource "azurerm_subnet" "aks" {
  name                 = "snet-aks"
  resource_group_name  = data.azurerm_resource_group.this.name
  virtual_network_name = azurerm_virtual_network.this.name
  address_prefixes     = [var.network.aks_subnet]
}

# Private endpoints: the database (Azure Database for PostgreSQL), and ACR or Key Vault when private.
resource "azurerm_subnet" "private_endpoints" {
  name                              = "snet-private-endpoints"
  resource_group_name               = data.azurerm_resource_group.this.name
  virtual_network_name              = azurerm_virtual_network.this.name
  address_prefixes                  = [var.network.private_endpoints_subnet]
  private_endpoint_network_policies = "Enabled" # so the subnet's NSG applies to its private endpoints
}

# Nodes accept web traffic from the internet only on 80 and 443, for the Gateway's load balancer.
# AKS's load-balancer rules use floating IP, so those packets still carry the load balancer's
# public frontend address as destination - not a VNet address - and a rule whose destination is
# VirtualNetwork never matches them (AKS documents the per-Service opt-out annotation
# service.beta.kubernetes.io/azure-disable-load-balancer-floating-ip: azure-aks-docs
# articles/aks/istio-deploy-ingress.md). The frontend address is assigned by AKS when Envoy
# Gateway's Service is created, so the destination is any address, on these two ports only.
resource "azurerm_network_security_group" "aks" {
  name                = "nsg-${var.name}-aks"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = var.tags

  security_rule {
    name                       = "allow-web-to-load-balancer"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_ranges    = ["80", "443"]
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }

  # Health probes (externalTrafficPolicy Local: only nodes with a proxy pod answer).
  security_rule {
    name                       = "allow-azure-load-balancer"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "AzureLoadBalancer"
    destination_address_prefix = "*"
  }

  # Azure CNI Overlay: node-to-pod and pod-to-pod traffic is not encapsulated, so subnet NSG rules
  # apply to it; allow it explicitly ahead of any deny (azure-aks-docs
  # articles/aks/concepts-network-azure-cni-overlay.md, "Network security groups").
  security_rule {
    name                       = "allow-nodes-to-pods"
    priority                   = 120
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = var.network.aks_subnet
    destination_address_prefix = var.network.pod_cidr
  }

  security_rule {
    name                       = "allow-pods-to-pods"
    priority                   = 130
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = var.network.pod_cidr
    destination_address_prefix = var.network.pod_cidr
  }

  security_rule {
    name                       = "deny-other-internet"
    priority                   = 4000
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }
}

resource "azurerm_subnet_network_security_group_association" "aks" {
  subnet_id                 = azurerm_subnet.aks.id
  network_security_group_id = azurerm_network_security_group.aks.id
}

# Private endpoints take traffic from inside the VNet only: HTTPS (ACR, Key Vault) and PostgreSQL.
# Pod traffic leaving the pod range is SNATed to the node's address (overlay), so its source is
# the node subnet, inside VirtualNetwork.
resource "azurerm_network_security_group" "private_endpoints" {
  name                = "nsg-${var.name}-private-endpoints"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = var.tags

  security_rule {
    name                       = "allow-https-from-vnet"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "VirtualNetwork"
    destination_address_prefix = "VirtualNetwork"
  }

  security_rule {
    name                       = "allow-postgresql-from-vnet"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "5432"
    source_address_prefix      = "VirtualNetwork"
    destination_address_prefix = "VirtualNetwork"
  }

  security_rule {
    name                       = "deny-everything-else"
    priority                   = 4000
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_subnet_network_security_group_association" "private_endpoints" {
  subnet_id                 = azurerm_subnet.private_endpoints.id
  network_security_group_id = azurerm_network_security_group.private_endpoints.id
}
