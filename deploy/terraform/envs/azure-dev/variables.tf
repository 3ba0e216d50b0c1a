# Inputs that have no safe default. Pass them with -var, a *.auto.tfvars file kept out of git, or
# TF_VAR_... in the pipeline (README.md, "First apply").

variable "api_server_authorized_ranges" {
  description = "CIDR ranges allowed to reach the AKS API server: where you run Terraform and kubectl from, and the pipeline runners' egress addresses. [] opens it to every address; a private cluster ignores it. A documentation range (such as 203.0.113.0/24) would block every real client, so it is refused."
  type        = list(string)
  validation {
    condition     = alltrue([for cidr in var.api_server_authorized_ranges : can(cidrhost(cidr, 0))])
    error_message = "Every entry must be a CIDR range, for example 198.18.7.10/32."
  }
  validation {
    condition = alltrue([for cidr in var.api_server_authorized_ranges :
    !contains(["192.0.2", "198.51.100", "203.0.113"], try(join(".", slice(split(".", cidrhost(cidr, 0)), 0, 3)), ""))])
    error_message = "A documentation range (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) reaches nobody: list your own addresses."
  }
}

variable "admin_object_ids" {
  description = "Microsoft Entra object ids of the people or groups who administer the cluster (Azure RBAC) and the Key Vault. Whoever runs the first apply must be in it: `az ad signed-in-user show --query id -o tsv`."
  type        = list(string)
  validation {
    condition     = length(var.admin_object_ids) > 0 && alltrue([for id in var.admin_object_ids : can(regex("^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$", id))])
    error_message = "List at least one object id (a GUID)."
  }
}

variable "teams_webhook_url" {
  description = "Microsoft Teams Workflows webhook for alerts, needed when platform.monitoring.teams_receiver is true in env.yaml. Written write-only into the Secret alertmanager-webhooks."
  type        = string
  default     = null
  sensitive   = true
}
