# The model repository (docs/models.md, "Models in object storage"): appraise reads
# https://<account>.blob.core.windows.net/models/appraise with its workload identity
# (DefaultAzureCredential), the model-release pipeline writes it. Arguments as azurerm 4.55.0 has
# them (internal/services/storage/storage_account_resource.go, storage_container_resource.go;
# website/docs/r/storage_account.html.markdown):
#   - shared_access_key_enabled = false: no account key, no SAS signed with one; Microsoft Entra ID
#     and Azure RBAC only, so only the role assignments below reach a blob.
#   - the provider reaches no data plane: envs/azure-dev/main.tf sets features.storage
#     .data_plane_available = false, because with shared keys off the account's read of queue and
#     static-website properties (data plane, signed with the account key unless storage_use_azuread)
#     is refused, and a private account is unreachable from the runner anyway; the container is
#     created through Resource Manager (storage_account_id, not storage_account_name), and its id is
#     the Resource Manager id the role assignments are scoped to.
#   - private cluster: no public network access, a private endpoint in the private-endpoints subnet
#     and the privatelink.blob.core.windows.net zone linked to the VNet (as ACR's in acr.tf).
# Storage account names are global, 3 to 24 lower-case letters and digits.
locals {
  models_private = var.aks.private_cluster
  models_prefix  = "appraise"
}

resource "azurerm_storage_account" "models" {
  name                            = substr("st${replace(var.name, "-", "")}models", 0, 24)
  location                        = data.azurerm_resource_group.this.location
  resource_group_name             = data.azurerm_resource_group.this.name
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = "LRS" # models are release artifacts, kept by the release too
  allow_nested_items_to_be_public = false
  public_network_access_enabled   = !local.models_private
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
  local_user_enabled              = false
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true # azurerm 4.x name (enable_https_traffic_only was removed in 4.0)
  tags                            = var.tags

  # Versioning: an overwritten or deleted model.onnx stays as a previous version (a roll back is a
  # copy of it); Resource Manager's blob service properties, not the data plane.
  blob_properties {
    versioning_enabled = true
  }
}

resource "azurerm_storage_container" "models" {
  name                  = "models"
  storage_account_id    = azurerm_storage_account.models.id
  container_access_type = "private"
}

resource "azurerm_private_dns_zone" "blob" {
  count               = local.models_private ? 1 : 0
  name                = "privatelink.blob.core.windows.net"
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = var.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "blob" {
  count                 = local.models_private ? 1 : 0
  name                  = "blob"
  resource_group_name   = data.azurerm_resource_group.this.name
  private_dns_zone_name = azurerm_private_dns_zone.blob[0].name
  virtual_network_id    = azurerm_virtual_network.this.id
  tags                  = var.tags
}

resource "azurerm_private_endpoint" "models" {
  count               = local.models_private ? 1 : 0
  name                = "pe-${var.name}-models"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  subnet_id           = azurerm_subnet.private_endpoints.id
  tags                = var.tags

  private_service_connection {
    name                           = "models"
    private_connection_resource_id = azurerm_storage_account.models.id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "models"
    private_dns_zone_ids = [azurerm_private_dns_zone.blob[0].id]
  }
}

# Who reaches the models, on the container only: appraise's workload identity reads, the
# model-release pipeline's identity (envs/azure-dev/github) writes. Nobody else has a data role on
# the account (the apply identity manages it through Resource Manager and reads no blob).
resource "azurerm_role_assignment" "models_read" {
  scope                = azurerm_storage_container.models.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = azurerm_user_assigned_identity.appraise.principal_id
}

resource "azurerm_role_assignment" "models_write" {
  scope                = azurerm_storage_container.models.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = data.azurerm_user_assigned_identity.github["model-release"].principal_id
}
