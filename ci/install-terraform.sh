#!/usr/bin/env bash
# Installs one pinned Terraform release, verified the way HashiCorp documents (HCSEC-2021-12):
# the SHA256SUMS file must carry a valid signature by HashiCorp's release key, whose full
# fingerprint is pinned here, and the zip must match its line in that file. Any mismatch stops.
#   ci/install-terraform.sh VERSION ARCH DEST_DIR        (ARCH: amd64 or arm64)
# Sources (overridable, so the test command can prove the checks against a local release):
#   HASHICORP_RELEASES          https://releases.hashicorp.com
#   HASHICORP_KEY_URL           the public key, fetched by its full fingerprint from keyserver.ubuntu.com
#                               (as HashiCorp's own Dockerfiles fetch it)
#   HASHICORP_KEY_FINGERPRINT   C874011F0AB405110D02105534365D9472D7468F (the key since April 2021)
set -euo pipefail
version="$1" arch="$2" dest="$3"
fingerprint="${HASHICORP_KEY_FINGERPRINT:-C874011F0AB405110D02105534365D9472D7468F}"
releases="${HASHICORP_RELEASES:-https://releases.hashicorp.com}"
key_url="${HASHICORP_KEY_URL:-https://keyserver.ubuntu.com/pks/lookup?op=get&search=0x$fingerprint}"
zip="terraform_${version}_linux_${arch}.zip"
sums="terraform_${version}_SHA256SUMS"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
fetch() { curl -fsSL --retry 3 -o "$work/$2" "$1"; }

fetch "$key_url" key.asc
gpg --batch --quiet --import "$work/key.asc" 2>/dev/null
# The signature files are named after the key that made them: ..._SHA256SUMS.72D7468F.sig.
fetch "$releases/terraform/$version/$sums" "$sums"
fetch "$releases/terraform/$version/$sums.${fingerprint: -8}.sig" "$sums.sig"
# VALIDSIG's last field is the primary key's fingerprint: a good signature by any other key fails.
signer="$({ gpg --batch --status-fd 1 --verify "$work/$sums.sig" "$work/$sums" 2>/dev/null || true; } | awk '$2 == "VALIDSIG" {print $NF}')"
if [[ "$signer" != "$fingerprint" ]]; then
    echo "install-terraform: $sums is not signed by $fingerprint (signer: ${signer:-none})" >&2
    exit 1
fi
fetch "$releases/terraform/$version/$zip" "$zip"
line="$(awk -v file="$zip" '$2 == file' "$work/$sums")"
[[ -n "$line" ]] || { echo "install-terraform: $zip is not in $sums" >&2; exit 1; }
(cd "$work" && sha256sum --quiet -c - <<<"$line") || { echo "install-terraform: $zip does not match its signed checksum" >&2; exit 1; }
mkdir -p "$dest"
unzip -o -q "$work/$zip" terraform -d "$dest"
chmod 0755 "$dest/terraform"
echo "install-terraform: terraform $version ($arch) verified and installed in $dest"
