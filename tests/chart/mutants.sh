# shellcheck shell=bash
# shellcheck disable=SC2016 # the edits are Helm template text, not shell to expand
# The chart stage's hand-written mutants (tests/lib/mutants.sh): one edit each to the chart or its
# monitoring that a user would feel, each of which one of the stage's checks must catch. Sourced
# by tests/chart/run.sh once its rendering, probe instances and rule files are in place; each
# COMMAND runs in the mutated copy, from its root.

: "${helm:?set by tests/chart/run.sh}"
# render_copy OUT [helm args...]: the mutated chart rendered as the stage renders its values files.
render_copy() { local out="$1"; shift; "$helm" template appraise deploy/helm/appraise --namespace appraise "$@" >"$out"; }
probes_of_copy() { render_copy probes.yaml -f deploy/helm/values/aws-production.yaml && probes_behave probes.yaml; }
restricted_copy() { render_copy restricted.yaml && node tests/chart/check-restricted.mjs restricted.yaml; }
# The stage's NetworkPolicy claim for production: other namespaces stay out.
policy_copy() {
    render_copy policy.yaml -f deploy/helm/values/aws-production.yaml &&
        node tests/chart/check-networkpolicy.mjs policy.yaml 'intruder->app:http deny' 'gateway->app:http allow'
}
grace_copy() { render_copy grace.yaml -f deploy/helm/values/aws-production.yaml && grep -q 'terminationGracePeriodSeconds: 35' grace.yaml; }
alert_tests_copy() {
    render_copy rules.yaml --set prometheusRule.enabled=true && mkdir -p rules &&
        node tests/chart/extract-rules.mjs rules.yaml >rules/default-alerts.yaml &&
        sed 's/^  - alerts.yaml$/  - default-alerts.yaml/' deploy/monitoring/tests/alerts.test.yaml >rules/unit.test.yaml &&
        (cd rules && promtool test rules unit.test.yaml)
}
# Models from storage and canaries (issue 25): the same values and checks as tests/chart/run.sh.
# shellcheck disable=SC2154 # canary_values, model_storage and prom_port: set by tests/chart/run.sh
canary_copy() { render_copy canary.yaml "${canary_values[@]}" && canary_split canary.yaml; }
# shellcheck disable=SC2154
model_copy() { render_copy model.yaml "${model_storage[@]}" && model_env model.yaml; }
relative_repository_refused_copy() {
    ! "$helm" template a deploy/helm/appraise --set model.repository=models/ >relative.txt 2>&1 && grep -q 'does not match pattern' relative.txt
}
admin_key_refused_copy() {
    ! "$helm" install a deploy/helm/appraise --dry-run=client --set model.repositoryApi.enabled=true >admin.txt 2>&1 && grep -q 'adminKeySecret/name' admin.txt
}
flagger_render_copy() { render_copy flagger.yaml -f deploy/helm/values/aws-production.yaml --set canary.flagger.enabled=true --set serviceMonitor.enabled=true; }
flagger_copy() { flagger_render_copy && flagger_valid flagger.yaml; }
# shellcheck disable=SC2154
flagger_queries_copy() { flagger_render_copy && node tests/chart/check-flagger-queries.mjs "http://127.0.0.1:$prom_port" flagger.yaml appraise appraise 1h; }

mutant_control "the probes' behaviour" -- probes_of_copy
mutant_control "the restricted Pod Security Standard" -- restricted_copy
mutant_control "the production NetworkPolicy" -- policy_copy
mutant_control "the grace period" -- grace_copy
mutant_control "the alert unit tests" -- alert_tests_copy
mutant_control "the canary split" -- canary_copy
mutant_control "the model settings" -- model_copy
mutant_control "a relative model repository refused" -- relative_repository_refused_copy
mutant_control "the repository API without an admin key refused" -- admin_key_refused_copy
mutant_control "the Flagger objects" -- flagger_copy
mutant_control "the Flagger queries on the real Prometheus" -- flagger_queries_copy

kill_mutant "the readiness probe on /healthz: a draining pod keeps its traffic" \
    deploy/helm/appraise/templates/_pod.tpl $'readinessProbe:\n        httpGet:\n          path: /readyz' \
    $'readinessProbe:\n        httpGet:\n          path: /healthz' -- probes_of_copy
kill_mutant "the liveness probe on /readyz: a draining pod is killed before it finishes" \
    deploy/helm/appraise/templates/_pod.tpl $'livenessProbe:\n        httpGet:\n          path: /healthz' \
    $'livenessProbe:\n        httpGet:\n          path: /readyz' -- probes_of_copy
kill_mutant "the probes on a port the service does not listen on" \
    deploy/helm/appraise/templates/configmap.yaml 'ASPNETCORE_HTTP_PORTS: {{ .Values.containerPort | quote }}' 'ASPNETCORE_HTTP_PORTS: "9090"' -- probes_of_copy
kill_mutant "privilege escalation allowed by default" \
    deploy/helm/appraise/values.yaml 'allowPrivilegeEscalation: false' 'allowPrivilegeEscalation: true' -- restricted_copy
kill_mutant "a NetworkPolicy that admits every namespace" \
    deploy/helm/appraise/templates/networkpolicy.yaml $'      from:\n' $'      from:\n        - namespaceSelector: {}\n' -- policy_copy
kill_mutant "a grace period that no longer covers the pre-stop pause and the shutdown" \
    deploy/helm/appraise/templates/_pod.tpl 'terminationGracePeriodSeconds: {{ add $root.Values.shutdown.preStopSeconds $root.Values.shutdown.timeoutSeconds 5 }}' \
    'terminationGracePeriodSeconds: {{ $root.Values.shutdown.timeoutSeconds }}' -- grace_copy
kill_mutant "the report-store alert waiting 20 minutes instead of 2" \
    deploy/helm/appraise/files/alerts.yaml $'expr: min(appraise_reports_store_up{ {{ $sel }} }) == 0\n      for: 2m' \
    $'expr: min(appraise_reports_store_up{ {{ $sel }} }) == 0\n      for: 20m' -- alert_tests_copy

kill_mutant "the HTTPRoute's weights swapped: the canary gets 90 % of the requests" \
    deploy/helm/appraise/templates/httproute.yaml \
    $'weight: {{ sub 100 (int .Values.canary.weight) }}\n        - name: {{ include "appraise.fullname" . | trunc 56 | trimSuffix "-" }}-canary\n          port: {{ .Values.service.port }}\n          weight: {{ int .Values.canary.weight }}' \
    $'weight: {{ int .Values.canary.weight }}\n        - name: {{ include "appraise.fullname" . | trunc 56 | trimSuffix "-" }}-canary\n          port: {{ .Values.service.port }}\n          weight: {{ sub 100 (int .Values.canary.weight) }}' -- canary_copy
kill_mutant "canary pods with the stable name label: the stable Service and Deployment select them too" \
    deploy/helm/appraise/templates/_helpers.tpl $'app.kubernetes.io/name: {{ include "appraise.name" . | trunc 56 | trimSuffix "-" }}-canary\n' \
    $'app.kubernetes.io/name: {{ include "appraise.name" . }}\n' -- canary_copy
kill_mutant "the canary's pins ignored: both tracks serve the same version" \
    deploy/helm/appraise/templates/_helpers.tpl '{{- if eq .track "canary" }}{{ $pins = merge (deepCopy .root.Values.canary.model.pins) $pins }}{{ end }}' '' -- canary_copy
kill_mutant "the NetworkPolicy on the stable pods only: the Gateway cannot reach the canary" \
    deploy/helm/appraise/templates/networkpolicy.yaml '{{- include "appraise.releasePodSelector" . | nindent 4 }}' \
    $'matchLabels:\n      {{- include "appraise.selectorLabels" . | nindent 6 }}' -- canary_copy
kill_mutant "the canary Service without the labels the ServiceMonitor selects: no canary metrics" \
    deploy/helm/appraise/templates/canary.yaml $'{{- include "appraise.labels" . | nindent 4 }}\n    app.kubernetes.io/component: canary' \
    $'{{- include "appraise.commonLabels" . | nindent 4 }}\n    app.kubernetes.io/component: canary' -- canary_copy
kill_mutant "the model cache not mounted: downloads hit the read-only root filesystem" \
    deploy/helm/appraise/templates/_pod.tpl $'        - name: model-cache\n          mountPath: {{ include "appraise.modelCacheDirectory" $root }}\n' '' -- model_copy
kill_mutant "the storage connection string without its Secret's key" \
    deploy/helm/appraise/templates/_helpers.tpl '"key" $m.storageConnectionString.key "optional" false' '"key" "connectionString-typo" "optional" false' -- model_copy
kill_mutant "a relative model repository path accepted by the schema" \
    deploy/helm/appraise/values.schema.json '"^$|^/[^\\s]*$|^https://' '"^$|^[^\\s]*$|^https://' -- relative_repository_refused_copy
kill_mutant "the schema lets the repository API through without an admin key" \
    deploy/helm/appraise/values.schema.json '"const": true' '"const": "never"' -- admin_key_refused_copy
kill_mutant "a Canary field Flagger v1.44.0 does not know (the API server would drop it)" \
    deploy/helm/appraise/templates/flagger.yaml '    stepWeight: {{ $f.stepWeight }}' '    stepWeigth: {{ $f.stepWeight }}' -- flagger_copy
kill_mutant "Flagger's primary pods outside the NetworkPolicy" \
    deploy/helm/appraise/templates/_helpers.tpl '{{ ternary "primary" "canary" $v.flagger.enabled }}' '{{ ternary "canary" "primary" $v.flagger.enabled }}' -- flagger_copy
kill_mutant "the error-rate query as a sum over 5xx: empty without errors, so every analysis fails" \
    deploy/helm/appraise/templates/flagger.yaml '100 - 100 * sum(rate(http_server_request_duration_seconds_count{ {{ $pods }}, http_route!~"/metrics|/healthz|/readyz", http_response_status_code!~"5.." }' \
    '100 * sum(rate(http_server_request_duration_seconds_count{ {{ $pods }}, http_route!~"/metrics|/healthz|/readyz", http_response_status_code=~"5.." }' -- flagger_queries_copy
