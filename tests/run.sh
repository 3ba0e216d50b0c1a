#!/usr/bin/env bash
# Runs every test appraise has, on a fresh machine too, and ends with "N passed, N failed".
#   build (warnings are errors) · dotnet format · unit and integration tests (xunit, real
#   processes, PostgreSQL, Chromium, promtool) with a line-coverage gate · model
#   reproducibility · shellcheck · the Release build as a real process · a short locust load
#   test · the container image on a real Docker engine · the Helm chart and monitoring · the
#   Terraform · the CI/CD definitions · the test command's own self-test.
# Every stage has a time limit; a stage that fails, hangs or crashes is counted as failed.
#   bash tests/run.sh                 everything
#   bash tests/run.sh xunit chart     only these stages (the build always runs first)
# Stages: format xunit model oip shellcheck process load bench browser openapi container chart kserve pods terraform pipelines selftest
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_TEST_RESULTS:-$root/artifacts/test-results}"
rm -rf "$results" && mkdir -p "$results"
stage_results="$results"
export APPRAISE_RESULTS="$results"
# shellcheck source=tests/lib/stages.sh
source "$root/tests/lib/stages.sh"
# shellcheck source=tests/lib/disk.sh
source "$root/tests/lib/disk.sh"
disk_watch_start
trap disk_watch_stop EXIT
# The test projects the xunit stage runs; the self-test points it at deliberately broken ones.
xunit_target="${APPRAISE_XUNIT_TARGET:-Appraise.slnx}"
wanted=("$@")
want() { [[ ${#wanted[@]} -eq 0 ]] || [[ " ${wanted[*]} " == *" $1 "* ]]; }

limited setup 1200 tests/lib/install-deps.sh || { tail -20 "$(stage_log setup)"; record "dependencies installed" 1; disk_watch_report; stage_summary; exit 1; }

if ! stage "build (warnings as errors)" 900 dotnet build "$xunit_target" -c Release -nologo -v quiet; then
    disk_watch_report
    stage_summary
    exit 1
fi

want format && stage "format: dotnet format --verify-no-changes" 600 bash -c \
    "dotnet format Appraise.slnx --verify-no-changes && dotnet format tests/selftest/Appraise.TestCommand.SelfTests --verify-no-changes"

if want xunit; then
    export APPRAISE_FIGURES="$results"
    # The model-storage tests run real Blob Storage and S3 servers from npm (Azurite, s3rver); the
    # self-test's projects need none.
    if [[ "$xunit_target" == Appraise.slnx ]]; then
        stage "npm: the storage servers (tests/storage: azurite 3.37.0, s3rver 3.7.1)" 600 tools/install-checkers.sh storage
    fi
    # The figures tests measure (jobs accepted, lost, duplicated, latencies) are printed at the end.
    APPRAISE_XUNIT_LIMIT=2100 suite xunit 2400 tests/lib/run-xunit.sh "$xunit_target" \
        --settings coverage.runsettings --collect "XPlat Code Coverage"
    if [[ "$xunit_target" == Appraise.slnx ]]; then
        stage "coverage: line coverage of Appraise.Api at least 80 %" 60 tests/Appraise.Api.Tests/coverage-gate.sh "$results/xunit" 80
        tail -1 "$(stage_log coverage)"
    fi
fi

# The embedded model retrained byte for byte; model/convert.py and the evaluator against ONNX Runtime and scikit-learn.
want model && suite model 900 tests/model/run.sh
# The Open Inference Protocol as third parties use it: REST answers against the spec's schemas,
# gRPC from @grpc/grpc-js and python3-grpcio, a new version under load, memory after an unload.
want oip && suite oip 600 tests/oip/run.sh

if want shellcheck; then
    mapfile -t shell_scripts < <(git ls-files --cached --others --exclude-standard '*.sh' .ci/run)
    stage "shellcheck (${#shell_scripts[@]} scripts)" 300 shellcheck "${shell_scripts[@]}"
fi

# The Release build as a real process in Production mode, checked with curl.
want process && suite process 300 tests/process/run.sh
# Locust, a short run of the load test: a request mix at 10 users, <= 1 % errors. Latency is
# printed, not judged: on shared CI cores it measures the neighbours (make bench measures it).
if want load; then
    LOAD_DURATION=15s LOAD_MAX_P95_MS=0 stage "load test (15 s of a request mix, <= 1 % errors)" 300 loadtest/run.sh
    grep -E '^loadtest: [0-9]' "$(stage_log load)" | tail -1
fi
# make bench with 1 s runs: exits 0, reports every endpoint, leaves nothing running (figures not judged).
want bench && suite bench 1800 tests/bench/run.sh
# The home page and Swagger UI in headless Chromium: used as people use them, no CSP error.
want browser && suite browser 600 tests/browser/run.sh
# The OpenAPI document: Redocly's recommended rules, and a generated client that calls the service.
want openapi && suite openapi 600 tests/openapi/run.sh
# The container image, built from the real Dockerfile and run by a real Docker engine.
want container && suite container 2400 tests/container/run.sh
# The Helm chart, the manifests and the monitoring, proven without a cluster.
want chart && suite chart 900 tests/chart/run.sh
# The KServe serving runtime: checked against KServe v0.20.0's CRDs, and its pod run with podman (the container stage's image).
want kserve && suite kserve 900 tests/kserve/run.sh
# The chart's pods run for real with podman kube play (the image from the container stage, a real PostgreSQL).
want pods && suite pods 900 tests/pods/run.sh
# The Terraform, offline: the pinned providers' schemas and modules' inputs, what can run (values
# module, variable validations), the platform's CRD objects, the first apply's prerequisites.
want terraform && suite terraform 900 tests/terraform/run.sh
# The CI/CD definitions checked against upstream, the make targets they call run on a fresh
# clone, ci/Dockerfile built (its apt downloads dominate on a new machine; cached after that).
# After the xunit stage, make cov judges that stage's results instead of running the suite
# again; run alone, the stage runs it too, hence the limit.
want pipelines && suite pipelines 2400 tests/pipelines/run.sh
# The test command itself: a crashed, failed, hung or missing test makes it fail.
want selftest && suite selftest 900 tests/selftest/run.sh

if [[ -f "$results/figures.txt" ]]; then
    echo "--- figures measured by the tests ---"
    cat "$results/figures.txt"
fi
disk_watch_report
stage_summary
