#!/bin/bash
# Runs a containers/image tool (skopeo, podman, buildah) so that it cannot write the host's
# /var/lib: as root they keep a blob-info cache in /var/lib/containers/cache whatever --root
# says, and make the directory when it is missing. The command runs in a private mount namespace
# with an overlay on /var/lib whose upper and work directories are under SCRATCH, so what it
# writes there goes away with the caller's temp directory. Not root: the tool writes under $HOME,
# and it is run as it is.
#
#   tests/peers/isolated.sh SCRATCH COMMAND [ARG...]
set -u
scratch=${1:?usage: isolated.sh SCRATCH COMMAND [ARG...]}
shift
[ "$(id -u)" -eq 0 ] || exec "$@"
if [ "${BERTH_ISOLATED:-}" != 1 ]; then
    exec env BERTH_ISOLATED=1 unshare --mount --propagation private -- "$0" "$scratch" "$@"
fi
mkdir -p "$scratch/varlib-upper" "$scratch/varlib-work"
mount -t overlay overlay -o "lowerdir=/var/lib,upperdir=$scratch/varlib-upper,workdir=$scratch/varlib-work" /var/lib ||
    { echo "isolated.sh: cannot overlay /var/lib" >&2; exit 125; }
exec env -u BERTH_ISOLATED "$@"
