#!/usr/bin/env bash
# Fetch the runtime-tools source (with validation/) from Debian's archive, so CI can
# get the suite with apt alone. Debian's binary package golang-github-opencontainers-
# runtime-tools-dev ships no validation/, but the source package's orig tarball does.
#
#   tests/oci-validation/get-source.sh DEST      -> DEST/runtime-tools (the source tree)
#
# Uses a private apt list dir with deb-src lines for trixie (whose package is newer
# than bookworm's and whose tarball the mirror serves); the machine's apt setup is
# untouched. The tarball's sha256 is checked against the signed Sources index.
set -euo pipefail

dest=${1:?usage: get-source.sh DEST}
pkg=golang-github-opencontainers-runtime-tools
suite=${DEBIAN_SOURCE_SUITE:-trixie}
mkdir -p "$dest"
dest=$(realpath "$dest")
apt_dir=$(mktemp -d /tmp/oci-validation-apt.XXXXXX)
trap 'rm -rf "$apt_dir"' EXIT
mkdir -p "$apt_dir/lists/partial" "$apt_dir/get"
echo "deb-src http://deb.debian.org/debian $suite main" > "$apt_dir/sources.list"
apt_opts=(-o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=-
          -o Dir::State::Lists="$apt_dir/lists" -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" -qq update

# Name and checksum of the orig tarball, from the (signed) Sources index.
read -r sha orig < <(apt-cache "${apt_opts[@]}" showsrc "$pkg" |
    awk '/^Checksums-Sha256:/ {on=1; next} /^[^ ]/ {on=0} on && $3 ~ /orig\.tar/ {print $1, $3; exit}')
[ -n "${orig:-}" ] || { echo "get-source: no orig tarball for $pkg in $suite" >&2; exit 1; }
version=$(apt-cache "${apt_opts[@]}" showsrc "$pkg" | awk '/^Version:/ {print $2; exit}')

# `apt-get source` also wants the .dsc, which the mirror here answers 404 for; the
# tarball itself is what we need, so its failure alone is tolerated.
(cd "$apt_dir/get" && apt-get "${apt_opts[@]}" -qq source --download-only "$pkg=$version" >/dev/null 2>&1) || true
[ -f "$apt_dir/get/$orig" ] || { echo "get-source: download of $orig failed" >&2; exit 1; }
echo "$sha  $apt_dir/get/$orig" | sha256sum -c --quiet
rm -rf "$dest/runtime-tools"
mkdir -p "$dest/runtime-tools"
tar -xf "$apt_dir/get/$orig" -C "$dest/runtime-tools" --strip-components=1
echo "get-source: $pkg $version -> $dest/runtime-tools" >&2
