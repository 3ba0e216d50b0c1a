# The identities GitHub Actions signs in as with OIDC for this environment (federated
# credentials: no stored secret), applied once by an administrator before the environment
# (../README.md, "Apply"). Subjects as GitHub issues them: repo:<repo>:environment:<name> for a
# job with an environment, pull_request or the ref otherwise.
#   push     the release workflow's image push (environment release); AcrPush is assigned by
#            the environment on its registry.
#   plan     terraform plan on main: Reader, its own state read (no lock), and what a refresh of
#            the web app and its secrets needs (assigned by the environment). Not pull_request:
#            any branch can change the workflow a pull request runs, and this identity reads the
#            state and the Key Vault secrets.
#   staging  the deploy workflow's staging job: Website Contributor on the staging slot only
#            (assigned by the environment), nothing in production.
#   apply    terraform apply and destroy, and the swap after a reviewer approves.
#   model-release  uploads models (environment model-release): Storage Blob Data Contributor on
#            the models container only (assigned by the environment), nothing else.
locals {
  env  = yamldecode(file("${path.module}/../env.yaml"))
  repo = local.env.github.repository
  subjects = {
    push-release  = { identity = "push", subject = "repo:${local.repo}:environment:release" }
    plan-main     = { identity = "plan", subject = "repo:${local.repo}:ref:refs/heads/main" }
    staging       = { identity = "staging", subject = "repo:${local.repo}:environment:${local.env.github.staging_environment}" }
    apply         = { identity = "apply", subject = "repo:${local.repo}:environment:${local.env.github.environment}" }
    model-release = { identity = "model-release", subject = "repo:${local.repo}:environment:model-release" }
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
  for_each            = toset(["push", "plan", "staging", "apply", "model-release"])
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

# plan reads everything Terraform refreshes: Reader on the subscription.
moved {
  from = azurerm_role_assignment.subscription["plan-reader"]
  to   = azurerm_role_assignment.plan_reader
}

resource "azurerm_role_assignment" "plan_reader" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Reader"
  principal_id         = azurerm_user_assigned_identity.github["plan"].principal_id
}

# apply (and the swap): Contributor on the environment's resource group only (created here),
# Reader on the subscription, and Role Based Access Control Administrator on the group with a
# condition: it may assign and remove only the roles the environment assigns (azure-docs
# articles/role-based-access-control/delegate-role-assignments-examples.md, "Constrain roles").
# So it cannot make itself Owner, and rg-<name>-github, with the identities' federated
# credentials, is outside everything it may change.
resource "azurerm_resource_group" "environment" {
  name     = "rg-${local.env.name}"
  location = local.env.location
  tags     = local.env.tags
}

locals {
  # Every role modules/app-service assigns (access.tf, storage.tf); the plan reader role defined below is added
  # by id. A role missing here fails the apply with 403 on its assignment.
  assignable_roles = [
    "AcrPull", "AcrPush", "Key Vault Secrets Officer", "Key Vault Secrets User", "Storage Blob Data Contributor", "Storage Blob Data Reader",
    "Website Contributor",
  ]
  # GUIDs, as GuidEquals compares them: the data source returns the full id when looked up by name
  # (azurerm 4.55.0 role_definition_data_source.go), the resource the GUID; basename fits both.
  assignable_role_ids = join(", ", sort(concat(
    [for role in data.azurerm_role_definition.assignable : basename(role.role_definition_id)],
    [basename(azurerm_role_definition.web_app_plan_reader.role_definition_id)],
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
  scope                = azurerm_resource_group.environment.id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = azurerm_user_assigned_identity.github["apply"].principal_id
  condition_version    = "2.0"
  condition            = local.rbac_condition
}

# The state container: apply writes the state and takes the lease (the azurerm backend's lock, a
# write); plan only reads it and runs with -lock=false (make tf-plan READ_ONLY=1). Each reaches its
# own blob only, the key in ../backend.tf (the container also holds azure-dev's states and the
# github/ ones): a condition on the blob path (azure-docs articles/storage/blobs/
# storage-auth-abac-examples.md, "Read blobs in named containers with a path"). Listing is left
# out (names only): terraform init lists <key>env:* to find workspaces.
locals {
  state_key = "azure-appservice-dev.tfstate" # = ../backend.tf key
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
  scope                = "${data.azurerm_storage_account.state.id}/blobServices/default/containers/${local.env.terraform_state.container}"
  role_definition_name = each.value
  principal_id         = azurerm_user_assigned_identity.github[each.key].principal_id
  condition_version    = "2.0"
  condition            = each.key == "plan" ? local.state_conditions.read : local.state_conditions.write
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
