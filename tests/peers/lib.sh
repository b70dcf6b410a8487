# Shared by the peer harnesses: PASS/FAIL bookkeeping and a busybox rootfs.
# Source it; it defines check, pass, fail, summary and make_rootfs.

passed=0
failed=0

pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# check NAME EXPECTED-STDOUT COMMAND...: runs COMMAND, passes when it exits 0 and its
# stdout (trimmed) equals EXPECTED-STDOUT ("-" accepts any output).
check() {
    local name=$1 want=$2 out rc
    shift 2
    out=$("$@" 2>"$work/stderr" </dev/null)
    rc=$?
    out=$(printf '%s' "$out" | tr -d '\r')
    if [ "$rc" -eq 0 ] && { [ "$want" = - ] || [ "$out" = "$want" ]; }; then
        pass "$name"
    else
        fail "$name (exit $rc, stdout '${out:0:200}', want '$want')"
        sed 's/^/    stderr: /' "$work/stderr" | head -8
    fi
    return "$rc"
}

summary() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}

# make_rootfs DIR: a minimal busybox root (static busybox and the applets the
# harnesses use), like the busybox image on Docker Hub but from Debian's busybox-static.
make_rootfs() {
    local dir=$1 busybox=${BUSYBOX:-/bin/busybox} a
    if [ ! -x "$busybox" ] || { command -v file >/dev/null &&
                                 ! file -L "$busybox" | grep -q 'statically linked'; }; then
        echo "peers: $busybox is not a static busybox (apt-get install busybox-static)" >&2
        return 1
    fi
    mkdir -p "$dir"/{bin,dev,etc,proc,sys,tmp,root,run}
    chmod 1777 "$dir/tmp"
    cp "$busybox" "$dir/bin/busybox"
    for a in sh echo cat sleep true false ls id hostname ps env; do ln -s busybox "$dir/bin/$a"; done
    echo 'root:x:0:0:root:/root:/bin/sh' > "$dir/etc/passwd"
    echo 'root:x:0:' > "$dir/etc/group"
}

# warn_hybrid_cgroups: crun refuses a hybrid cgroup host while cgroup2 keeps a controller.
warn_hybrid_cgroups() {
    if [ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
        echo "peers: cgroup2 at /sys/fs/cgroup/unified lists controllers; crun refuses" \
             "that hybrid setup: run scripts/setup-host first" >&2
    fi
}
