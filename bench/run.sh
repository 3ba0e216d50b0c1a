#!/usr/bin/env bash
# appraise against the machine's ceiling, in one run: publishes Release as the image does
# (self-contained, trimmed, ReadyToRun), starts it and an nginx (Debian's nginx-light) that
# returns a fixed JSON body, drives both with wrk (1 thread,
# 64 connections, loopback) and prints, per endpoint, requests/s, p50/p99/p99.9 latency, errors,
# the ratio to nginx measured just before it and appraise's CPU time per request; then
# start-to-ready time (median of five cold starts), resident memory idle and under load, and
# allocation per prediction request. The Open Inference Protocol: v2 infer (1 row) next to
# /api/v1/prediction, 100 rows as an FP32 tensor in JSON and in binary (the model's time per row
# from appraise's own histogram), the same requests against a Python peer built as KServe's
# sklearnserver answers them (bench/sklearn_v2_reference.py) and against ASP.NET Core with nothing
# on it (bench/BareAspNetCore: the stack's own ceiling), ready time and heap per model with 1 and
# 10 models, and appraise against ONNX Runtime per row in BenchmarkDotNet. Figures, not a test:
# nothing here passes or fails.
#   bench/run.sh            DURATION=10s CONNECTIONS=64 THREADS=1 to change the load
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-1}"
app_port="${APP_PORT:-18700}"
nginx_port="${NGINX_PORT:-18701}"
fastapi_port="${FASTAPI_PORT:-18702}"
peer_port="${PEER_PORT:-18703}"
bare_port="${BARE_PORT:-18704}"
out="${BENCH_RESULTS:-$root/artifacts/bench}"
mkdir -p "$out"
work="$(mktemp -d)"
pids=()
# shellcheck source=bench/stop.sh
source "$root/bench/stop.sh"
cleanup() {
    stop "${pids[@]}"
    if [[ -n "${pg_data:-}" ]]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
/usr/bin/python3 -c 'import fastapi, uvicorn' 2>/dev/null || need+=(python3-fastapi python3-uvicorn)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql-15)
# Debian's Azure SDK for Python uploads the object-storage repository to Azurite.
/usr/bin/python3 -c 'import azure.storage.blob' 2>/dev/null || need+=(python3-azure)
if [[ ${#need[@]} -gt 0 ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The PostgreSQL runs use the same server user as the test suite.
id postgres >/dev/null 2>&1 || useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres

# The binary the container ships: self-contained, trimmed, ReadyToRun.
dotnet publish src/Appraise.Api -c Release -r linux-x64 -p:ContainerBuild=true -o "$work/app" -nologo -v quiet >/dev/null
dotnet publish bench/BareAspNetCore -c Release -o "$work/bare" -nologo -v quiet >/dev/null

# --- the ceiling: nginx answering a fixed JSON body
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { default_type application/json; return 200 '{"message":"Hello World"}'; }
  }
}
NGINX
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)


# --- appraise, in Production with rate limiting on (set high: this measures capacity, not the limiter)
key="bench-$RANDOM$RANDOM"
# start_appraise PORT DATA_DIR: prints "PID MS", MS from process start to the first /readyz 200
start_appraise() {
    ASPNETCORE_ENVIRONMENT=Production Auth__ApiKeys__0="$key" Reports__DataDirectory="$2" \
        RateLimiting__PermitsPerSecond=10000000 RateLimiting__Burst=10000000 \
        /usr/bin/python3 bench/start_until_ready.py "$1" "$work/appraise-$1.log" "$work/app/Appraise.Api" --urls "http://127.0.0.1:$1" --Grpc:Port=0
}
# Start to ready: five cold starts, each on a new data directory (so each migrates its database).
starts=()
for i in 1 2 3 4 5; do
    started="$(start_appraise $((app_port + 10 + i)) "$work/data-$i")"
    read -r pid ms <<<"$started"
    starts+=("$ms")
    stop "$pid"
done
ready_ms="$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 3p)"
ready_range="$(printf '%s\n' "${starts[@]}" | sort -n | sed -n '1p;$p' | paste -sd- -)"
started="$(start_appraise "$app_port" "$work/data")"
app="${started%% *}"
pids+=("$app")
# Started only now, so it does not compete with appraise's start-up.
# --- the Python baseline: seed 000's hello on FastAPI + uvicorn, one process
/usr/bin/python3 bench/fastapi_reference.py "$fastapi_port" >"$work/fastapi.log" 2>&1 &
pids+=($!)
# --- the peer for the Open Inference Protocol: scikit-learn's predict behind FastAPI, as KServe's sklearnserver
/usr/bin/python3 bench/sklearn_v2_reference.py "$peer_port" >"$work/peer.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$nginx_port/" >/dev/null 2>&1; do sleep 0.05; done
until curl -sf "http://127.0.0.1:$fastapi_port/api/v1/hello/" >/dev/null 2>&1; do sleep 0.05; done
until curl -sf -o /dev/null -X POST "http://127.0.0.1:$peer_port/v2/models/housing/infer" \
    -d '{"inputs":[{"name":"X","shape":[1,6],"datatype":"FP64","data":[0,6.575,296,15.3,396.9,4.98]}]}'; do sleep 0.1; done
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$app/status"; }

# --- request bodies
printf '{"event_id": 1, "payload": {"CHAS": 0, "RM": 6.575, "TAX": 296.0, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}}' >"$work/prediction.json"
printf '{"CHAS":{"0":0},"RM":{"0":6.575},"TAX":{"0":296.0},"PTRATIO":{"0":15.3},"B":{"0":396.9},"LSTAT":{"0":4.98}}' >"$work/predict-1.json"
/usr/bin/python3 - "$work/predict-100.json" <<'PY'
import json, random, sys
random.seed(7)
rows = range(100)
columns = {"CHAS": lambda: random.choice([0, 1]), "RM": lambda: round(random.uniform(4, 8.5), 3), "TAX": lambda: random.choice([222, 296, 307, 403, 666]),
           "PTRATIO": lambda: round(random.uniform(13, 21), 1), "B": lambda: round(random.uniform(300, 396.9), 2), "LSTAT": lambda: round(random.uniform(2, 30), 2)}
json.dump({name: {str(r): make() for r in rows} for name, make in columns.items()}, open(sys.argv[1], "w"))
PY
/usr/bin/python3 - "$work/predict-100.json" "$work/predict-1000.json" <<'PY'
import json, sys
hundred = json.load(open(sys.argv[1]))
json.dump({name: {str(r): column[str(r % 100)] for r in range(1000)} for name, column in hundred.items()}, open(sys.argv[2], "w"))
PY

# The Open Inference Protocol's bodies: 1 row FP64; the same 100 rows as /predict's as an FP32
# [100, 6] tensor in JSON, and in binary (the JSON header, then 2400 bytes, a binary output back).
printf '{"inputs":[{"name":"X","shape":[1,6],"datatype":"FP64","data":[0,6.575,296.0,15.3,396.9,4.98]}]}' >"$work/v2-1.json"
/usr/bin/python3 - "$work/predict-100.json" "$work" <<'PY'
import json, struct, sys
columns = json.load(open(sys.argv[1]))
names = ["CHAS", "RM", "TAX", "PTRATIO", "B", "LSTAT"]
rows = [[columns[n][str(r)] for n in names] for r in range(100)]
json.dump({"inputs": [{"name": "X", "shape": [100, 6], "datatype": "FP32", "data": rows}]}, open(f"{sys.argv[2]}/v2-100.json", "w"))
header = json.dumps({"inputs": [{"name": "X", "shape": [100, 6], "datatype": "FP32", "parameters": {"binary_data_size": 2400}}],
                     "parameters": {"binary_data_output": True}}).encode()
open(f"{sys.argv[2]}/v2-100.bin", "wb").write(header + struct.pack("<600f", *(v for row in rows for v in row)))
open(f"{sys.argv[2]}/v2-100.header-length", "w").write(str(len(header)))
PY

# warm NAME URL [METHOD BODY_FILE API_KEY]: 3 s of the same load, so the JIT and pools settle
warm() {
    export WRK_METHOD="${3:-GET}" WRK_BODY_FILE="${4:-}" WRK_API_KEY="${5:-}"
    wrk -t"$threads" -c"$connections" -d3s -s bench/wrk.lua "$2" >/dev/null
}
# measure NAME URL [METHOD BODY_FILE API_KEY]: the measured run; its JSON summary goes to $out/NAME.json
measure() {
    export WRK_METHOD="${3:-GET}" WRK_BODY_FILE="${4:-}" WRK_API_KEY="${5:-}"
    wrk -t"$threads" -c"$connections" -d"$duration" -s bench/wrk.lua "$2" | tail -1 >"$out/$1.json"
}
# CPU seconds (user + system) the measured process has used so far: appraise, unless
# measured_pid names another
cpu_seconds() { awk -v tick="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / tick}' "/proc/${measured_pid:-$app}/stat"; }
# measure_app NAME URL ...: nginx measured just before (this shared machine's ceiling drifts by
# tens of percent within minutes, so each endpoint is compared with its own ceiling), then the
# endpoint, with the CPU the measured process spent on it in $out/NAME.cpu
measure_app() {
    measure "$1.ceiling" "http://127.0.0.1:$nginx_port/"
    local cpu_before
    cpu_before="$(cpu_seconds)"
    measure "$@"
    echo "$cpu_before $(cpu_seconds)" >"$out/$1.cpu"
}
run() { warm "$@"; measure "$@"; }
run_app() { warm "$@"; measure_app "$@"; }

idle_mb=$(rss)
run nginx "http://127.0.0.1:$nginx_port/"
run fastapi "http://127.0.0.1:$fastapi_port/api/v1/hello/"
run_app hello "http://127.0.0.1:$app_port/api/v1/hello/"
# (a series without labels is written "name value" or "name{} value": both are the format)
allocated() { curl -s "http://127.0.0.1:$app_port/metrics" | awk '/^dotnet_gc_heap_total_allocated_bytes_total(\{\})? / {printf "%.0f", $2}'; }
prediction=("http://127.0.0.1:$app_port/api/v1/prediction/" POST "$work/prediction.json" "$key")
warm prediction "${prediction[@]}"
before=$(allocated)
measure_app prediction "${prediction[@]}"
after=$(allocated)
run_app predict-1 "http://127.0.0.1:$app_port/predict" POST "$work/predict-1.json"
run_app predict-100 "http://127.0.0.1:$app_port/predict" POST "$work/predict-100.json"
run_app predict-1000 "http://127.0.0.1:$app_port/predict" POST "$work/predict-1000.json"
# v2 inference; the model's own time per row from appraise_prediction_duration (endpoint v2_infer)
model_time() { curl -s "http://127.0.0.1:$app_port/metrics" | awk '
    /^appraise_prediction_duration_seconds_sum\{endpoint="v2_infer"/ { s += $2 }
    /^appraise_predictions_total\{endpoint="v2_infer"/ { n += $2 }
    END { printf "%.9f %d\n", s, n }'; }
v2="http://127.0.0.1:$app_port/v2/models/housing/infer"
run_app v2-1 "$v2" POST "$work/v2-1.json" "$key"
model_time >"$out/v2-100-json.model"
run_app v2-100-json "$v2" POST "$work/v2-100.json" "$key"
model_time >>"$out/v2-100-json.model"
export WRK_CONTENT_TYPE=application/octet-stream WRK_HEADER_LENGTH
WRK_HEADER_LENGTH="$(cat "$work/v2-100.header-length")"
tail -1 "$out/v2-100-json.model" >"$out/v2-100-binary.model"
run_app v2-100-binary "$v2" POST "$work/v2-100.bin" "$key"
model_time >>"$out/v2-100-binary.model"
unset WRK_CONTENT_TYPE WRK_HEADER_LENGTH
peer="http://127.0.0.1:$peer_port/v2/models/housing/infer"
run peer-1 "$peer" POST "$work/v2-1.json"
run peer-100 "$peer" POST "$work/v2-100.json"
# --- ASP.NET Core with nothing on it (bench/BareAspNetCore): the same 1-row request answered with
# fixed bytes, what the stack itself allows here; started only for its own measurement
bare="$(/usr/bin/python3 bench/start_until_ready.py "$bare_port" "$work/bare.log" dotnet "$work/bare/BareAspNetCore.dll" --urls "http://127.0.0.1:$bare_port")"
bare="${bare%% *}"
pids+=("$bare")
measured_pid="$bare" run_app bare-1 "http://127.0.0.1:$bare_port/v2/models/housing/infer" POST "$work/v2-1.json"
stop "$bare"
run_app metrics "http://127.0.0.1:$app_port/metrics"
# Last: every accepted report is a job the worker produces afterwards, which would load the runs after it.
run_app report "http://127.0.0.1:$app_port/api/v1/prediction/?generate_report=true" POST "$work/prediction.json" "$key"
# --- reports on PostgreSQL: one replica, then two, against one local server (Debian's binaries)
pg_bin="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1)"
pg_port=$((app_port + 30))
chmod 755 "$work"
mkdir -p "$work/pg"
chown postgres:postgres "$work/pg"
pg_data="$work/pg/data"
runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/pg/server.log" -w \
    -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
runuser -u postgres -- "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE bench" >/dev/null
export ConnectionStrings__Reports="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=bench"
replica_a="$(start_appraise $((app_port + 21)) "$work/pg-a")"
pids+=("${replica_a%% *}")
report_url() { echo "http://127.0.0.1:$1/api/v1/prediction/?generate_report=true"; }
warm report-pg-1 "$(report_url $((app_port + 21)))" POST "$work/prediction.json" "$key"
measure report-pg-1 "$(report_url $((app_port + 21)))" POST "$work/prediction.json" "$key"
replica_b="$(start_appraise $((app_port + 22)) "$work/pg-b")"
pids+=("${replica_b%% *}")
unset ConnectionStrings__Reports
# Two replicas: half the connections each, at the same time, summed.
half=$((connections / 2))
export WRK_METHOD=POST WRK_BODY_FILE="$work/prediction.json" WRK_API_KEY="$key"
wrk -t"$threads" -c"$half" -d3s -s bench/wrk.lua "$(report_url $((app_port + 22)))" >/dev/null
wrk -t"$threads" -c"$half" -d"$duration" -s bench/wrk.lua "$(report_url $((app_port + 21)))" | tail -1 >"$out/report-pg-2a.json" &
first=$!
wrk -t"$threads" -c"$half" -d"$duration" -s bench/wrk.lua "$(report_url $((app_port + 22)))" | tail -1 >"$out/report-pg-2b.json"
wait "$first"
/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
a, b = (json.load(open(os.path.join(sys.argv[1], f"report-pg-2{x}.json"))) for x in "ab")
json.dump({"rps": a["rps"] + b["rps"], "requests": a["requests"] + b["requests"], "errors": a["errors"] + b["errors"], "non2xx": a["non2xx"] + b["non2xx"],
           "p50_ms": max(a["p50_ms"], b["p50_ms"]), "p99_ms": max(a["p99_ms"], b["p99_ms"]), "p999_ms": max(a["p999_ms"], b["p999_ms"])},
          open(os.path.join(sys.argv[1], "report-pg-2.json"), "w"))
PY

# --- ready time and heap with 1 and with 10 models (the housing model under ten names)
heap_mb() { curl -s "http://127.0.0.1:$1/metrics" | awk '/^dotnet_gc_last_collection_heap_size_bytes/ { s += $2 } END { printf "%.1f", s / 1048576 }'; }
for count in 1 10; do
    repository="$work/repository-$count"
    paths=()
    for i in $(seq 1 "$count"); do
        name=housing; [[ $i -gt 1 ]] && name="housing-$i"
        mkdir -p "$repository/$name" && cp -r model/housing/1 "$repository/$name/"
        paths+=("/v2/models/$name/ready")
    done
    port=$((app_port + 30 + count))
    started="$(Model__Repository="$repository" Model__Default=housing READY_PATHS="$(IFS=,; echo "${paths[*]}")" start_appraise "$port" "$work/models-$count")"
    read -r pid ms <<<"$started"
    echo "$ms $(heap_mb "$port") $(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")" >"$out/models-$count.txt"
    stop "$pid"
done

# --- the same 10 models from Blob Storage (Azurite 3.37.0 from tests/storage, on loopback): start to
# every model ready, each version listed, downloaded whole, verified and loaded (in parallel)
tools/install-checkers.sh storage
azurite_port=$((app_port + 39))
tests/storage/node_modules/.bin/azurite-blob --blobHost 127.0.0.1 --blobPort "$azurite_port" --location "$work/azurite" \
    --skipApiVersionCheck --disableProductStyleUrl --silent >"$work/azurite.log" 2>&1 &
azurite=$!
pids+=("$azurite")
# On SIGTERM Azurite waits for its clients' idle keep-alive connections to close, so the cleanup
# may have to SIGKILL it; disowned, bash does not print "Killed" for it (its data is scratch).
disown "$azurite"
# Azurite's documented development account (not a secret: the same in every Azurite).
azurite_connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;"
/usr/bin/python3 - "$azurite_connection" "$work/repository-10" <<'PY'
import os, sys, time
from azure.storage.blob import BlobServiceClient
connection, repository = sys.argv[1:]
container = BlobServiceClient.from_connection_string(connection).get_container_client("models")
for _ in range(600):  # Azurite starting: up to a minute
    try:
        container.create_container()
        break
    except Exception:
        time.sleep(0.1)
else:
    sys.exit("Azurite did not answer within a minute")
for directory, _, files in os.walk(repository):
    for name in files:
        path = os.path.join(directory, name)
        with open(path, "rb") as data:
            container.upload_blob("bench/" + os.path.relpath(path, repository), data, overwrite=True)
PY
paths=()
for i in $(seq 1 10); do name=housing; [[ $i -gt 1 ]] && name="housing-$i"; paths+=("/v2/models/$name/ready"); done
started="$(Model__Repository="http://127.0.0.1:$azurite_port/devstoreaccount1/models/bench" Model__StorageConnectionString="$azurite_connection" \
    Model__CacheDirectory="$work/model-cache" Model__Default=housing READY_PATHS="$(IFS=,; echo "${paths[*]}")" start_appraise $((app_port + 38)) "$work/models-blob")"
read -r pid ms <<<"$started"
echo "$ms" >"$out/models-10-blob.txt"
stop "$pid"
kill -TERM "$azurite" 2>/dev/null || true

# --- appraise against ONNX Runtime 1.32.0 on the same model file, per row (BenchmarkDotNet, in process)
dotnet run -c Release --project bench/Appraise.Benchmarks -- --filter '*OnnxRuntimeBenchmarks*' \
    --artifacts "$work/bdn" --exporters json >"$work/bdn.log" 2>&1
cp "$(find "$work/bdn" -name '*-report-full-compressed.json' -o -name '*-report-full.json' | head -1)" "$out/onnxruntime.json"

# The kernel's high-water mark of the resident set: no sampler forking awk five times a second
# beside the measured runs (one did, and put 17 to 23 ms into the predictions' p99.9).
peak=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$app/status")
measured=$(grep -o '"requests":[0-9]*' "$out/prediction.json" | cut -d: -f2)

/usr/bin/python3 - "$out" "$ready_ms" "$ready_range" "$idle_mb" "$peak" "$before" "$after" "$measured" "$threads" "$connections" "$duration" <<'PY'
import json, os, sys
out, ready, ready_range, idle, peak, before, after, requests, threads, connections, duration = sys.argv[1:]
load = lambda name: json.load(open(os.path.join(out, f"{name}.json")))
rows = [("nginx fixed JSON (ceiling)", "nginx"), ("FastAPI + uvicorn hello (seed baseline)", "fastapi"), ("GET /api/v1/hello/", "hello"), ("POST /api/v1/prediction/ (API key)", "prediction"),
        ("  the same with a report (SQLite)", "report"),
        ("  with a report, PostgreSQL, 1 replica", "report-pg-1"), ("  with a report, PostgreSQL, 2 replicas", "report-pg-2"),
        ("POST /predict, 1 row", "predict-1"), ("POST /predict, 100 rows", "predict-100"), ("POST /predict, 1000 rows", "predict-1000"),
        ("POST /v2/.../infer, 1 row (JSON)", "v2-1"), ("POST /v2/.../infer, 100 rows FP32 JSON", "v2-100-json"),
        ("POST /v2/.../infer, 100 rows FP32 binary", "v2-100-binary"),
        ("peer: sklearn v2, 1 row (FastAPI)", "peer-1"), ("peer: sklearn v2, 100 rows (FastAPI)", "peer-100"),
        ("ASP.NET Core, nothing on it: v2, 1 row", "bare-1"),
        ("GET /metrics", "metrics")]
print(f"wrk: {threads} thread(s), {connections} connections, {duration} per endpoint after a 3 s warm-up, loopback;")
print("each appraise endpoint is compared with nginx measured just before it")
print(f"{'endpoint':40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'p99.9 ms':>9} {'errors':>7} {'nginx':>7} {'of nginx':>9} {'CPU us/req':>11}")
summary = {}
for label, name in rows:
    r = load(name)
    errors = r["errors"] + r["non2xx"]
    paired = os.path.exists(os.path.join(out, f"{name}.ceiling.json"))
    ceiling = load(f"{name}.ceiling")["rps"] if paired else load("nginx")["rps"]
    cpu_us = ""
    if os.path.exists(os.path.join(out, f"{name}.cpu")):
        cpu_before, cpu_after = map(float, open(os.path.join(out, f"{name}.cpu")).read().split())
        cpu_us = f"{(cpu_after - cpu_before) * 1e6 / max(1, r['requests']):.0f}"
    summary[name] = {**r, "ceiling_rps": ceiling, "ratio": r["rps"] / ceiling, "cpu_us_per_request": float(cpu_us) if cpu_us else None}
    print(f"{label:40} {r['rps']:>9.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['p999_ms']:>9.2f} {errors:>7} {ceiling:>7.0f} {r['rps'] / ceiling:>9.2f} {cpu_us:>11}")
print(f"prediction with a report, SQLite: {load('report')['rps'] / load('prediction')['rps']:.2f} of the prediction without one; "
      f"PostgreSQL 1 replica {load('report-pg-1')['rps'] / load('prediction')['rps']:.2f}, 2 replicas {load('report-pg-2')['rps'] / load('prediction')['rps']:.2f}")
for rows, name in ((1, "predict-1"), (100, "predict-100"), (1000, "predict-1000")):
    cpu = summary[name]["cpu_us_per_request"]
    print(f"POST /predict, {rows} row(s): {cpu / rows:.2f} us of CPU per row (parse, predict, answer)")
print(f"GET /api/v1/hello/: appraise {load('hello')['rps'] / load('fastapi')['rps']:.1f} times the FastAPI baseline's requests/s")
print(f"v2 infer, 1 row: {load('v2-1')['rps'] / load('prediction')['rps']:.2f} of /api/v1/prediction's requests/s (goal >= 0.9)")
for name in ("v2-100-json", "v2-100-binary"):
    lines = open(os.path.join(out, f"{name}.model")).read().split("\n")
    (s0, n0), (s1, n1) = (map(float, l.split()) for l in lines[:2])
    model_us = (s1 - s0) * 1e6 / max(1, n1 - n0)
    cpu = summary[name]["cpu_us_per_request"]
    summary[name]["model_us_per_row"] = model_us
    print(f"v2 infer, 100 rows FP32 {name.split('-')[-1]}: {model_us:.3f} us of model time per row (goal <= 1), {cpu / 100:.2f} us of CPU per row in all")
print(f"against the Python peer (KServe sklearnserver's way): {load('v2-1')['rps'] / load('peer-1')['rps']:.1f} times its requests/s at 1 row, "
      f"{load('v2-100-json')['rps'] / load('peer-100')['rps']:.1f} times at 100 rows, {load('v2-100-binary')['rps'] / load('peer-100')['rps']:.1f} in binary (goal >= 20)")
print(f"ASP.NET Core with nothing on it answers the 1-row request {load('bare-1')['rps'] / load('peer-1')['rps']:.1f} times as often as the peer "
      f"({load('bare-1')['rps'] / load('bare-1.ceiling')['rps']:.2f} of nginx); appraise's 1-row v2 infer is {load('v2-1')['rps'] / load('bare-1')['rps']:.2f} of it")
models = {count: list(map(float, open(os.path.join(out, f"models-{count}.txt")).read().split())) for count in (1, 10)}
print(f"models: ready with 1 model in {models[1][0]:.0f} ms, every one of 10 models ready in {models[10][0]:.0f} ms; "
      f"heap {models[1][1]:.1f} MB with 1, {models[10][1]:.1f} MB with 10: {(models[10][1] - models[1][1]) / 9:.2f} MB per loaded model "
      f"(300 trees; resident {models[1][2]:.0f} and {models[10][2]:.0f} MB)")
blob_ms = float(open(os.path.join(out, "models-10-blob.txt")).read())
print(f"models from Blob Storage (Azurite on loopback): every one of 10 models ready in {blob_ms:.0f} ms from start "
      f"({blob_ms - models[10][0]:+.0f} ms against the same models on disk: listing, parallel downloads, verification)")
report = json.load(open(os.path.join(out, "onnxruntime.json")))
means = {b["Method"]: b["Statistics"]["Mean"] for b in report["Benchmarks"]}
for rows, ours, theirs in ((1, "AppraiseOne", "OnnxRuntimeOne"), (100, "AppraiseHundred", "OnnxRuntimeHundred")):
    print(f"BenchmarkDotNet, {rows} row(s): appraise {means[ours] / rows / 1000:.3f} us a row, ONNX Runtime {means[theirs] / rows / 1000:.3f} us a row "
          f"({means[theirs] / means[ours]:.1f} times appraise's time)")
extra = {"onnxruntime_ns": means, "models": {str(k): {"ready_ms": v[0], "heap_mb": v[1], "rss_mb": v[2]} for k, v in models.items()},
         "models_10_blob_ready_ms": blob_ms}
print(f"start to /readyz 200: {ready} ms (median of 5 cold starts, {ready_range} ms); resident memory idle {idle} MB, peak under load {peak} MB")
print(f"allocated per authenticated prediction request: about {(int(after) - int(before)) / max(1, int(requests)):.0f} bytes (bytes the GC counted during the measured run / its requests)")
json.dump({"endpoints": summary, **extra, "ready_ms": int(ready), "rss_idle_mb": int(idle), "rss_peak_mb": int(peak)}, open(os.path.join(out, "summary.json"), "w"), indent=2)
PY
