# What the appraise chart needs from the infrastructure, as one values document (no secret in it):
# the deploy pipeline passes it with -f after the environment's values files, and the image tag
# separately with --set-string image.tag=<tag> (a numeric build id stays a string). No providers:
# tests/terraform/run.sh runs this module with terraform itself and renders the chart with it.
terraform {
  required_version = ">= 1.11"
}

variable "image_repository" {
  description = "The image repository (registry and path), without a tag."
  type        = string
}

variable "service_account" {
  description = "The ServiceAccount name: the identity federated with it (Azure workload identity) names it as its subject."
  type        = string
}

variable "host" {
  description = "The public host name the HTTPRoute serves."
  type        = string
}

variable "gateway" {
  description = "The Gateway listener the HTTPRoute attaches to (a Gateway API ParentReference: name, namespace, sectionName)."
  type = object({
    name        = string
    namespace   = string
    sectionName = string
  })
}

variable "trusted_proxy_networks" {
  description = "Where the Gateway's proxy pods connect from (the pod ranges): X-Forwarded-For is believed only from these."
  type        = list(string)
}

variable "database_cidrs" {
  description = "Where the PostgreSQL database lives (NetworkPolicy egress)."
  type        = list(string)
}

variable "monitoring_labels" {
  description = "Labels the monitoring stack's Prometheus selects ServiceMonitors and PrometheusRules by."
  type        = map(string)
}

variable "models" {
  description = "The model repository in object storage (modules/azure or modules/aws model_repository) and the model behind the seed endpoints; aws_role_arn: appraise's IRSA role, which reads it on EKS. null: the embedded model."
  type = object({
    repository   = string
    default      = string
    aws_role_arn = optional(string, "")
  })
  default = null
}

variable "secrets" {
  description = "Where the API keys and the database connection string come from: azureKeyVault (key_vault with name, tenant_id, client_id) or awsSecretsManager (api_key_secret, database_secret); postgres false keeps reports in SQLite."
  type = object({
    source          = string
    postgres        = bool
    key_vault       = optional(object({ name = string, tenant_id = string, client_id = string }))
    api_key_secret  = optional(string, "")
    database_secret = optional(string, "")
  })
  validation {
    condition     = contains(["azureKeyVault", "awsSecretsManager"], var.secrets.source) && (var.secrets.source != "azureKeyVault" || var.secrets.key_vault != null)
    error_message = "secrets.source must be azureKeyVault (with key_vault) or awsSecretsManager."
  }
}

# Each value differs in shape by source; Terraform needs both branches of a conditional to have one
# type, so each branch is encoded to YAML (a string) and decoded once chosen.
locals {
  azure = var.secrets.source == "azureKeyVault"
  vaults = yamldecode(local.azure ? yamlencode({
    azureKeyVault = {
      name     = var.secrets.key_vault.name
      tenantId = var.secrets.key_vault.tenant_id
      clientId = var.secrets.key_vault.client_id
    }
    }) : yamlencode({
    externalSecrets = {
      secretStoreRef = { name = "aws-secrets-manager", kind = "ClusterSecretStore" }
    }
  }))
  api_keys = yamldecode(local.azure ? yamlencode({
    source              = "azureKeyVault"
    keyVaultSecretNames = ["appraise-api-key"]
    }) : yamlencode({
    source            = "awsSecretsManager"
    secretsManagerKey = var.secrets.api_key_secret
  }))
  database = yamldecode(!var.secrets.postgres ? yamlencode({ source = "none" }) : local.azure ? yamlencode({
    source             = "azureKeyVault"
    keyVaultSecretName = "appraise-database"
    }) : yamlencode({
    source            = "awsSecretsManager"
    secretsManagerKey = var.secrets.database_secret
  }))
}

# The models: on AKS the pods ask the workload identity webhook for their identity's token (the
# ServiceAccount's azure.workload.identity/client-id is the Key Vault identity, which also holds
# Storage Blob Data Reader on the models), so DefaultAzureCredential in the app finds it; on EKS the
# ServiceAccount's eks.amazonaws.com/role-arn makes the pod identity webhook hand the app its role.
locals {
  models = var.models == null ? {} : {
    model = { repository = var.models.repository, default = var.models.default }
  }
  pod_labels = var.models != null && local.azure ? { podLabels = { "azure.workload.identity/use" = "true" } } : {}
  aws_role   = var.models != null ? var.models.aws_role_arn : ""
}

output "values" {
  description = "The chart values document (YAML)."
  value = yamlencode(merge(local.models, local.pod_labels, {
    image          = { repository = var.image_repository }
    serviceAccount = merge({ create = true, name = var.service_account }, local.aws_role != "" ? { awsRoleArn = local.aws_role } : {})
    vaults         = local.vaults
    apiKeys        = local.api_keys
    database       = local.database
    httpRoute = {
      enabled    = true
      parentRefs = [var.gateway]
      hostnames  = [var.host]
    }
    ingress = { enabled = false }
    settings = {
      trustedProxyNetworks = var.trusted_proxy_networks
    }
    networkPolicy = {
      gateway       = { namespace = var.gateway.namespace }
      databaseCidrs = var.database_cidrs
    }
    serviceMonitor = { enabled = true, labels = var.monitoring_labels }
    prometheusRule = { enabled = true, labels = var.monitoring_labels }
  }))
}
