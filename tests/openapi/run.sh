#!/usr/bin/env bash
# The OpenAPI document as clients use it: fetched from the Release build running as a real
# process, linted with Redocly's recommended rules (zero errors; every warning left is listed
# with its reason in tests/openapi/.redocly.lint-ignore.yaml), then a TypeScript client generated
# from it by @hey-api/openapi-ts, type-checked with tsc and run against the service: hello, a
# prediction with the key, the report read back, 418 for a wrong key, 422 naming the field.
# Ends with "openapi: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/openapi"
rm -rf "$results" && mkdir -p "$results"
check_log="$results/checks.log"
# shellcheck source=tests/lib/checks.sh
source "$root/tests/lib/checks.sh"
port="${APPRAISE_OPENAPI_PORT:-18750}"
key="openapi-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')"
work=tests/openapi
data="$(mktemp -d)"
service=""
cleanup() { [[ -n "$service" ]] && kill -TERM "$service" 2>/dev/null; wait 2>/dev/null; rm -rf "$data" "$work/generated" "$work/dist" "$work/openapi.json"; }
trap cleanup EXIT

setup "npm ci in tests/openapi (Redocly CLI, @hey-api/openapi-ts, TypeScript, pinned)" \
    npm ci --prefix "$work" --no-audit --no-fund --loglevel=error || { checks_summary openapi; exit 1; }
ASPNETCORE_ENVIRONMENT=Production Auth__ApiKeys__0="$key" Reports__DataDirectory="$data" \
    dotnet src/Appraise.Api/bin/Release/net10.0/Appraise.Api.dll --urls "http://127.0.0.1:$port" --Grpc:Port=0 >"$results/service.log" 2>&1 &
service=$!
setup "the service answers" wait_for_url "http://127.0.0.1:$port/readyz" 60 || { checks_summary openapi; exit 1; }
setup "the served document is saved" curl -sf -o "$work/openapi.json" "http://127.0.0.1:$port/openapi/v1.json" || { checks_summary openapi; exit 1; }
cp "$work/openapi.json" "$results/openapi.json"

# Clean means no error and no warning beyond the justified ones (Redocly exits 0 on warnings,
# and reports a broken example as a warning, so the summary decides).
lint_clean() { # lint_clean DIRECTORY LOG: lints DIRECTORY/openapi.json with tests/openapi's config and ignore file
    cp "$work/redocly.yaml" "$work/.redocly.lint-ignore.yaml" "$1/" 2>/dev/null
    (cd "$1" && "$root/$work/node_modules/.bin/redocly" lint openapi.json --config redocly.yaml --format=stylish --max-problems 1000) >"$2" 2>&1 &&
        grep -q 'Your API description is valid' "$2" && ! grep -qE '[0-9]+ warnings?\.' "$2"
}
check "Redocly recommended rules: no error, no warning that is not justified in the ignore file" lint_clean "$work" "$results/lint.log"
# Negative control: the same lint, on the same document with one example broken, must complain.
broken="$(mktemp -d)"
/usr/bin/python3 - "$work/openapi.json" "$broken/openapi.json" <<'PY'
import json, sys
document = json.load(open(sys.argv[1]))
body = document["paths"]["/api/v1/prediction"]["post"]["requestBody"]["content"]["application/json"]
body["example"]["event_id"] = "one"
json.dump(document, open(sys.argv[2], "w"))
PY
lint_refuses() { ! lint_clean "$@"; }
check "... and the same lint refuses the document with one example that breaks its schema" lint_refuses "$broken" "$results/lint-broken.log"
rm -rf "$broken"

check "a client generated from the document by @hey-api/openapi-ts" \
    bash -c "cd '$work' && node_modules/.bin/openapi-ts -f openapi-ts.config.mjs --no-log-file -s"
check "the generated client and the code using it type-check (tsc --strict)" bash -c "cd '$work' && node_modules/.bin/tsc -p tsconfig.json"
node "$work/dist/client-test.js" "http://127.0.0.1:$port" "$key" >"$results/client.log" 2>&1
cat "$results/client.log"
add_counts_from client "$results/client.log"

checks_summary openapi
