# Web App for Containers (azurerm 4.55.0: azurerm_service_plan, azurerm_linux_web_app,
# azurerm_linux_web_app_slot). The container runs as App Service runs it, which
# tests/container/run.sh reproduces: the app settings below as environment variables, port
# 8080, /home mounted from App Service storage, the image's own user and root file system.
locals {
  postgres = var.app.reports == "postgres"
  image    = "appraise:${var.app.initial_image_tag}"
  # Each slot has secrets of its own (the Key Vault secret names' suffix): the staging slot runs
  # whatever the unapproved staging job deploys, so it must reach none of production's.
  slots = { production = "", staging = "-staging" }
  # App settings reach the container as environment variables (azure-docs articles/app-service/
  # configure-custom-container.md, "Configure environment variables").
  app_settings = merge(
    {
      # The platform sends requests to WEBSITES_PORT (default 80; configure-custom-container.md,
      # "Configure port number"); ASPNETCORE_HTTP_PORTS makes Kestrel listen there too. Both 8080,
      # appraise's own default, so the two cannot disagree.
      WEBSITES_PORT         = "8080"
      ASPNETCORE_HTTP_PORTS = "8080"
      # /home persisted on App Service storage (an SMB share) and shared by the app's instances.
      # Set explicitly: the docs have said both "enabled" and "disabled" by default for custom
      # containers (configure-custom-container.md, "Use persistent shared storage";
      # MicrosoftDocs/azure-docs PR #128147, 2026).
      WEBSITES_ENABLE_APP_SERVICE_STORAGE = "true"
      OTEL_SERVICE_NAME                   = "appraise"
    },
    # SQLite on /home (one instance: variables.tf); PostgreSQL through the VNet otherwise.
    # (tomap: the two branches are objects with different keys, which a conditional cannot unify.)
    local.postgres ? tomap({}) : tomap({ Reports__DataDirectory = "/home/data/appraise", Reports__SqliteJournalMode = "delete" }),
    var.monitoring.otlp_endpoint == "" ? tomap({}) : tomap({ OTEL_EXPORTER_OTLP_ENDPOINT = var.monitoring.otlp_endpoint }),
    var.monitoring.application_insights ? tomap({ APPLICATIONINSIGHTS_CONNECTION_STRING = one(azurerm_application_insights.this[*].connection_string) }) : tomap({}),
  )
  # What differs per slot. The secrets are Key Vault references, resolved by App Service with the
  # slot's key_vault_reference_identity_id; versionless, so a new secret version is picked up
  # (app-service-key-vault-references.md: @Microsoft.KeyVault(SecretUri=...), rotation within 24
  # hours or on restart). All of them are sticky (sticky_settings below): a swap moves the app,
  # not these, so each slot keeps its own secrets and its own identity reads them.
  slot_settings = { for slot in keys(local.slots) : slot => merge(
    local.app_settings,
    {
      OTEL_RESOURCE_ATTRIBUTES = "deployment.environment.name=${slot}"
      Auth__ApiKeys__0         = "@Microsoft.KeyVault(SecretUri=${azurerm_key_vault_secret.api_key[slot].versionless_id})"
    },
    local.postgres ? tomap({ ConnectionStrings__Reports = "@Microsoft.KeyVault(SecretUri=${azurerm_key_vault_secret.database[slot].versionless_id})" }) : tomap({}),
  ) }
  sticky_settings = concat(["OTEL_RESOURCE_ATTRIBUTES", "Auth__ApiKeys__0"], local.postgres ? ["ConnectionStrings__Reports"] : [])
}

# The environment's resource group is created by envs/<env>/github (an administrator applies it):
# the apply identity's Contributor role is scoped to this group, so the group must exist before
# that role can be assigned, and the identities' own group stays out of its reach (issue 27).
data "azurerm_resource_group" "this" {
  name = "rg-${var.name}"
}

# Linux plan. Standard or Premium v3 (slots, autoscale); worker_count is the autoscale minimum
# and the autoscale setting owns it afterwards.
resource "azurerm_service_plan" "this" {
  name                = "asp-${var.name}"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  os_type             = "Linux"
  sku_name            = var.app.sku
  worker_count        = var.app.min_instances
  tags                = var.tags

  lifecycle {
    ignore_changes = [worker_count]
  }
}

# The production slot. Image: the first apply sets appraise:<initial_image_tag>; afterwards the
# pipelines deploy to the staging slot and swap, so Terraform ignores the image it no longer owns.
resource "azurerm_linux_web_app" "this" {
  name                                           = "app-${var.name}"
  location                                       = data.azurerm_resource_group.this.location
  resource_group_name                            = data.azurerm_resource_group.this.name
  service_plan_id                                = azurerm_service_plan.this.id
  https_only                                     = true
  client_affinity_enabled                        = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  key_vault_reference_identity_id                = azurerm_user_assigned_identity.app.id
  virtual_network_subnet_id                      = one(azurerm_subnet.app[*].id)
  app_settings                                   = local.slot_settings.production
  tags                                           = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id, azurerm_user_assigned_identity.pull.id]
  }

  site_config {
    always_on                                     = true
    health_check_path                             = "/readyz"
    health_check_eviction_time_in_min             = 2
    minimum_tls_version                           = "1.2"
    scm_minimum_tls_version                       = "1.2"
    ftps_state                                    = "Disabled"
    http2_enabled                                 = true
    vnet_route_all_enabled                        = local.postgres
    container_registry_use_managed_identity       = true
    container_registry_managed_identity_client_id = azurerm_user_assigned_identity.pull.client_id

    application_stack {
      docker_image_name   = local.image
      docker_registry_url = "https://${azurerm_container_registry.this.login_server}"
    }
  }

  # The settings that stay with their slot across a swap (slotConfigNames, one list for the app
  # and all its slots): the resource attribute telling staging from production, and the secrets.
  sticky_settings {
    app_setting_names = local.sticky_settings
  }

  # The container's stdout (appraise's JSON lines) in the log stream: `az webapp log tail`.
  logs {
    application_logs {
      file_system_level = "Information"
    }
    http_logs {
      file_system {
        retention_in_days = var.app.log_retention_days
        retention_in_mb   = 35
      }
    }
  }

  lifecycle {
    ignore_changes = [site_config[0].application_stack[0].docker_image_name]
  }

  depends_on = [azurerm_role_assignment.acr_pull, azurerm_role_assignment.app_secrets]
}

# The staging slot: same plan and settings, but its own identity and secrets (access.tf); the
# pipelines deploy here, smoke-test https://<its host>/ and swap it with production (azure-docs
# articles/app-service/deploy-staging-slots.md: the source slot is warmed up before the swap, and
# swapping again returns the previous production app; managed identities are not swapped).
resource "azurerm_linux_web_app_slot" "staging" {
  name                                           = "staging"
  app_service_id                                 = azurerm_linux_web_app.this.id
  https_only                                     = true
  client_affinity_enabled                        = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  key_vault_reference_identity_id                = azurerm_user_assigned_identity.staging.id
  virtual_network_subnet_id                      = one(azurerm_subnet.app[*].id)
  app_settings                                   = local.slot_settings.staging
  tags                                           = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.staging.id, azurerm_user_assigned_identity.pull.id]
  }

  site_config {
    always_on                                     = true
    health_check_path                             = "/readyz"
    health_check_eviction_time_in_min             = 2
    minimum_tls_version                           = "1.2"
    scm_minimum_tls_version                       = "1.2"
    ftps_state                                    = "Disabled"
    http2_enabled                                 = true
    vnet_route_all_enabled                        = local.postgres
    container_registry_use_managed_identity       = true
    container_registry_managed_identity_client_id = azurerm_user_assigned_identity.pull.client_id

    application_stack {
      docker_image_name   = local.image
      docker_registry_url = "https://${azurerm_container_registry.this.login_server}"
    }
  }

  logs {
    application_logs {
      file_system_level = "Information"
    }
    http_logs {
      file_system {
        retention_in_days = var.app.log_retention_days
        retention_in_mb   = 35
      }
    }
  }

  lifecycle {
    ignore_changes = [site_config[0].application_stack[0].docker_image_name]
  }

  depends_on = [azurerm_role_assignment.acr_pull, azurerm_role_assignment.staging_secrets]
}

# CPU autoscale for the plan (PostgreSQL mode only: SQLite keeps one instance). Out by one when the
# plan's average CPU stays above 70 % for 10 minutes, in by one below 30 % (azurerm 4.55.0
# azurerm_monitor_autoscale_setting; metric CpuPercentage of Microsoft.Web/serverfarms).
resource "azurerm_monitor_autoscale_setting" "this" {
  count               = var.app.max_instances > var.app.min_instances ? 1 : 0
  name                = "autoscale-${var.name}"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  target_resource_id  = azurerm_service_plan.this.id
  tags                = var.tags

  profile {
    name = "cpu"

    capacity {
      default = var.app.min_instances
      minimum = var.app.min_instances
      maximum = var.app.max_instances
    }

    rule {
      metric_trigger {
        metric_name        = "CpuPercentage"
        metric_resource_id = azurerm_service_plan.this.id
        time_grain         = "PT1M"
        statistic          = "Average"
        time_window        = "PT10M"
        time_aggregation   = "Average"
        operator           = "GreaterThan"
        threshold          = 70
      }
      scale_action {
        direction = "Increase"
        type      = "ChangeCount"
        value     = "1"
        cooldown  = "PT5M"
      }
    }

    rule {
      metric_trigger {
        metric_name        = "CpuPercentage"
        metric_resource_id = azurerm_service_plan.this.id
        time_grain         = "PT1M"
        statistic          = "Average"
        time_window        = "PT10M"
        time_aggregation   = "Average"
        operator           = "LessThan"
        threshold          = 30
      }
      scale_action {
        direction = "Decrease"
        type      = "ChangeCount"
        value     = "1"
        cooldown  = "PT10M"
      }
    }
  }
}

# Application Insights (workspace-based) for an OpenTelemetry collector that exports with the
# connection string; appraise itself exports OTLP only.
resource "azurerm_log_analytics_workspace" "this" {
  count               = var.monitoring.application_insights ? 1 : 0
  name                = "log-${var.name}"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  sku                 = "PerGB2018"
  retention_in_days   = 30
  tags                = var.tags
}

resource "azurerm_application_insights" "this" {
  count               = var.monitoring.application_insights ? 1 : 0
  name                = "appi-${var.name}"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  workspace_id        = azurerm_log_analytics_workspace.this[0].id
  application_type    = "web"
  tags                = var.tags
}
