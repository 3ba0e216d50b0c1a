# State in an Azure Storage blob, locked with a blob lease, reached with Azure AD (no account key):
# the same storage as azure-dev, its own key.
terraform {
  backend "azurerm" {
    resource_group_name  = "rg-appraise-tfstate"
    storage_account_name = "stappraisetfstate"
    container_name       = "tfstate"
    key                  = "azure-appservice-dev.tfstate"
    use_azuread_auth     = true
  }
}
