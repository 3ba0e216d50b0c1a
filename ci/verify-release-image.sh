#!/usr/bin/env bash
# Verifies the keyless cosign signature release.yml made for a release and prints the digest it
# signed, which the deploys then run (by digest: a registry tag can be pushed again, a digest names
# these bytes only).
#   ci/verify-release-image.sh IMAGE VERSION      e.g. ghcr.io/acme/appraise 1.2.3 -> sha256:...
# The signature must be from exactly this repository's release.yml run for the tag vVERSION
# (certificate identity .../.github/workflows/release.yml@refs/tags/vVERSION, GitHub's OIDC issuer,
# a push trigger): not a regexp, which any workflow of the repository on any branch would match.
# cosign v3.0.6 (sigstore/cosign-installer v4.1.2's default; flags in
# cmd/cosign/cli/options/certificate.go): `cosign verify` resolves the tag once, checks the
# signature over that digest (check-claims: the payload's digest must be the image's) and prints
# the verified payloads as JSON, critical.image.docker-manifest-digest in each
# (cmd/cosign/cli/verify/common.go PrintVerification). Needs GITHUB_REPOSITORY (owner/name).
set -euo pipefail
image="${1:?usage: ci/verify-release-image.sh IMAGE VERSION}" version="${2:?usage: ci/verify-release-image.sh IMAGE VERSION}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "verify-release-image: $version is not a release (X.Y.Z)" >&2; exit 1; }
ref="refs/tags/v$version"
payloads="$(cosign verify "$image:$version" \
    --certificate-identity "https://github.com/${GITHUB_REPOSITORY:?}/.github/workflows/release.yml@$ref" \
    --certificate-oidc-issuer https://token.actions.githubusercontent.com \
    --certificate-github-workflow-trigger push --certificate-github-workflow-ref "$ref")"
digest="$(jq -r '[.[].critical.image["docker-manifest-digest"]] | unique | if length == 1 then .[0] else "" end' <<<"$payloads")"
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "verify-release-image: no single signed digest for $image:$version" >&2; exit 1; }
echo "$digest"
