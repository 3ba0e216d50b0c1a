#!/usr/bin/env bash
# Reads the Cobertura report the xunit run wrote and fails when the service's line coverage is
# below the minimum. Usage: tests/Appraise.Api.Tests/coverage-gate.sh RESULTS_DIR MINIMUM_PERCENT
set -euo pipefail
results="${1:?results directory}"
minimum="${2:-80}"
report="$(find "$results" -name coverage.cobertura.xml -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2)"
[[ -n "$report" ]] || { echo "no coverage.cobertura.xml under $results"; exit 1; }
# The package element for Appraise.Api carries its own line-rate (test code is not counted).
rate="$(grep -o '<package name="Appraise.Api" line-rate="[0-9.]*"' "$report" | grep -o '[0-9.]*"$' | tr -d '"')"
[[ -n "$rate" ]] || rate="$(grep -o '<coverage line-rate="[0-9.]*"' "$report" | grep -o '[0-9.]*"$' | tr -d '"')"
percent="$(awk -v r="$rate" 'BEGIN { printf "%.1f", r * 100 }')"
echo "line coverage of Appraise.Api: $percent % (minimum $minimum %)"
awk -v p="$percent" -v m="$minimum" 'BEGIN { exit !(p >= m) }'
