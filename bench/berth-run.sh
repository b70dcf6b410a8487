#!/usr/bin/env bash
# berth beside podman (crun) and docker (dockerd + containerd + runc), in one run.
#
#   bench/berth-run.sh [N]        (as root; N samples per tool for (a) and (c), default 20)
#
# (a) `run --rm IMG true`, the tools interleaved and their order rotated every round;
# (b) `run -d IMG sleep 1000` of 50 containers, then one `rm -f` of all 50, per tool;
# (c) `images` and `ps` latency while those 50 run;
# (d) memory per running container with 10 running: PSS (/proc/PID/smaps_rollup) of each
#     berth-monitor, conmon (podman) and containerd-shim-runc-v2 (docker).
# All three run the same image: berth's busybox, `berth save`d and loaded into podman and
# docker; all with --network none. podman: --runtime crun, overlay, temp --root/--runroot,
# CONTAINERS_CONF with default_ulimits = [] (this host's root lacks CAP_SYS_RESOURCE).
# docker: a private dockerd from tests/peers/dockerd.sh (Debian's docker.io).
#
# berth is $BERTH (default out/bin/berth, beside berth-monitor and berth-runtime).
# Everything lives in one temp dir; the script runs itself in a private mount namespace
# with a temp overlay on /var/lib (podman keeps a cache there whatever --root says), and
# removes all it started on exit: containers, dockerd (by PID), mounts, the temp dir.
# Prints medians (ms) and ratios, then a final table. RESULTS=FILE keeps the raw samples.
set -uo pipefail

if [ "${BERTH_BENCH_PRIVATE_MOUNTS:-}" != 1 ]; then
    exec env BERTH_BENCH_PRIVATE_MOUNTS=1 unshare --mount --propagation private -- "$0" "$@"
fi

n=${1:-${N:-20}}
many=${MANY:-50}
memn=${MEMN:-10}
repo=$(cd "$(dirname "$(realpath "$0")")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "bench: must run as root" >&2; exit 1; }
berth=$(realpath "${BERTH:-$repo/out/bin/berth}")
[ -x "$berth" ] || { echo "bench: no berth at $berth (scripts/build)" >&2; exit 1; }
for tool in podman crun conmon docker dockerd; do
    command -v "$tool" >/dev/null || { echo "bench: $tool not installed (apt-get install podman crun conmon docker.io)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/berth-bench.XXXXXX)
results=${RESULTS:-$work/samples.txt}
: > "$results"
dockerd_dir=$work/docker

B() { "$berth" --root "$work/berth" "$@"; }
P() {
    podman --root "$work/podman/root" --runroot "$work/podman/runroot" --tmpdir "$work/podman/tmp" \
        --storage-driver overlay --cgroup-manager cgroupfs --runtime crun "$@"
}
D() { docker "$@"; }

cleanup() {
    set +e
    local ids
    ids=$(B ps -aq --no-trunc 2>/dev/null); [ -n "$ids" ] && B rm -f $ids >/dev/null 2>&1
    [ -n "${CONTAINERS_CONF:-}" ] && P rm -af -t 0 >/dev/null 2>&1
    if [ -n "${DOCKER_HOST:-}" ]; then
        ids=$(D ps -aq 2>/dev/null); [ -n "$ids" ] && D rm -f $ids >/dev/null 2>&1
    fi
    "$repo/tests/peers/dockerd.sh" stop "$dockerd_dir" >/dev/null 2>&1
    grep -o " $work[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
    umount -l /var/lib 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# podman's configuration and the /var/lib overlay (private to this mount namespace).
mkdir -p "$work/podman/tmp" "$work/podman/networks" "$work/varlib/upper" "$work/varlib/work"
cat > "$work/containers.conf" <<CONF
[containers]
default_ulimits = []
netns = "none"

[network]
network_config_dir = "$work/podman/networks"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "none"
tmp_dir = "$work/podman/tmp"
static_dir = "$work/podman/root/libpod"
volume_path = "$work/podman/root/volumes"
CONF
mount -t overlay overlay -o "lowerdir=/var/lib,upperdir=$work/varlib/upper,workdir=$work/varlib/work" /var/lib ||
    { echo "bench: cannot overlay /var/lib" >&2; exit 1; }
export CONTAINERS_CONF=$work/containers.conf

# The image: berth's busybox, saved once and loaded by the peers.
img=docker.io/library/busybox:latest
B image bootstrap >/dev/null || { echo "bench: berth image bootstrap failed" >&2; exit 1; }
if B save --help >/dev/null 2>&1; then
    B save -o "$work/image.tar" busybox:latest || exit 1
    P load -q -i "$work/image.tar" >/dev/null || exit 1
    same_image="yes (berth save → podman load / docker load)"
else
    # No `berth save` yet: the same files as a rootfs tar, imported by the peers.
    mkdir -p "$work/rootfs"
    bash -c ". '$repo/tests/peers/lib.sh'; make_rootfs '$work/rootfs'" || exit 1
    tar -C "$work/rootfs" -cf "$work/image.tar" .
    P import -q "$work/image.tar" "$img" >/dev/null || exit 1
    same_image="no: berth save missing; peers imported a busybox rootfs tar (same busybox binary)"
fi
eval "$("$repo/tests/peers/dockerd.sh" start "$dockerd_dir")" || { echo "bench: dockerd did not start" >&2; exit 1; }
export DOCKER_HOST
dockerd_pid=$(cat "$dockerd_dir/dockerd.started-pid")
if [ "${same_image#yes}" != "$same_image" ]; then
    D load -q -i "$work/image.tar" >/dev/null || exit 1
else
    D import -q "$work/image.tar" "$img" >/dev/null || exit 1
fi

tools=(berth podman docker)
runcmd() {
    case $1 in
    berth) shift; B "$@" ;;
    podman) shift; P "$@" ;;
    docker) shift; D "$@" ;;
    esac
}
pullnever() { [ "$1" = berth ] && echo "" || echo "--pull=never"; }

ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", (b - a) * 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
sample() { echo "$1 $2 $3" >> "$results"; }          # phase tool ms
med() { awk -v p="$1" -v t="$2" '$1 == p && $2 == t { print $3 }' "$results" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || a == 0) print "n/a"; else printf "%.2fx", b / a }'; }

echo "# berth $("$berth" --version | awk '{print $3}') · podman $(podman --version | awk '{print $3}') + conmon $(conmon --version | awk 'NR==1 {print $3}') + crun $(crun --version | awk 'NR==1 {print $3}') · docker $(D version -f '{{.Server.Version}}') + containerd + runc $(runc --version | awk 'NR==1 {print $3}')"
echo "# image: $same_image; $n samples; $(nproc) CPUs; $(uname -r)"

# (a) run --rm IMG true, interleaved, order rotating; two untimed warm-ups each.
for tool in "${tools[@]}"; do
    for _ in 1 2; do runcmd "$tool" run --rm --network none $(pullnever "$tool") "$img" true >/dev/null || { echo "bench: $tool run failed" >&2; exit 1; }; done
done
for i in $(seq 1 "$n"); do
    for k in 0 1 2; do
        tool=${tools[$(((i + k) % 3))]}
        t0=$EPOCHREALTIME
        runcmd "$tool" run --rm --network none $(pullnever "$tool") "$img" true >/dev/null || { echo "bench: $tool run failed" >&2; exit 1; }
        sample run "$tool" "$(ms_since "$t0")"
    done
done

# (b) run -d of $many, (c) images/ps with them running, then rm -f of all of them.
for tool in "${tools[@]}"; do
    t0=$EPOCHREALTIME
    for j in $(seq 1 "$many"); do
        runcmd "$tool" run -d --network none $(pullnever "$tool") --name "b-$tool-$j" "$img" sleep 1000 >/dev/null || { echo "bench: $tool run -d failed" >&2; exit 1; }
    done
    sample rund "$tool" "$(ms_since "$t0")"
done
for i in $(seq 1 "$n"); do
    for k in 0 1 2; do
        tool=${tools[$(((i + k) % 3))]}
        for verb in images ps; do
            t0=$EPOCHREALTIME
            runcmd "$tool" "$verb" >/dev/null || { echo "bench: $tool $verb failed" >&2; exit 1; }
            sample "$verb" "$tool" "$(ms_since "$t0")"
        done
    done
done
for tool in "${tools[@]}"; do
    running=$(runcmd "$tool" ps -q | wc -l)
    [ "$running" -ge "$many" ] || echo "bench: $tool had $running running of $many" >&2
    names=$(seq -f "b-$tool-%g" 1 "$many")
    t0=$EPOCHREALTIME
    if [ "$tool" = podman ]; then P rm -f -t 0 $names >/dev/null; else runcmd "$tool" rm -f $names >/dev/null; fi
    sample rmf "$tool" "$(ms_since "$t0")"
done

# (d) PSS per container monitor, $memn containers each.
pss_kib() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null; }
for tool in "${tools[@]}"; do
    for j in $(seq 1 "$memn"); do
        runcmd "$tool" run -d --network none $(pullnever "$tool") --name "m-$tool-$j" "$img" sleep 1000 >/dev/null || exit 1
    done
done
sleep 1
# The monitors of this run only: berth-monitor and conmon name our temp dir on their command
# line; docker's shims are children of the containerd our dockerd started.
containerd_pid=$(pgrep -P "$dockerd_pid" -x containerd | head -1)
for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
    case $comm in
    berth-monitor) grep -qaF "$work" "/proc/$pid/cmdline" 2>/dev/null && sample pss berth "$(pss_kib "$pid")" ;;
    conmon) grep -qaF "$work" "/proc/$pid/cmdline" 2>/dev/null && sample pss podman "$(pss_kib "$pid")" ;;
    containerd-shim*) grep -qaF -- "-address $work" <(tr '\0' ' ' < "/proc/$pid/cmdline") 2>/dev/null ||
                          grep -qaF "$dockerd_dir" "/proc/$pid/cmdline" 2>/dev/null ||
                          { [ -n "$containerd_pid" ] && grep -qaF "berth-peer-" "/proc/$pid/cmdline"; } &&
                          sample pss docker "$(pss_kib "$pid")" ;;
    esac
done
for tool in "${tools[@]}"; do
    count=$(awk -v t="$tool" '$1 == "pss" && $2 == t' "$results" | wc -l)
    echo "# pss: $count $tool monitors measured" >&2
done

# Report.
printf '\n%-34s %10s %10s %10s %14s %14s\n' "median (ms; PSS in MiB)" berth podman docker "podman/berth" "docker/berth"
row() {
    local label=$1 phase=$2 scale=${3:-1} b p d
    b=$(med "$phase" berth | awk -v s="$scale" '$1 != "n/a" { printf "%.2f", $1 / s; next } { print }')
    p=$(med "$phase" podman | awk -v s="$scale" '$1 != "n/a" { printf "%.2f", $1 / s; next } { print }')
    d=$(med "$phase" docker | awk -v s="$scale" '$1 != "n/a" { printf "%.2f", $1 / s; next } { print }')
    printf '%-34s %10s %10s %10s %14s %14s\n' "$label" "$b" "$p" "$d" "$(ratio "$b" "$p")" "$(ratio "$b" "$d")"
}
row "(a) run --rm IMG true" run
row "(b) run -d x$many (total)" rund
row "(b) rm -f of $many (one command)" rmf
row "(c) images ($many running)" images
row "(c) ps ($many running)" ps
row "(d) PSS per monitor (MiB)" pss 1024
echo
b=$(med run berth); p=$(med run podman); d=$(med run docker)
awk -v b="$b" -v p="$p" -v d="$d" 'BEGIN { ok = (p / b >= 3 && d / b >= 3); printf "goal run --rm >=3x faster than both: %s (%.1fx podman, %.1fx docker)\n", ok ? "met" : "NOT met", p / b, d / b }'
b=$(med pss berth); p=$(med pss podman); d=$(med pss docker)
awk -v b="$b" -v p="$p" -v d="$d" 'BEGIN { printf "goal monitor PSS below containerd-shim: %s (berth %.2f MiB, shim %.2f MiB, conmon %.2f MiB)\n", (b < d) ? "met" : "NOT met", b / 1024, d / 1024, p / 1024 }'
