#!/usr/bin/env bash
# Runs every test appraise has, on a fresh machine too, and ends with "N passed, N failed".
#   build (warnings are errors) · dotnet format · unit and integration tests (xunit, real
#   processes, promtool) · model reproducibility · shellcheck · black-box smoke test of the
#   Release build running as a real process.
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
    --results-directory "$results" --collect "XPlat Code Coverage" 2>&1 | tee "$results/dotnet-test.log" | grep -E "^\s*(Failed|Passed!|Failed!)|Error Message" || true
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
cat "$results/smoke.log"
summary="$(tail -1 "$results/smoke.log")"
if [[ "$summary" =~ ^smoke:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
else
    record "smoke test ran" 1
fi
kill -TERM "$service"
wait "$service"
rc=$?; record "service exits 0 on SIGTERM" $rc
if grep -q "$smoke_key" "$results/service.log"; then rc=1; else rc=0; fi
record "service log holds no API key" $rc
rm -rf "$data"

# The container image, built from the real Dockerfile and run by a real Docker engine.
APPRAISE_RESULTS="$results" scripts/container-test.sh >"$results/container-test.log" 2>&1
grep -E "^FAIL" "$results/container-test.log" || true
summary="$(tail -1 "$results/container-test.log")"
if [[ "$summary" =~ ^container:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    echo "$summary"
else
    tail -20 "$results/container-test.log"
    record "container test ran" 1
fi

# The Helm chart, the manifests and the monitoring, proven without a cluster.
APPRAISE_RESULTS="$results" scripts/chart-test.sh >"$results/chart-test.log" 2>&1
grep -E "^FAIL" "$results/chart-test.log" || true
summary="$(tail -1 "$results/chart-test.log")"
if [[ "$summary" =~ ^chart:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    echo "$summary"
else
    tail -20 "$results/chart-test.log"
    record "chart test ran" 1
fi

# The Terraform: formatting, environment files against their schema, what each environment installs.
APPRAISE_RESULTS="$results" scripts/terraform-test.sh >"$results/terraform-test.log" 2>&1
grep -E "^FAIL" "$results/terraform-test.log" || true
summary="$(tail -1 "$results/terraform-test.log")"
if [[ "$summary" =~ ^terraform:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    echo "$summary"
else
    tail -20 "$results/terraform-test.log"
    record "terraform test ran" 1
fi

if [[ -f "$results/figures.txt" ]]; then
    echo "--- figures measured by the tests ---"
    cat "$results/figures.txt"
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
