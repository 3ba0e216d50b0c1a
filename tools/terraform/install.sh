#!/usr/bin/env bash
# Installs the Terraform checks' pinned packages (package-lock.json: the @cdktf/provider-* schema
# packages and @cdktf/hcl2json) into tools/terraform/node_modules (untracked) and builds the
# reduced schema index of each provider once (node_modules/.schema-index).
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -f node_modules/.installed ]] || [[ package-lock.json -nt node_modules/.installed ]]; then
    npm ci --no-audit --no-fund --loglevel=error
    touch node_modules/.installed
fi
node schema-index.mjs
