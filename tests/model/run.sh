#!/usr/bin/env bash
# Retrains the model with the committed training date and checks the result is byte-identical
# to the committed model/housing-gbr.json and model/parity.csv.
set -euo pipefail
here="$(cd "$(dirname "$0")/../../model" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

trained_at="$(grep -o '"trained_at":"[^"]*"' "$here/housing-gbr.json" | cut -d'"' -f4)"
SOURCE_DATE_EPOCH="$(date -u -d "$trained_at" +%s)" /usr/bin/python3 "$here/train.py" --out "$out"
cmp "$here/housing-gbr.json" "$out/housing-gbr.json"
cmp "$here/parity.csv" "$out/parity.csv"
echo "model reproduced byte for byte"
