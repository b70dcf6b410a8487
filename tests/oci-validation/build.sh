#!/usr/bin/env bash
# Build the OCI runtime-tools validation suite from a source tree, offline.
#
#   tests/oci-validation/build.sh SRC OUT
#
# SRC is a runtime-tools source tree: upstream git (has vendor/, built with
# GOFLAGS=-mod=vendor) or Debian's source tarball (no vendor/, built in GOPATH mode
# against Debian's golang-*-dev packages plus our tapshim/ for mndrix/tap-go).
# OUT receives runtimetest, rootfs-<arch>.tar.gz and validation/<name>.t: the layout
# run.sh expects. Needs the packages install-deps.sh installs.
set -euo pipefail

src=$(realpath "${1:?usage: build.sh SRC OUT}")
out=${2:?usage: build.sh SRC OUT}
here=$(dirname "$(realpath "$0")")
mkdir -p "$out/validation"
out=$(realpath "$out")

for go in /usr/lib/go-1.22/bin/go /usr/lib/go-1.21/bin/go "$(command -v go || true)"; do
    [ -x "$go" ] && break
done
[ -x "$go" ] || { echo "build: no go toolchain; run install-deps.sh" >&2; exit 1; }

export GOPROXY=off GOTOOLCHAIN=local GOFLAGS= CGO_ENABLED=0
export GOCACHE=${GOCACHE:-$out/.gocache}
work=$(mktemp -d /tmp/oci-validation-build.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ -f "$src/vendor/modules.txt" ]; then
    echo "build: $src has vendor/: module mode, -mod=vendor" >&2
    cd "$src"
    export GOFLAGS=-mod=vendor
else
    echo "build: $src has no vendor/: GOPATH mode with Debian's golang-*-dev" >&2
    export GO111MODULE=off GOPATH="$work/gopath:/usr/share/gocode"
    pkg="$work/gopath/src/github.com/opencontainers/runtime-tools"
    mkdir -p "$pkg" "$work/gopath/src/github.com/mndrix/tap-go"
    cp -a "$src/." "$pkg/"
    cp "$here/tapshim/tap.go" "$work/gopath/src/github.com/mndrix/tap-go/"
    cd "$pkg"
fi

"$go" build -tags "netgo osusergo" -o "$out/runtimetest" ./cmd/runtimetest
n=0
for dir in validation/*/; do
    name=$(basename "$dir")
    [ "$name" = util ] && continue
    "$go" build -o "$out/validation/$name.t" "./validation/$name"
    n=$((n + 1))
done
arch=$("$go" env GOARCH)
cp "rootfs-$arch.tar.gz" "$out/"
# The ociVersion the suite writes into config.json: runtimes compare it.
awk -F'= *' '/Version(Major|Minor|Patch|Dev) *=/ {gsub(/[" \t]/, "", $2); v[++n] = $2}
    END {printf "%s.%s.%s%s\n", v[1], v[2], v[3], v[4]}' \
    "$("$go" list -f '{{.Dir}}' github.com/opencontainers/runtime-spec/specs-go)/version.go" \
    > "$out/spec-version.txt"
echo "build: $n validation tests in $out/validation ($("$go" version))" >&2
