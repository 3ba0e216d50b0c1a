#!/usr/bin/env bash
# Deploys appraise to Azure App Service (deploy/terraform/envs/azure-appservice-dev) the same way
# from a laptop, GitHub Actions and Azure Pipelines (make appservice-deploy, -swap, -rollback,
# -url call it):
#   deploy TAG        point the staging slot at <registry>/appraise:TAG (at <registry>/appraise@DIGEST
#                     when DIGEST is set: a tag can be pushed again) and wait until it serves
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

# The staging identity may act on the staging slot only (Website Contributor there), and
# `az webapp` reads the production site even when given --slot: azure-cli 2.74.0 to 2.91.0 (the
# runners have 2.89.1) call web_apps.get(group, app) in show_app and update_site_configs through
# is_centauri_functionapp (command_modules/appservice/custom.py, utils.py). So the staging slot is
# read and changed with `az rest` on its own ARM path ({subscriptionId} and the Resource Manager
# endpoint are filled in by az rest itself, azure/cli/core/util.py send_raw_request, 2.45 to 2.74),
# at the API version azure-cli 2.74's appservice commands use (core/profiles/_shared.py).
api_version=2023-01-01
slot_path="/subscriptions/{subscriptionId}/resourceGroups/$group/providers/Microsoft.Web/sites/$app/slots/staging"

url() { # url staging|production
    local show host
    case "$1" in
    production) show=(webapp show --resource-group "$group" --name "$app" --query defaultHostName) host="$app" ;;
    staging) show=(rest --method get --url "$slot_path?api-version=$api_version" --query properties.defaultHostName) host="$app-staging" ;;
    *) echo "url: staging or production, not '$1'" >&2; return 2 ;;
    esac
    if [[ -n "$dry_run" ]]; then
        az_run "${show[@]}" --output tsv >&2
    else
        host="$(az "${show[@]}" --output tsv)"
    fi
    echo "https://${host%.azurewebsites.net}.azurewebsites.net"
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
    digest="${DIGEST:-}"
    [[ -z "$digest" || "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "deploy: DIGEST must be sha256:<64 hex>, not '$digest'" >&2; exit 2; }
    # App Service taking "DOCKER|<image>@sha256:..." is not verified live (the Terraform provider
    # builds the same reference for image_digest, hashicorp/terraform-provider-azurerm#31026).
    image="$registry/appraise${digest:+@$digest}"
    [[ -n "$digest" ]] || image+=":$tag"
    # linuxFxVersion "DOCKER|<image>" is the container the slot runs; it pulls with the managed
    # identity Terraform configured (acrUseManagedIdentityCreds), so no registry credential here.
    # PATCH .../slots/staging/config/web (Sites_UpdateConfigurationSlot): the slot only.
    az_run rest --method patch --url "$slot_path/config/web?api-version=$api_version" \
        --body "{\"properties\": {\"linuxFxVersion\": \"DOCKER|$image\"}}" --output none
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
