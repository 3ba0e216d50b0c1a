#!/usr/bin/env bash
# appraise against the machine's ceiling, in one run: publishes Release as the image does
# (self-contained, trimmed, ReadyToRun), starts it and an nginx (Debian's nginx-light) that
# returns a fixed JSON body, drives both with wrk (1 thread,
# 64 connections, loopback) and prints, per endpoint, requests/s, p50/p99/p99.9 latency, errors,
# the ratio to nginx measured just before it and appraise's CPU time per request; then
# start-to-ready time (median of five cold starts), resident memory idle and under load, and
# allocation per prediction request. Figures, not a test: nothing here passes or fails.
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
out="${BENCH_RESULTS:-$root/artifacts/bench}"
mkdir -p "$out"
work="$(mktemp -d)"
pids=()
# stop PID...: SIGTERM, then wait until each has exited (SIGKILL after 15 s). A process still
# shutting down writes to its data directory: deleting that under it failed the run (exit 2).
stop() {
    local pid
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "$@"; do
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
}
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
if [[ ${#need[@]} -gt 0 ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The PostgreSQL runs use the same server user as the test suite.
id postgres >/dev/null 2>&1 || useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres

# The binary the container ships: self-contained, trimmed, ReadyToRun.
dotnet publish src/Appraise.Api -c Release -r linux-x64 -p:ContainerBuild=true -o "$work/app" -nologo -v quiet >/dev/null

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
        /usr/bin/python3 bench/start_until_ready.py "$1" "$work/appraise-$1.log" "$work/app/Appraise.Api" --urls "http://127.0.0.1:$1"
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
until curl -sf "http://127.0.0.1:$nginx_port/" >/dev/null 2>&1; do sleep 0.05; done
until curl -sf "http://127.0.0.1:$fastapi_port/api/v1/hello/" >/dev/null 2>&1; do sleep 0.05; done
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
# CPU seconds (user + system) appraise has used so far
cpu_seconds() { awk -v tick="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / tick}' "/proc/$app/stat"; }
# measure_app NAME URL ...: nginx measured just before (this shared machine's ceiling drifts by
# tens of percent within minutes, so each endpoint is compared with its own ceiling), then the
# endpoint, with the CPU appraise spent on it in $out/NAME.cpu
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
    if paired:
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
print(f"start to /readyz 200: {ready} ms (median of 5 cold starts, {ready_range} ms); resident memory idle {idle} MB, peak under load {peak} MB")
print(f"allocated per authenticated prediction request: about {(int(after) - int(before)) / max(1, int(requests)):.0f} bytes (bytes the GC counted during the measured run / its requests)")
json.dump({"endpoints": summary, "ready_ms": int(ready), "rss_idle_mb": int(idle), "rss_peak_mb": int(peak)}, open(os.path.join(out, "summary.json"), "w"), indent=2)
PY
