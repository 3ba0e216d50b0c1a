#!/usr/bin/env bash
# Judges latency where it means something: the 95th percentile of appraise's own request
# duration (http_server_request_duration_seconds, health and metrics routes left out) over the
# last WINDOW, read from the Prometheus that scrapes it inside the cluster. A load test run from
# a CI machine in another region measures the WAN; this measures the service. Run it right after
# the load test. Prints "server-latency: p95 N ms over WINDOW (limit M ms)".
#   PROMETHEUS_URL      a Prometheus base URL, or else the API server's service proxy is used:
#   PROMETHEUS_SERVICE  namespace/service:port (monitoring/kube-prometheus-stack-prometheus:9090)
#   NAMESPACE (appraise)  WINDOW (2m)  SERVER_MAX_P95_MS (50)
set -euo pipefail
namespace="${NAMESPACE:-appraise}"
window="${WINDOW:-2m}"
limit="${SERVER_MAX_P95_MS:-50}"
service="${PROMETHEUS_SERVICE:-monitoring/kube-prometheus-stack-prometheus:9090}"
query="histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{namespace=\"$namespace\",http_route!~\"/metrics|/healthz|/readyz\"}[$window])))"

if [[ -n "${PROMETHEUS_URL:-}" ]]; then
    answer="$(curl -fsS --max-time 30 --get --data-urlencode "query=$query" "$PROMETHEUS_URL/api/v1/query")"
else
    encoded="$(jq -rn --arg q "$query" '$q | @uri')"
    answer="$(kubectl get --raw "/api/v1/namespaces/${service%%/*}/services/${service#*/}/proxy/api/v1/query?query=$encoded")"
fi
seconds="$(jq -r '.data.result[0].value[1] // "none"' <<<"$answer")"
if [[ "$seconds" == none || "$seconds" == NaN ]]; then
    echo "server-latency: no requests to namespace $namespace measured in the last $window (is Prometheus scraping appraise?)"
    exit 1
fi
awk -v s="$seconds" -v limit="$limit" -v window="$window" 'BEGIN {
    ms = s * 1000
    printf "server-latency: p95 %.1f ms over %s (limit %s ms)\n", ms, window, limit
    exit (ms <= limit) ? 0 : 1 }'
