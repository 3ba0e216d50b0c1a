#!/usr/bin/env bash
# The Open Inference Protocol as third parties use it, against the Release build as a real
# process serving a model repository (the housing model, a 3-class string-label random forest
# and a binary gradient boosting classifier, trained by tests/model/parity_models.py):
#   - REST (tests/oip/rest.mjs): every answer against JSON Schemas written from the spec, a
#     binary tensor data request built byte by byte, every error's status and shape, the
#     repository extension's unload and load;
#   - gRPC: every rpc by @grpc/grpc-js with the spec's .proto (tests/oip/grpc-node.mjs), the
#     standard health service and reflection, and by Debian's python3-grpcio (grpc_python.py);
#   - hot reload under load: wrk posts v2 requests while a new version is copied in, then a
#     broken one: no failed request, the switch seen in the answers and on /v2/models/{m}, the
#     broken file refused while the previous version serves;
#   - memory: a model of a million nodes loaded, then unloaded: the heap and the resident set
#     come back (figures printed).
# Ends with "oip: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/oip"
rm -rf "$results" && mkdir -p "$results"
check_log="$results/checks.log"
# shellcheck source=tests/lib/checks.sh
source "$root/tests/lib/checks.sh"

http_port="${APPRAISE_OIP_PORT:-18650}"
grpc_port=$((http_port + 1))
base="http://127.0.0.1:$http_port"
work="$(mktemp -d)"
repository="$work/repository"
api_key="oip-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')"
admin_key="oip-admin-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')"
service=""
trap '[[ -n "$service" ]] && kill -KILL "$service" 2>/dev/null; rm -rf "$work"' EXIT

# rest.mjs validates with ajv from the shared checkers (tests/package.json).
setup "npm clients (tests/oip: @grpc/grpc-js, @grpc/proto-loader, grpc-health-check, grpc-js-reflection-client; tests: ajv)" \
    tools/install-checkers.sh shared oip || { checks_summary oip; exit 1; }
setup "protoc: a descriptor set of the spec's .proto for python3-grpcio" \
    protoc --include_imports -Isrc/Appraise.Api/OpenInference/Protos --descriptor_set_out="$work/oip.pb" open_inference_grpc.proto
make_repository() {
    mkdir -p "$repository/housing" "$repository/hot" &&
        cp -r model/housing/1 "$repository/housing/" && cp -r model/housing/1 "$repository/hot/" &&
        /usr/bin/python3 tests/model/parity_models.py --out "$work/trained" --only wine-rf cancer-gbc &&
        for model in wine-rf cancer-gbc; do mkdir -p "$repository/$model" && cp -r "$work/trained/$model/1" "$repository/$model/"; done &&
        /usr/bin/python3 tests/oip/big_model.py "$work/big/1"
}
setup "a model repository: housing, hot (a copy), wine-rf, cancer-gbc; a large model kept aside" make_repository || { checks_summary oip; exit 1; }

dll=src/Appraise.Api/bin/Release/net10.0/Appraise.Api.dll
ASPNETCORE_ENVIRONMENT=Production Auth__ApiKeys__0="$api_key" Auth__AdminKeys__0="$admin_key" \
    Reports__DataDirectory="$work/data" Model__Repository="$repository" Model__Default=housing \
    Model__RepositoryApi=true Model__PollInterval=00:00:01 RateLimiting__Enabled=false \
    dotnet "$dll" --urls "$base" --Grpc:Port="$grpc_port" >"$results/service.log" 2>&1 &
service=$!
setup "the service answers /v2/health/ready within 60 s" wait_for_url "$base/v2/health/ready" 60 || { cat "$results/service.log"; checks_summary oip; exit 1; }

node tests/oip/rest.mjs "$base" "$api_key" "$admin_key" 2>&1 | tee "$results/rest.log"
add_counts_from rest "$results/rest.log"
node tests/oip/grpc-node.mjs "$base" "127.0.0.1:$grpc_port" "$api_key" 2>&1 | tee "$results/grpc-node.log"
add_counts_from grpc-node "$results/grpc-node.log"
/usr/bin/python3 tests/oip/grpc_python.py "127.0.0.1:$grpc_port" "$api_key" "$work/oip.pb" 2>&1 | tee "$results/grpc-python.log"
add_counts_from grpc-python "$results/grpc-python.log"

# Hot reload under load (the rate limit is off for this process: one client sends it all): version 2 of "hot" copied in while wrk runs, then a broken version 3 and
# a broken replacement of version 2's file; the unversioned route answers from the newest that serves.
served_versions() { curl -s "$base/v2/models/hot" | grep -o '"versions":\[[^]]*\]'; }
wait_for() { # wait_for SECONDS COMMAND...: polls until COMMAND succeeds
    local deadline=$((SECONDS + $1)); shift
    until "$@"; do ((SECONDS < deadline)) || return 1; sleep 0.2; done
}
KEY="$api_key" wrk -t2 -c8 -d20s -s tests/oip/infer.lua "$base/v2/models/hot/infer" >"$results/wrk.log" 2>&1 &
load=$!
sleep 4
cp -r model/housing/1 "$work/hot-2" && mv "$work/hot-2" "$repository/hot/2"
check "a version copied in under load serves without a restart: /v2/models/hot lists versions 1 and 2" \
    wait_for 15 bash -c "[[ \"\$(curl -s '$base/v2/models/hot' | grep -o '\"versions\":\[[^]]*\]')\" == '\"versions\":[\"1\",\"2\"]' ]]"
mkdir -p "$work/hot-3" && head -c 1000 model/housing/1/model.onnx >"$work/hot-3/model.onnx" && mv "$work/hot-3" "$repository/hot/3"
check "a broken version 3 is refused with its reason in the index, and 2 keeps answering" wait_for 15 bash -c "
    curl -s -X POST -H 'x-api-key: $admin_key' '$base/v2/repository/index' | grep -q '\"name\":\"hot\",\"version\":\"3\",\"state\":\"UNAVAILABLE\",\"reason\":\"[^\"]' &&
    curl -s -X POST -H 'x-api-key: $api_key' -H 'content-type: application/json' '$base/v2/models/hot/infer' \
        -d '{\"inputs\":[{\"name\":\"X\",\"shape\":[1,6],\"datatype\":\"FP64\",\"data\":[0,6.5,296,15,390,5]}]}' | grep -q '\"model_version\":\"2\"'"
head -c 500 model/housing/1/model.onnx >"$work/broken.onnx" && mv "$work/broken.onnx" "$repository/hot/2/model.onnx"
check "version 2's file replaced by a broken one: the file loaded before keeps serving, the failure counted" wait_for 15 bash -c "
    curl -s -X POST -H 'x-api-key: $admin_key' '$base/v2/repository/index' | grep -q '\"name\":\"hot\",\"version\":\"2\",\"state\":\"READY\",\"reason\":\"[^\"]' &&
    curl -s '$base/metrics' | grep -q 'appraise_model_loads_total{model=\"hot\",outcome=\"failed\"} [2-9]'"
wait "$load"
cat "$results/wrk.log"
check "under load: every request answered 200, none failed or dropped" bash -c "
    grep -q '^failed-responses 0$' '$results/wrk.log' && grep -q '^socket-errors 0$' '$results/wrk.log'"
check "under load: answers came from version 1 and then from version 2" bash -c "
    grep -Eq '^answered-by-version 1 [1-9]' '$results/wrk.log' && grep -Eq '^answered-by-version 2 [1-9]' '$results/wrk.log'"

# Memory: the managed heap after the compacting collection a load and an unload end with, and the resident set.
heap_mb() { curl -s "$base/metrics" | awk '/^dotnet_gc_last_collection_heap_size_bytes/ { s += $2 } END { printf "%.1f", s / 1048576 }'; }
rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$service/status"; }
heap_before="$(heap_mb)"; rss_before="$(rss_mb)"
mv "$work/big" "$repository/big"
check "a model of a million nodes loads (/v2/models/big/ready within 60 s)" wait_for 60 bash -c "curl -sf '$base/v2/models/big/ready' >/dev/null"
heap_loaded="$(heap_mb)"; rss_loaded="$(rss_mb)"
curl -s -X POST -H "x-api-key: $admin_key" "$base/v2/repository/models/big/unload" >>"$check_log"
heap_after="$(heap_mb)"; rss_after="$(rss_mb)"
echo "memory (MB): heap $heap_before -> $heap_loaded loaded -> $heap_after unloaded; resident $rss_before -> $rss_loaded -> $rss_after" | tee "$results/memory.txt"
check "unloading gives the memory back: heap within 10 % and resident set within 25 % of the model's share of what it was before" \
    awk -v h0="$heap_before" -v h1="$heap_loaded" -v h2="$heap_after" -v r0="$rss_before" -v r1="$rss_loaded" -v r2="$rss_after" \
    'BEGIN { exit !((h1 - h0) > 50 && (h2 - h0) < 0.10 * (h1 - h0) && (r2 - r0) < 0.25 * (r1 - r0)) }'

kill -TERM "$service"
wait "$service"
check "exits 0 on SIGTERM" test $? -eq 0
service=""
check "the log holds neither key" bash -c "! grep -qF -e '$api_key' -e '$admin_key' '$results/service.log'"
checks_summary oip
