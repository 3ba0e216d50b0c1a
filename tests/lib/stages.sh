# shellcheck shell=bash
# How tests/run.sh counts: every stage runs under a time limit, and a stage that times out,
# crashes or exits without its summary line is a failure, never a silent gap. Source it after
# setting stage_results (the directory for the stages' logs):
#   record NAME EXIT_CODE            one behaviour, one count
#   stage NAME LIMIT COMMAND...      runs COMMAND with a time limit; passes when it exits 0
#   suite NAME LIMIT COMMAND...      runs a command whose last line is "NAME: N passed, N failed"
#                                    and adds its counts; its exit status must agree
#   stage_summary                    prints "N passed, N failed"; fails when anything failed
: "${stage_results:?set stage_results before sourcing tests/lib/stages.sh}"
passed=0
failed=0

record() {
    if [[ "$2" -eq 0 ]]; then
        passed=$((passed + 1)); echo "PASS  $1"
    else
        failed=$((failed + 1)); echo "FAIL  $1"
    fi
}

# A stage's log: named after the stage's first word ("build (warnings as errors)" -> build.out).
stage_log() { local first="${1%% *}"; echo "$stage_results/${first//[^A-Za-z0-9-]/}.out"; }

# Runs COMMAND under `timeout` (which signals COMMAND's whole process group, so servers it
# started go too); output in its stage_log. Returns COMMAND's status, 124 on timeout.
limited() { # limited NAME LIMIT COMMAND...
    local name="$1" limit="$2"; shift 2
    local log
    log="$(stage_log "$name")"
    [[ -z "${stage_now_file:-}" ]] || basename "$log" .out >"$stage_now_file" # the running stage, for tests/lib/disk.sh
    timeout --kill-after=30 "$limit" "$@" >"$log" 2>&1
    local rc=$?
    if [[ $rc -eq 124 || $rc -eq 137 ]]; then
        echo "timed out after $limit s" >>"$log"
        echo "FAIL  $name: timed out after $limit s"
        return 124
    fi
    return $rc
}

stage() { # stage NAME LIMIT COMMAND...
    local name="$1" rc
    limited "$@"
    rc=$?
    record "$name" $rc
    [[ $rc -eq 0 ]] || tail -30 "$(stage_log "$name")"
    return $rc
}

suite() { # suite NAME LIMIT COMMAND...
    local name="$1" log rc summary
    log="$(stage_log "$name")"
    limited "$@"
    rc=$?
    # Each FAIL line with the indented detail lines right under it (run-xunit.sh's messages).
    awk '/^FAIL/ { print; detail = 1; next } detail && /^      / { print; next } { detail = 0 }' "$log"
    summary="$(tail -1 "$log")"
    if [[ "$summary" =~ ^$name:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
        echo "$summary"
        # A script that reports no failure must also exit 0, and the other way round.
        if [[ $rc -ne 0 && ${BASH_REMATCH[2]} -eq 0 ]] || [[ $rc -eq 0 && ${BASH_REMATCH[2]} -ne 0 ]]; then
            record "$name: exit status $rc agrees with its summary" 1
        fi
    else
        tail -20 "$log"
        record "$name finished with its summary line (exit $rc)" 1
    fi
}

stage_summary() {
    echo "$passed passed, $failed failed"
    [[ $failed -eq 0 ]]
}
