#!/usr/bin/env bash
# Deploys appraise to Azure App Service (deploy/terraform/envs/azure-appservice-dev) the same way
# from a laptop, GitHub Actions and Azure Pipelines (make appservice-deploy, -swap, -rollback,
# -url call it):
#   deploy TAG        point the staging slot at <registry>/appraise:TAG and wait until it serves
#                     that version (GET /version); nothing in production changes
#   swap              swap staging into production: App Service warms the staging instances up
#                     first, so no request is dropped (azure-docs deploy-staging-slots.md)
#   rollback          swap again: the previous production app is in the staging slot after a swap
#   url [SLOT]        print https://<host> of the staging or production slot
# The app, resource group and registry come from APPSERVICE_APP_NAME, APPSERVICE_RESOURCE_GROUP and
# APPSERVICE_REGISTRY, or else from Terraform's outputs of deploy/terraform/envs/$APPSERVICE_ENV.
# DRY_RUN=1 prints each az command instead of running it (Azure CLI 2.45 and later take them).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tf_dir="$root/deploy/terraform/envs/${APPSERVICE_ENV:-azure-appservice-dev}"
dry_run="${DRY_RUN:-}"

output() { # output NAME: a Terraform output of the environment (placeholders in a dry run)
    if [[ -n "$dry_run" ]]; then echo "<$1>"; else terraform -chdir="$tf_dir" output -raw "$1"; fi
}
app="${APPSERVICE_APP_NAME:-$(output app_name)}"
group="${APPSERVICE_RESOURCE_GROUP:-$(output resource_group)}"

az_run() { # az_run ARGS...: runs az, or prints the command in a dry run
    if [[ -n "$dry_run" ]]; then printf 'DRY_RUN: az'; printf ' %q' "$@"; printf '\n'; else az "$@"; fi
}

url() { # url staging|production
    local slot=() host
    [[ "$1" == production ]] || slot=(--slot "$1")
    if [[ -n "$dry_run" ]]; then
        az_run webapp show --resource-group "$group" --name "$app" "${slot[@]}" --query defaultHostName --output tsv >&2
        echo "https://$app${slot[1]:+-${slot[1]}}.azurewebsites.net"
        return
    fi
    host="$(az webapp show --resource-group "$group" --name "$app" "${slot[@]}" --query defaultHostName --output tsv)"
    echo "https://$host"
}

wait_for_version() { # wait_for_version BASE_URL VERSION: polls GET /version, 10 minutes at most
    local deadline=$((SECONDS + 600))
    [[ -z "$dry_run" ]] || { echo "DRY_RUN: would wait until $1/version reports $2"; return; }
    until curl -fsS --max-time 5 "$1/version" 2>/dev/null | grep -q "\"version\":\"$2\""; do
        ((SECONDS < deadline)) || { echo "$1 does not serve version $2 after 10 minutes (az webapp log tail --slot staging)"; return 1; }
        sleep 5
    done
    echo "$1 serves version $2"
}

case "${1:-}" in
deploy)
    tag="${2:?usage: appservice.sh deploy TAG}"
    version="$("$root/ci/version.sh" "$tag")"
    registry="${APPSERVICE_REGISTRY:-$(output registry_url)}"
    # linuxFxVersion "DOCKER|<image>" is the container the slot runs; it pulls with the managed
    # identity Terraform configured (acrUseManagedIdentityCreds), so no registry credential here.
    az_run webapp config set --resource-group "$group" --name "$app" --slot staging \
        --linux-fx-version "DOCKER|$registry/appraise:$tag" --output none
    wait_for_version "$(url staging)" "$version"
    ;;
swap | rollback)
    az_run webapp deployment slot swap --resource-group "$group" --name "$app" --slot staging --target-slot production
    echo "$1: staging and production swapped; production is $(url production)"
    ;;
url)
    url "${2:-production}"
    ;;
*)
    echo "usage: scripts/appservice.sh deploy TAG | swap | rollback | url [staging|production]" >&2
    exit 2
    ;;
esac
