#!/usr/bin/env bash
# containerd as a peer of berth-runtime: containerd's runc v2 shim drives RUNTIME.
#
#   tests/peers/containerd.sh RUNTIME       (as root)
#
# Starts a private containerd (Debian's package) whose root, state, sockets and config
# are in a temp dir, with the CRI plugin off; imports a busybox image made by
# make-oci-archive.sh; runs `ctr run --rm` and a detached task with exec, kill and
# delete, all with --runc-binary RUNTIME. Stops containerd by its PID and removes
# everything. Prints PASS/FAIL per step; exits 1 on any FAIL.
#
# The shim puts its sockets in /run/containerd/s and ctr its FIFOs in
# /run/containerd/fifo whatever containerd's config says, so the script re-runs itself
# in a private mount namespace with a temp overlay over /run: the host's /run (and
# /var/lib/containerd, never configured) stay untouched.
set -uo pipefail

if [ "${BERTH_PEER_PRIVATE_MOUNTS:-}" != 1 ]; then
    exec env BERTH_PEER_PRIVATE_MOUNTS=1 unshare --mount --propagation private -- "$0" "$@"
fi

runtime=$(command -v "${1:?usage: containerd.sh RUNTIME}") || { echo "containerd.sh: no runtime $1" >&2; exit 2; }
runtime=$(realpath "$runtime")
here=$(dirname "$(realpath "$0")")
. "$here/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "containerd.sh: must run as root" >&2; exit 2; }
for tool in containerd ctr containerd-shim-runc-v2; do
    command -v $tool >/dev/null || { echo "containerd.sh: no $tool (apt-get install containerd)" >&2; exit 2; }
done
warn_hybrid_cgroups

work=$(mktemp -d /tmp/berth-peer-containerd.XXXXXX)
ns=berth-peer-$$   # containerd namespace; ctr puts cgroups at /<namespace>/<id>
mkdir -p "$work/run/upper" "$work/run/work"
mount -t overlay overlay -o "lowerdir=/run,upperdir=$work/run/upper,workdir=$work/run/work" /run ||
    { echo "containerd.sh: cannot overlay /run in a private mount namespace" >&2; rm -rf "$work"; exit 2; }

cat > "$work/config.toml" <<CONF
version = 2
root = "$work/root"
state = "$work/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$work/containerd.sock"

[ttrpc]
  address = "$work/containerd.sock.ttrpc"

[debug]
  address = "$work/debug.sock"
CONF

containerd_pid=
c() { ctr --address "$work/containerd.sock" --namespace "$ns" "$@"; }
cleanup() {
    local id
    if [ -n "$containerd_pid" ] && kill -0 "$containerd_pid" 2>/dev/null; then
        for id in $(c task ls -q 2>/dev/null); do
            c task kill -s KILL "$id" >/dev/null 2>&1
            c task delete -f "$id" >/dev/null 2>&1
        done
        for id in $(c container ls -q 2>/dev/null); do c container delete "$id" >/dev/null 2>&1; done
        c image rm "$img" >/dev/null 2>&1
        c namespace rm "$ns" >/dev/null 2>&1
        kill "$containerd_pid"
        for _ in $(seq 50); do kill -0 "$containerd_pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$containerd_pid" 2>/dev/null && kill -KILL "$containerd_pid"
        wait "$containerd_pid" 2>/dev/null
    fi
    for m in $(awk -v p="$work/" 'index($2, p) == 1 {print $2}' /proc/self/mounts | sort -r); do
        umount -l "$m" 2>/dev/null
    done
    umount -l /run 2>/dev/null
    rm -rf --one-file-system "$work"
    for d in /sys/fs/cgroup/*/"$ns" /sys/fs/cgroup/"$ns"; do
        [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "# $(containerd --version | awk '{print $1, $3}'), runtime $runtime ($("$runtime" --version | head -1))"
containerd --config "$work/config.toml" --log-level warn >"$work/containerd.log" 2>&1 &
containerd_pid=$!
for _ in $(seq 100); do
    c version >/dev/null 2>&1 && break
    kill -0 "$containerd_pid" 2>/dev/null || break
    sleep 0.1
done
if ! c version >/dev/null 2>&1; then
    fail "containerd starts"
    sed 's/^/    log: /' "$work/containerd.log" | tail -10
    summary "containerd with $(basename "$runtime")"
    exit 1
fi
pass "containerd starts (pid $containerd_pid)"

img=localhost/berth-peer/busybox:latest
make_rootfs "$work/rootfs" || exit 2
"$here/make-oci-archive.sh" "$work/rootfs" "$work/busybox.oci.tar" "$img" >/dev/null
check "image import of an OCI archive" - c image import "$work/busybox.oci.tar"
check "image is listed" "$img" c image ls -q

rt=(--runtime io.containerd.runc.v2 --runc-binary "$runtime" --runc-root "$work/runc-root")
check "run --rm echo hi" hi c run --rm "${rt[@]}" "$img" berth-echo echo hi
check "run --rm exit status is the process's" - sh -c \
    "$(declare -f c); work='$work' ns='$ns'; c run --rm ${rt[*]} '$img' berth-exit sh -c 'exit 3'; [ \$? -eq 3 ]"
check "run -d sleep 1000" - c run -d --null-io "${rt[@]}" "$img" berth-sleep sleep 1000
check "task is RUNNING" RUNNING sh -c "$(declare -f c); work='$work' ns='$ns'; c task ls | awk '\$1 == \"berth-sleep\" {print \$3}'"
check "task exec echo ok" ok c task exec --exec-id berth-exec1 berth-sleep echo ok
check "task exec sees the container's pid 1" 1 c task exec --exec-id berth-exec2 berth-sleep sh -c 'cut -d" " -f1 /proc/1/stat'
# SIGKILL: busybox sleep as pid 1 has no TERM handler, and the kernel ignores
# unhandled signals for a pid namespace's init.
check "task kill -s KILL" - c task kill -s KILL berth-sleep
stopped=
for _ in $(seq 50); do
    [ "$(c task ls | awk '$1 == "berth-sleep" {print $3}')" = STOPPED ] && { stopped=1; break; }
    sleep 0.1
done
[ -n "$stopped" ] && pass "task is STOPPED after kill" || fail "task is STOPPED after kill"
check "task delete" - c task delete berth-sleep
check "container delete" - c container delete berth-sleep
check "no task or container left" "" sh -c "$(declare -f c); work='$work' ns='$ns'; c task ls -q; c container ls -q"
summary "containerd with $(basename "$runtime")"
