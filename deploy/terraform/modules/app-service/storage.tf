# The model repository (docs/models.md, "Models in object storage"): appraise reads
# https://<account>.blob.core.windows.net/models/appraise with its managed identity
# (DefaultAzureCredential), the model-release pipeline writes it. As modules/azure/storage.tf, with
# azurerm 4.55.0's arguments (internal/services/storage/storage_account_resource.go,
# storage_container_resource.go): Microsoft Entra ID only (shared_access_key_enabled = false), no
# anonymous access, TLS 1.2, HTTPS only, blob versioning; the provider reaches no data plane
# (envs/azure-appservice-dev/main.tf: features.storage.data_plane_available = false) and the
# container is created through Resource Manager (storage_account_id). Public network access stays
# on: the app reaches Azure Storage over the internet unless it is VNet-integrated (only with
# PostgreSQL), and the model-release runner too; without shared keys every request needs a token of
# an identity assigned a data role below.
locals {
  models_prefix = "appraise"
}

resource "azurerm_storage_account" "models" {
  name                            = substr("st${replace(var.name, "-", "")}models", 0, 24)
  location                        = data.azurerm_resource_group.this.location
  resource_group_name             = data.azurerm_resource_group.this.name
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = "LRS" # models are release artifacts, kept by the release too
  allow_nested_items_to_be_public = false
  public_network_access_enabled   = true
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
  local_user_enabled              = false
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true # azurerm 4.x name (enable_https_traffic_only was removed in 4.0)
  tags                            = var.tags

  blob_properties {
    versioning_enabled = true
  }
}

resource "azurerm_storage_container" "models" {
  name                  = "models"
  storage_account_id    = azurerm_storage_account.models.id
  container_access_type = "private"
}

# Each slot reads the models with its own identity (access.tf: a swap keeps each slot's
# identities): production's app and the staging slot's staging. Models hold no secret, so the
# staging slot reads the same ones. Only the model-release pipeline's identity writes.
resource "azurerm_role_assignment" "models_read" {
  for_each             = { app = azurerm_user_assigned_identity.app.principal_id, staging = azurerm_user_assigned_identity.staging.principal_id }
  scope                = azurerm_storage_container.models.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = each.value
}

resource "azurerm_role_assignment" "models_write" {
  scope                = azurerm_storage_container.models.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = var.pipeline_identities.model_release
}
