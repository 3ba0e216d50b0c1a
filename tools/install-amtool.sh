#!/usr/bin/env bash
# Installs an amtool that knows the Alertmanager configuration kube-prometheus-stack 88.5.3 runs
# (msteamsv2_configs need Alertmanager >= 0.28; Debian bookworm ships 0.25): Debian trixie's
# prometheus-alertmanager package, fetched with a private apt configuration (the system's
# sources and installed packages are not touched) and unpacked into tools/bin.
# Prints the amtool path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
amtool="$here/bin/amtool"
minimum=0.28
if [[ -x "$amtool" ]] && printf '%s\n' "$minimum" "$("$amtool" --version 2>&1 | awk '/version/{print $3; exit}')" | sort -VC; then
    echo "$amtool"
    exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$here/bin"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" >"$work/sources.list"
apt_options=(-q -o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/nonexistent
    -o Dir::State::Lists="$work/lists" -o Dir::Cache="$work/cache" -o APT::Sandbox::User=root)
apt-get "${apt_options[@]}" update >&2
(cd "$work" && apt-get "${apt_options[@]}" download prometheus-alertmanager >&2)
dpkg-deb -x "$work"/prometheus-alertmanager_*.deb "$work/root"
install -m 0755 "$work/root/usr/bin/amtool" "$amtool"
printf '%s\n' "$minimum" "$("$amtool" --version 2>&1 | awk '/version/{print $3; exit}')" | sort -VC ||
    { echo "trixie's amtool is older than $minimum" >&2; exit 1; }
echo "$amtool"
