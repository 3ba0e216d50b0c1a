#!/usr/bin/env bash
# Checks deploy/terraform without reaching a cloud or a provider registry (neither is reachable
# here; `terraform init/validate/plan` run in CI):
#   - formatting; every env.yaml against env.schema.json, and typos caught;
#   - every resource, data source, ephemeral resource, provider block and module call against the
#     schemas of the exact provider versions pinned (tests/terraform: the @cdktf/provider-* packages)
#     and the recorded inputs and outputs of the exact community module versions, with negative
#     controls that each kind of mistake is caught;
#   - what runs here runs: the appraise-values module (terraform apply, no provider) and the chart
#     rendered with its output; the root variables' validations (terraform plan of variables.tf);
#   - the platform-config chart's objects against the CRD schemas of the pinned versions;
#   - "first apply, on paper": every Secret and namespace a Terraform-installed chart's values name
#     is created by Terraform or a prerequisite in the env README.
# Ends with "terraform: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/terraform"
rm -rf "$results" && mkdir -p "$results"
check_log="$results/checks.log"
# shellcheck source=tests/lib/checks.sh
source "$root/tests/lib/checks.sh"
# No CLI configuration file and no version check call: Terraform runs offline here.
export TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
bin="$(tools/install.sh 2>>"$check_log")" || { echo "FAIL  setup: chart tools (tools/install.sh)"; echo "terraform: 0 passed, 1 failed"; exit 1; }
helm="$bin/helm"
if ! command -v terraform >/dev/null; then
    echo "FAIL  setup: terraform is not installed"; echo "terraform: 0 passed, 1 failed"; exit 1
fi
setup "checker libraries, Terraform schema packages and index (tools/install-checkers.sh shared terraform)" tools/install-checkers.sh shared terraform || { checks_summary terraform; exit 1; }
tf_check="tests/terraform/check-terraform.mjs"

check "terraform fmt -check -recursive deploy/terraform" terraform fmt -check -recursive deploy/terraform

# ---- env.yaml files -------------------------------------------------------------------------
for env in deploy/terraform/envs/*/env.yaml; do
    # App Service environments (target: app-service) have their own schema.
    if grep -q '^target: app-service$' "$env"; then
        check "$env is valid against appservice-env.schema.json" node tests/terraform/validate-appservice-env.mjs "$env"
    else
        check "$env is valid against env.schema.json" node tests/terraform/validate-env.mjs "$env"
    fi
done
# A typo in an env file must fail here, not in plan.
typo() { # typo NAME SED_EXPRESSION ENV_FILE
    local name="$1" expression="$2" file="$3"
    sed "$expression" "$file" >"$results/typo.yaml"
    if cmp -s "$file" "$results/typo.yaml"; then check "a typo is caught: $name (the edit applies)" false; return; fi
    check "a typo is caught: $name" bash -c "! node tests/terraform/validate-env.mjs '$results/typo.yaml'"
}
typo "misspelt key (min_node)" 's/min_nodes:/min_node:/' deploy/terraform/envs/aws-dev/env.yaml
typo "unknown SKU" 's/sku: Standard/sku: Standrad/' deploy/terraform/envs/azure-dev/env.yaml
typo "number as text" 's/max_nodes: 5/max_nodes: five/' deploy/terraform/envs/azure-dev/env.yaml
typo "bad CIDR" 's|cidr: 10.40.0.0/16|cidr: 10.40.0.0|' deploy/terraform/envs/aws-dev/env.yaml
typo "missing values file" 's|appraise-values.yaml|appraise-value.yaml|' deploy/terraform/envs/aws-dev/env.yaml
typo "DNS address outside the service range" 's/dns_service_ip: 10.43.0.10/dns_service_ip: 10.44.0.10/' deploy/terraform/envs/azure-dev/env.yaml
typo "a 22-character name (kv-<name> would exceed 24)" 's/^name: appraise-dev$/name: appraise-dev-westeu1xy/' deploy/terraform/envs/azure-dev/env.yaml
typo "a setting that no longer exists (ingress_nginx)" 's/^  monitoring:$/  ingress_nginx: {enabled: true}\n  monitoring:/' deploy/terraform/envs/aws-dev/env.yaml

# ---- Azure App Service (issue 17): env.yaml typos and the module's own validations ----------
as_env=deploy/terraform/envs/azure-appservice-dev/env.yaml
as_typo() { # as_typo NAME SED_EXPRESSION: the edit must apply and be refused
    sed "$2" "$as_env" >"$results/as-typo.yaml"
    if cmp -s "$as_env" "$results/as-typo.yaml"; then check "App Service: a typo is caught: $1 (the edit applies)" false; return; fi
    check "App Service: a typo is caught: $1" bash -c "! node tests/terraform/validate-appservice-env.mjs '$results/as-typo.yaml'"
}
as_typo "SQLite reports with 3 instances (one writer on the SMB-backed /home)" 's/max_instances: 1/max_instances: 3/'
as_typo "a Basic plan (no slots, no autoscale)" 's/sku: P0v3/sku: B1/'
as_typo "misspelt key (min_instance)" 's/min_instances:/min_instance:/'
as_typo "a database subnet outside the VNet" 's|postgres_subnet: 10.50.1.0/24|postgres_subnet: 10.60.1.0/24|'
as_typo "PostgreSQL 14 (end of life)" 's/version: "16"/version: "14"/'
check "App Service: PostgreSQL reports with 3 instances are accepted" bash -c "
    sed 's/reports: sqlite/reports: postgres/; s/max_instances: 1/max_instances: 3/' '$as_env' >'$results/as-postgres.yaml' &&
    node tests/terraform/validate-appservice-env.mjs '$results/as-postgres.yaml'"
# The module's variable "app" alone, planned by Terraform with each env.yaml's app object.
as_plan() { # as_plan ENV_FILE: exits as terraform plan of modules/app-service's variable "app" does
    local dir="$results/as-app-var"
    mkdir -p "$dir" && awk '/^variable "app" \{/,/^\}/' deploy/terraform/modules/app-service/variables.tf >"$dir/main.tf" || return 1
    terraform -chdir="$dir" init -backend=false -input=false >/dev/null &&
        terraform -chdir="$dir" plan -input=false -var "app=$(node --input-type=module -e "
            import {readFileSync} from 'node:fs'; import {parse} from './tests/node_modules/yaml/dist/index.js';
            const a = parse(readFileSync('$1','utf8')).app;
            console.log('{' + Object.entries(a).map(([k, v]) => k + '=' + JSON.stringify(v)).join(',') + '}')")"
}
check "modules/app-service accepts the env's app settings (terraform plan of its validations)" as_plan "$root/$as_env"
check "modules/app-service refuses SQLite reports on 3 instances and a Basic plan in Terraform too" bash -c "$(declare -f as_plan); results='$results';
    sed 's/max_instances: 1/max_instances: 3/' '$as_env' >'$results/as-3.yaml' && ! as_plan '$results/as-3.yaml' &&
    sed 's/sku: P0v3/sku: B1/' '$as_env' >'$results/as-b1.yaml' && ! as_plan '$results/as-b1.yaml'"

# ---- provider schemas and module interfaces -------------------------------------------------
schema_out="$(node "$tf_check" deploy/terraform 2>&1)"; schema_rc=$?
echo "$schema_out" >>"$check_log"
counts="$(grep -m1 'blocks checked' <<<"$schema_out" | sed 's/; .*//')"
check "provider schemas and module inputs: ${counts:-no counts}" test "$schema_rc" -eq 0

# replace_once FILE OLD NEW: the first OLD in FILE becomes NEW; fails when FILE has no OLD.
replace_once() {
    OLD="$2" NEW="$3" python3 -c '
import os, sys
path = sys.argv[1]; text = open(path).read()
if os.environ["OLD"] not in text: sys.exit(1)
open(path, "w").write(text.replace(os.environ["OLD"], os.environ["NEW"], 1))' "$1"
}
# Each kind of mistake the check exists for, made on a copy; the edit must apply and be caught.
mutant() { # mutant NAME FILE OLD NEW EXPECTED_MESSAGE
    local name="$1" file="$2" old="$3" new="$4" expected="$5" copy="$results/mutant"
    rm -rf "$copy" && mkdir -p "$copy" && cp -r deploy/terraform "$copy/"
    if ! replace_once "$copy/$file" "$old" "$new"; then
        check "the schema check catches: $name (the edit applies)" false; return
    fi
    # The mutated file's directory is enough: module sources and records resolve from there.
    check "the schema check catches: $name" bash -c "
        ! node '$tf_check' '$copy/$(dirname "$file")' >'$results/mutant.out' 2>&1 && grep -qF -- '$expected' '$results/mutant.out'"
}
# The list of hand-written mutants for this check and the review checks: tests/terraform/mutants.sh.

# ---- the reviews' defects: each a check that fails on the configuration before its fix -------
review="tests/terraform/check-review-defects.mjs"
declare -A reviewed=(
    [ebs-csi]="EKS: the EBS CSI add-on with its IRSA role and a default gp3 StorageClass (the SQLite PVC binds)"
    [nsg-load-balancer]="AKS: the NSG admits 80/443 from Internet to any destination (floating IP keeps the public address)"
    [oidc-subjects]="OIDC: each identity trusts the subjects of the jobs that use it (environments in the workflows, env.yaml)"
    [aws-iam]="AWS apply role: reads of its own roles allowed, roles only with the permissions boundary, every module role and policy named <name>-... with it"
    [ecr-tags]="ECR IMMUTABLE and the release pushes X.Y.Z only"
    [network-policy-enforced]="NetworkPolicy enforced: vpc-cni enableNetworkPolicy, AKS Cilium"
    [key-vault-propagation]="Key Vault secrets written after a 10-minute wait that follows the role assignments"
    [kubernetes-support]="Kubernetes minors in standard support today (AKS and EKS release calendars)"
    [azure-role-definitions]="Azure role definitions only in github/ (the apply identity cannot define roles)"
    [plan-read-only]="plan identities read the state and take no lock (Blob Data Reader, READ_ONLY=1)"
    [container-insights]="AKS Container Insights (managed identity): a data collection rule with the ContainerInsights extension, associated with the cluster"
    [apply-rbac-condition]="Azure apply identity: Contributor on its resource group only, RBAC Administrator conditioned on the roles the module assigns"
    [plan-no-pull-request]="no plan identity trusts pull_request (it reads the state, Secrets and the API key)"
    [staging-slot-identity]="App Service staging slot: identities of its own that read no production secret; secret settings sticky"
    [appservice-first-push]="App Service README: the first -target apply creates the push identity's AcrPush"
    [state-own-key]="Azure identities read and write their own state blob only (condition on the ../backend.tf key)"
    [cluster-replacement]="AKS: settings that replace the cluster are recorded, and a plan changing them is refused"
    [kubelogin-oidc]="kubelogin in the apply, destroy and plan jobs: a fresh GitHub OIDC token per call (AAD_LOGIN_METHOD=workloadidentity), not the CLI's expiring assertion"
    [model-storage-azure]="Azure models storage: no anonymous access, no shared key, TLS 1.2, HTTPS, versioning, private endpoint with a private cluster; Blob Data Reader for the app's identities, write for model-release only"
    [model-storage-aws]="AWS models bucket: versioning, encryption, public access block, TLS-only policy; IRSA lists and gets, only model-release puts"
)
for name in ebs-csi nsg-load-balancer oidc-subjects aws-iam ecr-tags network-policy-enforced key-vault-propagation kubernetes-support azure-role-definitions plan-read-only \
    container-insights apply-rbac-condition plan-no-pull-request staging-slot-identity appservice-first-push state-own-key cluster-replacement kubelogin-oidc \
    model-storage-azure model-storage-aws; do
    check "${reviewed[$name]}" node "$review" . "$name"
done
# Each check, on a copy with the defect put back, must fail.
review_mutant() { # review_mutant CHECK FILE OLD NEW: the edit must apply and the check must fail
    local copy="$results/review-mutant"
    rm -rf "$copy" && mkdir -p "$copy/deploy" "$copy/.github" && cp -r deploy/terraform "$copy/deploy/" && cp -r .github/workflows "$copy/.github/" && cp Makefile "$copy/"
    if ! replace_once "$copy/$2" "$3" "$4"; then
        check "review check $1 catches the old defect in $2 (the edit applies)" false; return
    fi
    check "review check $1 catches the old defect in $2" bash -c "! node '$review' '$copy' '$1' >'$results/review-mutant.out' 2>&1"
}
# shellcheck source=tests/terraform/mutants.sh
source tests/terraform/mutants.sh

# ---- AKS replacement: the record in modules/azure/aks.tf, run by Terraform -----------------------
# terraform_data is built in (no provider): its locals and resource, with stand-in variables, planned
# with azure-dev's settings, then with settings that would replace the cluster.
cluster_record() { # cluster_record DIR: modules/azure/aks.tf's record of the cluster's settings, alone
    mkdir -p "$1" && {
        awk '/^locals \{/ { block = $0; open = 1; next } open { block = block "\n" $0; if (/^\}/) { if (block ~ /replaces_cluster/) print block; open = 0 } }
             /^resource "terraform_data" "cluster_settings" \{/,/^\}/' deploy/terraform/modules/azure/aks.tf
        printf '%s\n' 'variable "name" { type = string }' 'variable "aks" { type = object({ private_cluster = bool }) }' \
            'variable "network" { type = object({ pod_cidr = string, service_cidr = string, dns_service_ip = string }) }'
    } >"$1/main.tf" && node --input-type=module -e "
        import {readFileSync} from 'node:fs'; import {parse} from './tests/node_modules/yaml/dist/index.js';
        const e = parse(readFileSync('deploy/terraform/envs/azure-dev/env.yaml', 'utf8'));
        console.log(JSON.stringify({ name: e.name, aks: { private_cluster: e.aks.private_cluster },
          network: { pod_cidr: e.network.pod_cidr, service_cidr: e.network.service_cidr, dns_service_ip: e.network.dns_service_ip } }))" >"$1/env.tfvars.json" &&
        grep -q 'resource "terraform_data" "cluster_settings"' "$1/main.tf" && grep -q 'replaces_cluster = {' "$1/main.tf"
}
replacement_refused() { # replacement_refused DIR: the record applies, and only a deliberate replacement passes a changed plan
    local dir="$1" tf=(terraform -chdir="$1")
    if ! { cluster_record "$dir" && "${tf[@]}" init -backend=false -input=false >/dev/null &&
        "${tf[@]}" apply -auto-approve -input=false -var-file=env.tfvars.json >/dev/null &&
        "${tf[@]}" plan -input=false -detailed-exitcode -var-file=env.tfvars.json >/dev/null; }; then
        echo "the record does not apply, or the unchanged settings do not plan clean"; return 1
    fi
    local out # Terraform wraps the message: compared with its whitespace squeezed
    if out="$("${tf[@]}" plan -input=false -no-color -var-file=env.tfvars.json -var 'aks={private_cluster=true}' 2>&1)"; then echo "a private cluster planned"; return 1; fi
    out="$(tr -s '\n ' '  ' <<<"$out")"
    if ! grep -q 'These settings replace the AKS cluster.*private_cluster false -> true' <<<"$out"; then echo "$out"; return 1; fi
    if out="$("${tf[@]}" plan -input=false -no-color -var-file=env.tfvars.json -var 'network={pod_cidr="10.245.0.0/16",service_cidr="10.43.0.0/16",dns_service_ip="10.43.0.10"}' 2>&1)"; then echo "a new pod range planned"; return 1; fi
    out="$(tr -s '\n ' '  ' <<<"$out")"
    if ! grep -qE 'pod_cidr "[0-9./]+" -> "10.245.0.0/16"' <<<"$out"; then echo "$out"; return 1; fi
    "${tf[@]}" plan -input=false -var-file=env.tfvars.json -var 'aks={private_cluster=true}' -replace=terraform_data.cluster_settings >/dev/null || { echo "-replace of the record is refused"; return 1; }
    "${tf[@]}" plan -destroy -input=false -var-file=env.tfvars.json -var 'aks={private_cluster=true}' >/dev/null || { echo "destroy is refused"; return 1; }
}
check "AKS: a plan that would replace the cluster (private_cluster, pod_cidr) stops naming the setting; unchanged, -replace of the record and destroy plan" \
    replacement_refused "$results/cluster-record"

# ---- what runs here: the values document the deploy pipeline uses ----------------------------
# The appraise-values module needs no provider, so Terraform itself runs it, with this env's
# settings and stand-ins for the cloud's outputs; the chart is then rendered as the pipeline does.
values_doc() { # values_doc ENV SECRETS_HCL IMAGE TRUSTED DATABASE MODELS_HCL
    local env="$1" dir="$results/values-$1"
    mkdir -p "$dir"
    cat >"$dir/main.tf" <<EOF
locals { env = yamldecode(file("$root/deploy/terraform/envs/$env/env.yaml")) }
module "appraise_values" {
  source                 = "$root/deploy/terraform/modules/appraise-values"
  image_repository       = "$3"
  service_account        = local.env.appraise.service_account
  host                   = local.env.appraise.host
  gateway                = { name = "public", namespace = "envoy-gateway-system", sectionName = "https" }
  trusted_proxy_networks = $4
  database_cidrs         = $5
  monitoring_labels      = { release = "kube-prometheus-stack" }
  secrets                = $2
  models                 = $6
}
output "values" { value = module.appraise_values.values }
EOF
    terraform -chdir="$dir" init -backend=false -input=false >/dev/null &&
        terraform -chdir="$dir" apply -auto-approve -input=false >/dev/null &&
        terraform -chdir="$dir" output -raw values >"$results/$env-appraise-values.yaml"
}
check "azure-dev: the appraise-values module runs in Terraform" values_doc azure-dev \
    '{ source = "azureKeyVault", postgres = local.env.appraise.postgres, key_vault = { name = "kv-appraise-dev", tenant_id = "00000000-0000-0000-0000-000000000001", client_id = "00000000-0000-0000-0000-000000000002" } }' \
    acrappraisedev.azurecr.io/appraise '[local.env.network.pod_cidr]' '[local.env.network.private_endpoints_subnet]' \
    '{ repository = "https://stappraisedevmodels.blob.core.windows.net/models/appraise", default = "housing" }'
check "aws-dev: the appraise-values module runs in Terraform" values_doc aws-dev \
    '{ source = "awsSecretsManager", postgres = local.env.appraise.postgres, api_key_secret = "appraise-dev/api-key", database_secret = "appraise-dev/database" }' \
    123456789012.dkr.ecr.eu-west-1.amazonaws.com/appraise-dev/appraise 'local.env.vpc.private_subnets' '[local.env.vpc.cidr]' \
    '{ repository = "s3://appraise-dev-models-123456789012/appraise", default = "housing", aws_role_arn = "arn:aws:iam::123456789012:role/appraise-dev-appraise" }'

render_env() { # render_env ENV TAG_FLAG: the env's values files, then appraise_values, then the tag
    local env="$1" tag_flag="$2" args=()
    while read -r file; do args+=(-f "$file"); done < <(node --input-type=module -e "
        import {readFileSync} from 'node:fs'; import {parse} from './tests/node_modules/yaml/dist/index.js';
        for (const f of parse(readFileSync('deploy/terraform/envs/$env/env.yaml','utf8')).appraise.values_files) console.log(f)")
    "$helm" template appraise deploy/helm/appraise --namespace appraise "${args[@]}" \
        -f "$results/$env-appraise-values.yaml" "$tag_flag" image.tag=20261123 >"$results/$env.yaml"
}
for env in azure-dev aws-dev; do
    check "$env: appraise_values holds no image tag (the pipeline passes it)" node --input-type=module -e "
        import {readFileSync} from 'node:fs'; import {parse} from './tests/node_modules/yaml/dist/index.js';
        const v = parse(readFileSync('$results/$env-appraise-values.yaml','utf8'));
        if (!v?.image?.repository || 'tag' in v.image) process.exit(1)"
    check "$env: the chart renders valid, restricted objects from its values files, appraise_values and --set-string image.tag" \
        bash -c "$(declare -f render_env); helm='$helm' results='$results' render_env $env --set-string &&
            node tests/chart/validate-manifests.mjs '$results/$env.yaml' && node tests/chart/check-restricted.mjs '$results/$env.yaml' &&
            grep -q 'image: \"*[^ ]*:20261123' '$results/$env.yaml'"
done
# Issue 25: the models come from the environment's storage, read by appraise's own identity: the
# rendered pods get Model__Repository and Model__Default, on AKS the workload identity label (the
# webhook then gives DefaultAzureCredential its token), on EKS the ServiceAccount's IRSA role.
models_wired() { # models_wired RENDERED_NAME ENV REPOSITORY_PREFIX
    node --input-type=module -e "
        import {readFileSync} from 'node:fs'; import {parseAllDocuments} from './tests/node_modules/yaml/dist/index.js';
        const docs = parseAllDocuments(readFileSync('$results/$1.yaml', 'utf8')).map((d) => d.toJS()).filter(Boolean);
        const deployment = docs.find((o) => o.kind === 'Deployment');
        const account = docs.find((o) => o.kind === 'ServiceAccount');
        const env = Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e) => [e.name, e.value]));
        const labels = deployment.spec.template.metadata.labels ?? {};
        const problems = [];
        if (!(env.Model__Repository ?? '').startsWith('$3')) problems.push('Model__Repository is ' + env.Model__Repository);
        if (env.Model__Default !== 'housing') problems.push('Model__Default is ' + env.Model__Default);
        if ('$2' === 'azure-dev' && labels['azure.workload.identity/use'] !== 'true') problems.push('no azure.workload.identity/use label on the pods');
        if ('$2' === 'aws-dev' && !(account?.metadata?.annotations?.['eks.amazonaws.com/role-arn'] ?? '').endsWith(':role/appraise-dev-appraise')) problems.push('no IRSA role on the ServiceAccount');
        console.log(problems.join('; ') || '$2: models from ' + env.Model__Repository);
        process.exit(problems.length ? 1 : 0)"
}
check "azure-dev: the pods read the models from the storage account with appraise's workload identity" models_wired azure-dev azure-dev https://
check "aws-dev: the pods read the models from the bucket with appraise's IRSA role" models_wired aws-dev aws-dev s3://
sed 's/azure.workload.identity\/use: "true"/azure.workload.identity\/use: "false"/' "$results/azure-dev.yaml" >"$results/azure-dev-no-identity.yaml"
check "pods without the workload identity label (no token for DefaultAzureCredential) are caught" bash -c "
    $(declare -f models_wired); results='$results'; ! models_wired azure-dev-no-identity azure-dev https://"
check "a numeric image tag passed with --set (not --set-string) is refused by the chart" \
    bash -c "$(declare -f render_env); helm='$helm'; results='$results'; ! render_env aws-dev --set"

# ---- root inputs: Terraform runs the shipped variable blocks ---------------------------------
# variables.tf alone needs no provider: a plan of it evaluates the validations as a real plan would.
plan_variables() { # plan_variables ENV ARGS...: exits as terraform plan does
    local env="$1" dir="$results/vars-$1"; shift
    mkdir -p "$dir" && cp "deploy/terraform/envs/$env/variables.tf" "$dir/"
    terraform -chdir="$dir" init -backend=false -input=false >/dev/null && terraform -chdir="$dir" plan -input=false "$@"
}
azure_admin='admin_object_ids=["6f1c2a4e-1b2c-4d5e-8f90-123456789abc"]'
aws_admin='admin_role_arns=["arn:aws:iam::123456789012:role/platform-admin"]'
check "azure-dev accepts a real API server range" plan_variables azure-dev -var 'api_server_authorized_ranges=["198.18.7.10/32"]' -var "$azure_admin"
check "azure-dev refuses a documentation range (203.0.113.0/24) for the API server" \
    bash -c "$(declare -f plan_variables); results='$results'; ! plan_variables azure-dev -var 'api_server_authorized_ranges=[\"203.0.113.0/24\"]' -var '$azure_admin'"
check "aws-dev accepts a real API endpoint range" plan_variables aws-dev -var 'api_server_allowed_cidrs=["198.18.7.10/32"]' -var "$aws_admin"
check "aws-dev refuses an SSO role's ARN without its path (EKS would refuse the access entry)" \
    bash -c "$(declare -f plan_variables); results='$results';
        ! plan_variables aws-dev -var 'api_server_allowed_cidrs=[\"198.18.7.10/32\"]' -var 'admin_role_arns=[\"arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123456789abcdef\"]' &&
        plan_variables aws-dev -var 'api_server_allowed_cidrs=[\"198.18.7.10/32\"]' -var 'admin_role_arns=[\"arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef\"]'"
check "aws-dev refuses a documentation range (198.51.100.7/32) and an empty list for the API endpoint" \
    bash -c "$(declare -f plan_variables); results='$results';
        ! plan_variables aws-dev -var 'api_server_allowed_cidrs=[\"198.51.100.7/32\"]' -var '$aws_admin' &&
        ! plan_variables aws-dev -var 'api_server_allowed_cidrs=[]' -var '$aws_admin'"

# The name rule: the same in the schema and both modules, and kv-<name> fits Key Vault's 24.
name_rule() { # name_rule MODULE NAME: plans the module's variable "name" block alone
    local dir="$results/name-$1"
    mkdir -p "$dir" && awk '/^variable "name" \{/,/^\}/' "deploy/terraform/modules/$1/variables.tf" >"$dir/main.tf"
    terraform -chdir="$dir" init -backend=false -input=false >/dev/null && terraform -chdir="$dir" plan -input=false -var "name=$2"
}
longest="appraise-dev-westeu1x" # 21 characters
for module in azure aws app-service; do
    check "modules/$module accepts a 21-character name and refuses 22" \
        bash -c "$(declare -f name_rule); results='$results'; name_rule $module $longest && ! name_rule $module ${longest}y"
done
check "the longest name makes a Key Vault name of at most 24 characters (kv-<name>)" test "${#longest}" -eq 21 -a $((3 + ${#longest})) -le 24

# ---- backends, leftovers, descriptions, secrets ----------------------------------------------
backend_matches() { # backend_matches ENV_DIR: backend.tf and github/backend.tf name env.yaml's state
    node --input-type=module -e "
        import {readFileSync} from 'node:fs'; import {parse} from './tests/node_modules/yaml/dist/index.js';
        const env = parse(readFileSync('$1/env.yaml','utf8')).terraform_state;
        for (const f of ['$1/backend.tf', '$1/github/backend.tf']) {
          const text = readFileSync(f, 'utf8');
          for (const value of Object.values(env)) if (!new RegExp('= *\"' + value + '\"').test(text)) { console.log(f + ' does not name ' + value); process.exit(1); }
        }"
}
for env in deploy/terraform/envs/*/; do
    check "${env%/}: both backends use the state named in env.yaml" backend_matches "${env%/}"
done
sed 's/appraise-tfstate-dev/appraise-tfstate-other/' deploy/terraform/envs/aws-dev/env.yaml >"$results/backend-env.yaml"
mkdir -p "$results/backend/github" && cp deploy/terraform/envs/aws-dev/backend.tf "$results/backend/" &&
    cp deploy/terraform/envs/aws-dev/github/backend.tf "$results/backend/github/" && cp "$results/backend-env.yaml" "$results/backend/env.yaml"
check "a backend that differs from env.yaml is caught" bash -c "$(declare -f backend_matches); ! backend_matches '$results/backend'"

check "ingress-nginx is gone from the Terraform configuration" bash -c "! grep -rniE 'ingress[-_]nginx' --include='*.tf' --include='*.yaml' --include='*.tftpl' --include='*.json' deploy/terraform"
# shellcheck disable=SC2016 # expanded by the inner bash and awk
check "every variable and output is described" bash -c '
    for f in $(find deploy/terraform -name "*.tf"); do
        awk -v file="$f" "/^(variable|output) \"/ { block=\$0; described=0; open=1; next }
             open && /description *=/ { described=1 }
             open && /^}/ { if (!described) { print file \": \" block; bad=1 } open=0 }
             END { exit bad }" "$f" || exit 1
    done'
unused_variables() { # unused_variables DIR...: every variable "x" is read as var.x in its directory
    local dir name bad=0
    for dir in "$@"; do
        while read -r name; do
            grep -qE "var\.$name\b" "$dir"/*.tf || { echo "$dir: variable $name is never used"; bad=1; }
        done < <(sed -n 's/^variable "\([a-z0-9_]*\)" {/\1/p' "$dir"/*.tf)
    done
    return $bad
}
mapfile -t tf_dirs < <(find deploy/terraform -name '*.tf' -not -path '*/.terraform/*' -exec dirname {} \; | sort -u)
check "every variable is used" unused_variables "${tf_dirs[@]}"
mkdir -p "$results/unused" && cp deploy/terraform/modules/platform/*.tf "$results/unused/" &&
    printf 'variable "ingress_subnet" {\n  description = "unused"\n  type        = string\n}\n' >>"$results/unused/variables.tf"
check "an unused variable is caught" bash -c "$(declare -f unused_variables); ! unused_variables '$results/unused'"
check "no secret in any Terraform file" bash -c "! grep -rniE '(password|secret_key|client_secret|api_key|webhook_url) *= *\"[^\"]+\"' deploy/terraform"

# ---- the platform-config chart against the CRD schemas of the pinned versions ----------------
chart="deploy/terraform/modules/platform/charts/platform-config"
chart_args=(--namespace envoy-gateway-system --set gateway.host=appraise.dev.example.com --set clusterIssuer.email=ops@example.com
    --set clusterIssuer.server=https://acme-staging-v02.api.letsencrypt.org/directory)
check "platform-config lints (strict)" "$helm" lint --strict "$chart" "${chart_args[@]}" --set secretStore.enabled=true --set secretStore.region=eu-west-1 --set 'secretStore.namespaces={appraise}'
check "platform-config (AWS) renders GatewayClass, Gateway, EnvoyProxy, ClusterIssuer, ClusterSecretStore valid against their CRDs" bash -c "
    '$helm' template platform-config '$chart' ${chart_args[*]} --set secretStore.enabled=true --set secretStore.region=eu-west-1 --set 'secretStore.namespaces={appraise}' \
        --set-string 'gateway.serviceAnnotations.service\.beta\.kubernetes\.io/aws-load-balancer-type=nlb' >'$results/platform-aws.yaml' &&
    node tests/terraform/validate-platform-config.mjs '$results/platform-aws.yaml' && [[ \$(grep -c '^kind:' '$results/platform-aws.yaml') -eq 5 ]]"
check "the AWS Gateway's proxy Service is an NLB that keeps client addresses (Local), referenced from the Gateway" bash -c "
    grep -q 'service.beta.kubernetes.io/aws-load-balancer-type: nlb' '$results/platform-aws.yaml' &&
    grep -q 'externalTrafficPolicy: Local' '$results/platform-aws.yaml' && grep -A3 'parametersRef:' '$results/platform-aws.yaml' | grep -q 'kind: EnvoyProxy' &&
    grep -q '\"service.beta.kubernetes.io/aws-load-balancer-type\" = \"nlb\"' deploy/terraform/modules/platform/releases.tf"
# Issue 27 point 20: EKS has no Metrics Server, so the HPA (resource metrics) never scales there
# unless the platform installs it: a helm_release of the metrics-server chart for aws, with the
# APIService v1beta1.metrics.k8s.io the HPA reads, and the chart's HPA asks that API (cpu).
metrics_api_declared() { # metrics_api_declared RELEASES_TF CHARTS_TF
    node --input-type=module -e "
        import {readFileSync} from 'node:fs';
        const releases = readFileSync('$1', 'utf8'), charts = readFileSync('$2', 'utf8');
        const block = releases.match(/resource \"helm_release\" \"metrics_server\" \{[\s\S]*?\n\}/)?.[0] ?? '';
        const pin = charts.match(/metrics_server *= *\{ *repository *= *\"https:\/\/kubernetes-sigs\.github\.io\/metrics-server\/\", *chart *= *\"metrics-server\", *version *= *\"3\.13\.1\" *\}/);
        const problems = [];
        if (!block) problems.push('no helm_release.metrics_server');
        if (!/count += var\.cloud == \"aws\" \? 1 : 0/.test(block)) problems.push('metrics-server is not installed on aws');
        if (!/apiService += \{ create = true \}/.test(block)) problems.push('the APIService v1beta1.metrics.k8s.io is not created');
        if (!pin) problems.push('the metrics-server chart is not pinned to 3.13.1 from kubernetes-sigs');
        console.log(problems.join('; ') || 'metrics-server 3.13.1 on EKS, APIService created');
        process.exit(problems.length ? 1 : 0)"
}
check "EKS: the platform installs Metrics Server (chart 3.13.1) with the metrics.k8s.io APIService the HPA reads" \
    metrics_api_declared deploy/terraform/modules/platform/releases.tf deploy/terraform/modules/platform/charts.tf
check "the chart's HPA scales on a resource metric (cpu), which needs metrics.k8s.io" bash -c \
    "'$helm' template t deploy/helm/appraise -f deploy/helm/values/aws-production.yaml --set autoscaling.enabled=true --set-string image.tag=1.0.0 2>/dev/null | grep -A30 '^kind: HorizontalPodAutoscaler' | grep -q 'type: Resource'"
awk '/resource "helm_release" "metrics_server"/ { skip = 1 } skip && /^}/ { skip = 0; next } !skip' \
    deploy/terraform/modules/platform/releases.tf >"$results/releases-no-metrics.tf"
check "a platform without Metrics Server is caught" bash -c "$(declare -f metrics_api_declared); ! metrics_api_declared '$results/releases-no-metrics.tf' deploy/terraform/modules/platform/charts.tf"
sed 's/apiService          = { create = true }/apiService          = { create = false }/' deploy/terraform/modules/platform/releases.tf >"$results/releases-no-apiservice.tf"
check "Metrics Server without its APIService is caught" bash -c "$(declare -f metrics_api_declared); ! metrics_api_declared '$results/releases-no-apiservice.tf' deploy/terraform/modules/platform/charts.tf"

# Issue 27 point 25: the store serves the app's namespace only (spec.conditions[].namespaces,
# External Secrets 2.9.0), Terraform passes that namespace, and a store for every namespace fails.
store_for_app_only() {
    node --input-type=module -e "
        import {readFileSync} from 'node:fs'; import {parseAllDocuments} from './tests/node_modules/yaml/dist/index.js';
        const store = parseAllDocuments(readFileSync('$1', 'utf8')).map((d) => d.toJS()).find((o) => o?.kind === 'ClusterSecretStore');
        const namespaces = (store?.spec?.conditions ?? []).flatMap((c) => c.namespaces ?? []);
        const open = (store?.spec?.conditions ?? []).length === 0 || store.spec.conditions.some((c) => !c.namespaces?.length);
        console.log('ClusterSecretStore conditions: ' + JSON.stringify(store?.spec?.conditions));
        process.exit(store && !open && JSON.stringify(namespaces) === JSON.stringify(['appraise']) ? 0 : 1)"
}
check "the ClusterSecretStore admits ExternalSecrets from the app's namespace only (spec.conditions namespaces)" store_for_app_only "$results/platform-aws.yaml"
check "Terraform gives the platform-config chart the app's namespace for the store" \
    grep -qE '^ +namespaces += \[var\.app_namespace\]' deploy/terraform/modules/platform/releases.tf
check "a ClusterSecretStore without namespaces is refused at render" bash -c "
    ! '$helm' template platform-config '$chart' ${chart_args[*]} --set secretStore.enabled=true --set secretStore.region=eu-west-1 >/dev/null 2>&1"
sed '/^  conditions:$/,/^  provider:$/{/^  provider:$/!d}' "$results/platform-aws.yaml" >"$results/platform-open-store.yaml"
check "a ClusterSecretStore open to every namespace (no conditions) is caught" bash -c "$(declare -f store_for_app_only); ! store_for_app_only '$results/platform-open-store.yaml'"
check "platform-config (Azure) renders valid objects and no ClusterSecretStore" bash -c "
    '$helm' template platform-config '$chart' ${chart_args[*]} >'$results/platform-azure.yaml' &&
    node tests/terraform/validate-platform-config.mjs '$results/platform-azure.yaml' && ! grep -q 'kind: ClusterSecretStore' '$results/platform-azure.yaml'"
for edit in 's/controllerName:/controllerNam:/' 's/gatewayHTTPRoute:/gatewayHttpRoute:/' 's/sectionName: http$/section: http/' 's/serviceAccountRef:/serviceAccount:/' 's/envoyService:/envoyServices:/'; do
    sed "$edit" "$results/platform-aws.yaml" >"$results/platform-bad.yaml"
    check "a wrong field is refused by the CRD schema ($edit)" bash -c "
        ! cmp -s '$results/platform-aws.yaml' '$results/platform-bad.yaml' && ! node tests/terraform/validate-platform-config.mjs '$results/platform-bad.yaml'"
done

# ---- first apply, on paper ---------------------------------------------------------------------
for env in azure-dev aws-dev; do
    check "$env: every Secret and namespace the platform charts' values name is created by Terraform or a README prerequisite" \
        node tests/terraform/check-prerequisites.mjs "deploy/terraform/envs/$env"
done
mkdir -p "$results/prereq/deploy" && cp -r deploy/terraform deploy/monitoring "$results/prereq/deploy/" &&
    sed -i 's/existingSecret: grafana-admin/existingSecret: grafana-credentials/' "$results/prereq/deploy/monitoring/kube-prometheus-stack-values.yaml"
# shellcheck disable=SC2016 # Terraform's ${path.module}, not the shell's
mkdir -p "$results/prereq-teams/deploy" && cp -r deploy/terraform deploy/monitoring "$results/prereq-teams/deploy/" &&
    replace_once "$results/prereq-teams/deploy/terraform/modules/platform/releases.tf" \
        '    var.monitoring.teams_receiver ? [] : [file("${path.module}/values/kube-prometheus-stack-no-teams.yaml")],' ''
check "without the Teams receiver, values that still name alertmanager-webhooks (created only with it) are caught" bash -c "
    ! node tests/terraform/check-prerequisites.mjs '$results/prereq-teams/deploy/terraform/envs/aws-dev' >/dev/null &&
    sed -i 's/teams_receiver: false/teams_receiver: true/' '$results/prereq-teams/deploy/terraform/envs/aws-dev/env.yaml' &&
    node tests/terraform/check-prerequisites.mjs '$results/prereq-teams/deploy/terraform/envs/aws-dev' >/dev/null"
check "with ExternalDNS on in azure-dev, the Secret its values mount is created by Terraform" bash -c "
    sed -i '/^  external_dns:/,/enabled:/ s/enabled: false/enabled: true/' '$results/prereq-teams/deploy/terraform/envs/azure-dev/env.yaml' &&
    grep -A3 '^  external_dns:' '$results/prereq-teams/deploy/terraform/envs/azure-dev/env.yaml' | grep -q 'enabled: true' &&
    node tests/terraform/check-prerequisites.mjs '$results/prereq-teams/deploy/terraform/envs/azure-dev' | grep -q 'external-dns-azure.* is created by'"
check "a values Secret nobody creates is caught (grafana-credentials)" bash -c "
    grep -q grafana-credentials '$results/prereq/deploy/monitoring/kube-prometheus-stack-values.yaml' &&
    ! node tests/terraform/check-prerequisites.mjs '$results/prereq/deploy/terraform/envs/aws-dev'"

checks_summary terraform
