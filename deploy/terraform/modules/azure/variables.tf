variable "name" {
  description = "Base name for every resource: 4 to 21 lower-case letters, digits or hyphens, for example appraise-dev (kv-<name> must fit Key Vault's 24 characters)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,19}[a-z0-9]$", var.name))
    error_message = "name must be 4 to 21 lower-case letters, digits or hyphens, starting with a letter and ending with a letter or digit."
  }
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}

variable "network" {
  description = "Address ranges: the VNet, its node subnet and private-endpoint subnet, and the cluster's pod (overlay) and service ranges with the cluster DNS address."
  type = object({
    address_space            = string
    aks_subnet               = string
    private_endpoints_subnet = string
    pod_cidr                 = string
    service_cidr             = string
    dns_service_ip           = string
  })
  validation {
    condition = alltrue([for cidr in [var.network.address_space, var.network.aks_subnet, var.network.private_endpoints_subnet, var.network.pod_cidr, var.network.service_cidr] :
    can(cidrhost(cidr, 0))])
    error_message = "Every network range must be a valid CIDR."
  }
}

variable "aks" {
  description = "The AKS cluster: version, node pool size and autoscaling bounds, and whether its API server is private."
  type = object({
    kubernetes_version      = string
    sku_tier                = string
    vm_size                 = string
    min_nodes               = number
    max_nodes               = number
    zones                   = list(string)
    private_cluster         = bool
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

variable "api_server_authorized_ranges" {
  description = "CIDR ranges allowed to reach the public API server (Terraform's own address and the pipeline runners'); [] leaves it open to every address. Ignored for a private cluster."
  type        = list(string)
}

variable "admin_object_ids" {
  description = "Microsoft Entra object ids of the people or groups who administer the cluster and the Key Vault (whoever runs the first apply must be one of them)."
  type        = list(string)
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
  description = "Key Vault (RBAC mode) holding appraise's secrets: whether purge protection is on."
  type = object({
    purge_protection = bool
  })
}

variable "appraise" {
  description = "Where appraise runs: its namespace and ServiceAccount name (the federated identity's subject)."
  type = object({
    namespace       = string
    service_account = string
  })
}

variable "external_dns" {
  description = "ExternalDNS: whether it runs, and the Azure DNS zone (name and resource group) it manages."
  type = object({
    enabled             = bool
    zone                = string
    zone_resource_group = string
  })
}
