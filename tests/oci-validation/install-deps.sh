#!/usr/bin/env bash
# Install what building the OCI runtime-tools validation suite needs, from Debian only:
#   - Go >= 1.21 from bookworm-backports (bookworm's own golang is 1.19, too old for
#     upstream runtime-tools' go.mod; Debian's 0.9.0.109 snapshot would build with 1.19)
#   - the Go libraries the suite imports, as Debian golang-*-dev packages (GOPATH mode),
#     used when the source has no vendor/ directory (Debian's source tarball strips it).
# Idempotent. Run as root.
set -euo pipefail

backports=/etc/apt/sources.list.d/bookworm-backports.list
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo 'deb http://deb.debian.org/debian bookworm-backports main' > "$backports"
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -t bookworm-backports golang-1.22-go >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    xz-utils busybox-static jq \
    golang-github-blang-semver-dev golang-github-google-uuid-dev \
    golang-github-hashicorp-go-multierror-dev golang-github-mrunalp-fileutils-dev \
    golang-github-opencontainers-specs-dev golang-github-opencontainers-selinux-dev \
    golang-github-sirupsen-logrus-dev golang-github-stretchr-testify-dev \
    golang-gocapability-dev golang-github-urfave-cli-dev \
    golang-github-xeipuuv-gojsonschema-dev golang-golang-x-sys-dev >/dev/null
echo "go: $(/usr/lib/go-1.22/bin/go version)"
