variable "name" {
  description = "Base name for every resource (letters, digits and hyphens), for example appraise-dev."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,20}[a-z0-9]$", var.name))
    error_message = "name must be 4 to 22 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "location" {
  description = "Azure region, for example westeurope."
  type        = string
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}

variable "network" {
  description = "Address space and subnets: the cluster's nodes and pods (Azure CNI), the ingress (application gateway or load balancer) and private endpoints."
  type = object({
    address_space            = string
    aks_subnet               = string
    ingress_subnet           = string
    private_endpoints_subnet = string
    service_cidr             = string
    dns_service_ip           = string
  })
  validation {
    condition = alltrue([for cidr in [var.network.address_space, var.network.aks_subnet, var.network.ingress_subnet, var.network.private_endpoints_subnet, var.network.service_cidr] :
    can(cidrhost(cidr, 0))])
    error_message = "Every network range must be a valid CIDR."
  }
}

variable "aks" {
  description = "The AKS cluster: version, node pool size and autoscaling bounds, and how its API server is reached."
  type = object({
    kubernetes_version      = string
    sku_tier                = string
    vm_size                 = string
    min_nodes               = number
    max_nodes               = number
    zones                   = list(string)
    private_cluster         = bool
    authorized_ip_ranges    = list(string)
    log_analytics_retention = number
  })
  validation {
    condition     = var.aks.min_nodes >= 1 && var.aks.max_nodes >= var.aks.min_nodes && var.aks.max_nodes <= 100
    error_message = "aks needs 1 <= min_nodes <= max_nodes <= 100."
  }
  validation {
    condition     = contains(["Free", "Standard", "Premium"], var.aks.sku_tier)
    error_message = "aks.sku_tier must be Free, Standard or Premium."
  }
  validation {
    condition     = var.aks.log_analytics_retention >= 30 && var.aks.log_analytics_retention <= 730
    error_message = "aks.log_analytics_retention must be between 30 and 730 days."
  }
}

variable "acr" {
  description = "The container registry: SKU and whether it is reached only through a private endpoint (Premium)."
  type = object({
    sku              = string
    private_endpoint = bool
  })
  validation {
    condition     = contains(["Basic", "Standard", "Premium"], var.acr.sku) && (!var.acr.private_endpoint || var.acr.sku == "Premium")
    error_message = "acr.sku must be Basic, Standard or Premium; a private endpoint needs Premium."
  }
}

variable "key_vault" {
  description = "Key Vault (RBAC mode) holding appraise's secrets, and who administers it."
  type = object({
    purge_protection = bool
    admin_object_ids = list(string)
  })
}

variable "appraise" {
  description = "How appraise runs in the cluster: its namespace and ServiceAccount (for the federated identity)."
  type = object({
    namespace       = string
    service_account = string
  })
}

variable "api_key" {
  description = "The first API key, stored in Key Vault as appraise-api-key. Pass it from the environment (TF_VAR_api_key); it is never written to any file in the repository."
  type        = string
  sensitive   = true
  validation {
    condition     = length(var.api_key) >= 16
    error_message = "api_key must be at least 16 characters."
  }
}
