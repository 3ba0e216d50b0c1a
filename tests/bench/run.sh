#!/usr/bin/env bash
# `make bench` run as users run it, with 1 s per endpoint: its figures are not judged (a benchmark
# prints figures; on shared cores they are noise), only that it finishes, reports every endpoint
# and leaves nothing behind: exit 0, every row in summary.json, no process it started still
# running and no port it used still listening (it once ended with exit 2 while the service it
# had killed was still writing its data directory). Ends with "bench: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/bench"
rm -rf "$results" && mkdir -p "$results"
check_log="$results/checks.log"
# shellcheck source=tests/lib/checks.sh
source "$root/tests/lib/checks.sh"

# What bench/run.sh starts: the published service, nginx, the FastAPI baseline, the Python peer,
# bare ASP.NET Core, a PostgreSQL, Azurite.
started_by_bench='/app/Appraise.Api --urls http://127.0.0.1:187|nginx -c /tmp/tmp\.|bench/fastapi_reference\.py|bench/sklearn_v2_reference\.py|/bare/BareAspNetCore\.dll|postgres -D /tmp/tmp\.|azurite-blob --blobHost 127\.0\.0\.1 --blobPort 187'
bench_processes() { pgrep -af "$started_by_bench" | grep -v pgrep || true; }
bench_listeners() { ss -Hltn | awk '{print $4}' | grep -E ':187([0-2][0-9]|3[0-9])$' || true; }
bench_processes >"$results/before.txt"

check "make bench (DURATION=1s) exits 0" \
    env DURATION=1s BENCH_RESULTS="$results/out" make --no-print-directory bench
check "make bench reports every endpoint with requests and no errors" /usr/bin/python3 -c '
import json, sys
summary = json.load(open(sys.argv[1]))["endpoints"]
names = ["nginx", "fastapi", "hello", "prediction", "report", "report-pg-1", "report-pg-2",
         "predict-1", "predict-100", "predict-1000", "v2-1", "v2-100-json", "v2-100-binary", "peer-1", "peer-100", "bare-1", "metrics"]
missing = [n for n in names if n not in summary or summary[n]["requests"] <= 0]
failing = [n for n in names if n in summary and summary[n]["errors"] + summary[n]["non2xx"] > 0]
print("missing:", missing, "with errors:", failing)
summary = json.load(open(sys.argv[1]))
extra = [k for k in ("onnxruntime_ns", "models", "models_10_blob_ready_ms") if not summary.get(k)]
print("missing figures:", extra)
sys.exit(1 if missing or failing or extra else 0)' "$results/out/summary.json"
check "make bench leaves none of the processes it started running" \
    bash -c "diff <(sort '$results/before.txt') <($(declare -f bench_processes); started_by_bench='$started_by_bench'; bench_processes | sort)"
check "make bench leaves nothing listening on its ports (18700-18739)" bash -c "[[ -z \"\$($(declare -f bench_listeners); bench_listeners)\" ]]"
# make bench-compare: the same with another commit beside this tree (here the tree's own HEAD:
# what is judged is that it builds both, measures every endpoint without errors, and cleans up).
check "make bench-compare BASE=HEAD (1 round of 1 s) exits 0 and prints a median ratio per endpoint" bash -c "
    env ROUNDS=1 DURATION=1s BENCH_RESULTS='$results/compare' make --no-print-directory bench-compare BASE=HEAD | tee '$results/compare.txt' &&
    [[ \$(grep -c 'median ratio' '$results/compare.txt') == 3 ]]"
check "make bench-compare leaves nothing listening on its ports (18745, 18746)" bash -c "! ss -Hltn | awk '{print \$4}' | grep -E ':1874[56]$'"
checks_summary bench
