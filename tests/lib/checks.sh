# shellcheck shell=bash
# The counting the test scripts share. Source it after setting check_log:
#   check NAME COMMAND...        one behaviour: runs COMMAND (output appended to $check_log),
#                                prints "ok" or "FAIL" and counts it
#   setup NAME COMMAND...        a precondition, not a test: prints "setup" and counts nothing
#                                when it works; when it fails it is a failure like any other
#   add_counts_from NAME LOG     adds the counts of LOG's last line, "NAME: N passed, N failed"
#                                (a script whose checks are this suite's); no such line is a failure
#   wait_for_url URL SECONDS     polls URL until it answers 2xx or the deadline passes
#   checks_summary SUITE         prints "SUITE: N passed, N failed"; fails when any check failed
: "${check_log:?set check_log before sourcing tests/lib/checks.sh}"
passed=0
failed=0

check() {
    local name="$1"; shift
    if "$@" >>"$check_log" 2>&1; then passed=$((passed + 1)); echo "ok    $name"; else failed=$((failed + 1)); echo "FAIL  $name"; fi
}

setup() {
    local name="$1"; shift
    if "$@" >>"$check_log" 2>&1; then echo "setup $name"; return 0; fi
    failed=$((failed + 1)); echo "FAIL  setup: $name"
    return 1
}

add_counts_from() {
    local summary
    summary="$(tail -1 "$2")"
    if [[ "$summary" =~ ^$1:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    else
        failed=$((failed + 1)); echo "FAIL  $1 ended without its summary line"
    fi
}

wait_for_url() {
    local deadline=$((SECONDS + $2))
    while ((SECONDS < deadline)); do
        curl -sf --max-time 2 -o /dev/null "$1" && return 0
        sleep 0.2
    done
    echo "$1 did not answer 2xx within $2 s"
    return 1
}

checks_summary() {
    echo "$1: $passed passed, $failed failed"
    [[ $failed -eq 0 ]]
}
