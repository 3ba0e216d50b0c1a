#!/usr/bin/env bash
# Releases a model without an image: appraise polls its model repository and serves a version once
# it has downloaded, verified (model-settings.json's sha256) and loaded it (docs/models.md, "Models
# in object storage"). Users, `make model-release-*` and the model-release pipelines
# (.github/workflows/model-release.yml, azure-pipelines/model-release.yml, CircleCI in
# docs/branch-protection.md) run this same script.
#
#   scripts/model-release.sh build [--train | --from DIR] [--parity CSV] [--out DIR]
#       --train (the default): model/train.py (Debian's python3-sklearn, model/convert.py), which
#       writes housing/1/{model.onnx,model-settings.json} and parity.csv (its inputs with
#       scikit-learn's own predictions). --from DIR: a model.onnx (+ optional model-settings.json)
#       already converted; its parity CSV (features..., prediction) is --parity, else DIR/parity.csv,
#       else DIR/../../parity.csv (train.py's layout: model/housing/1 -> model/parity.csv).
#       Then the converter's parity tooling on those rows (tests/model: onnxruntime-node's ort.mjs
#       and Appraise.ModelParity, appraise's own evaluator, bit-identical for double models), and
#       OUT (default artifacts/model-release) gets model.onnx and model-settings.json with the
#       file's sha256. Regressors only (one prediction per row).
#   scripts/model-release.sh upload REPOSITORY MODEL VERSION DIR
#       DIR's model.onnx and model-settings.json to REPOSITORY/MODEL/VERSION/. REPOSITORY is
#       https://<account>.blob.core.windows.net/<container>[/<prefix>] (az, signed in: --auth-mode
#       login; with AZURE_STORAGE_CONNECTION_STRING set, that instead, e.g. Azurite's, whose
#       repository is path-style http://host:port/<account>/<container>[/<prefix>]) or
#       s3://<bucket>[/<prefix>] (aws; AWS_ENDPOINT_URL_S3 for an S3-compatible store). Versions
#       are immutable: an existing MODEL/VERSION/model.onnx is refused. model-settings.json goes
#       first, model.onnx last and only if absent (a conditional write), because the service lists
#       versions by model.onnx: a half-done upload is never a version, and can be run again.
#   scripts/model-release.sh promote MODEL VERSION [--canary]
#       helm upgrade of the release (RELEASE, default appraise; NAMESPACE, default ENV's env.yaml
#       appraise.namespace, else appraise; CHART, default deploy/helm/appraise) with
#       model.pins.MODEL=VERSION (canary.model.pins.MODEL with --canary): the version the
#       unversioned routes serve. Every other value stays the release's.
# DRY_RUN=1 prints the upload and helm commands ("DRY_RUN: ...") instead of running them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python=/usr/bin/python3   # Debian's: python3-sklearn, python3-onnx, numpy
DRY_RUN="${DRY_RUN:-}"

die() { echo "model-release: $*" >&2; exit 1; }
usage() { sed -n '8,31p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
run() { # run COMMAND...: runs it, or prints it under DRY_RUN
    if [[ -n "$DRY_RUN" ]]; then printf 'DRY_RUN:'; printf ' %q' "$@"; printf '\n'; else "$@"; fi
}
valid_model() { [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$ ]] || die "model name '$1' is not one appraise serves ([A-Za-z0-9][A-Za-z0-9._-]{0,99}, src/Appraise.Api/Model/DirectorySource.cs)"; }
valid_version() { [[ "$1" =~ ^[0-9]{1,18}$ ]] || die "version '$1' is not an integer (appraise's versions and model.pins are integers)"; }

# --- build ---------------------------------------------------------------------------------
build() {
    local source=train from="" parity="" out="$root/artifacts/model-release"
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --train) source=train; shift ;;
            --from) source=dir; from="${2:?--from DIR}"; shift 2 ;;
            --parity) parity="${2:?--parity CSV}"; shift 2 ;;
            --out) out="${2:?--out DIR}"; shift 2 ;;
            *) usage ;;
        esac
    done
    local work
    work="$(mktemp -d)"
    # shellcheck disable=SC2064 # expand now: work is local
    trap "rm -rf '$work'" EXIT
    if [[ "$source" == train ]]; then
        "$python" "$root/model/train.py" --out "$work/trained"
        from="$work/trained/housing/1"
        parity="${parity:-$work/trained/parity.csv}"
    else
        [[ -f "$from/model.onnx" ]] || die "--from $from: no model.onnx there"
        if [[ -z "$parity" ]]; then
            for parity in "$from/parity.csv" "$from/../../parity.csv" ""; do [[ -z "$parity" || -f "$parity" ]] && break; done
        fi
        [[ -n "$parity" && -f "$parity" ]] || die "--from $from: no parity CSV (--parity FILE: the features and scikit-learn's prediction per row)"
    fi
    rm -rf "$out" && mkdir -p "$out"
    cp "$from/model.onnx" "$out/model.onnx"
    # model-settings.json with the file's sha256; a settings file whose sha256 names another file
    # is not this model's.
    "$python" - "$out/model.onnx" "$from/model-settings.json" "$out/model-settings.json" <<'PY'
import hashlib, json, os, sys
model, given, written = sys.argv[1:]
digest = hashlib.sha256(open(model, "rb").read()).hexdigest()
settings = json.load(open(given, encoding="utf-8")) if os.path.exists(given) else {}
if settings.get("sha256") not in (None, digest):
    sys.exit(f"model-release: {given} declares sha256 {settings['sha256']}, model.onnx is {digest}")
settings["sha256"] = digest
open(written, "w", encoding="utf-8").write(json.dumps(settings, indent=2, ensure_ascii=False) + "\n")
print(f"model.onnx sha256 {digest}")
PY
    parity_check "$out" "$parity" "$work/parity" | tee "$out/parity.txt"
}

# The parity rows in the layout of tests/model/parity_models.py (OUT/<model>/1/model.onnx,
# rows.f64, rows.json, sklearn.predict.f64), then the model stage's own tools on them.
parity_check() { # parity_check MODEL_DIR CSV WORK
    local model_dir="$1" csv="$2" dir="$3/release" precision flags=()
    mkdir -p "$dir/1"
    cp "$model_dir/model.onnx" "$model_dir/model-settings.json" "$dir/1/"
    precision="$("$python" - "$csv" "$dir" <<'PY'
import csv, json, pathlib, sys
import numpy as np
import onnx
source, directory = sys.argv[1], pathlib.Path(sys.argv[2])
with open(source, newline="") as f:
    header, *rows = list(csv.reader(f))
if header[-1] != "prediction" or not rows:
    sys.exit(f"model-release: {source}: want a header of the features then 'prediction', and rows")
values = np.array([[float(v) for v in row] for row in rows], dtype="<f8")
model = onnx.load(str(directory / "1" / "model.onnx"))
elem = model.graph.input[0].type.tensor_type.elem_type
precision = {onnx.TensorProto.DOUBLE: "double", onnx.TensorProto.FLOAT: "float"}.get(elem)
if precision is None:
    sys.exit("model-release: model.onnx's input is neither float nor double")
if any(n.op_type == "TreeEnsembleClassifier" for n in model.graph.node):
    sys.exit("model-release: a classifier: the parity CSV holds one prediction per row (regressors only)")
features = len(header) - 1
(directory / "rows.f64").write_bytes(np.ascontiguousarray(values[:, :features]).tobytes())
(directory / "sklearn.predict.f64").write_bytes(np.ascontiguousarray(values[:, features:]).tobytes())
(directory / "rows.json").write_text(json.dumps({
    "rows": len(values), "features": features, "feature_names": header[:-1], "precision": precision,
    "outputs": [{"name": "variable", "type": "float32", "shape": [len(values), 1], "sklearn": "sklearn.predict.f64"}],
    "sklearn_skipped_rows": [],
}, indent=1) + "\n")
print(precision)
PY
)"
    echo "parity: $(($(wc -l <"$csv") - 1)) rows of $csv ($precision model)"
    "$root/tools/install-checkers.sh" model
    node "$root/tests/model/ort-node/ort.mjs" "$3"
    local compare="$root/tests/model/Appraise.ModelParity/bin/Release/net10.0/Appraise.ModelParity.dll"
    [[ -f "$compare" ]] || dotnet build "$root/tests/model/Appraise.ModelParity" -c Release -nologo -v quiet >&2
    [[ "$precision" == double ]] && flags=(--bit-identical)
    dotnet "$compare" "$dir" "${flags[@]}"
}

# --- upload --------------------------------------------------------------------------------
upload() {
    [[ $# -eq 4 ]] || usage
    local repository="${1%/}" model="$2" version="$3" dir="$4" kind prefix key
    valid_model "$model"
    valid_version "$version"
    [[ -f "$dir/model.onnx" && -f "$dir/model-settings.json" ]] || die "$dir: needs model.onnx and model-settings.json (scripts/model-release.sh build writes both)"
    "$python" - "$dir" <<'PY' || exit 1
import hashlib, json, sys
d = sys.argv[1]
digest = hashlib.sha256(open(f"{d}/model.onnx", "rb").read()).hexdigest()
declared = json.load(open(f"{d}/model-settings.json", encoding="utf-8")).get("sha256")
if declared != digest:
    sys.exit(f"model-release: {d}/model-settings.json's sha256 is {declared}, model.onnx's is {digest}: build again")
PY
    local account="" container="" bucket=""
    case "$repository" in
        s3://*)
            kind=s3
            local rest="${repository#s3://}"
            bucket="${rest%%/*}"; prefix=""; [[ "$rest" == */* ]] && prefix="${rest#*/}" ;;
        https://*.blob.core.windows.net/*)
            kind=azure
            local host="${repository#https://}" path
            path="${host#*/}"; host="${host%%/*}"; account="${host%%.*}"
            container="${path%%/*}"; prefix=""; [[ "$path" == */* ]] && prefix="${path#*/}" ;;
        http://*/*/* | https://*/*/*)
            # Path-style (Azurite): http://host:port/<account>/<container>[/<prefix>]; the
            # endpoint and key come from AZURE_STORAGE_CONNECTION_STRING.
            [[ -n "${AZURE_STORAGE_CONNECTION_STRING:-}" ]] || die "$repository: a path-style Blob address needs AZURE_STORAGE_CONNECTION_STRING (an emulator's)"
            kind=azure
            local path="${repository#*://}"
            path="${path#*/}"; account="${path%%/*}"; path="${path#*/}"
            container="${path%%/*}"; prefix=""; [[ "$path" == */* ]] && prefix="${path#*/}" ;;
        *) die "$repository: not https://<account>.blob.core.windows.net/<container>[/<prefix>] nor s3://<bucket>[/<prefix>]" ;;
    esac
    [[ -n "${bucket}${container}" ]] || die "$repository: no container or bucket"
    key="${prefix:+${prefix%/}/}$model/$version"
    echo "model-release: $dir -> $repository/$model/$version/ ($kind)"
    if "${kind}_exists" "$key/model.onnx"; then
        die "$repository/$model/$version/model.onnx exists: versions are immutable, release a new version"
    fi
    "${kind}_put" "$key/model-settings.json" "$dir/model-settings.json" application/json overwrite
    "${kind}_put" "$key/model.onnx" "$dir/model.onnx" application/octet-stream if-absent
    echo "model-release: ${DRY_RUN:+would have }uploaded $model/$version (sha256 $(sha256sum "$dir/model.onnx" | cut -d' ' -f1))"
}

# Azure CLI (checked against azure-cli 2.45.0's command_modules/storage, Debian's; the same
# arguments in current releases): `storage blob exists` and `storage blob upload`, whose
# --overwrite defaults to false, which fails when the blob exists (the SDK sends If-None-Match: *).
# --auth-mode login takes the signed-in identity and ignores any connection string
# (_validators.py validate_client_parameters), so it is left out when one is set.
az_auth() { if [[ -z "${AZURE_STORAGE_CONNECTION_STRING:-}" ]]; then echo --auth-mode login; fi; }
azure_exists() { # azure_exists KEY: 0 when the blob exists, 1 when not, exits on any other answer
    local answer
    # shellcheck disable=SC2046 # az_auth is zero or two words
    [[ -n "$DRY_RUN" ]] && { run az storage blob exists --account-name "$account" --container-name "$container" --name "$1" $(az_auth) --query exists --output tsv; return 1; }
    # shellcheck disable=SC2046
    answer="$(az storage blob exists --account-name "$account" --container-name "$container" --name "$1" $(az_auth) --query exists --output tsv)" ||
        die "could not ask whether $1 exists in $account/$container"
    case "$answer" in true) return 0 ;; false) return 1 ;; *) die "az storage blob exists answered '$answer' for $1" ;; esac
}
azure_put() { # azure_put KEY FILE CONTENT_TYPE overwrite|if-absent
    # shellcheck disable=SC2046
    run az storage blob upload --account-name "$account" --container-name "$container" --name "$1" --file "$2" \
        --content-type "$3" --overwrite "$([[ "$4" == overwrite ]] && echo true || echo false)" $(az_auth) --no-progress --output none
}
# AWS CLI (checked against aws-cli 1.45.11 / botocore 1.43.11: s3 cp's --content-type and
# --only-show-errors, s3api's head-object and put-object with --if-none-match, PutObject's
# IfNoneMatch, a conditional write S3 refuses with 412 when the key exists). AWS_ENDPOINT_URL_S3
# is botocore's service-specific endpoint variable (configprovider.py); AWS CLI v2 has the same.
s3_exists() {
    local out
    [[ -n "$DRY_RUN" ]] && { run aws s3api head-object --bucket "$bucket" --key "$1"; return 1; }
    if out="$(aws s3api head-object --bucket "$bucket" --key "$1" 2>&1)"; then return 0; fi
    # 404 only with s3:ListBucket; without it S3 answers 403 for a missing key, which stops here.
    [[ "$out" == *"(404)"* || "$out" == *"Not Found"* ]] && return 1
    die "could not ask whether s3://$bucket/$1 exists: $out"
}
s3_put() {
    if [[ "$4" == overwrite ]]; then
        run aws s3 cp "$2" "s3://$bucket/$1" --content-type "$3" --only-show-errors
    else
        run aws s3api put-object --bucket "$bucket" --key "$1" --body "$2" --content-type "$3" --if-none-match '*' --output text --query ETag
    fi
}

# --- promote -------------------------------------------------------------------------------
promote() {
    local model="" version="" canary=""
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --canary) canary=1; shift ;;
            -*) usage ;;
            *) if [[ -z "$model" ]]; then model="$1"; elif [[ -z "$version" ]]; then version="$1"; else usage; fi; shift ;;
        esac
    done
    [[ -n "$model" && -n "$version" ]] || usage
    valid_model "$model"
    valid_version "$version"
    local env="${ENV:-}" namespace="${NAMESPACE:-}" release="${RELEASE:-appraise}" chart="${CHART:-$root/deploy/helm/appraise}" helm="${HELM:-}"
    if [[ -z "$namespace" && -n "$env" && -f "$root/deploy/terraform/envs/$env/env.yaml" ]]; then
        # Terraform's app_namespace is made from this (tests/pipelines/run.sh checks it).
        namespace="$("$python" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["appraise"]["namespace"])' "$root/deploy/terraform/envs/$env/env.yaml")"
    fi
    namespace="${namespace:-appraise}"
    if [[ -z "$helm" ]]; then
        if [[ -n "$DRY_RUN" ]]; then helm=helm; else helm="$("$root/tools/install.sh")/helm"; fi
    fi
    # A dot in a --set key separates levels: escape the model name's own.
    local key="${canary:+canary.}model.pins.${model//./\\.}"
    # --reset-then-reuse-values (helm v4.1.4, pkg/action/upgrade.go reuseValues): the release's own
    # values over this chart's defaults. --reuse-values would replace the chart's defaults with the
    # old release's, dropping any default the checkout's chart added. The pin changes the pods'
    # environment (Model__Pins__<model>), so they roll; --rollback-on-failure as make deploy does.
    run "$helm" upgrade "$release" "$chart" --namespace "$namespace" --reset-then-reuse-values \
        --set "$key=$version" --rollback-on-failure --wait=watcher --timeout 10m
}

case "${1:-}" in
    build) shift; build "$@" ;;
    upload) shift; upload "$@" ;;
    promote) shift; promote "$@" ;;
    *) usage ;;
esac
