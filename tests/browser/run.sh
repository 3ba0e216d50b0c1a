#!/usr/bin/env bash
# The pages people use, in Debian's headless Chromium driven by playwright-core (no browser
# download): the home page at / (tests/browser/home-page.mjs) and Swagger UI at /docs
# (tests/browser/docs-page.mjs: Authorize, Try it out, Execute), against the Release build as a
# real process in Production. Screenshots land in the results directory (docs/screenshots holds
# the committed ones: APPRAISE_SCREENSHOTS=docs/screenshots refreshes them).
# Ends with "browser: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/browser"
rm -rf "$results" && mkdir -p "$results"
check_log="$results/checks.log"
# shellcheck source=tests/lib/checks.sh
source "$root/tests/lib/checks.sh"
port="${APPRAISE_BROWSER_PORT:-18700}"
dll=src/Appraise.Api/bin/Release/net10.0/Appraise.Api.dll
data="$(mktemp -d)"
key="browser-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')"
service=""
cleanup() { [[ -n "$service" ]] && kill -TERM "$service" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

command -v chromium >/dev/null || setup "install Debian's chromium" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
setup "npm ci in tests/browser (playwright-core, pinned)" npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error || { checks_summary browser; exit 1; }

start() { # start ENV...: the service on $port with the given extra settings
    env ASPNETCORE_ENVIRONMENT=Production Auth__ApiKeys__0="$key" Reports__DataDirectory="$data" "$@" \
        dotnet "$dll" --urls "http://127.0.0.1:$port" --Grpc:Port=0 >>"$results/service.log" 2>&1 &
    service=$!
    wait_for_url "http://127.0.0.1:$port/readyz" 60
}
stop() { kill -TERM "$service"; wait "$service"; service=""; }

setup "the service answers" start || { cat "$results/service.log"; checks_summary browser; exit 1; }
node tests/browser/home-page.mjs "http://127.0.0.1:$port" "${APPRAISE_SCREENSHOTS:-$results}" >"$results/home-page.log" 2>&1
cat "$results/home-page.log"
add_counts_from browser "$results/home-page.log"
node tests/browser/docs-page.mjs "http://127.0.0.1:$port" "$key" >"$results/docs-page.log" 2>&1
cat "$results/docs-page.log"
add_counts_from docs "$results/docs-page.log"
stop

setup "the service answers with Home__Enabled=false" start Home__Enabled=false || { checks_summary browser; exit 1; }
check "with the page turned off (Home__Enabled=false) a browser at / gets the JSON greeting" bash -c \
    "curl -sf -H 'Accept: text/html' 'http://127.0.0.1:$port/' | grep -q '\"message\":\"Hello World\"'"
check "... and the page's assets are not served" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/assets/home.js")" == 404
stop

checks_summary browser
