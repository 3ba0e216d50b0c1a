# The three user-assigned identities GitHub Actions signs in as with OIDC (federated credentials:
# no secret stored anywhere), created once by an administrator before the environment
# (../README.md, "First apply"). Each trusts only the workflow runs that need it (the token's
# subject) and gets only the roles those runs need; the roles on resources the environment
# creates (AcrPush on the registry, cluster and Key Vault roles) are assigned there
# (modules/azure/identities.tf).
locals {
  env        = yamldecode(file("${path.module}/../env.yaml"))
  name       = local.env.name
  repository = local.env.github.repository
  state      = local.env.terraform_state
  # The subject of each kind of run (GitHub docs, "About security hardening with OpenID Connect":
  # a job with an environment gets repo:<repo>:environment:<name>; otherwise pull_request or the ref).
  # One federated credential per subject.
  subjects = {
    "push-release"                          = { identity = "push", subject = "repo:${local.repository}:environment:release" }
    "plan-pr"                               = { identity = "plan", subject = "repo:${local.repository}:pull_request" }
    "plan-main"                             = { identity = "plan", subject = "repo:${local.repository}:ref:refs/heads/main" }
    "apply-${local.env.github.environment}" = { identity = "apply", subject = "repo:${local.repository}:environment:${local.env.github.environment}" }
  }
}

provider "azurerm" {
  features {}
  subscription_id = local.env.subscription_id != "" ? local.env.subscription_id : null
}

data "azurerm_subscription" "current" {}

data "azurerm_storage_account" "state" {
  name                = local.state.storage_account
  resource_group_name = local.state.resource_group
}

resource "azurerm_resource_group" "github" {
  name     = "rg-${local.name}-github"
  location = local.env.location
  tags     = local.env.tags
}

resource "azurerm_user_assigned_identity" "github" {
  for_each            = toset(["push", "plan", "apply"])
  name                = "id-${local.name}-github-${each.key}"
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

# plan: read everything in the subscription (terraform plan refreshes it) and the state, and
# change nothing: plans run with -lock=false (make tf-plan READ_ONLY=1), because a blob lease, the
# azurerm backend's lock, is a write. The environment grants the cluster and Key Vault reads
# (modules/azure) with the role defined below.
resource "azurerm_role_assignment" "plan_reader" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Reader"
  principal_id         = azurerm_user_assigned_identity.github["plan"].principal_id
}

# apply: creates resource groups (the environment's, and AKS creates its node group), every
# resource in them and their role assignments, so Contributor and Role Based Access Control
# Administrator on the subscription. It cannot change its own identity's credentials (they are in
# this configuration, which only administrators apply). Narrow the RBAC Administrator assignment
# with a condition listing the roles the environment assigns if your organisation requires it.
resource "azurerm_role_assignment" "apply" {
  for_each             = toset(["Contributor", "Role Based Access Control Administrator"])
  scope                = data.azurerm_subscription.current.id
  role_definition_name = each.key
  principal_id         = azurerm_user_assigned_identity.github["apply"].principal_id
}

# The state: apply writes it and takes the lease; plan only reads it.
resource "azurerm_role_assignment" "state" {
  for_each             = { plan = "Storage Blob Data Reader", apply = "Storage Blob Data Contributor" }
  scope                = "${data.azurerm_storage_account.state.id}/blobServices/default/containers/${local.state.container}"
  role_definition_name = each.value
  principal_id         = azurerm_user_assigned_identity.github[each.key].principal_id
}

# What the plan identity may do inside the cluster (assigned there by modules/azure/aks.tf): read
# every Kubernetes object, Secrets included, because Helm keeps each release's state in a Secret
# and terraform plan refreshes the helm releases. Defined here, at the subscription, because the
# apply identity cannot define roles and the cluster does not exist yet.
resource "azurerm_role_definition" "aks_plan_reader" {
  name        = "${local.name} Kubernetes plan reader"
  scope       = data.azurerm_subscription.current.id
  description = "Reads every Kubernetes object of the ${local.name} cluster, Secrets included (terraform plan of the helm releases)."
  permissions {
    actions      = ["Microsoft.ContainerService/managedClusters/read"]
    data_actions = ["Microsoft.ContainerService/managedClusters/*/read"]
  }
  assignable_scopes = [data.azurerm_subscription.current.id]
}
