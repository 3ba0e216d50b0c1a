#!/usr/bin/env bash
# The test command's own test: it must fail when a test fails, crashes the test host, hangs or
# never runs, and when a stage times out or ends without its summary; and it must pass when
# everything passes (so the failures above are not unconditional). The broken tests live in
# tests/selftest/Appraise.TestCommand.SelfTests, outside Appraise.slnx, and do what
# APPRAISE_SELFTEST_OUTCOME asks. Ends with "selftest: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/selftest"
rm -rf "$results" && mkdir -p "$results"
check_log="$results/checks.log"
# shellcheck source=tests/lib/checks.sh
source "$root/tests/lib/checks.sh"
project=tests/selftest/Appraise.TestCommand.SelfTests/Appraise.TestCommand.SelfTests.csproj

# The whole test command, xunit stage only, on the self-test project with one outcome.
# Prints the command's last line and returns its exit status.
test_command() { # test_command OUTCOME
    local out="$results/$1"
    APPRAISE_TEST_RESULTS="$out" APPRAISE_XUNIT_TARGET="$project" APPRAISE_SELFTEST_OUTCOME="$1" \
        APPRAISE_TEST_HANG_TIMEOUT=15s bash tests/run.sh xunit >"$out.log" 2>&1
    local rc=$?
    tail -1 "$out.log"
    return $rc
}

reports_failure() { # reports_failure OUTCOME: the test command exits non-zero and counts a failure
    local last rc
    last="$(test_command "$1")"
    rc=$?
    echo "$1: exit $rc, last line '$last'"
    [[ $rc -ne 0 && "$last" =~ ^[0-9]+\ passed,\ [1-9][0-9]*\ failed$ ]]
}

reports_success() { # the positive control: every test passes, so the command must be green
    local last rc
    last="$(test_command pass)"
    rc=$?
    echo "pass: exit $rc, last line '$last'"
    [[ $rc -eq 0 && "$last" == "6 passed, 0 failed" ]]
}

check "a passing run is green: exit 0, '6 passed, 0 failed' (the build and 5 tests)" reports_success
check "a failing test makes the test command fail" reports_failure fail
check "... and its error message and source line are in the output" \
    grep -qzP 'FAIL  Failed [^\n]*DoesWhatTheSelfTestAsks[^\n]*\n +failing on purpose\n +at [^\n]*DeliberateOutcomes\.cs:line [0-9]+' "$results/fail.log"
check "a test that crashes the test host makes the test command fail" reports_failure crash
started=$SECONDS
check "a hanging test makes the test command fail (hang timeout 15 s)" reports_failure hang
check "the hang was cut off by the hang timeout, not left to the stage limit" test $((SECONDS - started)) -lt 240
check "tests that never run count as failures (2 of 5 ran before the hang)" grep -q "never ran" "$results/hang.log"

# The stage runner: a time limit that fires, a summary that lies, a summary that is missing.
# shellcheck disable=SC2016 # expanded by the inner bash
stage_runner() { # stage_runner SNIPPET: runs SNIPPET with tests/lib/stages.sh, prints its last line
    bash -c 'stage_results="$1"; source tests/lib/stages.sh; eval "$2"; stage_summary' _ "$results" "$1" 2>&1 | tail -1
}
started=$SECONDS
check "a stage over its time limit (2 s) fails" test "$(stage_runner 'stage sleeper 2 sleep 60')" == "0 passed, 1 failed"
check "... and is stopped at its limit, not left to finish" test $((SECONDS - started)) -lt 20
check "a suite that exits 1 while its summary says 0 failed counts a failure" \
    test "$(stage_runner 'suite liar 10 bash -c "echo \"liar: 3 passed, 0 failed\"; exit 1"')" == "3 passed, 1 failed"
check "a suite that ends without its summary line counts a failure" \
    test "$(stage_runner 'suite silent 10 bash -c "echo started; exit 0"')" == "0 passed, 1 failed"
check "a passing stage and an honest suite count what they ran" \
    test "$(stage_runner 'stage ok 10 true; suite honest 10 bash -c "echo \"honest: 2 passed, 0 failed\""')" == "3 passed, 0 failed"

# The disk watch (tests/lib/disk.sh) on a real filesystem that fills: TMPDIR and the results on a
# 64 MiB tmpfs, a first stage that fills it, a second that starts on the full disk and runs 6 s
# (the sampler looks every 5 s). Its samples and the stage's name are kept in memory, so the
# report still names the second stage and warns; with room, no WARN.
# shellcheck disable=SC2016 # expanded by the inner bash
disk_run() { # disk_run TMPDIR RESULTS FILL_MIB: two stages with the disk watch, the output
    TMPDIR="$1" bash -c 'root="$PWD"; stage_results="$1"; source tests/lib/stages.sh; source tests/lib/disk.sh
        disk_watch_start
        stage fill 30 bash -c "head -c ${2}M /dev/zero >\"\$TMPDIR/fill\"; true"
        stage on-the-full-disk 30 sleep 6
        rm -f "$TMPDIR/fill"
        disk_watch_report; stage_summary' _ "$2" "$3" 2>&1
}
disk_warns() {
    local tiny="$results/tiny" out
    mkdir -p "$tiny" && mount -t tmpfs -o size=64M appraise-selftest "$tiny" || return 1
    mkdir -p "$tiny/results"
    out="$(disk_run "$tiny" "$tiny/results" 64)"
    umount "$tiny"
    echo "$out"
    grep -qE '^disk: 0\.1 GiB free at the start, lowest 0\.0 GiB \(during ([a-z]+, )?on-the-full-disk\)$' <<<"$out" &&
        grep -qE '^WARN  disk: only 0 MiB free during ([a-z]+, )?on-the-full-disk: ' <<<"$out" && [[ "$(tail -1 <<<"$out")" == "2 passed, 0 failed" ]]
}
check "the disk watch names the stage that ran on the full disk, and warns (a 64 MiB tmpfs filled)" disk_warns
disk_quiet() {
    local out
    mkdir -p "$results/disk-quiet"
    out="$(disk_run "${TMPDIR:-/tmp}" "$results/disk-quiet" 1)"
    echo "$out"
    grep -qE '^disk: [0-9.]+ GiB free at the start, lowest [0-9.]+ GiB \(during [a-z, -]+\)$' <<<"$out" && ! grep -q '^WARN' <<<"$out"
}
check "... and prints no warning when there is room" disk_quiet

checks_summary selftest
