#!/usr/bin/env bash
# Black-box: the Release build as a real process in Production, as a user starts it. Every
# endpoint through scripts/smoke.sh (each of its checks counts), then SIGTERM: exit 0 and no API
# key anywhere in the log. Ends with "process: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/process"
rm -rf "$results" && mkdir -p "$results"
check_log="$results/checks.log"
# shellcheck source=tests/lib/checks.sh
source "$root/tests/lib/checks.sh"

port="${APPRAISE_PROCESS_PORT:-18080}"
data="$(mktemp -d)"
key="process-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')"
dll=src/Appraise.Api/bin/Release/net10.0/Appraise.Api.dll
ASPNETCORE_ENVIRONMENT=Production Auth__ApiKeys__0="$key" Reports__DataDirectory="$data" \
    dotnet "$dll" --urls "http://127.0.0.1:$port" --Grpc:Port=0 >"$results/service.log" 2>&1 &
service=$!
trap 'kill -KILL "$service" 2>/dev/null; rm -rf "$data"' EXIT

# Setup, not a test: the service has to answer before anything can be checked.
setup "the service answers /readyz within 60 s" wait_for_url "http://127.0.0.1:$port/readyz" 60 || { cat "$results/service.log"; checks_summary process; exit 1; }

APPRAISE_API_KEY="$key" scripts/smoke.sh "http://127.0.0.1:$port" >"$results/smoke.log" 2>&1
cat "$results/smoke.log"
add_counts_from smoke "$results/smoke.log"

kill -TERM "$service"
wait "$service"
check "exits 0 on SIGTERM" test $? -eq 0
check "the log holds no API key" bash -c "! grep -qF -- '$key' '$results/service.log'"

checks_summary process
