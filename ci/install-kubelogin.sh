#!/usr/bin/env bash
# Installs one pinned release of Azure/kubelogin, the credential plugin an AKS cluster with
# Microsoft Entra ID needs: `az aks get-credentials` writes a kubeconfig that runs kubelogin, and
# Terraform's kubeconfig_command output (deploy/terraform/modules/azure/outputs.tf) then runs
# `kubelogin convert-kubeconfig -l azurecli`.
#   ci/install-kubelogin.sh VERSION ARCH DEST_DIR        (VERSION: v0.2.19; ARCH: amd64 or arm64)
# Verified as Microsoft's GitHub Action Azure/use-kubelogin verifies it (v1.3, src/release.ts; the
# KubeloginInstaller@0 Azure Pipelines task does not check at all): the zip must match its line in
# the release's kubelogin-linux-<arch>.zip.sha256 ("<sha256>  <file>", written by sha256sum in
# kubelogin's .github/workflows/release.yml at v0.2.19); the binary is bin/linux_<arch>/kubelogin.
# Source (overridable, so the test command can prove the checks against a local release):
#   KUBELOGIN_RELEASES   https://github.com/Azure/kubelogin/releases/download
set -euo pipefail
version="$1" arch="$2" dest="$3"
releases="${KUBELOGIN_RELEASES:-https://github.com/Azure/kubelogin/releases/download}"
zip="kubelogin-linux-${arch}.zip"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fetch() { curl -fsSL --retry 3 -o "$work/$2" "$1"; }

fetch "$releases/$version/$zip" "$zip"
fetch "$releases/$version/$zip.sha256" "$zip.sha256"
line="$(awk -v file="$zip" '$2 == file' "$work/$zip.sha256")"
[[ -n "$line" ]] || { echo "install-kubelogin: $zip is not in $zip.sha256" >&2; exit 1; }
(cd "$work" && sha256sum --quiet -c - <<<"$line") || { echo "install-kubelogin: $zip does not match its checksum" >&2; exit 1; }
mkdir -p "$dest"
unzip -o -q -j "$work/$zip" "bin/linux_${arch}/kubelogin" -d "$dest"
chmod 0755 "$dest/kubelogin"
echo "install-kubelogin: kubelogin $version ($arch) verified and installed in $dest"
