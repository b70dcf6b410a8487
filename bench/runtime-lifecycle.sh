#!/usr/bin/env bash
# Container lifecycle benchmark: berth-runtime beside crun and runc, in one run.
#
#   bench/runtime-lifecycle.sh [N]          (as root; N iterations, default 100)
#
# Each iteration runs, for every runtime, one create + start + wait-for-exit + delete
# of /bin/true in a busybox bundle as four commands (the headline figure), then the
# same lifecycle as one `run` command (for reference). bench/lifecycle.c does the
# timing; it is a child subreaper, as conmon and containerd-shim are, so the wait is a
# waitpid on the container's init rather than polling `state` (which would add
# runtime start-ups to the figure). The runtimes are interleaved per iteration, and
# the order rotates each iteration, so machine noise falls on all of them alike.
#
# Runtimes: berth-runtime from $BERTH_RUNTIME, else out/bin/berth-runtime when present;
# crun ($CRUN, default /usr/bin/crun); runc ($RUNC, default /usr/sbin/runc). Or give
# the exact set as RUNTIMES="name=/path name=/path". Each gets its own temp --root.
# WARMUP=3 untimed lifecycles per runtime first. RESULTS=FILE keeps the raw samples.
#
# Prints median and p90 of the total and each phase's median (ms), then the ratios
# berth/runc and berth/crun of the medians. The goal: berth-runtime faster than runc
# and within 1.5x of crun.
set -euo pipefail

n=${1:-${N:-100}}
warmup=${WARMUP:-3}
repo=$(cd "$(dirname "$(realpath "$0")")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "bench: must run as root" >&2; exit 1; }

declare -a names=() paths=()
add() { [ -x "$2" ] && { names+=("$1"); paths+=("$(realpath "$2")"); } || echo "bench: no $1 at $2, skipped" >&2; }
if [ -n "${RUNTIMES:-}" ]; then
    for spec in $RUNTIMES; do add "${spec%%=*}" "${spec#*=}"; done
else
    berth=${BERTH_RUNTIME:-$repo/out/bin/berth-runtime}
    [ -x "$berth" ] && add berth "$berth"
    add crun "${CRUN:-/usr/bin/crun}"
    add runc "${RUNC:-/usr/sbin/runc}"
fi
[ ${#names[@]} -gt 0 ] || { echo "bench: no runtime to measure" >&2; exit 1; }
if [ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
    echo "bench: cgroup2 at /sys/fs/cgroup/unified lists controllers; crun refuses that" \
         "hybrid setup: run scripts/setup-host first" >&2
fi

work=$(mktemp -d /tmp/berth-bench.XXXXXX)
cleanup() {
    local i id
    for i in "${!names[@]}"; do
        for id in $("${paths[$i]}" --root "$work/root-${names[$i]}" list -q 2>/dev/null); do
            "${paths[$i]}" --root "$work/root-${names[$i]}" delete --force "$id" >/dev/null 2>&1 || true
        done
    done
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cc -O2 -Wall -o "$work/lifecycle" "$repo/bench/lifecycle.c"

# Bundle: a busybox rootfs and the config `runc spec` writes, with terminal false and
# args ["/bin/true"]. Written out here so every runtime gets the very same file.
busybox=${BUSYBOX:-/bin/busybox}
file "$busybox" 2>/dev/null | grep -q 'statically linked' ||
    echo "bench: $busybox may not be static (apt-get install busybox-static)" >&2
bundle=$work/bundle
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/dev" "$bundle/rootfs/sys" "$bundle/rootfs/tmp"
cp "$busybox" "$bundle/rootfs/bin/busybox"
for applet in true sh; do ln -s busybox "$bundle/rootfs/bin/$applet"; done
cat > "$bundle/config.json" <<'JSON'
{
  "ociVersion": "1.0.2-dev",
  "process": {
    "terminal": false,
    "user": {"uid": 0, "gid": 0},
    "args": ["/bin/true"],
    "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
    "cwd": "/",
    "capabilities": {
      "bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
      "effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
      "permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
      "ambient": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
    },
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
    "noNewPrivileges": true
  },
  "root": {"path": "rootfs", "readonly": true},
  "hostname": "runc",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
    {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
    {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}
  ],
  "linux": {
    "resources": {"devices": [{"allow": false, "access": "rwm"}]},
    "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}],
    "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
      "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
    "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
  }
}
JSON

count=${#names[@]}
for i in "${!names[@]}"; do
    mkdir -p "$work/root-${names[$i]}"
    : > "$work/${names[$i]}.tsv"
    : > "$work/${names[$i]}.run.tsv"
    echo "# ${names[$i]}: ${paths[$i]} ($("${paths[$i]}" --version 2>/dev/null | head -1))"
done
one() { # mode index iteration-label -> prints the timings
    local name=${names[$2]}
    "$work/lifecycle" "$1" "${paths[$2]}" "$work/root-$name" "$bundle" "bench-$name-$3" "$work/$name.pid" </dev/null
}
for ((w = 0; w < warmup; w++)); do
    for i in "${!names[@]}"; do one split "$i" "warm$w" >/dev/null; one run "$i" "warmrun$w" >/dev/null; done
done
for ((it = 0; it < n; it++)); do
    for ((k = 0; k < count; k++)); do
        i=$(((it + k) % count))
        one split "$i" "$it" >> "$work/${names[$i]}.tsv"
        one run "$i" "run$it" >> "$work/${names[$i]}.run.tsv"
    done
done

# Nearest-rank percentiles of one column.
pct() { sort -n | awk -v p="$1" '{v[NR] = $1} END {r = int(p * NR + 0.999999); if (r < 1) r = 1; printf "%.1f", v[r]}'; }
median() { sort -n | awk '{v[NR] = $1} END {printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
declare -A med
echo
echo "runtime-lifecycle: create+start+wait+delete of /bin/true, $n iterations, $(nproc) cores, $(uname -r)"
echo "(median_ms/p90_ms: the four commands; create..delete: per-phase medians; run_*: one \`run\` command)"
printf '%-8s %10s %8s %10s %10s %10s %10s %12s %10s\n' runtime median_ms p90_ms create_ms start_ms wait_ms delete_ms run_median run_p90
for i in "${!names[@]}"; do
    f=$work/${names[$i]}.tsv
    med[${names[$i]}]=$(cut -d' ' -f5 "$f" | median)
    printf '%-8s %10s %8s %10s %10s %10s %10s %12s %10s\n' "${names[$i]}" "${med[${names[$i]}]}" \
        "$(cut -d' ' -f5 "$f" | pct 0.9)" "$(cut -d' ' -f1 "$f" | median)" \
        "$(cut -d' ' -f2 "$f" | median)" "$(cut -d' ' -f3 "$f" | median)" "$(cut -d' ' -f4 "$f" | median)" \
        "$(median < "$work/${names[$i]}.run.tsv")" "$(pct 0.9 < "$work/${names[$i]}.run.tsv")"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo
verdict=0
if [ -n "${med[berth]:-}" ]; then
    if [ -n "${med[runc]:-}" ]; then
        r=$(ratio "${med[berth]}" "${med[runc]}")
        echo "berth/runc median ratio: $r (goal < 1.00)"
        awk -v r="$r" 'BEGIN {exit !(r < 1)}' || verdict=1
    fi
    if [ -n "${med[crun]:-}" ]; then
        r=$(ratio "${med[berth]}" "${med[crun]}")
        echo "berth/crun median ratio: $r (goal <= 1.50)"
        awk -v r="$r" 'BEGIN {exit !(r <= 1.5)}' || verdict=1
    fi
    [ "$verdict" -eq 0 ] && echo "goal: met" || echo "goal: NOT met"
fi
[ -n "${med[crun]:-}" ] && [ -n "${med[runc]:-}" ] && echo "crun/runc median ratio: $(ratio "${med[crun]}" "${med[runc]}")"
if [ -n "${RESULTS:-}" ]; then
    for i in "${!names[@]}"; do
        sed "s/^/${names[$i]} split /" "$work/${names[$i]}.tsv"
        sed "s/^/${names[$i]} run - - - - /" "$work/${names[$i]}.run.tsv"
    done > "$RESULTS"
    echo "raw samples (runtime mode create start wait delete total) in $RESULTS"
fi
exit "$verdict"
