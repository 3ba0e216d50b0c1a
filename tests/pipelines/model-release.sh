#!/usr/bin/env bash
# The mutants below hold scripts/model-release.sh's own text, $ included, on purpose:
# shellcheck disable=SC2016
# The model-release pipelines' make targets (.github/workflows/model-release.yml,
# azure-pipelines/model-release.yml; scripts/model-release.sh), run by tests/pipelines/run.sh on
# its fresh clone, against real object stores:
#   - make model-release-build: model/train.py, and the embedded model/housing/1 as a given model;
#     the parity tooling runs and a changed scikit-learn prediction fails the build;
#   - make model-release-upload to Azurite (Blob Storage, az with AZURE_STORAGE_CONNECTION_STRING)
#     and s3rver (S3, aws with AWS_ENDPOINT_URL_S3), from tests/storage (tools/install-checkers.sh
#     storage), started as the service's storage tests start them; the objects read back with the
#     sha256 model-settings.json declares; the same version again refused and left as it was; on
#     Azure the model.onnx write itself refuses an existing blob; a half upload can be completed;
#   - make model-release-promote DRY_RUN=1 prints the helm upgrade with the pin (stable, canary),
#     and the chart renders that pin as Model__Pins__<model>;
#   - mutants of scripts/model-release.sh the checks must kill.
# Usage: tests/pipelines/model-release.sh CLONE RAN_FILE (the targets it ran are appended to
# RAN_FILE). Ends with "model-release-pipelines: N passed, N failed". Ports 19230-19239.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
clone="${1:?usage: model-release.sh CLONE RAN_FILE}"
ran_file="${2:?usage: model-release.sh CLONE RAN_FILE}"
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/pipelines/model-release"
rm -rf "$results" && mkdir -p "$results"
check_log="$results/checks.log"
# shellcheck source=tests/lib/checks.sh
source "$root/tests/lib/checks.sh"
azurite_port=19230 s3rver_port=19231
work="$(mktemp -d)"
pids=()
finish() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    rm -rf "$work"
    checks_summary model-release-pipelines
    exit $?
}
trap finish EXIT

command -v az >/dev/null || setup "install azure-cli (Debian)" bash -c \
    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends azure-cli" || exit
command -v aws >/dev/null || setup "install awscli (Debian)" bash -c \
    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends awscli" || exit
setup "Azurite and s3rver (tools/install-checkers.sh storage)" "$root/tools/install-checkers.sh" storage || exit
echo "Azure CLI $(az version --query '"azure-cli"' -o tsv 2>/dev/null); $(aws --version 2>&1)" >>"$check_log"

# Both servers as tests/Appraise.Api.Tests/Infrastructure/StorageServer.cs starts them.
bin="$root/tests/storage/node_modules/.bin"
mkdir -p "$work/azurite" "$work/s3rver"
"$bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$azurite_port" --location "$work/azurite" --silent \
    --skipApiVersionCheck --disableProductStyleUrl >"$results/azurite.log" 2>&1 &
pids+=($!)
"$bin/s3rver" --directory "$work/s3rver" --address 127.0.0.1 --port "$s3rver_port" --silent >"$results/s3rver.log" 2>&1 &
pids+=($!)
listening() { local deadline=$((SECONDS + 30)); until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do ((SECONDS < deadline)) || return 1; sleep 0.2; done; }
setup "Azurite listens on $azurite_port" listening "$azurite_port" || exit
setup "s3rver listens on $s3rver_port" listening "$s3rver_port" || exit

# What the pipelines' logins give the CLIs, here the emulators' documented development
# credentials (not secrets: every Azurite and s3rver has them).
export AZURE_CONFIG_DIR="$work/az-config" AZURE_CORE_COLLECT_TELEMETRY=false PYTHONWARNINGS=ignore
mkdir -p "$AZURE_CONFIG_DIR"
export AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;"
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$s3rver_port" AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
azure_repository="http://127.0.0.1:$azurite_port/devstoreaccount1/models/appraise"
s3_repository="s3://models/appraise"
setup "the container models (Azurite) and the bucket models (s3rver)" bash -c \
    "az storage container create --name models --output none && aws s3 mb s3://models"

target() { # target NAME LOG MAKE_ARGS...: a make target in the clone, its output kept in LOG
    local name="$1" log="$2"; shift 2
    echo "$name " >>"$ran_file"
    (cd "$clone" && make -s "$name" "$@") >"$results/$log" 2>&1
}

# --- build
build_trained() {
    target model-release-build build-train.out MODEL_OUT="$work/trained" &&
        grep -q '^ok   release (double, 806 rows)' "$results/build-train.out" &&
        grep -q 'to scikit-learn 0 relative (806 of 806 rows exactly)' "$results/build-train.out" &&
        [[ "$(jq -r .sha256 "$work/trained/model-settings.json")" == "$(sha256sum "$work/trained/model.onnx" | cut -d' ' -f1)" ]]
}
build_given() {
    target model-release-build build-given.out MODEL_SOURCE=model/housing/1 MODEL_OUT="$work/given" &&
        cmp "$work/given/model.onnx" "$clone/model/housing/1/model.onnx" &&
        cmp "$work/given/model-settings.json" "$clone/model/housing/1/model-settings.json" &&
        grep -q '806 rows of .*model/housing/1/../../parity.csv' "$results/build-given.out"
}
check "make model-release-build (model/train.py): parity with scikit-learn (onnxruntime-node, appraise bit-identical), the sha256" build_trained
check "make model-release-build MODEL_SOURCE=model/housing/1: the embedded model as given, its settings kept, parity from model/parity.csv" build_given
wrong_prediction() { # one of scikit-learn's predictions changed in the last digits: the build fails on parity
    mkdir -p "$work/wrong" && cp "$clone/model/housing/1/model.onnx" "$clone/model/housing/1/model-settings.json" "$work/wrong/" &&
        awk -F, -v OFS=, 'NR == 100 {$NF = $NF + 1e-9} {print}' "$clone/model/parity.csv" >"$work/wrong/parity.csv" &&
        ! cmp -s "$work/wrong/parity.csv" "$clone/model/parity.csv" &&
        ! (cd "$clone" && scripts/model-release.sh build --from "$work/wrong" --out "$work/wrong-out")
}
check "a parity row whose scikit-learn prediction differs fails the build" wrong_prediction
check "a model-settings.json whose sha256 names another file fails the build" bash -c "
    mkdir -p '$work/mismatch' && cp '$clone/model/housing/1/model.onnx' '$clone/model/parity.csv' '$work/mismatch/' &&
    jq '.sha256 = \"$(printf '%064d' 0)\"' '$clone/model/housing/1/model-settings.json' >'$work/mismatch/model-settings.json' &&
    ! (cd '$clone' && scripts/model-release.sh build --from '$work/mismatch' --out '$work/mismatch-out')"

# --- upload
objects_match() { # objects_match azure|s3 VERSION DIR: both objects read back, model.onnx is the sha256 its settings declare
    local kind="$1" key="appraise/housing/$2" got="$work/got-$1-$2"
    mkdir -p "$got"
    if [[ "$kind" == azure ]]; then
        az storage blob download --container-name models --name "$key/model.onnx" --file "$got/model.onnx" --no-progress --output none &&
            az storage blob download --container-name models --name "$key/model-settings.json" --file "$got/model-settings.json" --no-progress --output none
    else
        aws s3 cp "s3://models/$key/model.onnx" "$got/model.onnx" --only-show-errors &&
            aws s3 cp "s3://models/$key/model-settings.json" "$got/model-settings.json" --only-show-errors
    fi || return 1
    cmp "$got/model.onnx" "$3/model.onnx" && cmp "$got/model-settings.json" "$3/model-settings.json" &&
        [[ "$(jq -r .sha256 "$got/model-settings.json")" == "$(sha256sum "$got/model.onnx" | cut -d' ' -f1)" ]]
}
upload_to() { # upload_to REPOSITORY VERSION DIR [LOG]
    target model-release-upload "${4:-upload-$2.out}" MODEL_REPOSITORY="$1" MODEL=housing MODEL_VERSION="$2" MODEL_OUT="$3"
}
refused_again() { # refused_again azure|s3 REPOSITORY VERSION: a second upload fails, says why, changes nothing
    local before after
    before="$(objects_etags "$1" "$3")"
    if upload_to "$2" "$3" "$work/given" "again-$1.out"; then echo "uploaded $3 again"; return 1; fi
    grep -q 'versions are immutable' "$results/again-$1.out" || return 1
    after="$(objects_etags "$1" "$3")"
    echo "before: $before; after: $after"
    [[ -n "$before" && "$before" == "$after" ]]
}
objects_etags() {
    if [[ "$1" == azure ]]; then
        az storage blob list --container-name models --prefix "appraise/housing/$2/" --query '[].[name, properties.etag]' -o tsv
    else
        aws s3api list-objects-v2 --bucket models --prefix "appraise/housing/$2/" --query 'Contents[].[Key, ETag]' --output text
    fi
}
uploaded() { upload_to "$2" 2 "$work/trained" "upload-$1.out" && objects_match "$1" 2 "$work/trained"; }
check "make model-release-upload to Blob Storage (Azurite): housing/2 read back, the sha256 model-settings.json declares" uploaded azure "$azure_repository"
check "make model-release-upload to S3 (s3rver): housing/2 read back, the sha256 model-settings.json declares" uploaded s3 "$s3_repository"
azure_refuses() { refused_again azure "$azure_repository" 2; }
s3_refuses() { refused_again s3 "$s3_repository" 2; }
check "the same version uploaded again to Blob Storage is refused (versions are immutable), the objects unchanged" azure_refuses
check "the same version uploaded again to S3 is refused (versions are immutable), the objects unchanged" s3_refuses
# The printed commands are the ones run: model-release.sh's DRY_RUN, then its model.onnx upload
# run for real against Azurite, where housing/2 exists: the conditional write itself refuses it
# (s3rver ignores If-None-Match, so the same cannot be shown for S3 here).
conditional_write() {
    local line out
    line="$(cd "$clone" && DRY_RUN=1 scripts/model-release.sh upload "$azure_repository" housing 2 "$work/given" | grep '^DRY_RUN: az storage blob upload .*/model.onnx ')" || return 1
    echo "$line"
    if out="$(eval "${line#DRY_RUN: }" 2>&1)"; then echo "the model.onnx upload overwrote housing/2"; return 1; fi
    echo "$out"
    grep -q BlobAlreadyExists <<<"$out" && objects_match azure 2 "$work/trained"
}
check "on Blob Storage the model.onnx write itself refuses an existing version (--overwrite false: BlobAlreadyExists)" conditional_write
order() { # order REPOSITORY: the exists check, then model-settings.json, then model.onnx
    local out
    out="$(cd "$clone" && DRY_RUN=1 scripts/model-release.sh upload "$1" housing 9 "$work/given" | grep '^DRY_RUN: ')" || return 1
    echo "$out"
    [[ "$(wc -l <<<"$out")" -eq 3 ]] && sed -n 1p <<<"$out" | grep -qE '(blob exists|head-object) .*housing/9/model.onnx' &&
        sed -n 2p <<<"$out" | grep -q 'housing/9/model-settings.json' && sed -n 3p <<<"$out" | grep -q 'housing/9/model.onnx'
}
both_orders() { order "$azure_repository" && order "$s3_repository"; }
check "upload order (Blob Storage and S3): is model.onnx there, model-settings.json, then model.onnx (listed versions are whole)" both_orders
half_upload() { # only model-settings.json of housing/3 there (a run stopped half way): the upload completes it
    az storage blob upload --container-name models --name appraise/housing/3/model-settings.json --file "$work/given/model-settings.json" --no-progress --output none &&
        aws s3 cp "$work/given/model-settings.json" s3://models/appraise/housing/3/model-settings.json --only-show-errors &&
        upload_to "$azure_repository" 3 "$work/given" half-azure.out && objects_match azure 3 "$work/given" &&
        upload_to "$s3_repository" 3 "$work/given" half-s3.out && objects_match s3 3 "$work/given"
}
check "a half upload (model-settings.json only: no version yet) is completed by running the upload again" half_upload
check "an upload whose model-settings.json declares another sha256, a version that is no integer, a model name appraise refuses: refused" bash -c "
    cd '$clone' && mkdir -p '$work/bad' && cp '$work/trained/model.onnx' '$work/bad/' && cp '$work/given/model-settings.json' '$work/bad/' &&
    ! scripts/model-release.sh upload '$s3_repository' housing 4 '$work/bad' &&
    ! scripts/model-release.sh upload '$s3_repository' housing 4b '$work/given' &&
    ! scripts/model-release.sh upload '$s3_repository' ../housing 4 '$work/given' &&
    [[ -z \"\$(aws s3api list-objects-v2 --bucket models --prefix appraise/housing/4 --query 'Contents[].Key' --output text | grep -v None)\" ]]"

# --- promote
promote_prints() { # promote_prints CANARY KEY: the helm upgrade of the release with KEY=2
    local out="$results/promote${1:+-canary}.out"
    echo "model-release-promote " >>"$ran_file"
    (cd "$clone" && make -s model-release-promote DRY_RUN=1 ENV=aws-dev MODEL=housing MODEL_VERSION=2 CANARY="$1") >"$out" 2>&1 || return 1
    cat "$out"
    # The namespace is the one make deploy recorded for ENV (Makefile NAMESPACE), whichever that is.
    grep -qE "^DRY_RUN: helm upgrade appraise deploy/helm/appraise --namespace [a-z0-9-]+ --reset-then-reuse-values --set $2=2 --rollback-on-failure --wait=watcher --timeout 10m\$" "$out"
}
check "make model-release-promote DRY_RUN=1 prints helm upgrade --set model.pins.housing=2, every other value kept" promote_prints "" model.pins.housing
check "make model-release-promote DRY_RUN=1 CANARY=1 prints --set canary.model.pins.housing=2" promote_prints 1 canary.model.pins.housing
pin_renders() { # the printed --set on the chart: the pods get Model__Pins__housing=2
    local set
    set="$(grep -o -- '--set [^ ]*' "$results/promote.out")" || return 1
    # shellcheck disable=SC2086 # --set and its value
    "$("$root/tools/install.sh")/helm" template appraise "$clone/deploy/helm/appraise" -f "$clone/deploy/helm/values/minimal.yaml" $set |
        grep -A1 'name: Model__Pins__housing$' | grep -q 'value: "2"'
}
check "the pin the promote sets renders as Model__Pins__housing=2 in the chart" pin_renders

# --- mutants of scripts/model-release.sh, each killed by a check above (tests/lib/mutants.sh)
# shellcheck source=tests/lib/mutants.sh
source "$root/tests/lib/mutants.sh"
cd "$root" || exit 1
in_copy() { local saved="$clone"; clone="$PWD"; "$@"; local status=$?; clone="$saved"; return $status; }
s3_refuses_fresh() { # in the copy: a new version uploaded, then again (must be refused)
    local version="6$RANDOM"
    upload_to "$s3_repository" "$version" "$work/given" mutant-first.out && refused_again s3 "$s3_repository" "$version"
}
mutant_control "a second S3 upload refused, in a copy" -- in_copy s3_refuses_fresh
kill_mutant "no exists check before the upload (s3rver takes the second upload)" scripts/model-release.sh \
    'if "${kind}_exists" "$key/model.onnx"; then' 'if false; then' -- in_copy s3_refuses_fresh
conditional_write_copy() { in_copy conditional_write; }
mutant_control "the Blob Storage conditional write, in a copy" -- conditional_write_copy
kill_mutant "model.onnx uploaded with --overwrite true (an existing version replaced)" scripts/model-release.sh \
    '--overwrite "$([[ "$4" == overwrite ]] && echo true || echo false)"' '--overwrite true' -- conditional_write_copy
order_copy() { in_copy order "$azure_repository"; }
mutant_control "the upload order, in a copy" -- order_copy
kill_mutant "model.onnx uploaded before model-settings.json (a listed version without its settings)" scripts/model-release.sh \
    '    "${kind}_put" "$key/model-settings.json" "$dir/model-settings.json" application/json overwrite' \
    '    "${kind}_put" "$key/model.onnx" "$dir/model.onnx" application/octet-stream if-absent' -- order_copy
canary_copy() { in_copy promote_prints 1 canary.model.pins.housing; }
mutant_control "the canary promote, in a copy" -- canary_copy
kill_mutant "--canary pinning the stable track" scripts/model-release.sh \
    'local key="${canary:+canary.}model.pins.' 'local key="model.pins.' -- canary_copy
