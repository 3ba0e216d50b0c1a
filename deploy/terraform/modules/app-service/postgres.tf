# Reports in Azure Database for PostgreSQL flexible server with private access: the server lives
# in a delegated subnet and resolves through a private DNS zone linked to the VNet; the app
# reaches it through regional VNet integration (its own subnet delegated to
# Microsoft.Web/serverFarms, all outbound traffic routed into the VNet: vnet_route_all_enabled).
# azure-docs articles/postgresql/flexible-server/concepts-networking-private.md and
# articles/app-service/overview-vnet-integration.md.
resource "azurerm_virtual_network" "this" {
  count               = local.postgres ? 1 : 0
  name                = "vnet-${var.name}"
  location            = data.azurerm_resource_group.this.location
  resource_group_name = data.azurerm_resource_group.this.name
  address_space       = [var.postgres.address_space]
  tags                = var.tags
}

resource "azurerm_subnet" "app" {
  count                = local.postgres ? 1 : 0
  name                 = "snet-app"
  resource_group_name  = data.azurerm_resource_group.this.name
  virtual_network_name = azurerm_virtual_network.this[0].name
  address_prefixes     = [var.postgres.app_subnet]

  delegation {
    name = "app-service"
    service_delegation {
      name    = "Microsoft.Web/serverFarms"
      actions = ["Microsoft.Network/virtualNetworks/subnets/action"]
    }
  }
}

resource "azurerm_subnet" "postgres" {
  count                = local.postgres ? 1 : 0
  name                 = "snet-postgres"
  resource_group_name  = data.azurerm_resource_group.this.name
  virtual_network_name = azurerm_virtual_network.this[0].name
  address_prefixes     = [var.postgres.postgres_subnet]

  delegation {
    name = "postgres"
    service_delegation {
      name    = "Microsoft.DBforPostgreSQL/flexibleServers"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

resource "azurerm_private_dns_zone" "postgres" {
  count               = local.postgres ? 1 : 0
  name                = "${var.name}.private.postgres.database.azure.com"
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = var.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "postgres" {
  count                 = local.postgres ? 1 : 0
  name                  = "postgres"
  resource_group_name   = data.azurerm_resource_group.this.name
  private_dns_zone_name = azurerm_private_dns_zone.postgres[0].name
  virtual_network_id    = azurerm_virtual_network.this[0].id
  tags                  = var.tags
}

# One server per slot (psql-<name>, psql-<name>-staging), in the same subnet and private DNS zone:
# the staging slot runs unapproved deployments, so its connection string must not hold
# production's administrator password. The administrator password and the connection string
# built from it are write-only: generated in this run, sent to Azure, in no state or plan
# (Terraform 1.11 write-only arguments).
locals {
  database_slots = { for slot, suffix in local.slots : slot => suffix if local.postgres }
}

ephemeral "random_password" "postgres" {
  for_each = local.database_slots
  length   = 40
  special  = false
}

resource "azurerm_postgresql_flexible_server" "this" {
  for_each                          = local.database_slots
  name                              = "psql-${var.name}${each.value}"
  location                          = data.azurerm_resource_group.this.location
  resource_group_name               = data.azurerm_resource_group.this.name
  version                           = var.postgres.version
  sku_name                          = var.postgres.sku_name
  storage_mb                        = var.postgres.storage_mb
  delegated_subnet_id               = azurerm_subnet.postgres[0].id
  private_dns_zone_id               = azurerm_private_dns_zone.postgres[0].id
  public_network_access_enabled     = false
  administrator_login               = "appraise"
  administrator_password_wo         = ephemeral.random_password.postgres[each.key].result
  administrator_password_wo_version = 1
  backup_retention_days             = 7
  tags                              = var.tags

  lifecycle {
    # Azure picks the zone when none is given; keep it on later applies.
    ignore_changes = [zone]
  }

  depends_on = [azurerm_private_dns_zone_virtual_network_link.postgres]
}

resource "azurerm_postgresql_flexible_server_database" "reports" {
  for_each  = local.database_slots
  name      = "appraise"
  server_id = azurerm_postgresql_flexible_server.this[each.key].id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

resource "azurerm_key_vault_secret" "database" {
  for_each         = local.database_slots
  name             = "appraise-database${each.value}"
  key_vault_id     = azurerm_key_vault.this.id
  value_wo         = "Host=${azurerm_postgresql_flexible_server.this[each.key].fqdn};Database=${azurerm_postgresql_flexible_server_database.reports[each.key].name};Username=appraise;Password=${ephemeral.random_password.postgres[each.key].result};SSL Mode=Require"
  value_wo_version = 1
  content_type     = "text/plain"
  depends_on       = [time_sleep.role_propagation]
}

# Before the staging slot had a server of its own, the one server was production's.
moved {
  from = azurerm_postgresql_flexible_server.this[0]
  to   = azurerm_postgresql_flexible_server.this["production"]
}

moved {
  from = azurerm_postgresql_flexible_server_database.reports[0]
  to   = azurerm_postgresql_flexible_server_database.reports["production"]
}

moved {
  from = azurerm_key_vault_secret.database[0]
  to   = azurerm_key_vault_secret.database["production"]
}
