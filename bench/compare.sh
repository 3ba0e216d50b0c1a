#!/usr/bin/env bash
# The request path of another commit beside this tree's: same run, same machine. Both are
# published as the image ships them (self-contained, trimmed, ReadyToRun), started side by side
# in Production with a key, and measured in alternating rounds, each endpoint on one side right
# after the other (this machine's capacity drifts by tens of percent within minutes, so only
# measurements seconds apart compare). Prints requests a second per round and side, and per
# endpoint the median over rounds of this tree's figure over the base's (above 1: this tree is
# faster). Used to show what a change costs, e.g. the metrics exporter's (docs/performance.md).
#   bench/compare.sh BASE        BASE: a git ref; ROUNDS=3 DURATION=5s CONNECTIONS=64
#   make bench-compare BASE=...
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
base="${1:?usage: bench/compare.sh BASE (a git ref of this repository)}"
rounds="${ROUNDS:-3}"
duration="${DURATION:-5s}"
connections="${CONNECTIONS:-64}"
base_port="${BASE_PORT:-18745}"
head_port="${HEAD_PORT:-18746}"
out="${BENCH_RESULTS:-$root/artifacts/bench-compare}"
mkdir -p "$out"
git rev-parse --verify --quiet "$base^{commit}" >/dev/null || { echo "bench/compare.sh: $base is not a commit of this repository" >&2; exit 1; }
command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }

work="$(mktemp -d)"
pids=()
# shellcheck source=bench/stop.sh
source "$root/bench/stop.sh"
cleanup() {
    stop "${pids[@]}"
    rm -rf "$work"
}
trap cleanup EXIT

# The base's sources as committed (no work tree of this clone is touched), then both builds.
mkdir -p "$work/base"
git archive "$base" | tar -x -C "$work/base"
publish() { (cd "$1" && dotnet publish src/Appraise.Api -c Release -r linux-x64 -p:ContainerBuild=true -o "$2" -nologo -v quiet >/dev/null); }
publish "$work/base" "$work/app-base"
publish "$root" "$work/app-head"

key="compare-$RANDOM$RANDOM"
start() {
    local started
    started="$(ASPNETCORE_ENVIRONMENT=Production Auth__ApiKeys__0="$key" Reports__DataDirectory="$work/data-$1" \
        RateLimiting__PermitsPerSecond=10000000 RateLimiting__Burst=10000000 \
        /usr/bin/python3 bench/start_until_ready.py "$2" "$work/$1.log" "$work/app-$1/Appraise.Api" --urls "http://127.0.0.1:$2" --Grpc:Port=0)"
    pids+=("${started%% *}")
}
start base "$base_port"
start head "$head_port"
printf '{"event_id": 1, "payload": {"CHAS": 0, "RM": 6.575, "TAX": 296.0, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}}' >"$work/prediction.json"

# measure SIDE PORT NAME PATH [METHOD BODY_FILE]: 2 s of warm-up, then the measured run's JSON line.
measure() {
    export WRK_METHOD="${5:-GET}" WRK_BODY_FILE="${6:-}" WRK_API_KEY="$key"
    local url="http://127.0.0.1:$2$4"
    wrk -t1 -c"$connections" -d2s -s bench/wrk.lua "$url" >/dev/null
    wrk -t1 -c"$connections" -d"$duration" -s bench/wrk.lua "$url" | tail -1 >"$out/$3-$1-$round.json"
}
endpoints=("hello /api/v1/hello/" "prediction /api/v1/prediction/ POST $work/prediction.json" "metrics /metrics")
for round in $(seq 1 "$rounds"); do
    # Alternate who goes first, so neither always gets the cooler machine.
    sides=(base head)
    if ((round % 2 == 0)); then sides=(head base); fi
    for endpoint in "${endpoints[@]}"; do
        read -r name path method body <<<"$endpoint"
        for side in "${sides[@]}"; do
            port="$base_port"
            if [[ "$side" == head ]]; then port="$head_port"; fi
            measure "$side" "$port" "$name" "$path" "$method" "$body"
        done
    done
done

/usr/bin/python3 - "$out" "$rounds" "$(git rev-parse --short "$base")" <<'PY'
import json, statistics, sys
out, rounds, base = sys.argv[1], int(sys.argv[2]), sys.argv[3]
failed = False
print(f"requests a second, this tree against {base}, {rounds} alternating rounds")
for name in ("hello", "prediction", "metrics"):
    ratios = []
    for r in range(1, rounds + 1):
        b, h = (json.load(open(f"{out}/{name}-{side}-{r}.json")) for side in ("base", "head"))
        for side, run in (("base", b), ("head", h)):
            if run["errors"] + run["non2xx"] > 0 or run["requests"] == 0:
                print(f"  {name} round {r}: {side} had {run['errors']} errors and {run['non2xx']} non-2xx answers")
                failed = True
        ratios.append(h["rps"] / b["rps"] if b["rps"] else float("nan"))
        print(f"  {name:<10} round {r}: base {b['rps']:>9,.0f}  this tree {h['rps']:>9,.0f}  ratio {ratios[-1]:.2f}")
    print(f"  {name:<10} median ratio {statistics.median(ratios):.2f}")
    json.dump({"endpoint": name, "ratios": ratios, "median": statistics.median(ratios)}, open(f"{out}/{name}.json", "w"))
sys.exit(1 if failed else 0)
PY
