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
# The keys trixie's InRelease is signed with, shipped here: GitHub's and Microsoft's Ubuntu runners
# have no /usr/share/keyrings/debian-archive-keyring.gpg (actions/runner-images installs no
# debian-archive-keyring), and apt refuses an unsigned repository (exit 100). keys/debian-trixie.gpg
# is debian-archive-trixie-stable.gpg and debian-archive-trixie-automatic.gpg of Debian's
# debian-archive-keyring 2023.3+deb12u2: 41587F7DB8C774BCCF131416762F67A0B2C39DE4 "Debian Stable
# Release Key (13/trixie)" and 04B54C3CDCA79751B16BC6B5225629DF75B188BD "Debian Archive Automatic
# Signing Key (13/trixie)" (the pipelines stage checks these fingerprints).
echo "deb [signed-by=$here/keys/debian-trixie.gpg] http://deb.debian.org/debian trixie main" >"$work/sources.list"
apt_options=(-q -o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/nonexistent
    -o Dir::State::Lists="$work/lists" -o Dir::Cache="$work/cache" -o APT::Sandbox::User=root)
apt-get "${apt_options[@]}" update >&2
(cd "$work" && apt-get "${apt_options[@]}" download prometheus-alertmanager >&2)
dpkg-deb -x "$work"/prometheus-alertmanager_*.deb "$work/root"
install -m 0755 "$work/root/usr/bin/amtool" "$amtool"
printf '%s\n' "$minimum" "$("$amtool" --version 2>&1 | awk '/version/{print $3; exit}')" | sort -VC ||
    { echo "trixie's amtool is older than $minimum" >&2; exit 1; }
echo "$amtool"
