#!/usr/bin/env bash
# Podman as a peer of berth-runtime: podman (with conmon) drives RUNTIME.
#
#   tests/peers/podman.sh RUNTIME          (as root)
#
# Everything podman keeps goes to a temp dir: --root, --runroot, --tmpdir, its
# containers.conf (CONTAINERS_CONF), event log, network config and a cgroup parent of
# its own; the machine's /var/lib/containers is never touched. The image is imported
# from a busybox rootfs tar. Containers run with --network none: the point is the
# runtime, not podman's networking. Prints PASS/FAIL per step; exits 1 on any FAIL.
#
# One path podman cannot be told: as root it keeps a blob-info cache in
# /var/lib/containers/cache whatever --root says. So the script re-runs itself in a
# private mount namespace and lays a temp overlay over /var/lib there: podman's
# writes land in the temp dir and the host's /var/lib is left as it was.
set -uo pipefail

if [ "${BERTH_PEER_PRIVATE_MOUNTS:-}" != 1 ]; then
    exec env BERTH_PEER_PRIVATE_MOUNTS=1 unshare --mount --propagation private -- "$0" "$@"
fi

runtime=$(command -v "${1:?usage: podman.sh RUNTIME}") || { echo "podman.sh: no runtime $1" >&2; exit 2; }
runtime=$(realpath "$runtime")
here=$(dirname "$(realpath "$0")")
. "$here/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "podman.sh: must run as root" >&2; exit 2; }
command -v podman >/dev/null || { echo "podman.sh: podman not installed (apt-get install podman)" >&2; exit 2; }
warn_hybrid_cgroups

work=$(mktemp -d /tmp/berth-peer-podman.XXXXXX)
cgroup_parent=/$(basename "$work")
cat > "$work/containers.conf" <<CONF
[containers]
# This host's root lacks CAP_SYS_RESOURCE: podman's default ulimits cannot be set.
default_ulimits = []
netns = "none"

[network]
network_config_dir = "$work/networks"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$work/events.log"
tmp_dir = "$work/tmp"
static_dir = "$work/root/libpod"
volume_path = "$work/root/volumes"
CONF
mkdir -p "$work/networks" "$work/tmp" "$work/varlib/upper" "$work/varlib/work"
mount -t overlay overlay \
    -o "lowerdir=/var/lib,upperdir=$work/varlib/upper,workdir=$work/varlib/work" /var/lib ||
    { echo "podman.sh: cannot overlay /var/lib in a private mount namespace" >&2; rm -rf "$work"; exit 2; }
export CONTAINERS_CONF=$work/containers.conf
pm() {
    podman --root "$work/root" --runroot "$work/runroot" --tmpdir "$work/tmp" \
        --storage-driver overlay --cgroup-manager cgroupfs --runtime "$runtime" "$@"
}

cleanup() {
    local id
    for id in $(pm ps -aq 2>/dev/null); do pm rm -f -t 0 "$id" >/dev/null 2>&1; done
    pm system reset --force >/dev/null 2>&1   # unmounts layers of --root and empties it
    # Overlay mounts left by a crash would stop rm at the mount point.
    for m in $(awk -v p="$work/" 'index($2, p) == 1 {print $2}' /proc/self/mounts | sort -r); do
        umount -l "$m" 2>/dev/null
    done
    umount -l /var/lib 2>/dev/null
    rm -rf --one-file-system "$work"
    # The cgroup parent, and the conmon cgroup podman puts beneath it, per hierarchy.
    for d in /sys/fs/cgroup/*"$cgroup_parent" /sys/fs/cgroup/*/"$cgroup_parent"; do
        [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "# podman $(podman --version | awk '{print $3}'), conmon $(conmon --version | awk 'NR==1 {print $3}'), runtime $runtime ($("$runtime" --version | head -1))"
make_rootfs "$work/rootfs" || exit 2
tar -C "$work/rootfs" -cf "$work/rootfs.tar" .
img=localhost/berth-peer/busybox:latest
check "import rootfs tar as $img" - pm import --change 'CMD ["/bin/sh"]' "$work/rootfs.tar" "$img"
check "run --rm echo hi" hi pm run --rm --cgroup-parent "$cgroup_parent" "$img" echo hi
check "run --rm exit status is the process's" - sh -c \
    "$(declare -f pm); work='$work' runtime='$runtime'; pm run --rm --cgroup-parent '$cgroup_parent' '$img' sh -c 'exit 3'; [ \$? -eq 3 ]"
ctr=berth-peer-$$
if check "run -d sleep 1000" - pm run -d --name "$ctr" --cgroup-parent "$cgroup_parent" "$img" sleep 1000; then
    check "inspect shows running" running pm inspect --format '{{.State.Status}}' "$ctr"
    check "exec echo ok" ok pm exec "$ctr" echo ok
    check "exec sees the container's pid 1" 1 pm exec "$ctr" sh -c 'cat /proc/1/stat | cut -d" " -f1'
    check "stop -t 2" - pm stop -t 2 "$ctr"
    check "inspect shows exited" exited pm inspect --format '{{.State.Status}}' "$ctr"
    check "rm" - pm rm "$ctr"
    check "no container left" "" pm ps -aq
fi
summary "podman with $(basename "$runtime")"
