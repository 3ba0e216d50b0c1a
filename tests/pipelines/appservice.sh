#!/usr/bin/env bash
# The App Service pipelines' make targets (deploy-appservice.yml, azure-pipelines/
# appservice-release.yml), run by tests/pipelines/run.sh on its fresh clone:
#   - make appservice-deploy, -swap, -rollback and -url with DRY_RUN=1, which print the az
#     commands they would run;
#   - every printed command given to the Azure CLI's own argument parser (Debian's azure-cli,
#     signed out, in an empty configuration directory): it must fail only because nobody is
#     signed in, never on an argument; a misspelt option is shown to be refused.
# Usage: tests/pipelines/appservice.sh CLONE RAN_FILE (the targets it ran are appended to
# RAN_FILE). Ends with "appservice-pipelines: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
clone="${1:?usage: appservice-pipelines-test.sh CLONE RAN_FILE}"
ran_file="${2:?usage: appservice-pipelines-test.sh CLONE RAN_FILE}"
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/pipelines/appservice"
rm -rf "$results" && mkdir -p "$results"
check_log="$results/checks.log"
# shellcheck source=tests/lib/checks.sh
source "$root/tests/lib/checks.sh"
trap 'checks_summary appservice-pipelines; exit $?' EXIT

command -v az >/dev/null || setup "install azure-cli (Debian)" bash -c \
    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends azure-cli" || exit
export AZURE_CONFIG_DIR="$results/az-config" AZURE_CORE_COLLECT_TELEMETRY=false
mkdir -p "$AZURE_CONFIG_DIR"
echo "Azure CLI $(az version --query '"azure-cli"' -o tsv 2>/dev/null)" >>"$check_log"

target() { # target NAME EXPECTED_PATTERN MAKE_ARGS...: runs the target in the clone, keeps its output
    local name="$1" pattern="$2"; shift 2
    echo "$name " >>"$ran_file"
    check "make $name runs on a fresh clone (DRY_RUN=1, prints what it would run)" bash -c "
        cd '$clone' && make -s $name DRY_RUN=1 $* >'$results/$name.out' 2>&1 && grep -qF -- '$pattern' '$results/$name.out'"
}
target appservice-deploy "DOCKER\\|\\<registry_url\\>/appraise:1.2.3" TAG=1.2.3
target appservice-swap "slot swap --resource-group \\<resource_group\\> --name \\<app_name\\> --slot staging --target-slot production"
target appservice-rollback "slot swap --resource-group \\<resource_group\\> --name \\<app_name\\> --slot staging --target-slot production"
target appservice-url "https://<app_name>-staging.azurewebsites.net" SLOT=staging
# The staging jobs sign in as the staging identity, which may act on the staging slot only
# (Website Contributor there): every az call of the staging path (appservice-deploy,
# appservice-url SLOT=staging) must be `az rest` on the slot's own ARM path. `az webapp` reads
# the production site even with --slot: azure-cli 2.74.0 to 2.91.0 (the runners' 2.89.1 between
# them) call web_apps.get(group, app) from show_app and update_site_configs through
# is_centauri_functionapp (command_modules/appservice/custom.py, utils.py): a 403 on the first
# staging deploy. (The parser check below uses Debian bookworm's 2.45, which predates that call.)
slot_only() { # slot_only FILE...: every printed az command is az rest on .../slots/staging
    local line n=0
    while read -r line; do
        n=$((n + 1))
        [[ "$line" =~ ^DRY_RUN:\ az\ rest\ .*--url\ [^\ ]*/providers/Microsoft\.Web/sites/[^/\ ]+/slots/staging(/|\\\?) ]] ||
            { echo "not on the staging slot alone: $line"; return 1; }
    done < <(grep -h '^DRY_RUN: az ' "$@")
    echo "$n az commands, each on the staging slot alone"
    [[ $n -ge 2 ]]
}
check "the staging path's az commands act on the staging slot alone (az rest on .../slots/staging; az webapp reads production)" \
    slot_only "$results/appservice-deploy.out" "$results/appservice-url.out"
# What the deploy printed before (az webapp config set --slot staging) is found.
sed 's/^DRY_RUN: az rest --method patch .*/DRY_RUN: az webapp config set --resource-group g --name a --slot staging --linux-fx-version DOCKER\|r\/appraise:1.2.3 --output none/' \
    "$results/appservice-deploy.out" >"$results/webapp-config-set.out"
check "az webapp config set --slot staging on the staging path (it reads the production site) is found" \
    bash -c "$(declare -f slot_only); ! slot_only '$results/webapp-config-set.out' '$results/appservice-url.out'"
check "make appservice-deploy DIGEST=sha256:... runs the slot by that digest; a malformed DIGEST is refused" bash -c "
    cd '$clone' && make -s appservice-deploy DRY_RUN=1 TAG=1.2.3 DIGEST=sha256:$(printf '%064d' 3) 2>&1 | grep -qF 'DOCKER\|\<registry_url\>/appraise@sha256:$(printf '%064d' 3)' &&
    ! make -s appservice-deploy DRY_RUN=1 TAG=1.2.3 DIGEST=1.2.3 >/dev/null 2>&1"
check "make appservice-deploy without TAG refuses to run" bash -c "cd '$clone' && ! make -s appservice-deploy DRY_RUN=1 TAG= >/dev/null 2>&1"

# Azure CLI parses before it signs in: exit 1 with "az login" means every argument was accepted;
# a wrong option exits 2 ("unrecognized arguments"), a missing one too ("the following arguments").
parses() { # parses FILE...: every "DRY_RUN: az ..." line of the files is accepted by az's parser
    local line out status
    while read -r line; do
        # PYTHONWARNINGS: Debian's azure-cli on Python 3.11 warns that functools.partial will become
        # a method descriptor (its own code, not our arguments); the warning would only bury the answer.
        out="$(eval "PYTHONWARNINGS=ignore::FutureWarning timeout 120 az ${line#DRY_RUN: az }" 2>&1)"; status=$?
        echo "az ${line#DRY_RUN: az } -> $status: $out"
        [[ $status -eq 1 && "$out" == *"az login"* ]] || return 1
    done < <(grep -h '^DRY_RUN: az ' "$@")
}
commands="$(cat "$results"/appservice-*.out | grep -c '^DRY_RUN: az ')"
check "the $commands az commands they print are accepted by the Azure CLI's parser (they stop only at az login)" \
    bash -c "$(declare -f parses); [[ $commands -ge 4 ]] && parses '$results'/appservice-*.out"
sed 's/--method patch/--methods patch/' "$results/appservice-deploy.out" >"$results/misspelt.out"
check "a misspelt option is refused by the same parser (--methods)" bash -c "$(declare -f parses); ! parses '$results/misspelt.out'"
