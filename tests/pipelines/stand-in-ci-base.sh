#!/usr/bin/env bash
# Builds local stand-ins for ci/Dockerfile's base images on machines that cannot reach a
# registry, tagged with the exact names its FROM lines use, so the real ci/Dockerfile builds
# unchanged:
#   debian:trixie-slim                  Debian trixie (debootstrap --variant=minbase), made "slim"
#                                       by the tools that make the real image (debuerreotype's
#                                       minimizing-config and slimify: apt keeps no .deb, dpkg
#                                       leaves out docs, man pages and locales), with the apt
#                                       sources the real image has (trixie, -updates, -security).
#                                       Without them an image built on the stand-in carried some
#                                       500 MB of .deb files and 900 MB of /usr/share the real
#                                       base leaves out, and the test command's disk peak with them.
#   mcr.microsoft.com/dotnet/sdk:10.0   tests/container/stand-in-bases.sh (Debian + this host's SDK)
# This network reaches HTTPS registries through a TLS proxy, so its CA goes into
# /usr/local/share/ca-certificates of the stand-in (apt's ca-certificates keeps it in the bundle).
# The real images need none of this. FORCE=1 rebuilds.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
docker="${DOCKER:-/usr/bin/docker}"
tag="debian:trixie-slim"
cache="${APPRAISE_BASE_CACHE:-/var/cache/appraise/bases}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if ! "$docker" image inspect mcr.microsoft.com/dotnet/sdk:10.0 >/dev/null 2>&1; then
    DOCKER="$docker" "$root/tests/container/stand-in-bases.sh"
fi
if [[ "${FORCE:-0}" != 1 ]] && "$docker" image inspect "$tag" >/dev/null 2>&1; then
    echo "$tag already present"
    exit 0
fi

mkdir -p "$cache"
rootfs="$cache/trixie"
if [[ ! -f "$cache/trixie.complete" ]]; then
    rm -rf "$rootfs"
    echo "debootstrap trixie (minbase) into $rootfs"
    debootstrap --variant=minbase trixie "$rootfs" "$mirror" >"$cache/trixie-debootstrap.log" 2>&1 ||
        { tail -20 "$cache/trixie-debootstrap.log"; exit 1; }
    touch "$cache/trixie.complete"
fi

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
tar -C "$rootfs" -cf - . | tar -C "$staging" -xf -
# debuerreotype (Debian's package; docker-library's debian images are built with it) reads the
# build's epoch from the root; debuerreotype-tar leaves the file out of the image, so does this.
date +%s >"$staging/debuerreotype-epoch"
/usr/sbin/debuerreotype-minimizing-config "$staging"
/usr/sbin/debuerreotype-slimify "$staging"
rm -f "$staging/debuerreotype-epoch"
rm -f "$staging/etc/apt/sources.list"
cat >"$staging/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: trixie trixie-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: trixie-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
mkdir -p "$staging/usr/local/share/ca-certificates"
cp /etc/ssl/certs/ca-certificates.crt "$staging/usr/local/share/ca-certificates/this-network.crt"
rm -rf "$staging/var/lib/apt/lists/"* "$staging/var/cache/apt/"*.bin "$staging/var/cache/apt/archives/"*.deb
tar -C "$staging" -cf - . | "$docker" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    - "$tag" >/dev/null
echo "built $tag (stand-in)"
