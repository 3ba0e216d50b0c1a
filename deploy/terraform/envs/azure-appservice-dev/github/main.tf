# The identities GitHub Actions signs in as with OIDC for this environment (federated
# credentials: no stored secret), applied once by an administrator before the environment
# (../README.md, "Apply"). Subjects as GitHub issues them: repo:<repo>:environment:<name> for a
# job with an environment, pull_request or the ref otherwise.
#   push     the release workflow's image push (environment release); AcrPush is assigned by
#            the environment on its registry.
#   plan     terraform plan for pull requests and main: Reader, the state read (no lock), and
#            what a refresh of the web app and its secrets needs (assigned by the environment).
#   staging  the deploy workflow's staging job: Website Contributor on the staging slot only
#            (assigned by the environment), nothing in production.
#   apply    terraform apply and destroy, and the swap after a reviewer approves.
locals {
  env  = yamldecode(file("${path.module}/../env.yaml"))
  repo = local.env.github.repository
  subjects = {
    push-release = { identity = "push", subject = "repo:${local.repo}:environment:release" }
    plan-pr      = { identity = "plan", subject = "repo:${local.repo}:pull_request" }
    plan-main    = { identity = "plan", subject = "repo:${local.repo}:ref:refs/heads/main" }
    staging      = { identity = "staging", subject = "repo:${local.repo}:environment:${local.env.github.staging_environment}" }
    apply        = { identity = "apply", subject = "repo:${local.repo}:environment:${local.env.github.environment}" }
  }
}

provider "azurerm" {
  features {}
  subscription_id = local.env.subscription_id != "" ? local.env.subscription_id : null
}

data "azurerm_subscription" "current" {}

data "azurerm_storage_account" "state" {
  name                = local.env.terraform_state.storage_account
  resource_group_name = local.env.terraform_state.resource_group
}

resource "azurerm_resource_group" "github" {
  name     = "rg-${local.env.name}-github"
  location = local.env.location
  tags     = local.env.tags
}

resource "azurerm_user_assigned_identity" "github" {
  for_each            = toset(["push", "plan", "staging", "apply"])
  name                = "id-${local.env.name}-github-${each.key}"
  location            = azurerm_resource_group.github.location
  resource_group_name = azurerm_resource_group.github.name
  tags                = local.env.tags
}

resource "azurerm_federated_identity_credential" "github" {
  for_each            = local.subjects
  name                = each.key
  resource_group_name = azurerm_resource_group.github.name
  parent_id           = azurerm_user_assigned_identity.github[each.value.identity].id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://token.actions.githubusercontent.com"
  subject             = each.value.subject
}

# Subscription roles: plan reads everything Terraform refreshes; apply creates the resource
# group, its resources and their role assignments (and so may swap slots).
resource "azurerm_role_assignment" "subscription" {
  for_each = {
    plan-reader = { identity = "plan", role = "Reader" }
    apply       = { identity = "apply", role = "Contributor" }
    apply-rbac  = { identity = "apply", role = "Role Based Access Control Administrator" }
  }
  scope                = data.azurerm_subscription.current.id
  role_definition_name = each.value.role
  principal_id         = azurerm_user_assigned_identity.github[each.value.identity].principal_id
}

# The state container: apply writes the state and takes the lease (the azurerm backend's lock, a
# write); plan only reads it and runs with -lock=false (make tf-plan READ_ONLY=1).
resource "azurerm_role_assignment" "state" {
  for_each             = { plan = "Storage Blob Data Reader", apply = "Storage Blob Data Contributor" }
  scope                = "${data.azurerm_storage_account.state.id}/blobServices/default/containers/${local.env.terraform_state.container}"
  role_definition_name = each.value
  principal_id         = azurerm_user_assigned_identity.github[each.key].principal_id
}

# A web app's settings, connection strings and publishing credentials are list actions, which
# Reader lacks (Microsoft.Web/sites/config/list/action; hashicorp/terraform-provider-azurerm#33088):
# without them the plan identity cannot refresh azurerm_linux_web_app or its slot. Defined here,
# because the apply identity may assign roles but not define them; assigned on the app by the
# environment (modules/app-service/access.tf).
resource "azurerm_role_definition" "web_app_plan_reader" {
  name        = "${local.env.name} web app plan reader"
  scope       = data.azurerm_subscription.current.id
  description = "Lists the settings of the ${local.env.name} web app and its slots (terraform plan's refresh); changes nothing."
  permissions {
    actions = ["Microsoft.Web/sites/config/list/action", "Microsoft.Web/sites/slots/config/list/action"]
  }
  assignable_scopes = [data.azurerm_subscription.current.id]
}
