#!/usr/bin/env bash
# Write a one-layer OCI image layout, as a tar archive, from a root filesystem dir.
#
#   tests/peers/make-oci-archive.sh ROOTFS OUT.tar NAME:TAG
#
# Plain shell so the format is visible: an uncompressed layer tar, the image config
# (whose diff_id is the layer's digest), the manifest, index.json naming the image
# (org.opencontainers.image.ref.name = TAG, io.containerd.image.name = NAME:TAG, which
# `ctr image import` reads) and oci-layout. Reproducible: same rootfs, same digests.
set -euo pipefail

rootfs=${1:?usage: make-oci-archive.sh ROOTFS OUT.tar NAME:TAG}
out=${2:?usage: make-oci-archive.sh ROOTFS OUT.tar NAME:TAG}
name=${3:?usage: make-oci-archive.sh ROOTFS OUT.tar NAME:TAG}
tag=${name##*:}
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)

layout=$(mktemp -d /tmp/berth-oci-layout.XXXXXX)
trap 'rm -rf "$layout"' EXIT
mkdir -p "$layout/blobs/sha256"

# add_blob FILE: moves FILE into blobs/ and prints "DIGEST SIZE".
add_blob() {
    local digest size
    digest=$(sha256sum "$1" | cut -d' ' -f1)
    size=$(stat -c %s "$1")
    mv "$1" "$layout/blobs/sha256/$digest"
    echo "sha256:$digest $size"
}

tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -C "$rootfs" -cf "$layout/layer" .
read -r layer_digest layer_size < <(add_blob "$layout/layer")

cat > "$layout/config" <<JSON
{"created":"1970-01-01T00:00:00Z","architecture":"$arch","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["$layer_digest"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"tests/peers/make-oci-archive.sh"}]}
JSON
read -r config_digest config_size < <(add_blob "$layout/config")

cat > "$layout/manifest" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"$config_digest","size":$config_size},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"$layer_digest","size":$layer_size}]}
JSON
read -r manifest_digest manifest_size < <(add_blob "$layout/manifest")

cat > "$layout/index.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"$manifest_digest","size":$manifest_size,"platform":{"architecture":"$arch","os":"linux"},"annotations":{"io.containerd.image.name":"$name","org.opencontainers.image.ref.name":"$tag"}}]}
JSON
echo '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$layout" -cf "$out" oci-layout index.json blobs
echo "$manifest_digest"
