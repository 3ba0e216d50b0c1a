# State in an Azure Storage blob, locked with a blob lease, reached with Azure AD (no account key).
# Create the storage once (README.md, "Prerequisites"); names are not secrets.
terraform {
  backend "azurerm" {
    resource_group_name  = "rg-appraise-tfstate"
    storage_account_name = "stappraisetfstate"
    container_name       = "tfstate"
    key                  = "azure-dev.tfstate"
    use_azuread_auth     = true
  }
}
