#!/usr/bin/env bash
# Prints a valid SemVer 2.0 version (no build metadata, so it is also a valid image tag) for the
# build, from whatever a pipeline has: a release tag, a commit, a numeric build id, or nothing.
# .NET's -p:Version, the OCI label and the chart version all need one (a SHA or a leading "v"
# fails the .NET build with NETSDK1018).
#   ci/version.sh                  the checkout: its exact tag if HEAD has a release tag, else
#                                  0.0.0-sha.<short commit>
#   ci/version.sh v1.2.3           1.2.3          (also refs/tags/v1.2.3, 1.2.3, v1.2.3-rc.1)
#   ci/version.sh <commit SHA>     0.0.0-sha.<first 7 hex digits>
#   ci/version.sh 20261123.4       0.0.0-build.20261123.4   (a build id or run number)
# Anything else is refused: a version must never be guessed.
set -euo pipefail
input="${1:-}"
# SemVer 2.0.0's grammar for a version without build metadata (semver.org, "Is there a suggested
# regular expression"): numeric parts without leading zeros, dot-separated pre-release identifiers.
num='(0|[1-9][0-9]*)'
ident='(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)'
semver="^$num\.$num\.$num(-$ident(\.$ident)*)?\$"

from_commit() { # 0.0.0-sha.<short>; an all-digit short SHA with a leading 0 is no valid identifier
    local short="${1:0:7}"
    [[ "$short" =~ ^0[0-9]*$ ]] && short="g$short"
    echo "0.0.0-sha.$short"
}

if [[ -z "$input" ]]; then
    if tag="$(git describe --tags --exact-match --match 'v[0-9]*' HEAD 2>/dev/null)"; then
        input="$tag"
    else
        from_commit "$(git rev-parse HEAD)"
        exit 0
    fi
fi
candidate="${input#refs/tags/}"
candidate="${candidate#v}"
candidate="${candidate%%+*}"          # build metadata is not part of an image tag
if [[ "$candidate" =~ $semver ]]; then
    echo "$candidate"
elif [[ "$input" =~ ^[0-9a-f]{7,40}$ && ! "$input" =~ ^[0-9]+$ ]]; then
    from_commit "$input"
elif [[ "$input" =~ ^[1-9][0-9]*(\.(0|[1-9][0-9]*))*$ ]]; then
    echo "0.0.0-build.$input"
else
    echo "ci/version.sh: cannot make a SemVer version from '$input' (a release tag vX.Y.Z, a commit SHA or a build id)" >&2
    exit 1
fi
