# The pipelines' identities have their own state (same container, own key), so destroying the
# environment keeps the identities that destroy runs with.
terraform {
  backend "azurerm" {
    resource_group_name  = "rg-appraise-tfstate"
    storage_account_name = "stappraisetfstate"
    container_name       = "tfstate"
    key                  = "azure-appservice-dev-github.tfstate"
    use_azuread_auth     = true
  }
}
