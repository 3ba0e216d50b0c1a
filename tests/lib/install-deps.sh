#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine of ours (idempotent).
# dotnet is already there; everything else comes from Debian's packages: promtool, scikit-learn
# (model retraining), PostgreSQL 15 server binaries (report store tests), Chromium (chart
# rendering), shellcheck, gRPC for Python and protoc (the oip stage's third-party client), wrk.
set -euo pipefail

need=()
command -v promtool >/dev/null || need+=(prometheus)
command -v shellcheck >/dev/null || need+=(shellcheck)
command -v curl >/dev/null || need+=(curl)
/usr/bin/python3 -c 'import sklearn' 2>/dev/null || need+=(python3-sklearn)
/usr/bin/python3 -c 'import onnx' 2>/dev/null || need+=(python3-onnx)   # model/convert.py
/usr/bin/python3 -c 'import grpc' 2>/dev/null || need+=(python3-grpcio) # the oip stage's Python gRPC client
command -v protoc >/dev/null || need+=(protobuf-compiler)                # its descriptor set of the spec's .proto
command -v wrk >/dev/null || need+=(wrk)                                 # the oip stage's reload under load
[[ -x /usr/lib/postgresql/15/bin/initdb ]] || need+=(postgresql-15)
command -v chromium >/dev/null || need+=(chromium)
[[ -d /usr/share/fonts/truetype/dejavu ]] || need+=(fonts-dejavu-core)
command -v runuser >/dev/null || need+=(util-linux)

if [[ ${#need[@]} -gt 0 ]]; then
    echo "installing: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The tests run PostgreSQL as this user when they run as root (initdb refuses root).
id postgres >/dev/null 2>&1 || useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
