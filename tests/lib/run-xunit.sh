#!/usr/bin/env bash
# The xunit stage of tests/run.sh, and what its self-test (tests/selftest/run.sh) runs
# against deliberately broken tests:
#   tests/lib/run-xunit.sh TARGET [dotnet test arguments...]
# with APPRAISE_RESULTS (results directory), APPRAISE_XUNIT_LIMIT (seconds for the whole run,
# default 2100) and APPRAISE_TEST_HANG_TIMEOUT (for one test, default 5m). TARGET must be built.
# Lists the tests TARGET holds, runs them with a hang timeout per test and a time limit for the
# whole run, and prints one line per problem (a failed test with its message and source line)
# and then "NAME: N passed, N failed". The run counts as failed unless every one of these holds:
# dotnet test exits 0, the TRX file exists and its outcome is "Completed", no test failed, every
# listed test ran, the log says nothing of an aborted run, and the time limit did not fire. A
# crashed test host (outcome Failed, counters 0) or a hung test (the blame collector kills the
# host) can therefore never look green.
# Exits 0 only when the stage passed.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

# The tests' scratch directories, one root per test host (Infrastructure/TempDirectory.cs): the
# roots of hosts that have ended, this run's included. A host still running (another run's) keeps its own.
remove_scratch_of_ended_hosts() {
    local root pid
    for root in "${TMPDIR:-/tmp}"/appraise-tests-*; do
        pid="${root##*/appraise-tests-}"
        [[ -d "$root" && "$pid" =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null && rm -rf "$root"
    done
    return 0
}

# Each failed test as one FAIL line, then its error message (up to 8 lines) and the first stack
# frame that names a source file and line, so that a CI log alone says what broke and where.
print_failures() { # print_failures LOG
    awk '
        function trimmed(line) { sub(/^[ \t]+/, "", line); return line }
        /^[ \t]+Failed [A-Za-z]/ { print "FAIL  " trimmed($0); part = "head"; lines = 0; next }
        part == "head" && /^[ \t]+Error Message:/ { part = "message"; next }
        part == "message" && /^[ \t]+Stack Trace:/ { part = "stack"; next }
        part == "message" && lines < 8 { print "      " trimmed($0); lines++; next }
        part == "stack" && / in \/.*:line [0-9]+$/ { print "      " trimmed($0); part = ""; next }
        part == "stack" && !/^[ \t]+at / { part = "" }
    ' "$1"
}

run_xunit() { # run_xunit NAME DIR LIMIT_SECONDS TARGET [dotnet test arguments...]
    local name="$1" dir="$2" limit="$3" target="$4"
    shift 4
    mkdir -p "$dir"
    local log="$dir/$name.log" trx="$dir/$name.trx"
    rm -f "$trx"
    local problems=()

    # What the run must execute: the tests discovered in the built assemblies.
    local listed
    timeout --kill-after=10 300 dotnet test "$target" -c Release --no-build -nologo --list-tests >"$dir/$name-list.log" 2>&1
    listed="$(sed -n '/The following Tests are available:/,$p' "$dir/$name-list.log" | grep -c '^    ')"
    [[ "$listed" -gt 0 ]] || problems+=("no tests were discovered in $target")

    local started=$SECONDS rc
    timeout --kill-after=30 "$limit" dotnet test "$target" -c Release --no-build -nologo \
        --blame-hang-timeout "${APPRAISE_TEST_HANG_TIMEOUT:-5m}" --blame-hang-dump-type none \
        --logger "trx;LogFileName=$(basename "$trx")" --logger "console;verbosity=minimal" \
        --results-directory "$dir" "$@" >"$log" 2>&1
    rc=$?
    local took=$((SECONDS - started))
    remove_scratch_of_ended_hosts
    if [[ $rc -eq 124 || $rc -eq 137 ]]; then
        problems+=("timed out: still running after the stage's limit of $limit s")
    elif [[ $rc -ne 0 ]]; then
        problems+=("dotnet test exited $rc")
    fi
    grep -qiE 'Test Run Aborted|test run was aborted' "$log" && problems+=("the test run was aborted (a test host crashed or hung): see $log")

    local passed=0 failed=0 executed=0 outcome="(none)"
    if [[ -f "$trx" ]]; then
        local counters
        counters="$(grep -o '<Counters [^>]*>' "$trx")"
        outcome="$(grep -o '<ResultSummary outcome="[A-Za-z]*"' "$trx" | cut -d'"' -f2)"
        passed="$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")"
        failed="$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")"
        executed="$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")"
        [[ "$outcome" == Completed ]] || problems+=("the TRX outcome is '$outcome', not 'Completed'")
    else
        problems+=("no TRX file was written")
    fi
    local not_run=$((listed - executed))
    [[ $not_run -gt 0 ]] || not_run=0
    [[ $not_run -eq 0 ]] || problems+=("$not_run of $listed listed tests never ran")

    print_failures "$log"
    local problem
    for problem in "${problems[@]}"; do
        echo "FAIL  $name: $problem"
    done
    # Every test that did not pass is a failure; a broken run with no failed test still fails once.
    local failures=$((failed + not_run))
    [[ ${#problems[@]} -eq 0 || $failures -gt 0 ]] || failures=1
    echo "$name: $listed listed, $executed ran, $passed passed in $took s (outcome $outcome, exit $rc)"
    echo "$name: $passed passed, $failures failed"
    [[ ${#problems[@]} -eq 0 && $failed -eq 0 ]]
}

target="${1:?usage: tests/lib/run-xunit.sh TARGET [dotnet test arguments...]}"
shift
run_xunit xunit "${APPRAISE_RESULTS:-artifacts/test-results}/xunit" "${APPRAISE_XUNIT_LIMIT:-2100}" "$target" "$@"
