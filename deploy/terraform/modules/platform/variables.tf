variable "cloud" {
  description = "Which cloud the cluster runs on (azure or aws): picks ExternalDNS's provider and authentication, and the AWS-only add-ons (External Secrets, cluster-autoscaler, the gp3 StorageClass)."
  type        = string
  validation {
    condition     = contains(["azure", "aws"], var.cloud)
    error_message = "cloud must be azure or aws."
  }
}

variable "cluster_name" {
  description = "The cluster's name (ExternalDNS's TXT owner id, cluster-autoscaler's auto-discovery)."
  type        = string
}

variable "app_namespace" {
  description = "The namespace the deploy pipeline installs appraise into; created here with the Pod Security Standard restricted enforced."
  type        = string
}

variable "host" {
  description = "The public host name: the Gateway's HTTPS listener serves it with a certificate cert-manager issues."
  type        = string
}

variable "acme" {
  description = "The ACME account for the letsencrypt ClusterIssuer: e-mail and directory URL (staging while testing)."
  type = object({
    email  = string
    server = string
  })
  validation {
    condition     = can(regex("^[^@ ]+@[^@ ]+$", var.acme.email)) && startswith(var.acme.server, "https://")
    error_message = "acme.email must be an e-mail address and acme.server an https URL."
  }
}

variable "external_dns" {
  description = "ExternalDNS: whether it runs, the zones it may change, and how it authenticates (azure: the workload identity's client id and the zone's subscription and resource group; aws: the IRSA role)."
  type = object({
    enabled         = bool
    domain_filters  = list(string)
    azure_client_id = optional(string, "")
    tenant_id       = optional(string, "")
    subscription_id = optional(string, "")
    resource_group  = optional(string, "")
    aws_role_arn    = optional(string, "")
  })
}

variable "aws" {
  description = "AWS only: the region and the IRSA roles of External Secrets and cluster-autoscaler (empty on Azure)."
  type = object({
    region                      = string
    external_secrets_role_arn   = string
    cluster_autoscaler_role_arn = string
  })
  default = {
    region                      = ""
    external_secrets_role_arn   = ""
    cluster_autoscaler_role_arn = ""
  }
  nullable = false
}

variable "monitoring" {
  description = "kube-prometheus-stack: the values file, and whether Alertmanager sends appraise's alerts to Microsoft Teams (then teams_webhook_url is required)."
  type = object({
    values_file    = string
    teams_receiver = bool
  })
}

variable "teams_webhook_url" {
  description = "The Microsoft Teams Workflows webhook URL for alerts, when monitoring.teams_receiver is true (TF_VAR_teams_webhook_url). Written to the Secret alertmanager-webhooks as a write-only value: never in state."
  type        = string
  default     = null
  sensitive   = true
}

variable "teams_webhook_revision" {
  description = "Increase to write a new teams_webhook_url into the Secret (write-only values are written when this changes)."
  type        = number
  default     = 1
}
