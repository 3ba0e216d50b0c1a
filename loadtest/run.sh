#!/usr/bin/env bash
# Locust (Debian's python3-locust, headless) against appraise; exits 1 when more than 1 % of
# requests fail or p95 exceeds 50 ms (loadtest/locustfile.py). Its last line is
# "loadtest: PASS" or "loadtest: FAIL: <why>".
#   loadtest/run.sh BASE_URL    an existing deployment; APPRAISE_API_KEY must hold a valid key
#   loadtest/run.sh             starts the Release build on loopback for the run, with its own key
#   LOAD_USERS (10) LOAD_SPAWN_RATE (5) LOAD_DURATION (20s) LOAD_MAX_FAILURE_RATIO LOAD_MAX_P95_MS
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
base_url="${1:-}"
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/loadtest"
mkdir -p "$results"

if ! command -v locust >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-locust >/dev/null
fi

service=""
work=""
cleanup() {
    if [[ -n "$service" ]]; then kill -TERM "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; fi
    if [[ -n "$work" ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT

if [[ -z "$base_url" ]]; then
    port="${LOAD_PORT:-18600}"
    work="$(mktemp -d)"
    APPRAISE_API_KEY="load-$RANDOM$RANDOM"
    dll="src/Appraise.Api/bin/Release/net10.0/Appraise.Api.dll"
    [[ -f "$dll" ]] || dotnet build src/Appraise.Api -c Release -nologo -v quiet >/dev/null
    ASPNETCORE_ENVIRONMENT=Production Auth__ApiKeys__0="$APPRAISE_API_KEY" Reports__DataDirectory="$work" \
        dotnet "$dll" --urls "http://127.0.0.1:$port" --Grpc:Port=0 >"$results/service.log" 2>&1 &
    service=$!
    base_url="http://127.0.0.1:$port"
    for _ in $(seq 1 100); do curl -sf "$base_url/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
fi
: "${APPRAISE_API_KEY:?APPRAISE_API_KEY must hold a valid API key for $base_url}"
export APPRAISE_API_KEY

# The locust on PATH: pip's as installed; Debian's on Debian's Python, whatever python3 comes first.
locust=(locust)
[[ "$(command -v locust)" == /usr/bin/locust ]] && locust=(/usr/bin/python3 /usr/bin/locust)
"${locust[@]}" -f loadtest/locustfile.py --headless --only-summary \
    -u "${LOAD_USERS:-10}" -r "${LOAD_SPAWN_RATE:-5}" -t "${LOAD_DURATION:-20s}" --host "$base_url" \
    --csv "$results/locust" 2>&1 | tee "$results/locust.log" | grep -E "^loadtest: "
