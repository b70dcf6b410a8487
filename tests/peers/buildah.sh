#!/bin/bash
# buildah with private storage under DIR, for the build parity tests:
#
#   tests/peers/buildah.sh DIR ARGS...   runs `buildah ARGS` with --root DIR/root,
#                                        --runroot DIR/runroot, vfs storage and a
#                                        containers.conf in DIR (runc, cgroupfs, file events)
#   tests/peers/buildah.sh DIR --remove  removes every container and image there, then DIR
#
# As root buildah writes a blob-info cache to /var/lib/containers/cache whatever --root
# says, so each run happens in a private mount namespace with a temp overlay over /var/lib
# (upper and work dirs in DIR): the host's /var/lib is never written. RUN steps run under
# runc (Debian's crun refuses this hybrid-cgroup host) without a network.
set -u
dir=${1:?usage: buildah.sh DIR ARGS...|--remove}
shift
command -v buildah >/dev/null || { echo "buildah: not installed (apt-get install buildah)" >&2; exit 2; }

if [ "${BERTH_PEER_PRIVATE_MOUNTS:-}" != 1 ]; then
    mkdir -p "$dir/varlib/upper" "$dir/varlib/work" "$dir/tmp"
    exec env BERTH_PEER_PRIVATE_MOUNTS=1 unshare --mount --propagation private -- "$0" "$dir" "$@"
fi
mount -t overlay overlay -o "lowerdir=/var/lib,upperdir=$dir/varlib/upper,workdir=$dir/varlib/work" /var/lib ||
    { echo "buildah.sh: cannot overlay /var/lib in a private mount namespace" >&2; exit 2; }
if [ ! -f "$dir/containers.conf" ]; then
    cat >"$dir/containers.conf" <<CONF
[containers]
# This host's root lacks CAP_SYS_RESOURCE: the default ulimits cannot be set.
default_ulimits = []
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/events.log"
CONF
fi
export CONTAINERS_CONF=$dir/containers.conf TMPDIR=$dir/tmp
b() { buildah --root "$dir/root" --runroot "$dir/runroot" --storage-driver vfs "$@"; }
if [ "${1:-}" = --remove ]; then
    b rm -a >/dev/null 2>&1
    b rmi -a -f >/dev/null 2>&1
    for m in $(awk -v p="$dir/" 'index($2, p) == 1 {print $2}' /proc/self/mounts | sort -r); do umount -l "$m" 2>/dev/null; done
    umount -l /var/lib
    rm -rf --one-file-system "$dir"
    exit 0
fi
b "$@"
