#!/usr/bin/env bash
# Proves the Helm chart and the monitoring without a cluster: lint, render with every values
# file, validate every object against the Kubernetes and CRD schemas, check every pod against
# the "restricted" Pod Security Standard rule by rule, reject invalid values, unit-test every
# alert with promtool, and run a real Prometheus against a real appraise with the chart's rules
# and dashboard. Ends with "chart: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/chart"
rm -rf "$results" && mkdir -p "$results"
chart=deploy/helm/appraise
check_log="$results/checks.log"
# shellcheck source=scripts/lib/checks.sh
source "$root/scripts/lib/checks.sh"
fails() { ! "$@"; }

bin="$(tools/install.sh)" || { echo "tool install failed"; echo "chart: 0 passed, 1 failed"; exit 1; }
helm="$bin/helm"
command -v amtool >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus-alertmanager >/dev/null

# --- lint and render with every values file
declare -A values=(
    [default]=""
    [azure-production]="-f deploy/helm/values/azure-production.yaml"
    [aws-production]="-f deploy/helm/values/aws-production.yaml"
    [minimal]="-f deploy/helm/values/minimal.yaml"
    [everything]="--set prometheusRule.enabled=true --set serviceMonitor.enabled=true --set grafanaDashboard.enabled=true --set ingress.enabled=true --set service.type=LoadBalancer --set apiKeys.source=secret --set apiKeys.values[0]=render-test-key-0123456789 --set database.source=secret --set database.connectionString=Host=db --set autoscaling.requestsPerSecond.enabled=true --set settings.otlpEndpoint=http://otel:4317 --set networkPolicy.otlpCidrs[0]=10.0.0.0/8"
)
for name in default azure-production aws-production minimal everything; do
    # shellcheck disable=SC2086 # the values are deliberately split into arguments
    check "helm lint --strict ($name)" "$helm" lint --strict "$chart" ${values[$name]}
    # shellcheck disable=SC2086
    "$helm" template appraise "$chart" --namespace appraise ${values[$name]} >"$results/$name.yaml" 2>>"$results/checks.log"
    check "every object valid against its schema ($name)" node tools/validate-manifests.mjs "$results/$name.yaml"
    check "every pod meets the restricted Pod Security Standard ($name)" node tools/check-restricted.mjs "$results/$name.yaml"
done
node tools/check-restricted.mjs "$results"/{default,azure-production,aws-production,minimal,everything}.yaml >"$results/restricted.txt" 2>&1
tail -1 "$results/restricted.txt"
# shellcheck disable=SC2016 # expanded by the inner bash
check "the validators reject a broken object and an unsafe pod" bash -c '
    printf "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: two}\n" >"$1/broken.yaml"
    printf "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: x}]\n" >"$1/unsafe.yaml"
    ! node tools/validate-manifests.mjs "$1/broken.yaml" && ! node tools/check-restricted.mjs "$1/unsafe.yaml"' _ "$results"
check "SQLite forces one replica, Recreate, no HPA or PDB" bash -c "
    grep -q 'replicas: 1' '$results/minimal.yaml' && grep -q 'type: Recreate' '$results/minimal.yaml' &&
    ! grep -q 'kind: HorizontalPodAutoscaler' '$results/minimal.yaml' && ! grep -q 'kind: PodDisruptionBudget' '$results/minimal.yaml'"
check "PostgreSQL: rolling update with maxUnavailable 0, HPA, PDB, grace period covers shutdown" bash -c "
    grep -q 'maxUnavailable: 0' '$results/aws-production.yaml' && grep -q 'kind: HorizontalPodAutoscaler' '$results/aws-production.yaml' &&
    grep -q 'kind: PodDisruptionBudget' '$results/aws-production.yaml' && grep -q 'terminationGracePeriodSeconds: 35' '$results/aws-production.yaml'"
check "no secret value in any default-rendered object" bash -c "! grep -qiE 'password=|kind: Secret' '$results/default.yaml'"

# --- invalid values are refused, each with its reason
refuse() { # refuse NAME EXPECTED_MESSAGE HELM_ARGS...
    local name="$1" expected="$2"; shift 2
    # shellcheck disable=SC2016 # expanded by the inner bash
    check "refused: $name" bash -c '"$@" 2>&1 | grep -q -- "$0"' "$expected" "$helm" template appraise "$chart" "$@"
}
refuse "replicaCount as text" "want integer" --set replicaCount=two
refuse "an unknown top-level key" "additional properties" --set replicaCountt=2
refuse "an unknown nested key" "additional properties" --set image.repo=x
refuse "a source that does not exist" "value must be one of" --set apiKeys.source=vault
refuse "a key shorter than 16 characters" "minLength" --set apiKeys.source=secret --set 'apiKeys.values[0]=short'
refuse "source secret without keys" "apiKeys.values is empty" --set apiKeys.source=secret
refuse "database secret without a connection string" "connectionString is empty" --set database.source=secret
refuse "Key Vault without its identity" "vaults.azureKeyVault" --set apiKeys.source=azureKeyVault
refuse "an image digest that is not sha256" "does not match pattern" --set image.digest=latest
refuse "a CPU target over 100 %" "maximum" --set autoscaling.targetCPUUtilizationPercentage=150
refuse "a shutdown budget Kubernetes would cut" "maximum" --set shutdown.timeoutSeconds=120
refuse "a malformed CIDR" "does not match pattern" --set 'networkPolicy.databaseCidrs[0]=10.0.0.0'

# --- NOTES tell the user how to reach the service, and warn about SQLite
"$helm" install appraise "$chart" --dry-run=client -f deploy/helm/values/minimal.yaml >"$results/notes-minimal.txt" 2>&1
"$helm" install appraise "$chart" --dry-run=client -f deploy/helm/values/azure-production.yaml >"$results/notes-azure.txt" 2>&1
check "NOTES: port-forward and the SQLite warning for minimal" bash -c "grep -q 'kubectl port-forward' '$results/notes-minimal.txt' && grep -q 'WARNING: reports are stored in SQLite' '$results/notes-minimal.txt'"
check "NOTES: the ingress URL and no SQLite warning for production" bash -c "grep -q 'https://appraise.dev.example.com/helloworld' '$results/notes-azure.txt' && ! grep -q WARNING '$results/notes-azure.txt'"

# --- plain manifests are generated from the chart and up to date
check "deploy/k8s/appraise.yaml is up to date with the chart" scripts/render-manifests.sh --check
check "deploy/k8s/appraise.yaml is valid and restricted" bash -c "node tools/validate-manifests.mjs deploy/k8s/appraise.yaml && node tools/check-restricted.mjs deploy/k8s/appraise.yaml"

# --- alert rules: syntax and a unit test for every alert
mkdir -p "$results/rules"
node tools/extract-rules.mjs "$results/everything.yaml" >"$results/rules/alerts.yaml"
check "promtool check rules" promtool check rules "$results/rules/alerts.yaml"
"$helm" template appraise "$chart" --namespace appraise --set prometheusRule.enabled=true >"$results/rules/rendered.yaml"
node tools/extract-rules.mjs "$results/rules/rendered.yaml" >"$results/rules/default-alerts.yaml"
cp deploy/monitoring/tests/alerts.test.yaml "$results/rules/"
(cd "$results/rules" && sed 's/^  - alerts.yaml$/  - default-alerts.yaml/' alerts.test.yaml >unit.test.yaml)
check "promtool test rules: every alert fires and stays silent when it should" bash -c "cd '$results/rules' && promtool test rules unit.test.yaml"
alerts_tested="$(grep -c 'alertname:' deploy/monitoring/tests/alerts.test.yaml)"
alerts_defined="$(grep -c -- '- alert:' deploy/helm/appraise/files/alerts.yaml)"
check "every one of the $alerts_defined alerts has a unit test" bash -c "for a in \$(grep -oE 'alert: Appraise[A-Za-z0-9]+' deploy/helm/appraise/files/alerts.yaml | cut -d' ' -f2); do grep -q \"alertname: \$a\" deploy/monitoring/tests/alerts.test.yaml || { echo \"untested: \$a\"; exit 1; }; done"
echo "alert unit test cases: $alerts_tested" >>"$results/checks.log"
check "every alert has a runbook section" bash -c "for a in \$(grep -oE 'alert: Appraise[A-Za-z0-9]+' deploy/helm/appraise/files/alerts.yaml | cut -d' ' -f2); do grep -q \"^## \$a\$\" docs/runbook.md || { echo \"no runbook: \$a\"; exit 1; }; done"
check "Alertmanager config (kube-prometheus-stack values) is valid" bash -c "
    node --input-type=module -e \"import {readFileSync} from 'node:fs'; import {parse, stringify} from './tools/node_modules/yaml/dist/index.js'; process.stdout.write(stringify(parse(readFileSync('deploy/monitoring/kube-prometheus-stack-values.yaml','utf8')).alertmanager.config))\" >'$results/alertmanager.yaml' && amtool check-config '$results/alertmanager.yaml'"
check "Prometheus config for compose is valid" promtool check config deploy/monitoring/prometheus-compose.yml

# --- a real Prometheus scraping a real appraise, with the chart's rules and dashboard
app_port="${APPRAISE_CHART_APP_PORT:-18600}"
prom_port="${APPRAISE_CHART_PROM_PORT:-18601}"
dll=src/Appraise.Api/bin/Release/net10.0/Appraise.Api.dll
[[ -f "$dll" ]] || dotnet build src/Appraise.Api -c Release -v quiet -nologo >>"$results/checks.log" 2>&1
work="$(mktemp -d)"
cp "$results/rules/default-alerts.yaml" "$work/alerts.yaml"
cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: [alerts.yaml]
scrape_configs:
  - job_name: appraise
    static_configs:
      # The labels a ServiceMonitor scrape carries in the cluster.
      - targets: ["127.0.0.1:$app_port"]
        labels: {namespace: appraise, service: appraise, pod: appraise-local}
YAML
key="chart-test-$RANDOM$RANDOM"
ASPNETCORE_ENVIRONMENT=Production Auth__ApiKeys__0="$key" Reports__DataDirectory="$work/data" \
    dotnet "$dll" --urls "http://127.0.0.1:$app_port" >"$results/appraise.log" 2>&1 &
app=$!
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$prom_port" >"$results/prometheus.log" 2>&1 &
prom=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$app_port/readyz" >/dev/null && curl -sf "http://127.0.0.1:$prom_port/-/ready" >/dev/null && break; sleep 0.2; done
APPRAISE_API_KEY="$key" scripts/smoke.sh "http://127.0.0.1:$app_port" >"$results/traffic.log" 2>&1
# Prometheus needs a scrape after the traffic and one evaluation of every rule (health "unknown"
# until then): ask until everything holds or a generous deadline passes; the last answer counts.
deadline=$((SECONDS + 90))
until node tools/check-prometheus.mjs "http://127.0.0.1:$prom_port" "$work/alerts.yaml" deploy/helm/appraise/files/dashboard.json \
    >"$results/prometheus-checks.log" 2>&1 || ((SECONDS > deadline)); do
    sleep 1
done
check "real Prometheus: target up, every metric exists, every dashboard and alert expression evaluates ($(tail -1 "$results/prometheus-checks.log"))" \
    grep -q ' 0 failed$' "$results/prometheus-checks.log"
grep -E '^FAIL' "$results/prometheus-checks.log" || true
kill "$app" "$prom" 2>/dev/null
wait "$app" "$prom" 2>/dev/null
rm -rf "$work"

checks_summary chart
