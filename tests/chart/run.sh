#!/usr/bin/env bash
# Proves the Helm chart and the monitoring without a cluster: lint, render with every values
# file, validate every object against the Kubernetes and CRD schemas (and the API versions the
# pinned operators serve), check every pod against the "restricted" Pod Security Standard rule by
# rule, evaluate the NetworkPolicies, reject invalid values, a regression test for every defect
# the review found, unit-test every alert with promtool, check the Alertmanager configuration
# with an amtool that knows it, and run a real Prometheus against a real appraise with the
# chart's rules and dashboard. Running the pods is tests/pods/run.sh.
# APPRAISE_CHART_DIR and APPRAISE_VALUES_DIR point the checks at another copy of the chart (to
# show a regression test failing on the chart before its fix). Ends with "chart: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/chart"
rm -rf "$results" && mkdir -p "$results"
chart="${APPRAISE_CHART_DIR:-deploy/helm/appraise}"
values_dir="${APPRAISE_VALUES_DIR:-deploy/helm/values}"
check_log="$results/checks.log"
# shellcheck source=tests/lib/checks.sh
source "$root/tests/lib/checks.sh"
fails() { ! "$@"; }

if ! bin="$(tools/install.sh)" || ! tools/install-checkers.sh shared; then
    echo "tool install failed"; echo "chart: 0 passed, 1 failed"; exit 1
fi
helm="$bin/helm"
amtool="$(tools/install-amtool.sh 2>>"$check_log")" || { echo "FAIL  setup: amtool >= 0.28 from Debian trixie"; amtool=false; }
# Bookworm's amtool (0.25) only serves the negative control of the Alertmanager check.
[[ -x /usr/bin/amtool ]] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus-alertmanager >/dev/null

# --- lint and render with every values file
declare -A values=(
    [default]=""
    [azure-production]="-f $values_dir/azure-production.yaml"
    [aws-production]="-f $values_dir/aws-production.yaml"
    [minimal]="-f $values_dir/minimal.yaml"
    [plain-manifests]="-f deploy/k8s/values.yaml"
    [everything]="--set prometheusRule.enabled=true --set serviceMonitor.enabled=true --set grafanaDashboard.enabled=true --set ingress.enabled=true --set networkPolicy.ingressNamespaces[0]=ingress-system --set httpRoute.enabled=true --set httpRoute.hostnames[0]=appraise.example.com --set httpRoute.httpsRedirect.enabled=true --set service.type=LoadBalancer --set service.externalTrafficPolicy=Local --set networkPolicy.loadBalancerSources[0].cidr=0.0.0.0/0 --set networkPolicy.loadBalancerSources[0].except[0]=10.244.0.0/16 --set apiKeys.source=secret --set apiKeys.values[0]=render-test-key-0123456789 --set database.source=secret --set database.connectionString=Host=db --set autoscaling.requestsPerSecond.enabled=true --set settings.otlpEndpoint=http://otel.monitoring:4317 --set networkPolicy.otlpNamespaces[0]=monitoring --set networkPolicy.otlpCidrs[0]=10.0.0.0/8 --set prometheusScrapeAnnotations=true --set namespaceOverride=elsewhere --set grpc.route.enabled=true --set grpc.route.hostnames[0]=grpc.appraise.example.com --set grpc.route.parentRefs[0].name=public --set grpc.route.parentRefs[0].namespace=envoy-gateway-system --set grpc.route.parentRefs[0].sectionName=https"
)
# A static canary and a Flagger canary (issue 25, point 5) on the production values.
values[canary]="-f $values_dir/aws-production.yaml --set canary.enabled=true --set canary.model.pins.housing=2"
values[flagger]="-f $values_dir/aws-production.yaml --set canary.flagger.enabled=true"
for name in default azure-production aws-production minimal plain-manifests everything canary flagger; do
    # shellcheck disable=SC2086 # the values are deliberately split into arguments
    check "helm lint --strict ($name)" "$helm" lint --strict "$chart" ${values[$name]}
    # shellcheck disable=SC2086
    "$helm" template appraise "$chart" --namespace appraise ${values[$name]} >"$results/$name.yaml" 2>>"$results/checks.log"
    check "every object valid against its schema ($name)" node tests/chart/validate-manifests.mjs "$results/$name.yaml"
    check "every pod meets the restricted Pod Security Standard ($name)" node tests/chart/check-restricted.mjs "$results/$name.yaml"
done
node tests/chart/check-restricted.mjs "$results"/{default,azure-production,aws-production,minimal,plain-manifests,everything}.yaml >"$results/restricted.txt" 2>&1
tail -1 "$results/restricted.txt"
# shellcheck disable=SC2016 # expanded by the inner bash
check "the validators reject a broken object and an unsafe pod" bash -c '
    printf "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: two}\n" >"$1/broken.yaml"
    printf "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: x}]\n" >"$1/unsafe.yaml"
    ! node tests/chart/validate-manifests.mjs "$1/broken.yaml" && ! node tests/chart/check-restricted.mjs "$1/unsafe.yaml"' _ "$results"
check "SQLite forces one replica, Recreate, no HPA or PDB" bash -c "
    grep -q 'replicas: 1' '$results/minimal.yaml' && grep -q 'type: Recreate' '$results/minimal.yaml' &&
    ! grep -q 'kind: HorizontalPodAutoscaler' '$results/minimal.yaml' && ! grep -q 'kind: PodDisruptionBudget' '$results/minimal.yaml'"
check "PostgreSQL: rolling update with maxUnavailable 0, HPA, PDB, grace period covers shutdown" bash -c "
    grep -q 'maxUnavailable: 0' '$results/aws-production.yaml' && grep -q 'kind: HorizontalPodAutoscaler' '$results/aws-production.yaml' &&
    grep -q 'kind: PodDisruptionBudget' '$results/aws-production.yaml' && grep -q 'terminationGracePeriodSeconds: 35' '$results/aws-production.yaml'"
check "production values: the way in is an HTTPRoute to the Gateway public, no Ingress" bash -c "
    for f in azure-production aws-production; do grep -q 'kind: HTTPRoute' \"$results/\$f.yaml\" && ! grep -q 'kind: Ingress' \"$results/\$f.yaml\" || exit 1; done"
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
refuse "containerPort as text" "want integer" --set containerPort=http
refuse "a privileged containerPort" "minimum" --set containerPort=80
refuse "a probe period as text" "want integer" --set probes.startup.periodSeconds=five
refuse "a liveness successThreshold other than 1" "value must be 1" --set probes.liveness.successThreshold=2
refuse "an unknown probe field" "additional properties" --set probes.readiness.path=/x
refuse "an externalTrafficPolicy Kubernetes does not know" "value must be one of" --set service.externalTrafficPolicy=Nearest
refuse "Service labels that are not strings" "want string" --set service.labels.tier=1
refuse "an ingress pathType that does not exist" "value must be one of" --set 'ingress.hosts[0].paths[0].pathType=Regex'
refuse "ingress TLS as an object" "want array" --set ingress.tls.enabled=true
refuse "an HTTPRoute hostname that is not a DNS name" "does not match pattern" --set 'httpRoute.hostnames[0]=Appraise_Example'
refuse "HTTPRoute parentRefs without a name" "want string" --set 'httpRoute.parentRefs[0].name=null' --set 'httpRoute.parentRefs[0].sectionName=https'
refuse "an HTTPRoute without hostnames" "httpRoute.hostnames" --set httpRoute.enabled=true
refuse "a GRPCRoute without hostnames" "grpc.route.hostnames" --set grpc.route.enabled=true --set 'grpc.route.parentRefs[0].name=public'
refuse "a GRPCRoute without a Gateway" "grpc.route.parentRefs" --set grpc.route.enabled=true
refuse "a gRPC port that is not a port" "grpc/containerPort" --set grpc.containerPort=70000
refuse "a namespaceOverride that is not a DNS label" "does not match pattern" --set namespaceOverride=Bad_NS
refuse "a hostPath among extraVolumes" "not" --set 'extraVolumes[0].name=host' --set 'extraVolumes[0].hostPath.path=/'
refuse "an extraVolumeMount without mountPath" "missing property" --set 'extraVolumeMounts[0].name=model'
refuse "prometheusScrapeAnnotations as text" "want boolean" --set prometheusScrapeAnnotations=yes
refuse "test pod annotations that are not strings" "want string" --set tests.annotations.x=true
refuse "a load-balancer source that is not a CIDR" "does not match pattern" --set 'networkPolicy.loadBalancerSources[0].cidr=anywhere'
refuse "an Ingress without the controller's namespace in the NetworkPolicy" "networkPolicy.ingressNamespaces" --set ingress.enabled=true
refuse "Kubernetes 1.29 (no preStop sleep action by default)" "kubeVersion" --kube-version 1.29.9

# --- the defects the review found: each check failed on the chart before its fix
defect() { # defect NUMBER NAME COMMAND...
    local number="$1" name="$2"; shift 2
    check "defect $number: $name" "$@"
}
render() { "$helm" template appraise "$chart" --namespace appraise "$@" 2>>"$check_log"; }
render -f deploy/k8s/values.yaml >"$results/existing-db.yaml"
defect 1 "database.source existingSecret mounts the named Secret (not a map)" bash -c "
    grep -q 'secretName: appraise-database$' '$results/existing-db.yaml' && ! grep -q 'map\[' '$results/existing-db.yaml' && ! grep -q 'map\[' deploy/k8s/appraise.yaml"
defect 2 "helm test pod reaches the app where the NetworkPolicy is enforced" \
    node tests/chart/check-networkpolicy.mjs "$results/aws-production.yaml" 'test->app:http allow'
render --set apiKeys.source=awsSecretsManager --set database.source=awsSecretsManager >"$results/eso.yaml"
defect 3 "ExternalSecrets use an apiVersion External Secrets Operator 2.9.0 serves" bash -c "
    grep -q 'apiVersion: external-secrets.io/v1$' '$results/eso.yaml' && node tests/chart/validate-manifests.mjs '$results/eso.yaml'"
render --set database.source=secret --set database.connectionString=Host=db --set autoscaling.enabled=false --set replicaCount=1 >"$results/one-replica.yaml"
render --set database.source=secret --set database.connectionString=Host=db --set autoscaling.minReplicas=1 >"$results/hpa-min-one.yaml"
defect 4 "no PodDisruptionBudget over a single replica (PostgreSQL, replicaCount 1; HPA minimum 1)" bash -c "
    ! grep -q 'kind: PodDisruptionBudget' '$results/one-replica.yaml' && ! grep -q 'kind: PodDisruptionBudget' '$results/hpa-min-one.yaml' &&
    grep -q 'kind: PodDisruptionBudget' '$results/aws-production.yaml'"
# shellcheck disable=SC2016 # expanded by node
defect 5 "no values file scales on a Pods metric that no prometheus-adapter rule in the repository serves" bash -c '
    for f in "$@"; do
        for m in $(node --input-type=module -e "import {readFileSync} from \"node:fs\"; import {parseAllDocuments} from \"./tests/node_modules/yaml/dist/index.js\";
            for (const d of parseAllDocuments(readFileSync(process.argv[1], \"utf8\"))) { const o = d.toJSON(); if (o?.kind === \"HorizontalPodAutoscaler\") for (const x of o.spec.metrics) if (x.type === \"Pods\") console.log(x.pods.metric.name); }" "$f"); do
            grep -rqs "as: \"\?$m" deploy/monitoring/ || { echo "$f: Pods metric $m has no prometheus-adapter rule"; exit 1; }
        done
    done' _ "$results/azure-production.yaml" "$results/aws-production.yaml" "$results/default.yaml"
defect 6 "kubeVersion admits EKS 1.35 and AKS 1.36; preStopSeconds 0 renders no sleep hook" bash -c "
    '$helm' template a '$chart' --kube-version 1.35.0 >/dev/null && '$helm' template a '$chart' --kube-version 1.36.1 >/dev/null &&
    '$helm' template a '$chart' --kube-version 1.30.0 --set shutdown.preStopSeconds=0 | { ! grep -q 'sleep:'; } &&
    grep -q 'seconds: 5' '$results/default.yaml'"
# The evaluator's pods live in 10.244.0.0/16; excluding the pod range keeps ipBlock from admitting
# other namespaces' pods on plugins that match pod addresses against ipBlocks.
render --set service.type=LoadBalancer --set 'networkPolicy.loadBalancerSources[0].cidr=0.0.0.0/0' --set 'networkPolicy.loadBalancerSources[0].except[0]=10.244.0.0/16' >"$results/loadbalancer.yaml"
defect 7 "service.type LoadBalancer: load-balancer traffic gets through the NetworkPolicy, pods of other namespaces do not; no sources is refused" bash -c "
    node tests/chart/check-networkpolicy.mjs '$results/loadbalancer.yaml' 'lb-client->app:http allow' 'intruder->app:http deny' &&
    '$helm' template a '$chart' --set service.type=LoadBalancer 2>&1 | grep -q 'networkPolicy.loadBalancerSources'"
defect 8 "Alertmanager: Teams through msteamsv2_configs, every webhook file in a mounted Secret, Grafana admin from grafana-admin" bash -c "
    node tests/chart/check-alertmanager-values.mjs deploy/monitoring/kube-prometheus-stack-values.yaml '$results/alertmanager.yaml' &&
    grep -q 'msteamsv2_configs' '$results/alertmanager.yaml' && grep -q 'existingSecret: grafana-admin' deploy/monitoring/kube-prometheus-stack-values.yaml"
# shellcheck disable=SC2317 # runs through check
readyz_excluded() {
    grep -A4 'alert: AppraiseHighErrorRatio' "$chart/files/alerts.yaml" | grep -q 'http_route!~"/readyz' &&
        node -e 'const d = require(process.argv[1]); const p = d.panels.find((p) => p.targets?.some((t) => /5\.\./.test(t.expr)));
            process.exit(p.targets.every((t) => t.expr.includes("/readyz")) ? 0 : 1)' "$PWD/$chart/files/dashboard.json"
}
defect 9 "the 5xx alert and the dashboard's error panel leave out /readyz (503 while draining)" readyz_excluded
defect 10 "no azure.workload.identity/use label on the app pod (the CSI driver has its own token)" bash -c "
    grep -q 'kind: SecretProviderClass' '$results/azure-production.yaml' && ! grep -q 'azure.workload.identity/use' '$results/azure-production.yaml'"
render --set settings.otlpEndpoint=http://otel-collector.monitoring:4317 --set 'networkPolicy.otlpNamespaces[0]=monitoring' >"$results/otlp.yaml"
defect 11 "otlpEndpoint without an egress path is refused; an in-cluster collector namespace is reachable" bash -c "
    ! '$helm' template a '$chart' --set settings.otlpEndpoint=http://otel:4317 >/dev/null 2>&1 &&
    node tests/chart/check-networkpolicy.mjs '$results/otlp.yaml' 'app->otlp:4317 allow' 'app->otlp:4318 allow' 'app->prometheus:9090 deny'"

# --- found by the second review (against Envoy Gateway v1.9.0, Gateway API v1.6.1 and Kubernetes'
# label rules); each check failed on the chart before its fix
check "production values name the ranges Terraform passes (pod range or private subnets as trusted proxies, the database's subnet)" \
    node tests/chart/check-production-ranges.mjs "$values_dir" deploy/terraform/envs
refuse "an https redirect with a parentRef that names no listener (the main route would win on http)" "give parentRef" \
    --set httpRoute.enabled=true --set 'httpRoute.hostnames[0]=a.example.com' --set httpRoute.httpsRedirect.enabled=true --set 'httpRoute.parentRefs[0].name=public'
check "the redirect route attaches only to the http listener of each Gateway, without a port" bash -c "
    node --input-type=module -e \"import {readFileSync} from 'node:fs'; import {parseAllDocuments} from './tests/node_modules/yaml/dist/index.js';
      const r = parseAllDocuments(readFileSync('$results/azure-production.yaml','utf8')).map((d)=>d.toJSON()).find((o)=>o?.kind==='HTTPRoute' && o.metadata.name.endsWith('-https-redirect'));
      process.exit(r && r.spec.parentRefs.length > 0 && r.spec.parentRefs.every((p)=>p.sectionName==='http' && p.port===undefined) ? 0 : 1)\""
render --set httpRoute.enabled=true --set 'httpRoute.hostnames[0]=a.example.com' --set 'httpRoute.parentRefs[0].name=internal' \
    --set 'httpRoute.parentRefs[0].namespace=envoy-gateway-system' >"$results/other-gateway.yaml"
check "the NetworkPolicy admits the proxies of the Gateway the route attaches to (parentRefs internal), not another's" \
    node tests/chart/check-networkpolicy.mjs "$results/other-gateway.yaml" 'gateway-other->app:http allow' 'gateway->app:http deny'
render --set fullnameOverride=appraise-with-a-very-long-release-name-for-a-long-team-name-x >"$results/long-name.yaml"
check "a 60-character full name renders labels the API server accepts, and the test pod still gets in" bash -c "
    node tests/chart/validate-manifests.mjs '$results/long-name.yaml' >/dev/null && node tests/chart/check-networkpolicy.mjs '$results/long-name.yaml' 'test->app:http allow' >/dev/null"
# --- found by the third review (issue 27, points 21 to 24)
check "the public HTTPRoute sends the API, /v2, the docs and the home page to the Service; /metrics, /healthz, /readyz and /version stay inside" \
    node tests/chart/check-httproute.mjs "$results/aws-production.yaml" '/metrics deny' '/healthz deny' '/readyz deny' '/version deny' '/metricsx deny' \
    '/api/v1/prediction/ allow' '/api/v1/reports/x allow' '/predict allow' '/v2/models/housing/infer allow' '/helloworld allow' '/test allow' \
    '/docs allow' '/docs/index.html allow' '/openapi/v1.json allow' '/ allow' '/assets/home.css allow'
refuse "an HTTPRoute path match the Gateway may treat its own way (RegularExpression)" "value must be one of" \
    --set httpRoute.enabled=true --set 'httpRoute.hostnames[0]=a.example.com' --set 'httpRoute.paths[0].type=RegularExpression' --set 'httpRoute.paths[0].value=/.*'
refuse "a drain delay not shorter than the shutdown budget (the service would not start)" "must be shorter than shutdown.timeoutSeconds" \
    --set shutdown.drainSeconds=25 --set shutdown.timeoutSeconds=25
check "the largest drain delay the service accepts renders (timeout - 1)" "$helm" template a "$chart" --set shutdown.drainSeconds=24 --set shutdown.timeoutSeconds=25
"$helm" install shop "$chart" --dry-run=client -f "$values_dir/aws-production.yaml" >"$results/notes-shop.txt" 2>&1
check "NOTES name the client label the NetworkPolicy admits (release shop)" node tests/chart/check-notes-client-label.mjs "$results/notes-shop.txt"
long_tag="_$(printf 'a%.0s' $(seq 1 100))-$(printf 'b%.0s' $(seq 1 25))-"   # 128 characters, a legal OCI tag
render --set-string "image.tag=$long_tag" >"$results/long-tag.yaml"
render --set "nameOverride=$(printf 'n%.0s' $(seq 1 63))" -f "$values_dir/aws-production.yaml" >"$results/long-chart-name.yaml"
check "a 128-character image tag and a 63-character nameOverride render objects the API server accepts; the test pod gets in without the app's selector labels" bash -c "
    node tests/chart/validate-manifests.mjs '$results/long-tag.yaml' >/dev/null && node tests/chart/validate-manifests.mjs '$results/long-chart-name.yaml' >/dev/null &&
    grep -qF ':$long_tag' '$results/long-tag.yaml' &&
    node tests/chart/check-networkpolicy.mjs '$results/long-chart-name.yaml' 'test->app:http allow' 'neighbour->app:http deny' >/dev/null"
check "negative control: a 64-character label value is invalid" bash -c "
    printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: x, labels: {a: %s}}\nspec: {containers: [{name: c, image: x}]}\n' \
        \"\$(printf 'v%.0s' \$(seq 1 64))\" >'$results/long-value.yaml' && ! node tests/chart/validate-manifests.mjs '$results/long-value.yaml' >/dev/null"
check "negative control: a label key with a name part over 63 characters is invalid" bash -c "
    printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: x, labels: {%s-client: \"true\"}}\nspec: {containers: [{name: c, image: x}]}\n' \
        appraise-with-a-very-long-release-name-for-a-long-team-name-x >'$results/long-label.yaml' && ! node tests/chart/validate-manifests.mjs '$results/long-label.yaml' >/dev/null"

# --- models from storage, the repository API and canaries (issue 25, points 3 and 5)
model_storage=(-f "$values_dir/aws-production.yaml" --set model.repository=s3://appraise-models/prod --set model.default=housing
    --set model.pollInterval=00:00:30 --set model.s3ForcePathStyle=true --set model.storageConnectionString.secretName=model-storage
    --set 'model.pins.housing=1' --set model.repositoryApi.enabled=true --set model.repositoryApi.adminKeySecret.name=appraise-admin-key)
render "${model_storage[@]}" >"$results/model-storage.yaml"
check "model.repository in S3: every object valid, every pod restricted" bash -c "
    node tests/chart/validate-manifests.mjs '$results/model-storage.yaml' >/dev/null && node tests/chart/check-restricted.mjs '$results/model-storage.yaml' >/dev/null"
# shellcheck disable=SC2317 # runs through check and the mutants
model_env() { # model_env RENDERED.yaml: the model values as environment, secrets by reference, the cache an emptyDir
    node tests/chart/check-model.mjs "$1" Model__Repository=s3://appraise-models/prod Model__Default=housing Model__PollInterval=00:00:30 \
        Model__CacheDirectory=/var/cache/appraise/models Model__S3ForcePathStyle=true \
        Model__StorageConnectionString=secret:model-storage/connectionString Model__Pins__housing=1 \
        Model__RepositoryApi=true Auth__AdminKeys__0=secret:appraise-admin-key/adminKey
}
check "model.*: the Model__* variables (secrets by secretKeyRef), Model__CacheDirectory an emptyDir mount with a sizeLimit, root filesystem still read-only" \
    model_env "$results/model-storage.yaml"
check "model.* unset: no Model__* variable and no cache volume (the service's defaults, the embedded model)" \
    node tests/chart/check-model.mjs "$results/aws-production.yaml"
render --set model.repository=/models --set 'extraVolumes[0].name=models' --set 'extraVolumes[0].persistentVolumeClaim.claimName=models' \
    --set 'extraVolumeMounts[0].name=models' --set 'extraVolumeMounts[0].mountPath=/models' >"$results/model-directory.yaml"
check "model.repository a mounted directory: Model__Repository set, no download cache" \
    node tests/chart/check-model.mjs "$results/model-directory.yaml" Model__Repository=/models
check "refused at install: the repository API without an admin key Secret (the schema)" bash -c "
    ! '$helm' install a '$chart' --dry-run=client --set model.repositoryApi.enabled=true >'$results/no-admin-key.txt' 2>&1 &&
    grep -q 'adminKeySecret/name' '$results/no-admin-key.txt'"
refuse "a relative model repository path" "does not match pattern" --set model.repository=models/
refuse "a model repository URI that is neither https:// nor s3://" "does not match pattern" --set model.repository=ftp://models.example.com/m
refuse "a model repository in object storage without model.default" "set model.default" --set model.repository=s3://appraise-models/prod
refuse "a poll interval that is not a TimeSpan" "does not match pattern" --set model.pollInterval=5s
refuse "a pin that is not a version number" "want integer" --set model.pins.housing=latest
refuse "a connection string as a value (only an existing Secret)" "additional properties" --set model.storageConnectionString.value=x
refuse "a canary weight over 100" "maximum" --set canary.weight=150
refuse "the static canary and Flagger at once" "choose one" -f "$values_dir/aws-production.yaml" --set canary.enabled=true --set canary.flagger.enabled=true
refuse "a canary that differs from stable in nothing" "canary.model.pins or canary.image" -f "$values_dir/aws-production.yaml" --set canary.enabled=true
refuse "a canary with SQLite (one pod only)" "SQLite allows one pod" --set canary.enabled=true --set canary.model.pins.housing=2
canary_values=(-f "$values_dir/aws-production.yaml" --set canary.enabled=true --set canary.weight=10 --set 'canary.model.pins.housing=2'
    --set 'model.pins.housing=1' --set canary.replicaCount=2 --set serviceMonitor.enabled=true --set prometheusRule.enabled=true
    --set grpc.route.enabled=true --set 'grpc.route.hostnames[0]=grpc.appraise.example.com' --set 'grpc.route.parentRefs[0].name=public'
    --set 'grpc.route.parentRefs[0].namespace=envoy-gateway-system' --set 'grpc.route.parentRefs[0].sectionName=https')
render "${canary_values[@]}" >"$results/canary-split.yaml"
check "canary: every object valid, every pod restricted" bash -c "
    node tests/chart/validate-manifests.mjs '$results/canary-split.yaml' >/dev/null && node tests/chart/check-restricted.mjs '$results/canary-split.yaml' >/dev/null"
# shellcheck disable=SC2317 # runs through check and the mutants
canary_split() { # canary_split RENDERED.yaml: weights, pins and selectors against the pods' labels
    node tests/chart/check-canary.mjs "$1" static 90 10 housing=2 &&
        node tests/chart/check-networkpolicy.mjs "$1" 'gateway->canary:http allow' 'gateway->canary:grpc allow' 'prometheus->canary:http allow' \
            'test->canary:http allow' 'intruder->canary:http deny' 'neighbour->canary:http deny' 'canary->database:5432 allow' 'canary->internet:443 deny'
}
check "canary: HTTPRoute backendRefs weigh 90/10, the canary pins housing 2, the stable Service and Deployment select no canary pod, NetworkPolicy, ServiceMonitor and PDBs cover both tracks" \
    canary_split "$results/canary-split.yaml"
render -f "$values_dir/aws-production.yaml" --set canary.enabled=true --set-string canary.image.tag=1.2.3-rc1 >"$results/canary-image.yaml"
check "canary with its own image: the canary Deployment runs that tag, stable and the test pod the chart's" bash -c "
    [[ \$(grep -c 'image: .*/appraise:1.2.3-rc1\$' '$results/canary-image.yaml') -eq 1 ]] &&
    [[ \$(grep -cE 'image: .*/appraise:' '$results/canary-image.yaml') -eq 3 ]]"
check "canary: the alerts' series selector covers both Services" grep -q 'service=~"appraise|appraise-canary"' "$results/canary-split.yaml"
render -f "$values_dir/aws-production.yaml" --set canary.flagger.enabled=true --set serviceMonitor.enabled=true --set prometheusRule.enabled=true >"$results/flagger-analysis.yaml"
# shellcheck disable=SC2317 # runs through check and the mutants
flagger_valid() { # flagger_valid RENDERED.yaml: Canary and MetricTemplates against Flagger v1.44.0's CRD schemas (unknown fields refused), the rest as always
    node tests/chart/validate-manifests.mjs "$1" && node tests/chart/check-canary.mjs "$1" flagger
}
check "Flagger: Canary and MetricTemplates valid against Flagger v1.44.0's CRD schemas; targetRef, templateRefs, no chart Service or HTTPRoute in Flagger's way; NetworkPolicy, PDB and ServiceMonitor cover the primary" \
    flagger_valid "$results/flagger-analysis.yaml"
check "negative control: a misspelt Canary field (stepWeigth) fails the CRD schema" bash -c "
    sed 's/stepWeight:/stepWeigth:/' '$results/flagger-analysis.yaml' >'$results/flagger-typo.yaml' && ! node tests/chart/validate-manifests.mjs '$results/flagger-typo.yaml' >/dev/null"

# --- the NetworkPolicy, evaluated (tests/chart/netpol.mjs, tested by tests/chart/netpol.test.mjs)
check "NetworkPolicy evaluator: its own tests, the documentation's example and negative cases (node --test)" node --test tests/chart/netpol.test.mjs
check "NetworkPolicy (production): Gateway proxies, monitoring and helm test in; other namespaces, other Gateways, neighbours and the internet out; DNS and PostgreSQL egress" \
    node tests/chart/check-networkpolicy.mjs "$results/aws-production.yaml" 'gateway->app:http allow' 'test->app:http allow' 'prometheus->app:http allow' \
    'gateway-other->app:http deny' 'intruder->app:http deny' 'neighbour->app:http deny' 'ingress-controller->app:http deny' 'lb-client->app:http deny' \
    'gateway->app:grpc allow' 'test->app:grpc allow' 'intruder->app:grpc deny' 'neighbour->app:grpc deny' \
    'app->dns:53/UDP allow' 'app->dns:53/TCP allow' 'app->database:5432 allow' 'app->internet:443 deny' 'app->database:22 deny' 'app->prometheus:9090 deny'
check "NetworkPolicy (Ingress controller, LoadBalancer): the controller's namespace and outside clients in, other namespaces still out" \
    node tests/chart/check-networkpolicy.mjs "$results/everything.yaml" 'ingress-controller->app:http allow' 'gateway->app:http allow' 'lb-client->app:http allow' 'test->app:http allow' 'intruder->app:http deny'
render --set service.type=NodePort --set 'networkPolicy.loadBalancerSources[0].cidr=198.51.100.0/24' >"$results/nodeport.yaml"
check "NetworkPolicy (NodePort): traffic from the given sources in, pods of other namespaces and other addresses out" \
    node tests/chart/check-networkpolicy.mjs "$results/nodeport.yaml" 'lb-client->app:http allow' 'intruder->app:http deny' 'internet->app:http deny'
# Negative control: the evaluator must catch a policy that admits every namespace.
node --input-type=module -e "
    import {readFileSync, writeFileSync} from 'node:fs'; import {parseAllDocuments, stringify} from './tests/node_modules/yaml/dist/index.js';
    const docs = parseAllDocuments(readFileSync('$results/aws-production.yaml', 'utf8')).map((d) => d.toJSON()).filter(Boolean);
    for (const o of docs) if (o.kind === 'NetworkPolicy') o.spec.ingress[0].from.push({ namespaceSelector: {} });
    writeFileSync('$results/open.yaml', docs.map((o) => stringify(o)).join('---\n'));"
check "negative control: a policy that admits every namespace fails the 'other namespaces stay out' check" \
    fails node tests/chart/check-networkpolicy.mjs "$results/open.yaml" 'intruder->app:http deny'

# --- what podinfo's chart users expect, rendered
check "namespaceOverride: every object in that namespace, the test pod asks the Service there" bash -c "
    [[ \$(grep -c '^  namespace: elsewhere$' '$results/everything.yaml') -eq \$(grep -c '^kind:' '$results/everything.yaml') ]] && grep -q 'appraise.elsewhere:80/readyz' '$results/everything.yaml'"
check "prometheus.io scrape annotations on the pod, extra Service labels and externalTrafficPolicy" bash -c "
    grep -q 'prometheus.io/scrape: \"true\"' '$results/everything.yaml' && grep -q 'prometheus.io/port: \"8080\"' '$results/everything.yaml' &&
    grep -q 'externalTrafficPolicy: Local' '$results/everything.yaml' &&
    '$helm' template a '$chart' --set service.labels.tier=api | grep -q 'tier: api' &&
    '$helm' template a '$chart' --set service.externalTrafficPolicy=Local | { ! grep -q externalTrafficPolicy; }"
render --set 'ingress.enabled=true' --set 'networkPolicy.ingressNamespaces[0]=ingress-system' --set 'ingress.hosts[0].host=a.example.com' --set 'ingress.hosts[0].paths[0].path=/' --set 'ingress.hosts[0].paths[0].pathType=Prefix' \
    --set 'ingress.hosts[1].host=b.example.com' --set 'ingress.hosts[1].paths[0].path=/api' --set 'ingress.hosts[1].paths[0].pathType=Prefix' --set 'ingress.hosts[1].paths[1].path=/docs' --set 'ingress.hosts[1].paths[1].pathType=Exact' \
    --set 'ingress.tls[0].secretName=a-tls' --set 'ingress.tls[0].hosts[0]=a.example.com' --set 'ingress.tls[1].secretName=b-tls' --set 'ingress.tls[1].hosts[0]=b.example.com' >"$results/ingress-hosts.yaml"
check "several Ingress hosts, paths and TLS entries" bash -c "
    node tests/chart/validate-manifests.mjs '$results/ingress-hosts.yaml' >/dev/null && [[ \$(grep -c 'host: \"' '$results/ingress-hosts.yaml') -eq 2 ]] &&
    [[ \$(grep -c 'pathType:' '$results/ingress-hosts.yaml') -eq 3 ]] && grep -q 'secretName: b-tls' '$results/ingress-hosts.yaml'"
render --set 'extraVolumes[0].name=model' --set 'extraVolumes[0].configMap.name=my-model' --set 'extraVolumeMounts[0].name=model' --set 'extraVolumeMounts[0].mountPath=/models' \
    --set 'extraVolumeMounts[0].readOnly=true' --set 'extraEnv[0].name=Model__Repository' --set 'extraEnv[0].value=/models' >"$results/own-model.yaml"
check "extra volumes and mounts: Model__Repository can point at a mounted model repository, still restricted" bash -c "
    node tests/chart/validate-manifests.mjs '$results/own-model.yaml' >/dev/null && node tests/chart/check-restricted.mjs '$results/own-model.yaml' >/dev/null &&
    grep -q 'mountPath: /models' '$results/own-model.yaml' && grep -q 'name: my-model' '$results/own-model.yaml'"
check "probes configurable; the default start-up window is 5 minutes for migrations" bash -c "
    grep -A6 'startupProbe:' '$results/default.yaml' | grep -q 'failureThreshold: 60' && grep -A6 'startupProbe:' '$results/default.yaml' | grep -q 'periodSeconds: 5' &&
    '$helm' template a '$chart' --set probes.startup.failureThreshold=120 | grep -A6 startupProbe: | grep -q 'failureThreshold: 120'"
check "the helm test pod keeps service-mesh sidecars out and does not carry the app's selector labels" bash -c "
    node --input-type=module -e \"import {readFileSync} from 'node:fs'; import {parseAllDocuments} from './tests/node_modules/yaml/dist/index.js';
      const o = parseAllDocuments(readFileSync('$results/default.yaml','utf8')).map((d)=>d.toJSON()).find((o)=>o?.kind==='Pod');
      const a = o.metadata.annotations, l = o.metadata.labels;
      process.exit(a['sidecar.istio.io/inject']==='false' && a['linkerd.io/inject']==='disabled' && l['app.kubernetes.io/name']!=='appraise' ? 0 : 1)\""

# --- NOTES tell the user how to reach the service, and warn about SQLite
"$helm" install appraise "$chart" --dry-run=client -f "$values_dir/minimal.yaml" >"$results/notes-minimal.txt" 2>&1
"$helm" install appraise "$chart" --dry-run=client -f "$values_dir/azure-production.yaml" >"$results/notes-azure.txt" 2>&1
check "NOTES: port-forward and the SQLite warning for minimal" bash -c "grep -q 'kubectl port-forward' '$results/notes-minimal.txt' && grep -q 'WARNING: reports are stored in SQLite' '$results/notes-minimal.txt'"
check "NOTES: the Gateway URL and no SQLite warning for production" bash -c "grep -q 'https://appraise.dev.example.com/helloworld .*envoy-gateway-system/public' '$results/notes-azure.txt' && ! grep -q WARNING '$results/notes-azure.txt'"

# --- plain manifests are generated from the chart and up to date
check "gRPC: the container port, Grpc__Port, an h2c Service port and a GRPCRoute for the inference, health and reflection services" \
    node tests/chart/check-grpc.mjs "$results/everything.yaml"
check "negative control: the gRPC check fails on a Service port without appProtocol" bash -c "
    sed 's|appProtocol: kubernetes.io/h2c|appProtocol: http|' '$results/everything.yaml' >'$results/grpc-http.yaml' && ! node tests/chart/check-grpc.mjs '$results/grpc-http.yaml'"
render --set grpc.containerPort=0 >"$results/no-grpc.yaml"
check "gRPC off (grpc.containerPort 0): no grpc port anywhere, Grpc__Port 0" bash -c "
    grep -q 'Grpc__Port: \"0\"' '$results/no-grpc.yaml' && ! grep -q 'name: grpc' '$results/no-grpc.yaml' && ! grep -q 'port: grpc' '$results/no-grpc.yaml'"
check "deploy/k8s/appraise.yaml is up to date with the chart" scripts/render-manifests.sh --check
check "deploy/k8s/appraise.yaml is valid and restricted" bash -c "node tests/chart/validate-manifests.mjs deploy/k8s/appraise.yaml && node tests/chart/check-restricted.mjs deploy/k8s/appraise.yaml"

# --- alert rules: syntax and a unit test for every alert
mkdir -p "$results/rules"
node tests/chart/extract-rules.mjs "$results/everything.yaml" >"$results/rules/alerts.yaml"
check "promtool check rules" promtool check rules "$results/rules/alerts.yaml"
"$helm" template appraise "$chart" --namespace appraise --set prometheusRule.enabled=true >"$results/rules/rendered.yaml"
node tests/chart/extract-rules.mjs "$results/rules/rendered.yaml" >"$results/rules/default-alerts.yaml"
cp deploy/monitoring/tests/alerts.test.yaml "$results/rules/"
(cd "$results/rules" && sed 's/^  - alerts.yaml$/  - default-alerts.yaml/' alerts.test.yaml >unit.test.yaml)
check "promtool test rules: every alert fires and stays silent when it should" bash -c "cd '$results/rules' && promtool test rules unit.test.yaml"
alerts_tested="$(grep -c 'alertname:' deploy/monitoring/tests/alerts.test.yaml)"
alerts_defined="$(grep -c -- '- alert:' deploy/helm/appraise/files/alerts.yaml)"
check "every one of the $alerts_defined alerts has a unit test" bash -c "for a in \$(grep -oE 'alert: Appraise[A-Za-z0-9]+' deploy/helm/appraise/files/alerts.yaml | cut -d' ' -f2); do grep -q \"alertname: \$a\" deploy/monitoring/tests/alerts.test.yaml || { echo \"untested: \$a\"; exit 1; }; done"
echo "alert unit test cases: $alerts_tested" >>"$results/checks.log"
check "every alert has a runbook section" bash -c "for a in \$(grep -oE 'alert: Appraise[A-Za-z0-9]+' deploy/helm/appraise/files/alerts.yaml | cut -d' ' -f2); do grep -q \"^## \$a\$\" docs/runbook.md || { echo \"no runbook: \$a\"; exit 1; }; done"
check "Alertmanager config (kube-prometheus-stack values) is valid for amtool $("$amtool" --version 2>&1 | awk '/version/{print $3; exit}') (Debian trixie)" "$amtool" check-config "$results/alertmanager.yaml"
check "negative control: bookworm's amtool 0.25 rejects msteamsv2_configs, so the check above needs the newer one" fails /usr/bin/amtool check-config "$results/alertmanager.yaml"
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
        # A pod name as a Deployment's (<name>-<replicaset hash>-<suffix>): Flagger's queries select pods so.
        labels: {namespace: appraise, service: appraise, pod: appraise-5d8f7c9b4-x2x7k}
YAML
key="chart-test-$RANDOM$RANDOM"
ASPNETCORE_ENVIRONMENT=Production Auth__ApiKeys__0="$key" Reports__DataDirectory="$work/data" \
    dotnet "$dll" --urls "http://127.0.0.1:$app_port" --Grpc:Port=0 >"$results/appraise.log" 2>&1 &
app=$!
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$prom_port" >"$results/prometheus.log" 2>&1 &
prom=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$app_port/readyz" >/dev/null && curl -sf "http://127.0.0.1:$prom_port/-/ready" >/dev/null && break; sleep 0.2; done
APPRAISE_API_KEY="$key" scripts/smoke.sh "http://127.0.0.1:$app_port" >"$results/traffic.log" 2>&1
# Prometheus needs a scrape after the traffic and one evaluation of every rule (health "unknown"
# until then): ask until everything holds or a generous deadline passes; the last answer counts.
deadline=$((SECONDS + 90))
until node tests/chart/check-prometheus.mjs "http://127.0.0.1:$prom_port" "$work/alerts.yaml" deploy/helm/appraise/files/dashboard.json \
    >"$results/prometheus-checks.log" 2>&1 || ((SECONDS > deadline)); do
    sleep 1
done
check "real Prometheus: target up, every metric exists, every dashboard and alert expression evaluates ($(tail -1 "$results/prometheus-checks.log"))" \
    grep -q ' 0 failed$' "$results/prometheus-checks.log"
grep -E '^FAIL' "$results/prometheus-checks.log" || true
# Traffic Prometheus sees arrive: the smoke run may end before the first scrape, and a counter's
# first sample is no increase (a rate of 0, so 0/0). The hour as the interval: the mutants ask
# again minutes later.
for _ in $(seq 1 20); do curl -s -o /dev/null -H "X-Api-Key: $key" "http://127.0.0.1:$app_port/helloworld"; done
sleep 3
check "Flagger's MetricTemplates (error rate, p99 latency) each answer one number on the real Prometheus, as Flagger needs" \
    node tests/chart/check-flagger-queries.mjs "http://127.0.0.1:$prom_port" "$results/flagger-analysis.yaml" appraise appraise 1h
# appraise and Prometheus keep running for the mutants (the Flagger queries); stopped at the end.

# --- probes, as the kubelet runs them: each rendered probe's path and port against a real appraise,
# healthy and then draining after SIGTERM. The readiness probe must take a draining pod out of
# the Service (503) while liveness and start-up keep it alive (200); a probe on the wrong port or
# path cannot pass both.
probe_healthy_port="${APPRAISE_CHART_PROBE_PORT:-18602}"
probe_draining_port="${APPRAISE_CHART_DRAINING_PORT:-18603}"
probe_work="$(mktemp -d)"
probe_pids=()
for port in "$probe_healthy_port" "$probe_draining_port"; do
    ASPNETCORE_ENVIRONMENT=Production Auth__ApiKeys__0="$key" Reports__DataDirectory="$probe_work/$port" \
        Shutdown__DrainDelay=00:02:00 Shutdown__Timeout=00:03:00 \
        dotnet "$dll" --urls "http://127.0.0.1:$port" --Grpc:Port=0 >"$results/probe-$port.log" 2>&1 &
    probe_pids+=($!)
    wait_for_url "http://127.0.0.1:$port/readyz" 60 >>"$check_log"
done
kill -TERM "${probe_pids[1]}"
# The draining instance answers readiness 503 from the SIGTERM on (Shutdown__DrainDelay: 2 minutes).
for _ in $(seq 1 50); do [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$probe_draining_port/readyz")" == 503 ]] && break; sleep 0.1; done
probes_behave() { # probes_behave RENDERED.yaml: every probe on the service's port, right healthy and draining
    local kind path port listening code healthy draining
    while read -r kind path port; do
        if [[ "$kind" == listening ]]; then listening="$port"; continue; fi
        [[ "$port" == "$listening" ]] || { echo "$kind probe on port $port; the service listens on $listening"; return 1; }
        healthy="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$probe_healthy_port$path")"
        draining="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$probe_draining_port$path")"
        echo "$kind $path: healthy $healthy, draining $draining"
        [[ "$healthy" == 200 ]] || return 1
        if [[ "$kind" == readiness ]]; then code=503; else code=200; fi
        [[ "$draining" == "$code" ]] || { echo "$kind probe: draining answers $draining, wanted $code"; return 1; }
    done < <(node tests/chart/probes.mjs "$1" || echo "unreadable - -")
}
for name in default azure-production aws-production minimal plain-manifests everything; do
    check "probes: healthy pods pass every probe, a draining pod fails only readiness ($name)" probes_behave "$results/$name.yaml"
done

# --- the hand-written mutants this stage must kill (tests/chart/mutants.sh)
# shellcheck source=tests/lib/mutants.sh
source tests/lib/mutants.sh
# shellcheck source=tests/chart/mutants.sh
source tests/chart/mutants.sh
kill "${probe_pids[@]}" 2>/dev/null
wait "${probe_pids[@]}" 2>/dev/null
rm -rf "$probe_work"
kill "$app" "$prom" 2>/dev/null
wait "$app" "$prom" 2>/dev/null
rm -rf "$work"

checks_summary chart
