# shellcheck shell=bash
# The counting the test scripts share. Source it after setting check_log:
#   check NAME COMMAND...   runs COMMAND (output appended to $check_log), prints "ok" or "FAIL"
#   checks_summary SUITE    prints "SUITE: N passed, N failed"; fails when any check failed
: "${check_log:?set check_log before sourcing scripts/lib/checks.sh}"
passed=0
failed=0

check() {
    local name="$1"; shift
    if "$@" >>"$check_log" 2>&1; then passed=$((passed + 1)); echo "ok    $name"; else failed=$((failed + 1)); echo "FAIL  $name"; fi
}

checks_summary() {
    echo "$1: $passed passed, $failed failed"
    [[ $failed -eq 0 ]]
}
