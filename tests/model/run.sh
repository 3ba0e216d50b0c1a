#!/usr/bin/env bash
# The model stage:
#   - model/train.py retrains the embedded model byte for byte (model/housing/1: model.onnx,
#     model-settings.json) and model/parity.csv;
#   - model/convert.py against ONNX Runtime: tests/model/parity.sh trains five kinds of model
#     with Debian's scikit-learn (gradient boosting and random forest, regressors and
#     classifiers, histogram boosting on data with missing values, float and double), converts
#     them and builds 10,000 rows each with every threshold, its neighbours and NaN; then
#     onnxruntime-node (npm) evaluates them;
#   - appraise's evaluator against ONNX Runtime in C#, onnxruntime-node and scikit-learn on the
#     same rows (Appraise.ModelParity), one check per model, the figures printed; the double
#     models bit-identical to scikit-learn.
# Ends with "model: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/model"
rm -rf "$results" && mkdir -p "$results"
check_log="$results/checks.log"
# shellcheck source=tests/lib/checks.sh
source "$root/tests/lib/checks.sh"

retrain() {
    local out here="$root/model" trained_at
    out="$(mktemp -d)"
    trained_at="$(grep -o '"trained_at": *"[^"]*"' "$here/housing/1/model-settings.json" | cut -d'"' -f4)"
    SOURCE_DATE_EPOCH="$(date -u -d "$trained_at" +%s)" /usr/bin/python3 "$here/train.py" --out "$out" &&
    for file in housing/1/model.onnx housing/1/model-settings.json parity.csv; do
        cmp "$here/$file" "$out/$file" || { rm -rf "$out"; return 1; }
    done
    rm -rf "$out"
}
check "model/train.py retrains model/housing/1 (model.onnx, model-settings.json) and parity.csv byte for byte" retrain

parity="$results/parity"
setup "onnxruntime-node 1.30.0 (tests/model/ort-node)" tools/install-checkers.sh model || { checks_summary model; exit 1; }
check "model/convert.py: eight models trained, converted and evaluated by onnxruntime-node within tolerance of scikit-learn" \
    bash tests/model/parity.sh "$parity"
tail -1 "$check_log"
compare="tests/model/Appraise.ModelParity/bin/Release/net10.0/Appraise.ModelParity.dll"
[[ -f "$compare" ]] || dotnet build tests/model/Appraise.ModelParity -c Release -nologo -v quiet >>"$check_log" 2>&1
# shellcheck disable=SC2016 # expanded by the inner bash
for directory in "$parity"/*/; do
    name="$(basename "$directory")"
    flags=()
    [[ "$name" == *-double ]] && flags=(--bit-identical)
    check "appraise = ONNX Runtime (C#, node) on $name$([[ ${#flags[@]} -gt 0 ]] && echo ", bit-identical to scikit-learn")" \
        bash -c 'dotnet "$1" "${@:3}" | tee -a "$2"' _ "$compare" "$results/figures.txt" "$directory" "${flags[@]}"
done
if [[ -f "$results/figures.txt" ]]; then
    grep -h '^model parity:' "$results/figures.txt" | tee -a "$results/../figures.txt"
fi
checks_summary model
