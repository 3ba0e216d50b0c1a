# The user-assigned identities GitHub Actions signs in as with OIDC (federated credentials:
# no secret stored anywhere), created once by an administrator before the environment
# (../README.md, "First apply"). Each trusts only the workflow runs that need it (the token's
# subject) and gets only the roles those runs need; the roles on resources the environment
# creates (AcrPush on the registry, cluster and Key Vault roles, the models container's roles) are
# assigned there (modules/azure/identities.tf, storage.tf). model-release uploads models: Storage
# Blob Data Contributor on the models container and nothing else, from jobs in the GitHub
# environment model-release only (give it required reviewers: what it writes, appraise serves).
locals {
  env        = yamldecode(file("${path.module}/../env.yaml"))
  name       = local.env.name
  repository = local.env.github.repository
  state      = local.env.terraform_state
  # The subject of each kind of run (GitHub docs, "About security hardening with OpenID Connect":
  # a job with an environment gets repo:<repo>:environment:<name>; otherwise pull_request or the ref).
  # One federated credential per subject. Not pull_request: the plan identity reads the state, the
  # cluster's Secrets and the API key (a plan refreshes them), and any branch of the repository can
  # change the workflow a pull request runs, without review. Plans run on main (reviewed code).
  subjects = {
    "push-release"                          = { identity = "push", subject = "repo:${local.repository}:environment:release" }
    "plan-main"                             = { identity = "plan", subject = "repo:${local.repository}:ref:refs/heads/main" }
    "apply-${local.env.github.environment}" = { identity = "apply", subject = "repo:${local.repository}:environment:${local.env.github.environment}" }
    "model-release"                         = { identity = "model-release", subject = "repo:${local.repository}:environment:model-release" }
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
  for_each            = toset(["push", "plan", "apply", "model-release"])
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

# apply: Contributor on the environment's resource group only (created here), Reader on the
# subscription (data sources, the identities and the DNS zone looked up), and Role Based Access
# Control Administrator on that group - and on the DNS zone's group with ExternalDNS - with a
# condition: it may assign and remove only the roles the environment assigns (azure-docs
# articles/role-based-access-control/delegate-role-assignments-examples.md, "Constrain roles"). So
# it cannot make itself Owner, and the identities' group rg-<name>-github, with their federated
# credentials, is outside everything it may change (Contributor's "*" on the subscription would
# include federatedIdentityCredentials/write there). The AKS node resource group is created by the
# AKS resource provider itself.
resource "azurerm_resource_group" "environment" {
  name     = "rg-${local.name}"
  location = local.env.location
  tags     = local.env.tags
}

locals {
  # Every role modules/azure assigns (aks.tf, identities.tf, keyvault.tf, storage.tf); the plan reader role
  # defined below is added by id. A role missing here fails the apply with 403 on its assignment.
  assignable_roles = [
    "AcrPull", "AcrPush", "Azure Kubernetes Service Cluster User Role", "Azure Kubernetes Service RBAC Cluster Admin",
    "DNS Zone Contributor", "Key Vault Secrets Officer", "Key Vault Secrets User", "Network Contributor", "Reader",
    "Storage Blob Data Contributor", "Storage Blob Data Reader",
  ]
  # GUIDs, as GuidEquals compares them: azurerm 4.55.0's data source azurerm_role_definition
  # returns the full role definition id when looked up by name (role_definition_data_source.go,
  # defId = the listed role's Id), the resource azurerm_role_definition the GUID; basename fits both.
  assignable_role_ids = join(", ", sort(concat(
    [for role in data.azurerm_role_definition.assignable : basename(role.role_definition_id)],
    [basename(azurerm_role_definition.aks_plan_reader.role_definition_id)],
  )))
  # Write is judged by the requested role (@Request), delete by the existing assignment's (@Resource).
  rbac_condition = <<-EOT
    (
     (
      !(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})
     )
     OR
     (
      @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${local.assignable_role_ids}}
     )
    )
    AND
    (
     (
      !(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})
     )
     OR
     (
      @Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${local.assignable_role_ids}}
     )
    )
  EOT
}

data "azurerm_role_definition" "assignable" {
  for_each = toset(local.assignable_roles)
  name     = each.key
  scope    = data.azurerm_subscription.current.id
}

resource "azurerm_role_assignment" "apply" {
  for_each = {
    reader      = { scope = data.azurerm_subscription.current.id, role = "Reader" }
    contributor = { scope = azurerm_resource_group.environment.id, role = "Contributor" }
  }
  scope                = each.value.scope
  role_definition_name = each.value.role
  principal_id         = azurerm_user_assigned_identity.github["apply"].principal_id
}

# azurerm 4.55.0 role_assignment_resource.go: condition and condition_version (ForceNew; "2.0").
resource "azurerm_role_assignment" "apply_rbac" {
  for_each = merge(
    { environment = azurerm_resource_group.environment.id },
    local.env.platform.external_dns.enabled ? { dns = "${data.azurerm_subscription.current.id}/resourceGroups/${local.env.platform.external_dns.zone_resource_group}" } : {},
  )
  scope                = each.value
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = azurerm_user_assigned_identity.github["apply"].principal_id
  condition_version    = "2.0"
  condition            = local.rbac_condition
}

# The state: apply writes it and takes the lease; plan only reads it. Each reaches its own blob
# only, the key in ../backend.tf (the container also holds the other environments' states and the
# github/ ones, with Log Analytics keys and publishing credentials): a condition on the blob path
# (azure-docs articles/storage/blobs/storage-auth-abac-examples.md, "Read blobs in named
# containers with a path"). Listing is left out of it (names only): terraform init lists
# <key>env:* to find workspaces (terraform internal/backend/remote-state/azure/backend_state.go).
locals {
  state_key = "azure-dev.tfstate" # = ../backend.tf key
  state_conditions = {
    read  = <<-EOT
      (
       (
        !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})
       )
       OR
       (
        @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringEquals '${local.state_key}'
       )
      )
    EOT
    write = <<-EOT
      (
       (
        !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})
        AND
        !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})
        AND
        !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'})
        AND
        !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'})
       )
       OR
       (
        @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringEquals '${local.state_key}'
       )
      )
    EOT
  }
}

resource "azurerm_role_assignment" "state" {
  for_each             = { plan = "Storage Blob Data Reader", apply = "Storage Blob Data Contributor" }
  scope                = "${data.azurerm_storage_account.state.id}/blobServices/default/containers/${local.state.container}"
  role_definition_name = each.value
  principal_id         = azurerm_user_assigned_identity.github[each.key].principal_id
  condition_version    = "2.0"
  condition            = each.key == "plan" ? local.state_conditions.read : local.state_conditions.write
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
