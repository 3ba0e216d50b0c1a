resource "azurerm_container_registry" "this" {
  # Registry names are global and alphanumeric only.
  name                          = "acr${replace(var.name, "-", "")}"
  location                      = data.azurerm_resource_group.this.location
  resource_group_name           = data.azurerm_resource_group.this.name
  sku                           = var.acr.sku
  admin_enabled                 = false
  public_network_access_enabled = !var.acr.private_endpoint
  tags                          = var.tags
}

resource "azurerm_private_dns_zone" "acr" {
  count               = var.acr.private_endpoint ? 1 : 0
  name                = "privatelink.azurecr.io"
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = var.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "acr" {
  count                 = var.acr.private_endpoint ? 1 : 0
  name                  = "acr"
  resource_group_name   = data.azurerm_resource_group.this.name
  private_dns_zone_name = azurerm_private_dns_zone.acr[0].name
  virtual_network_id    = azurerm_virtual_network.this.id
  tags                  = var.tags
}

resource "azurerm_private_endpoint" "acr" {
  count               = var.acr.private_endpoint ? 1 : 0
  name                = "pe-${var.name}-acr"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  subnet_id           = azurerm_subnet.private_endpoints.id
  tags                = var.tags

  private_service_connection {
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.this.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "acr"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr[0].id]
  }
}
