#!/usr/bin/env bash
# Checks the Terraform without a provider download (none is reachable here): formatting, every
# env.yaml against env.schema.json (and typos caught), every environment's chart values rendered
# and validated, and the platform-config chart. `terraform validate` and tflint run in CI where the
# registry answers (.github/workflows/ci.yml). Ends with "terraform: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/terraform"
rm -rf "$results" && mkdir -p "$results"
check_log="$results/checks.log"
# shellcheck source=scripts/lib/checks.sh
source "$root/scripts/lib/checks.sh"
# The machine may name a CLI config file that does not exist; Terraform only warns, but quietly is better.
export TF_CLI_CONFIG_FILE=/dev/null
bin="$(tools/install.sh)" || { echo "terraform: 0 passed, 1 failed"; exit 1; }
helm="$bin/helm"
if ! command -v terraform >/dev/null; then
    echo "terraform is not installed"; echo "terraform: 0 passed, 1 failed"; exit 1
fi

check "terraform fmt -check -recursive deploy/terraform" terraform fmt -check -recursive deploy/terraform

for env in deploy/terraform/envs/*/env.yaml; do
    check "$env is valid against env.schema.json" node tools/validate-env.mjs "$env"
done

# A typo in an env file must fail here, not in plan.
typo() { # typo NAME SED_EXPRESSION ENV_FILE
    local name="$1" expression="$2" file="$3"
    sed "$expression" "$file" >"$results/typo.yaml"
    check "a typo is caught: $name" bash -c "! node tools/validate-env.mjs '$results/typo.yaml'"
}
typo "misspelt key (min_node)" 's/min_nodes:/min_node:/' deploy/terraform/envs/aws-dev/env.yaml
typo "unknown SKU" 's/sku: Standard/sku: Standrad/' deploy/terraform/envs/azure-dev/env.yaml
typo "number as text" 's/max_nodes: 5/max_nodes: five/' deploy/terraform/envs/azure-dev/env.yaml
typo "bad CIDR" 's|cidr: 10.40.0.0/16|cidr: 10.40.0.0|' deploy/terraform/envs/aws-dev/env.yaml
typo "missing values file" 's|appraise-values.yaml|appraise-value.yaml|' deploy/terraform/envs/aws-dev/env.yaml
typo "DNS address outside the service range" 's/dns_service_ip: 10.43.0.10/dns_service_ip: 10.44.0.10/' deploy/terraform/envs/azure-dev/env.yaml
typo "latest as the image tag" 's/image_tag: "0.1.0"/image_tag: latest/' deploy/terraform/envs/azure-dev/env.yaml

# What each environment installs: its values files plus what Terraform sets, rendered and validated.
render_env() { # render_env ENV EXTRA_HELM_ARGS...
    local env="$1"; shift
    local args=()
    while read -r file; do args+=(-f "$file"); done < <(node --input-type=module -e "
        import {readFileSync} from 'node:fs'; import {parse} from './tools/node_modules/yaml/dist/index.js';
        for (const f of parse(readFileSync('deploy/terraform/envs/$env/env.yaml','utf8')).appraise.values_files) console.log(f)")
    "$helm" template appraise deploy/helm/appraise --namespace appraise "${args[@]}" "$@" >"$results/$env.yaml" &&
        node tools/validate-manifests.mjs "$results/$env.yaml" && node tools/check-restricted.mjs "$results/$env.yaml"
}
check "azure-dev's chart values render valid, restricted objects" render_env azure-dev \
    --set vaults.azureKeyVault.name=kv-appraise-dev --set vaults.azureKeyVault.tenantId=00000000-0000-0000-0000-000000000001 \
    --set vaults.azureKeyVault.clientId=00000000-0000-0000-0000-000000000002 --set database.source=none \
    --set image.repository=acrappraisedev.azurecr.io/appraise --set image.tag=0.1.0
check "aws-dev's chart values render valid, restricted objects" render_env aws-dev \
    --set apiKeys.secretsManagerKey=appraise-dev/api-key --set database.source=awsSecretsManager \
    --set image.repository=123456789012.dkr.ecr.eu-west-1.amazonaws.com/appraise-dev/appraise --set image.tag=0.1.0
check "platform-config chart lints and renders valid objects" bash -c "
    '$helm' lint --strict deploy/terraform/modules/release/charts/platform-config --set clusterIssuer.email=ops@example.com --set secretStore.enabled=true --set secretStore.region=eu-west-1 &&
    '$helm' template platform deploy/terraform/modules/release/charts/platform-config --set clusterIssuer.email=ops@example.com --set secretStore.enabled=true --set secretStore.region=eu-west-1 >'$results/platform.yaml' &&
    node tools/validate-manifests.mjs '$results/platform.yaml'"
# shellcheck disable=SC2016 # expanded by the inner bash and awk
check "every variable and output is described" bash -c '
    for f in deploy/terraform/modules/*/*.tf deploy/terraform/envs/*/*.tf; do
        awk -v file="$f" "/^(variable|output) \"/ { block=\$0; described=0; open=1; next }
             open && /description *=/ { described=1 }
             open && /^}/ { if (!described) { print file \": \" block; bad=1 } open=0 }
             END { exit bad }" "$f" || exit 1
    done'
check "no secret in any Terraform file" bash -c "! grep -rniE '(password|secret_key|client_secret|api_key) *= *\"[^\"]+\"' deploy/terraform"

checks_summary terraform
