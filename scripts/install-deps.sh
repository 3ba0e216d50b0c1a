#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine of ours (idempotent).
# dotnet is already there; everything else comes from Debian's packages.
set -euo pipefail

need=()
command -v promtool >/dev/null || need+=(prometheus)
command -v shellcheck >/dev/null || need+=(shellcheck)
command -v curl >/dev/null || need+=(curl)
/usr/bin/python3 -c 'import sklearn' 2>/dev/null || need+=(python3-sklearn)

if [[ ${#need[@]} -gt 0 ]]; then
    echo "installing: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
