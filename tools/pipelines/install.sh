#!/usr/bin/env bash
# Installs tools/pipelines' pinned npm libraries (package-lock.json) once; idempotent.
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -f node_modules/.installed ]] || [[ package-lock.json -nt node_modules/.installed ]]; then
    npm ci --no-audit --no-fund --loglevel=error >&2
    touch node_modules/.installed
fi
