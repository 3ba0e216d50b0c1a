# shellcheck shell=bash
# The Terraform stage's hand-written mutants: each a mistake made on a copy of deploy/terraform
# that one of the stage's checks must catch. `mutant` (the schema and module-interface check,
# with the message it must print) and `review_mutant` (a defect a review found, put back) are
# defined in tests/terraform/run.sh, which sources this list after both checks ran clean.

# ---- the schema check (tests/terraform/check-terraform.mjs) --------------------------------
mutant "an unknown argument" terraform/modules/azure/keyvault.tf \
    'rbac_authorization_enabled = true' 'rbac_authorisation_enabled = true' 'unknown argument rbac_authorisation_enabled'
mutant "a missing required argument" terraform/modules/azure/keyvault.tf \
    '  sku_name                   = "standard"' '' 'missing required argument sku_name'
mutant "a block written as an argument" terraform/modules/azure/aks.tf \
    $'  identity {\n    type = "SystemAssigned"\n  }' '  identity = { type = "SystemAssigned" }' 'identity is a block'
mutant "an argument written as a block (helm 2's kubernetes {})" terraform/envs/aws-dev/main.tf \
    'kubernetes = {' 'kubernetes {' 'kubernetes is an argument, not a block'
# shellcheck disable=SC2016 # Terraform's ${path.module}, not the shell's
mutant "helm 2's set {} block on helm 3" terraform/modules/platform/releases.tf \
    '  values     = [file("${path.module}/values/cert-manager.yaml")]' $'  set {\n    name  = "installCRDs"\n    value = "true"\n  }' 'set is an argument, not a block'
mutant "an unknown field in a nested attribute" terraform/envs/azure-dev/main.tf \
    '    cluster_ca_certificate = base64decode(module.azure.kubernetes.cluster_ca_certificate)
    exec                   = local.kubelogin' '    cluster_ca_cert = base64decode(module.azure.kubernetes.cluster_ca_certificate)
    exec            = local.kubelogin' 'unknown field cluster_ca_cert'
mutant "an unknown input of a community module (eks 20's cluster_version)" terraform/modules/aws/eks.tf \
    'kubernetes_version = var.eks.kubernetes_version' 'cluster_version = var.eks.kubernetes_version' 'has no input cluster_version'
mutant "an output a community module does not have (iam 5's iam_role_arn)" terraform/modules/aws/eks.tf \
    'module.ebs_csi_irsa.arn' 'module.ebs_csi_irsa.iam_role_arn' 'has no output iam_role_arn'
mutant "a misspelt key in a typed module input (silently dropped by Terraform)" terraform/modules/aws/eks.tf \
    '      min_size       = var.eks.min_nodes' '      minimum_size   = var.eks.min_nodes' 'the type has no attribute minimum_size'
mutant "a module version whose inputs are not recorded" terraform/modules/aws/eks.tf \
    'version = "21.11.0"' 'version = "21.19.0"' 'no recorded inputs for terraform-aws-modules/eks/aws 21.19.0'
mutant "an unknown input of a local module" terraform/envs/azure-dev/main.tf \
    '  teams_webhook_url = var.teams_webhook_url' $'  teams_webhook_url = var.teams_webhook_url\n  install_appraise  = true' 'has no input install_appraise'
mutant "an attribute the resource does not export" terraform/modules/azure/keyvault.tf \
    'azurerm_key_vault_secret.api_key.resource_versionless_id' 'azurerm_key_vault_secret.api_key.versionless_resource_id' 'has no attribute versionless_resource_id'
mutant "a resource type the provider does not have" terraform/modules/platform/namespaces.tf \
    'resource "kubernetes_namespace_v1" "app"' 'resource "kubernetes_namespaces_v1" "app"' 'has no resource type kubernetes_namespaces_v1'
mutant "a provider pin other than the schema's version" terraform/envs/azure-dev/versions.tf \
    'version = "= 3.1.1"' 'version = "~> 2.17"' 'a root module pins exactly 3.1.1'
mutant "App Service: an argument of another resource (the slot's auto_swap_slot_name on the app)" terraform/modules/app-service/main.tf \
    '    always_on                                     = true
    health_check_path' '    always_on                                     = true
    auto_swap_slot_name                           = "staging"
    health_check_path' 'unknown argument auto_swap_slot_name'
mutant "App Service: azurerm 3.x's docker_image and docker_image_tag" terraform/modules/app-service/main.tf \
    '      docker_image_name   = local.image' '      docker_image        = "appraise"
      docker_image_tag    = var.app.initial_image_tag' 'unknown argument docker_image'
mutant "App Service: a password argument that would land in the state (not write-only)" terraform/modules/app-service/postgres.tf \
    'administrator_password_wo_version = 1' 'administrator_password_version = 1' 'unknown argument administrator_password_version'

mutant "a deprecated argument (azurerm 4.x's enable_rbac_authorization)" terraform/modules/azure/keyvault.tf \
    'rbac_authorization_enabled = true' 'enable_rbac_authorization = true' 'enable_rbac_authorization is deprecated'
# Literal values against the schema's types, as Terraform converts them (a string converts to a
# number or bool only when it reads as one), ignore_changes paths and the provider's argument
# constraints (tests/terraform/upstream/argument-constraints.json).
mutant "a string where the schema says bool (scan_on_push = \"yes\")" terraform/modules/aws/ecr.tf \
    'scan_on_push = true' 'scan_on_push = "yes"' 'scan_on_push = "yes" is not a bool'
mutant "a word where the schema says number (max_pods = \"fifty\")" terraform/modules/azure/aks.tf \
    'max_pods                    = 50' 'max_pods                    = "fifty"' 'max_pods = "fifty" is not a number'
mutant "a string where the schema says a list (zones = \"1\")" terraform/modules/azure/aks.tf \
    'zones                       = var.aks.zones' 'zones                       = "1"' 'zones = "1" is not a list(string)'
mutant "a list where the schema says bool (oidc_issuer_enabled = [\"yes\"])" terraform/modules/azure/aks.tf \
    'oidc_issuer_enabled       = true' 'oidc_issuer_enabled       = ["yes"]' 'oidc_issuer_enabled = ["yes"] is not a bool'
mutant "role_definition_id beside role_definition_name (ExactlyOneOf)" terraform/modules/azure/aks.tf \
    '  role_definition_name = "Network Contributor"' $'  role_definition_name = "Network Contributor"\n  role_definition_id   = "/providers/Microsoft.Authorization/roleDefinitions/4d97b98b-1d4f-4787-a291-c67834d212e7"' \
    'role_definition_id and role_definition_name together (ExactlyOneOf'
mutant "an ignore_changes path the schema does not have (node_counts)" terraform/modules/azure/aks.tf \
    'ignore_changes = [default_node_pool[0].node_count]' 'ignore_changes = [default_node_pool[0].node_counts]' 'ignore_changes default_node_pool[0].node_counts: no argument node_counts'

# ---- the review checks (tests/terraform/check-review-defects.mjs) ----------------------------
review_mutant ebs-csi deploy/terraform/modules/aws/eks.tf 'aws-ebs-csi-driver = {' 'aws-ebs-csi = {'
review_mutant ebs-csi deploy/terraform/modules/platform/releases.tf '"storageclass.kubernetes.io/is-default-class" = "true"' '"storageclass.kubernetes.io/is-default-class" = "false"'
review_mutant nsg-load-balancer deploy/terraform/modules/azure/network.tf $'source_address_prefix      = "Internet"\n    destination_address_prefix = "*"' $'source_address_prefix      = "Internet"\n    destination_address_prefix = "VirtualNetwork"'
review_mutant oidc-subjects deploy/terraform/envs/aws-dev/github/main.tf ':environment:release' ':ref:refs/tags/*'
review_mutant oidc-subjects .github/workflows/release.yml '    environment: release' '    environment: production'
review_mutant aws-iam deploy/terraform/envs/aws-dev/github/policies.tf 'not_actions = ["iam:Get*", "iam:List*"]' 'actions     = ["iam:*"]'
# shellcheck disable=SC2016 # Terraform's ${var.name}, not the shell's
review_mutant aws-iam deploy/terraform/modules/aws/irsa.tf '  policy_name           = "${var.name}-ebs-csi"' ''
review_mutant ecr-tags .github/workflows/release.yml '            type=semver,pattern={{version}}' $'            type=semver,pattern={{version}}\n            type=semver,pattern={{major}}.{{minor}}'
review_mutant network-policy-enforced deploy/terraform/modules/aws/eks.tf 'enableNetworkPolicy = "true"' 'enableNetworkPolicy = "false"'
review_mutant key-vault-propagation deploy/terraform/modules/azure/keyvault.tf '  depends_on       = [time_sleep.role_propagation]' ''
review_mutant kubernetes-support deploy/terraform/envs/aws-dev/env.yaml 'kubernetes_version: "1.35"' 'kubernetes_version: "1.31"'
review_mutant azure-role-definitions deploy/terraform/modules/azure/aks.tf 'resource "azurerm_role_assignment" "aks_plan_reader" {' $'resource "azurerm_role_definition" "x" {\n  name = "x"\n}\nresource "azurerm_role_assignment" "aks_plan_reader" {'
review_mutant plan-read-only deploy/terraform/envs/azure-dev/github/main.tf 'plan = "Storage Blob Data Reader"' 'plan = "Storage Blob Data Contributor"'

# Issue 27, points 12-18: each fix undone on a copy.
mutant "an unknown argument of the built-in terraform_data (inputs)" terraform/modules/azure/aks.tf \
    'input = local.replaces_cluster' 'inputs = local.replaces_cluster' 'unknown argument inputs'
review_mutant container-insights deploy/terraform/modules/azure/aks.tf \
    'target_resource_id      = azurerm_kubernetes_cluster.this.id' 'target_resource_id      = azurerm_log_analytics_workspace.this.id'
review_mutant apply-rbac-condition deploy/terraform/envs/azure-dev/github/main.tf \
    '  condition_version    = "2.0"
  condition            = local.rbac_condition' ''
review_mutant apply-rbac-condition deploy/terraform/envs/azure-appservice-dev/github/main.tf \
    'contributor = { scope = azurerm_resource_group.environment.id, role = "Contributor" }' 'contributor = { scope = data.azurerm_subscription.current.id, role = "Contributor" }'
# shellcheck disable=SC2016 # Terraform's ${local.repository}, not the shell's
review_mutant plan-no-pull-request deploy/terraform/envs/aws-dev/github/main.tf \
    'plan  = ["repo:${local.repository}:ref:refs/heads/main"]' 'plan  = ["repo:${local.repository}:pull_request", "repo:${local.repository}:ref:refs/heads/main"]'
review_mutant staging-slot-identity deploy/terraform/modules/app-service/main.tf \
    'key_vault_reference_identity_id                = azurerm_user_assigned_identity.staging.id' 'key_vault_reference_identity_id                = azurerm_user_assigned_identity.app.id'
review_mutant staging-slot-identity deploy/terraform/modules/app-service/main.tf \
    'sticky_settings = concat(["OTEL_RESOURCE_ATTRIBUTES", "Auth__ApiKeys__0"]' 'sticky_settings = concat(["OTEL_RESOURCE_ATTRIBUTES"]'
review_mutant appservice-first-push deploy/terraform/envs/azure-appservice-dev/README.md \
    '-target=module.app_service.azurerm_role_assignment.push' '-target=module.app_service.azurerm_container_registry.this'
review_mutant state-own-key deploy/terraform/envs/azure-appservice-dev/github/main.tf \
    'state_key = "azure-appservice-dev.tfstate"' 'state_key = "azure-dev.tfstate"'
review_mutant cluster-replacement deploy/terraform/modules/azure/aks.tf '  depends_on = [terraform_data.cluster_settings]' ''
review_mutant cluster-replacement deploy/terraform/modules/azure/aks.tf '    pod_cidr        = var.network.pod_cidr
' ''
# Issue 27, point 11: the apply job back on the Azure CLI's session.
review_mutant kubelogin-oidc .github/workflows/deploy.yml '      AAD_LOGIN_METHOD: workloadidentity
' ''
review_mutant kubelogin-oidc .github/workflows/terraform-plan.yml "printf 'ARM_CLIENT_ID=%s\\nAZURE_CLIENT_ID=%s\\n' \"\$identity\" \"\$identity\"" "echo \"ARM_CLIENT_ID=\$identity\""

# Issue 25 point 2: the models' storage, each property undone on a copy.
ms_az=deploy/terraform/modules/azure/storage.tf
ms_as=deploy/terraform/modules/app-service/storage.tf
review_mutant model-storage-azure "$ms_az" 'shared_access_key_enabled       = false' 'shared_access_key_enabled       = true'
review_mutant model-storage-azure "$ms_as" 'allow_nested_items_to_be_public = false' 'allow_nested_items_to_be_public = true'
review_mutant model-storage-azure "$ms_az" 'min_tls_version                 = "TLS1_2"' 'min_tls_version                 = "TLS1_0"'
review_mutant model-storage-azure "$ms_as" 'https_traffic_only_enabled      = true' 'https_traffic_only_enabled      = false'
review_mutant model-storage-azure "$ms_az" 'versioning_enabled = true' 'versioning_enabled = false'
review_mutant model-storage-azure "$ms_az" 'public_network_access_enabled   = !local.models_private' 'public_network_access_enabled   = true'
review_mutant model-storage-azure "$ms_az" 'subresource_names              = ["blob"]' 'subresource_names              = ["file"]'
review_mutant model-storage-azure "$ms_az" '  virtual_network_id    = azurerm_virtual_network.this.id' '  virtual_network_id    = "/subscriptions/x/virtualNetworks/other"'
review_mutant model-storage-azure "$ms_az" 'storage_account_id    = azurerm_storage_account.models.id' 'storage_account_name  = azurerm_storage_account.models.name'
review_mutant model-storage-azure "$ms_az" 'principal_id         = azurerm_user_assigned_identity.appraise.principal_id' 'principal_id         = azurerm_user_assigned_identity.external_dns[0].principal_id'
review_mutant model-storage-azure "$ms_as" ', staging = azurerm_user_assigned_identity.staging.principal_id' ''
review_mutant model-storage-azure "$ms_as" 'role_definition_name = "Storage Blob Data Reader"' 'role_definition_name = "Storage Blob Data Contributor"'
review_mutant model-storage-azure "$ms_az" 'github["model-release"].principal_id' 'github["apply"].principal_id'
review_mutant model-storage-azure deploy/terraform/envs/azure-appservice-dev/main.tf '      data_plane_available = false' '      data_plane_available = true'
# shellcheck disable=SC2016 # Terraform's ${local.repo}, not the shell's
review_mutant model-storage-azure deploy/terraform/envs/azure-appservice-dev/github/main.tf 'subject = "repo:${local.repo}:environment:model-release"' 'subject = "repo:${local.repo}:ref:refs/heads/main"'
review_mutant model-storage-azure deploy/terraform/envs/azure-dev/github/main.tf '    "Storage Blob Data Contributor", "Storage Blob Data Reader",
' ''
ms_aws=deploy/terraform/modules/aws/models.tf
ms_pol=deploy/terraform/envs/aws-dev/github/policies.tf
review_mutant model-storage-aws "$ms_aws" 'status = "Enabled"' 'status = "Suspended"'
review_mutant model-storage-aws "$ms_aws" 'sse_algorithm = "AES256"' 'sse_algorithm = ""'
for setting in 'block_public_acls       ' 'block_public_policy     ' 'ignore_public_acls      ' 'restrict_public_buckets '; do
    review_mutant model-storage-aws "$ms_aws" "$setting= true" "$setting= false"
done
review_mutant model-storage-aws "$ms_aws" 'object_ownership = "BucketOwnerEnforced"' 'object_ownership = "ObjectWriter"'
review_mutant model-storage-aws "$ms_aws" 'values   = ["false"]' 'values   = ["true"]'
review_mutant model-storage-aws "$ms_aws" 'actions   = ["s3:GetObject"]' 'actions   = ["s3:GetObject", "s3:PutObject"]'
review_mutant model-storage-aws "$ms_aws" '      variable = "s3:prefix"' '      variable = "s3:delimiter"'
review_mutant model-storage-aws "$ms_pol" 'actions   = ["s3:DeleteObject", "s3:DeleteObjectVersion"]' 'actions   = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject"]'
review_mutant model-storage-aws "$ms_pol" 'actions   = ["s3:PutObject", "s3:GetObject"]' 'actions   = ["s3:GetObject"]'
# shellcheck disable=SC2016 # Terraform's ${local.arn.models}, not the shell's
review_mutant model-storage-aws "$ms_pol" '    actions   = ["s3:GetObject"]
    resources = ["${local.arn.models}/${local.models_prefix}/*"]' '    actions   = ["s3:*"]
    resources = ["${local.arn.models}/${local.models_prefix}/*"]'
# shellcheck disable=SC2016 # Terraform's ${local.repository}, not the shell's
review_mutant model-storage-aws deploy/terraform/envs/aws-dev/github/main.tf 'model-release = ["repo:${local.repository}:environment:model-release"]' 'model-release = ["repo:${local.repository}:ref:refs/heads/main"]'
