variable "name" {
  description = "Base name for every resource: 4 to 21 lower-case letters, digits or hyphens, for example appraise-as-dev (kv-<name> must fit Key Vault's 24 characters; app-<name> is the public host name)."
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

variable "app" {
  description = "The App Service plan and the app: plan SKU, instance bounds for CPU autoscale, where reports live (sqlite on /home, or postgres), the image tag of the first apply (the pipelines own the image afterwards) and the log retention."
  type = object({
    sku                = string
    min_instances      = number
    max_instances      = number
    reports            = string
    initial_image_tag  = string
    log_retention_days = number
  })
  # Deployment slots and autoscale need Standard or higher (azure-docs articles/app-service/
  # deploy-staging-slots.md "Prerequisites"; manage-scale-up.md): Basic has neither.
  validation {
    condition     = contains(["S1", "S2", "S3", "P0v3", "P1v3", "P2v3", "P3v3", "P1mv3", "P2mv3"], var.app.sku)
    error_message = "app.sku must be Standard (S1-S3) or Premium v3 (P0v3-P3v3, P1mv3, P2mv3): the staging slot and autoscale need it."
  }
  validation {
    condition     = contains(["sqlite", "postgres"], var.app.reports)
    error_message = "app.reports must be sqlite or postgres."
  }
  # SQLite on /home: one instance only. /home is one SMB share that every instance mounts; SQLite's
  # locks are not reliable over a network file system (and WAL needs every process on one host,
  # sqlite.org/wal.html: appraise runs the rollback journal there, Reports__SqliteJournalMode=delete),
  # so a second instance could corrupt the reports.
  validation {
    condition     = var.app.min_instances >= 1 && var.app.max_instances >= var.app.min_instances && var.app.max_instances <= 30 && (var.app.reports == "postgres" || var.app.max_instances == 1)
    error_message = "app needs 1 <= min_instances <= max_instances <= 30, and max_instances = 1 with reports = sqlite (SQLite on the shared /home must have one writer)."
  }
  validation {
    condition     = var.app.log_retention_days >= 1 && var.app.log_retention_days <= 99999
    error_message = "app.log_retention_days must be at least 1."
  }
}

variable "postgres" {
  description = "Azure Database for PostgreSQL flexible server with private access (VNet integration), used when app.reports is postgres: its VNet ranges, SKU, major version and storage."
  type = object({
    address_space   = string
    app_subnet      = string
    postgres_subnet = string
    sku_name        = string
    version         = string
    storage_mb      = number
  })
  validation {
    condition     = alltrue([for cidr in [var.postgres.address_space, var.postgres.app_subnet, var.postgres.postgres_subnet] : can(cidrhost(cidr, 0))])
    error_message = "postgres.address_space, app_subnet and postgres_subnet must be CIDR ranges."
  }
}

variable "monitoring" {
  description = "Telemetry: an Application Insights resource (workspace-based) whose connection string is set as APPLICATIONINSIGHTS_CONNECTION_STRING, and an OTLP endpoint for appraise's traces (OTEL_EXPORTER_OTLP_ENDPOINT; empty: no traces exported)."
  type = object({
    application_insights = bool
    otlp_endpoint        = string
  })
}

variable "registry_sku" {
  description = "The container registry's SKU (Basic, Standard or Premium)."
  type        = string
  validation {
    condition     = contains(["Basic", "Standard", "Premium"], var.registry_sku)
    error_message = "registry_sku must be Basic, Standard or Premium."
  }
}

variable "key_vault_purge_protection" {
  description = "Whether the Key Vault has purge protection (deleted secrets cannot be purged before the retention ends)."
  type        = bool
}

variable "admin_object_ids" {
  description = "Microsoft Entra object ids of the people or groups who manage the Key Vault's secrets (whoever runs the first apply must be one of them)."
  type        = list(string)
}

variable "pipeline_identities" {
  description = "Principal ids of the pipelines' identities (envs/<env>/github): push gets AcrPush on the registry, plan what a refresh reads (the web app's settings, the Key Vault secrets), staging gets Website Contributor on the staging slot only, apply gets Key Vault Secrets Officer, model_release gets Storage Blob Data Contributor on the models container."
  type = object({
    push          = string
    plan          = string
    staging       = string
    apply         = string
    model_release = string
  })
}
