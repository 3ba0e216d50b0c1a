#!/usr/bin/env bash
# Checks model/convert.py against ONNX Runtime: trains the parity models, converts them, builds
# the boundary rows (tests/model/parity_models.py), then runs onnxruntime-node over them and
# compares with scikit-learn (tests/model/ort-node/ort.mjs). The files stay in OUT for the C#
# evaluator's own comparisons.
#
#   tests/model/parity.sh [OUT]      OUT defaults to artifacts/model-parity
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../artifacts/model-parity}"

rm -rf "$out"
mkdir -p "$out"
/usr/bin/python3 "$here/parity_models.py" --out "$out"
"$here/../../tools/install-checkers.sh" model
node "$here/ort-node/ort.mjs" "$out"
