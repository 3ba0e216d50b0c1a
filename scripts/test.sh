#!/usr/bin/env bash
# Runs every test appraise has, on a fresh machine too, and ends with "N passed, N failed".
#   build (warnings are errors) · dotnet format · unit and integration tests (xunit, real
#   processes, PostgreSQL, Chromium, promtool) with a line-coverage gate · model
#   reproducibility · shellcheck · black-box smoke test of the Release build running as a real
#   process · a short locust load test · the container image on a real Docker engine · the Helm
#   chart and monitoring · the Terraform · the CI/CD definitions.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root" || exit 1
results="$root/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
passed=0
failed=0

record() { # record NAME EXIT_CODE
    if [[ "$2" -eq 0 ]]; then passed=$((passed + 1)); echo "PASS  $1"; else failed=$((failed + 1)); echo "FAIL  $1"; fi
}

tally() { # tally NAME LOG: adds LOG's last line, "NAME: N passed, N failed", to the totals
    local summary
    summary="$(tail -1 "$2")"
    grep -E "^FAIL" "$2" || true
    if [[ "$summary" =~ ^$1:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
        echo "$summary"
    else
        tail -20 "$2"
        record "$1 test ran" 1
    fi
}

suite() { # suite NAME SCRIPT: runs a test script that ends with "NAME: N passed, N failed"
    APPRAISE_RESULTS="$results" "$2" >"$results/$1-test.log" 2>&1
    tally "$1" "$results/$1-test.log"
}

scripts/install-deps.sh || { echo "dependency install failed"; echo "0 passed, 1 failed"; exit 1; }

dotnet build Appraise.slnx -c Release -nologo -v quiet >"$results/build.log" 2>&1
build=$?
record "build (warnings as errors)" $build
if [[ $build -ne 0 ]]; then
    tail -40 "$results/build.log"
    echo "$passed passed, $((failed + 1)) failed"
    exit 1
fi

dotnet format Appraise.slnx --verify-no-changes >"$results/format.log" 2>&1
rc=$?; record "dotnet format --verify-no-changes" $rc; [[ $rc -eq 0 ]] || cat "$results/format.log"

export APPRAISE_FIGURES="$results"
dotnet test Appraise.slnx -c Release --no-build -nologo \
    --logger "trx;LogFileName=tests.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" --settings coverage.runsettings --collect "XPlat Code Coverage" 2>&1 | tee "$results/dotnet-test.log" | grep -E "^\s*(Failed|Passed!|Failed!)|Error Message" || true
trx="$(find "$results" -name tests.trx | head -1)"
if [[ -n "$trx" ]]; then
    counters="$(grep -o '<Counters [^>]*>' "$trx")"
    test_passed="$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")"
    test_failed="$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")"
    test_total="$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")"
    test_executed="$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")"
    # Anything that did not run counts as failed: a test that cannot fail is no test.
    passed=$((passed + test_passed))
    failed=$((failed + test_failed + test_total - test_executed))
    echo "xunit: $test_passed passed, $test_failed failed, $((test_total - test_executed)) not run"
else
    record "dotnet test produced results" 1
fi

scripts/coverage-gate.sh "$results" 80 >"$results/coverage.log" 2>&1
rc=$?; record "$(tail -1 "$results/coverage.log")" $rc

model/check-reproducible.sh >"$results/model.log" 2>&1
rc=$?; record "model retrains byte for byte" $rc; [[ $rc -eq 0 ]] || cat "$results/model.log"

mapfile -t shell_scripts < <(git ls-files --cached --others --exclude-standard '*.sh' .ci/run)
shellcheck "${shell_scripts[@]}" >"$results/shellcheck.log" 2>&1
rc=$?; record "shellcheck (${#shell_scripts[@]} scripts)" $rc; [[ $rc -eq 0 ]] || cat "$results/shellcheck.log"

# Black-box: the Release build as a real process in Production mode, checked with curl.
port=18080
data="$(mktemp -d)"
smoke_key="smoke-$(date +%s%N)"
ASPNETCORE_ENVIRONMENT=Production Auth__ApiKeys__0="$smoke_key" Reports__DataDirectory="$data" \
    dotnet src/Appraise.Api/bin/Release/net10.0/Appraise.Api.dll --urls "http://127.0.0.1:$port" >"$results/service.log" 2>&1 &
service=$!
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.2
done
APPRAISE_API_KEY="$smoke_key" scripts/smoke.sh "http://127.0.0.1:$port" >"$results/smoke.log" 2>&1
tally smoke "$results/smoke.log"
kill -TERM "$service"
wait "$service"
rc=$?; record "service exits 0 on SIGTERM" $rc
if grep -q "$smoke_key" "$results/service.log"; then rc=1; else rc=0; fi
record "service log holds no API key" $rc
rm -rf "$data"

# Locust, a short run of the load test: a request mix at 10 users, <= 1 % errors, p95 <= 50 ms.
LOAD_DURATION=15s APPRAISE_RESULTS="$results" loadtest/run.sh >"$results/loadtest.log" 2>&1
rc=$?; record "load test: $(grep -E '^loadtest: [0-9]' "$results/loadtest.log" | tail -1 | cut -d' ' -f2-)" $rc
[[ $rc -eq 0 ]] || tail -20 "$results/loadtest.log"

# The container image, built from the real Dockerfile and run by a real Docker engine.
suite container scripts/container-test.sh
# The Helm chart, the manifests and the monitoring, proven without a cluster.
suite chart scripts/chart-test.sh
# The Terraform: formatting, environment files against their schema, what each environment installs.
suite terraform scripts/terraform-test.sh
# The CI/CD definitions: actionlint, yamllint, shellcheck, and every target and script they call.
suite pipelines scripts/pipelines-test.sh

if [[ -f "$results/figures.txt" ]]; then
    echo "--- figures measured by the tests ---"
    cat "$results/figures.txt"
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
