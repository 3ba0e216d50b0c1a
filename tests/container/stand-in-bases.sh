#!/usr/bin/env bash
# Builds local stand-ins for the Dockerfile's base images, for machines that cannot reach a
# registry, and tags them with the exact names the Dockerfile's FROM lines use, so the real
# Dockerfile builds unchanged:
#   mcr.microsoft.com/dotnet/sdk:10.0                      Debian bookworm (debootstrap) + this host's .NET SDK
#   mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled  only the shared libraries .NET needs, CA
#                                                          certificates and the app user (1654): like the
#                                                          real chiseled image, no shell, no package manager
# The host's CA bundle goes into the SDK stand-in, because containers here reach NuGet only
# through this network's TLS proxy. Set FORCE=1 to rebuild images that already exist.
set -euo pipefail

docker="${DOCKER:-/usr/bin/docker}"
sdk_tag="mcr.microsoft.com/dotnet/sdk:10.0"
deps_tag="mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled"
cache="${APPRAISE_BASE_CACHE:-/var/cache/appraise/bases}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if [[ "${FORCE:-0}" != 1 ]] && "$docker" image inspect "$sdk_tag" "$deps_tag" >/dev/null 2>&1; then
    echo "stand-in base images already present"
    exit 0
fi

mkdir -p "$cache"
rootfs="$cache/bookworm"
if [[ ! -f "$cache/bookworm.complete" ]]; then
    rm -rf "$rootfs"
    echo "debootstrap bookworm (minbase) into $rootfs"
    debootstrap --variant=minbase --include=ca-certificates,libssl3,libicu72,zlib1g,libstdc++6,libgcc-s1 \
        bookworm "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 || { tail -20 "$cache/debootstrap.log"; exit 1; }
    touch "$cache/bookworm.complete"
fi

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT

# --- SDK: the Debian root plus this machine's .NET SDK and CA bundle.
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
mkdir -p "$staging/sdk"
tar -C "$rootfs" -cf - . | tar -C "$staging/sdk" -xf -
mkdir -p "$staging/sdk/usr/share/dotnet"
tar -C "$dotnet_root" -cf - . | tar -C "$staging/sdk/usr/share/dotnet" -xf -
ln -sf /usr/share/dotnet/dotnet "$staging/sdk/usr/bin/dotnet"
cp /etc/ssl/certs/ca-certificates.crt "$staging/sdk/etc/ssl/certs/ca-certificates.crt"
tar -C "$staging/sdk" -cf - . | "$docker" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV DOTNET_ROOT=/usr/share/dotnet' \
    --change 'ENV DOTNET_CLI_TELEMETRY_OPTOUT=1' \
    --change 'ENV NUGET_XMLDOC_MODE=skip' \
    - "$sdk_tag" >/dev/null
echo "built $sdk_tag"

# --- runtime-deps (chiseled): just the files of the libraries .NET loads, nothing to run a shell with.
deps="$staging/deps"
mkdir -p "$deps"/{etc/ssl/certs,tmp,home/app,usr/lib,usr/bin}
ln -s usr/lib "$deps/lib"
ln -s usr/lib64 "$deps/lib64"
ln -s usr/bin "$deps/bin"
chmod 1777 "$deps/tmp"
chroot "$rootfs" dpkg -L libc6 libgcc-s1 libstdc++6 zlib1g libssl3 \
    | grep -E '\.so' | while read -r path; do
        dir="$(cd "$rootfs$(dirname "$path")" && pwd -P)"
        file="$dir/$(basename "$path")"
        [[ -e "$file" || -L "$file" ]] || continue
        relative="${file#"$rootfs"/}"
        mkdir -p "$deps/$(dirname "$relative")"
        cp -a "$file" "$deps/$relative"
    done
cp "$rootfs/etc/ssl/certs/ca-certificates.crt" "$deps/etc/ssl/certs/"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:1654:1654:app:/home/app:/usr/sbin/nologin\n' >"$deps/etc/passwd"
printf 'root:x:0:\napp:x:1654:\n' >"$deps/etc/group"
chown 1654:1654 "$deps/home/app"
tar -C "$deps" -cf - . | "$docker" import \
    --change 'ENV APP_UID=1654' \
    --change 'ENV ASPNETCORE_HTTP_PORTS=8080' \
    --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' \
    --change 'USER 1654' \
    - "$deps_tag" >/dev/null
echo "built $deps_tag"
