# shellcheck shell=bash
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

mutant_control "the probes' behaviour" -- probes_of_copy
mutant_control "the restricted Pod Security Standard" -- restricted_copy
mutant_control "the production NetworkPolicy" -- policy_copy
mutant_control "the grace period" -- grace_copy
mutant_control "the alert unit tests" -- alert_tests_copy

kill_mutant "the readiness probe on /healthz: a draining pod keeps its traffic" \
    deploy/helm/appraise/templates/deployment.yaml $'readinessProbe:\n            httpGet:\n              path: /readyz' \
    $'readinessProbe:\n            httpGet:\n              path: /healthz' -- probes_of_copy
kill_mutant "the liveness probe on /readyz: a draining pod is killed before it finishes" \
    deploy/helm/appraise/templates/deployment.yaml $'livenessProbe:\n            httpGet:\n              path: /healthz' \
    $'livenessProbe:\n            httpGet:\n              path: /readyz' -- probes_of_copy
kill_mutant "the probes on a port the service does not listen on" \
    deploy/helm/appraise/templates/configmap.yaml 'ASPNETCORE_HTTP_PORTS: {{ .Values.containerPort | quote }}' 'ASPNETCORE_HTTP_PORTS: "9090"' -- probes_of_copy
kill_mutant "privilege escalation allowed by default" \
    deploy/helm/appraise/values.yaml 'allowPrivilegeEscalation: false' 'allowPrivilegeEscalation: true' -- restricted_copy
kill_mutant "a NetworkPolicy that admits every namespace" \
    deploy/helm/appraise/templates/networkpolicy.yaml $'      from:\n' $'      from:\n        - namespaceSelector: {}\n' -- policy_copy
kill_mutant "a grace period that no longer covers the pre-stop pause and the shutdown" \
    deploy/helm/appraise/templates/deployment.yaml 'terminationGracePeriodSeconds: {{ add .Values.shutdown.preStopSeconds .Values.shutdown.timeoutSeconds 5 }}' \
    'terminationGracePeriodSeconds: {{ .Values.shutdown.timeoutSeconds }}' -- grace_copy
kill_mutant "the report-store alert waiting 20 minutes instead of 2" \
    deploy/helm/appraise/files/alerts.yaml $'expr: min(appraise_reports_store_up{ {{ $sel }} }) == 0\n      for: 2m' \
    $'expr: min(appraise_reports_store_up{ {{ $sel }} }) == 0\n      for: 20m' -- alert_tests_copy
