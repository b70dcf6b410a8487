#!/usr/bin/env bash
# `berth build` beside `docker build` (legacy builder and BuildKit) and `buildah bud`, in one run.
#
#   bench/build.sh [N]        (as root; N samples per tool and case, default 10)
#
# Every tool builds the same Dockerfile and context (FROM busybox; three RUN steps: a loop
# writing 200 files, a small write, a cat; a COPY of a 20 MiB file of random bytes made once
# per run; a small COPY), all RUN steps with --network none, measuring
#   (a) a cold build: nothing of this build cached (what that means per tool is below);
#   (b) a no-change rebuild right after it: every step cached.
# The tools are interleaved and their order rotates every round; one untimed cold build and
# rebuild per tool come first. Each sample is the wall time of the one build command.
#
# "Cold", exactly, per tool (the untimed preparation before each cold sample):
#   berth:    a fresh --root with busybox loaded (`berth load` of the archive below) and its
#             layer unpacked (an untimed `run --rm busybox true`, as the peers unpack on load);
#             so no build cache, no context hash cache, no built layers. Built with --no-cache
#             too. The rebuild runs in that same root.
#   docker:   (legacy builder, DOCKER_BUILDKIT=0) the previous result removed (`rmi`, which takes
#             its intermediate images, the legacy builder's cache, with it), then --no-cache.
#   buildkit: (DOCKER_BUILDKIT=1) the previous result removed and `docker builder prune -af`
#             (BuildKit's cache, including the context it keeps between builds), then --no-cache.
#   buildah:  (bud --layers, so it caches like the others) the previous result removed and
#             `rmi --prune` (its intermediate layer images, its cache), then --no-cache.
# Every tool keeps busybox, loaded and unpacked, across samples.
#
# The image: berth's bootstrapped busybox, `berth save`d, then `docker load` and `buildah pull
# docker-archive:` of that archive. docker: a private dockerd from tests/peers/dockerd.sh
# (Debian's docker.io, overlay2) driven by the docker 20.10 client ($DOCKER, default
# /usr/bin/docker; the newer CLI has no legacy builder nor BuildKit without buildx). buildah:
# temp --root/--runroot, overlay, --runtime runc (crun refuses this hybrid cgroup host unless
# scripts/setup-host ran), --pull-never; it runs in a private mount namespace with a temp
# overlay on /var/lib (containers/image keeps a blob-info cache there whatever --root says).
#
# berth is $BERTH (default out/bin/berth). TOOLS="berth docker buildkit buildah" picks a
# subset. RESULTS=FILE keeps the raw samples. On exit everything made is removed: images,
# dockerd (stopped by its PID), mounts, the temp dir. Prints medians (ms) and the ratios
# peer/berth. Goal: the no-change rebuild at least 5x faster than every peer, the cold build
# faster than every peer; exits 1 when berth ran and the goal is not met.
set -uo pipefail

if [ "${BERTH_BENCH_PRIVATE_MOUNTS:-}" != 1 ]; then
    exec env BERTH_BENCH_PRIVATE_MOUNTS=1 unshare --mount --propagation private -- "$0" "$@"
fi

n=${1:-${N:-10}}
repo=$(cd "$(dirname "$(realpath "$0")")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "bench: must run as root" >&2; exit 1; }
read -r -a tools <<< "${TOOLS:-berth docker buildkit buildah}"
berth=$(realpath "${BERTH:-$repo/out/bin/berth}")
[ -x "$berth" ] || { echo "bench: no berth at $berth (scripts/build); it also makes the image" >&2; exit 1; }
docker=${DOCKER:-/usr/bin/docker}
has() { local t; for t in "${tools[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }
if has docker || has buildkit; then
    [ -x "$docker" ] || { echo "bench: no docker 20.10 client at $docker (apt-get install docker.io)" >&2; exit 1; }
    command -v dockerd >/dev/null || { echo "bench: dockerd not installed (apt-get install docker.io)" >&2; exit 1; }
fi
if has buildah; then
    command -v buildah >/dev/null || { echo "bench: buildah not installed (apt-get install buildah)" >&2; exit 1; }
    command -v runc >/dev/null || { echo "bench: runc not installed (apt-get install runc)" >&2; exit 1; }
fi
if has berth && ! "$berth" build --help >/dev/null 2>&1; then
    echo "bench: $berth has no build verb" >&2; exit 1
fi

work=$(mktemp -d /tmp/berth-bench.XXXXXX)
results=${RESULTS:-$work/samples.txt}
: > "$results"
dockerd_dir=$work/docker
ctx=$work/ctx
berth_root=""                        # the root of the current berth sample (fresh per cold build)

B() { "$berth" --root "$work/berth" "$@"; }
BR() { "$berth" --root "$berth_root" "$@"; }
D() { DOCKER_HOST=$docker_host "$docker" "$@"; }
BU() { buildah --root "$work/buildah/root" --runroot "$work/buildah/runroot" --storage-driver overlay "$@"; }

unmount_under() { grep -o " $1[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done; }
drop_berth_root() {
    [ -n "$berth_root" ] || return 0
    local ids
    ids=$(BR ps -aq --no-trunc 2>/dev/null); [ -n "$ids" ] && BR rm -f $ids >/dev/null 2>&1
    unmount_under "$berth_root"
    rm -rf --one-file-system "$berth_root"
    berth_root=""
}
cleanup() {
    set +e
    drop_berth_root
    if [ -n "${docker_host:-}" ]; then
        D rmi -f bench-docker bench-buildkit >/dev/null 2>&1
        D builder prune -af >/dev/null 2>&1
    fi
    "$repo/tests/peers/dockerd.sh" stop "$dockerd_dir" >/dev/null 2>&1
    [ -d "$work/buildah" ] && BU rmi -a -f >/dev/null 2>&1
    unmount_under "$work"
    umount -l /var/lib 2>/dev/null
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The context, made once: 20 MiB of random bytes, a small file, the Dockerfile.
mkdir -p "$ctx"
head -c $((20 * 1024 * 1024)) /dev/urandom > "$ctx/big.bin"
echo "a small file for the second COPY" > "$ctx/small.txt"
cat > "$ctx/Dockerfile" <<'DOCKERFILE'
FROM busybox
RUN mkdir -p /data && for i in $(seq 1 200); do echo "line $i" > /data/f$i; done
RUN echo built > /built && ls /data | wc -l > /count
COPY big.bin /big.bin
COPY small.txt /etc/small.txt
RUN cat /etc/small.txt /count && wc -c /big.bin
DOCKERFILE

# The image: berth's busybox, saved once and given to the peers.
B image bootstrap >/dev/null || { echo "bench: berth image bootstrap failed" >&2; exit 1; }
B save -o "$work/image.tar" busybox:latest || { echo "bench: berth save failed" >&2; exit 1; }
if has docker || has buildkit; then
    eval "$("$repo/tests/peers/dockerd.sh" start "$dockerd_dir" | sed 's/^DOCKER_HOST=/docker_host=/')" ||
        { echo "bench: dockerd did not start" >&2; exit 1; }
    [ -n "${docker_host:-}" ] || { echo "bench: dockerd did not start" >&2; exit 1; }
    D load -q -i "$work/image.tar" >/dev/null || exit 1
fi
if has buildah; then
    mkdir -p "$work/varlib/upper" "$work/varlib/work"
    mount -t overlay overlay -o "lowerdir=/var/lib,upperdir=$work/varlib/upper,workdir=$work/varlib/work" /var/lib ||
        { echo "bench: cannot overlay /var/lib" >&2; exit 1; }
    BU pull -q "docker-archive:$work/image.tar" >/dev/null || exit 1
    # docker-archive gives it the name localhost/busybox; FROM busybox must find it without a registry.
    BU tag localhost/busybox:latest docker.io/library/busybox:latest >/dev/null &&
        BU rmi localhost/busybox:latest >/dev/null || exit 1
fi

# One build, printing the image id (-q) on stdout; $1 tool, $2 cold|warm.
build() {
    local nocache=()
    [ "$2" = cold ] && nocache=(--no-cache)
    case $1 in
    berth) BR build -q "${nocache[@]}" --network none -t bench-berth "$ctx" ;;
    docker) DOCKER_BUILDKIT=0 D build -q "${nocache[@]}" --network none -t bench-docker "$ctx" ;;
    buildkit) DOCKER_BUILDKIT=1 D build -q "${nocache[@]}" --network none -t bench-buildkit "$ctx" ;;
    buildah) BU bud -q --layers "${nocache[@]}" --runtime runc --pull-never --network none -t bench-buildah "$ctx" ;;
    esac
}
# The untimed preparation that empties a tool's cache for this build (see the top).
empty_cache() {
    case $1 in
    berth)
        drop_berth_root
        berth_root=$(mktemp -d "$work/berth-cold.XXXXXX")
        BR load -q -i "$work/image.tar" >/dev/null && BR run --rm --network none busybox true >/dev/null ;;
    docker) D rmi -f bench-docker >/dev/null 2>&1; true ;;
    buildkit) D rmi -f bench-buildkit >/dev/null 2>&1; D builder prune -af >/dev/null ;;
    buildah) BU rmi -f bench-buildah >/dev/null 2>&1; BU rmi --prune >/dev/null 2>&1; true ;;
    esac
}

ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", (b - a) * 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
sample() { echo "$1 $2 $3" >> "$results"; }          # case tool ms
med() { awk -v p="$1" -v t="$2" '$1 == p && $2 == t { print $3 }' "$results" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || a == 0) print "n/a"; else printf "%.2fx", b / a }'; }

# One cold build and its rebuild for TOOL; timed unless $2 is "untimed". The rebuild must give
# the cold build's image id (every step cached); a different id is reported.
round() {
    local tool=$1 timed=${2:-timed} t0 cold warm
    empty_cache "$tool" || { echo "bench: emptying $tool's cache failed" >&2; exit 1; }
    t0=$EPOCHREALTIME
    cold=$(build "$tool" cold 2>"$work/stderr") || { echo "bench: $tool cold build failed:" >&2; tail -20 "$work/stderr" >&2; exit 1; }
    [ "$timed" = timed ] && sample cold "$tool" "$(ms_since "$t0")"
    t0=$EPOCHREALTIME
    warm=$(build "$tool" warm 2>"$work/stderr") || { echo "bench: $tool rebuild failed:" >&2; tail -20 "$work/stderr" >&2; exit 1; }
    [ "$timed" = timed ] && sample warm "$tool" "$(ms_since "$t0")"
    cold=$(printf '%s' "$cold" | tail -1) warm=$(printf '%s' "$warm" | tail -1)
    [ "$cold" = "$warm" ] || echo "bench: $tool's rebuild gave $warm, not its cold build's $cold (not all cached?)" >&2
}

versions="# berth $("$berth" --version | awk '{print $3}')"
{ has docker || has buildkit; } && versions+=" · docker $(D version -f '{{.Server.Version}}') (client $(D version -f '{{.Client.Version}}')) + containerd + runc $(runc --version | awk 'NR==1 {print $3}')"
has buildah && versions+=" · buildah $(buildah --version | awk '{print $3}') + runc"
echo "$versions"
echo "# tools: ${tools[*]}; $n samples; $(nproc) CPUs; $(uname -r); load $(cut -d' ' -f1-3 /proc/loadavg)"

for tool in "${tools[@]}"; do round "$tool" untimed; done
count=${#tools[@]}
for i in $(seq 1 "$n"); do
    for k in $(seq 0 $((count - 1))); do round "${tools[$(((i + k) % count))]}"; done
done

# Report.
printf '\n%-28s' "median (ms)"
for tool in "${tools[@]}"; do printf ' %10s' "$tool"; done
has berth && for tool in "${tools[@]}"; do [ "$tool" = berth ] || printf ' %16s' "$tool/berth"; done
echo
row() {
    local label=$1 phase=$2 tool b
    printf '%-28s' "$label"
    for tool in "${tools[@]}"; do printf ' %10s' "$(med "$phase" "$tool")"; done
    if has berth; then
        b=$(med "$phase" berth)
        for tool in "${tools[@]}"; do [ "$tool" = berth ] || printf ' %16s' "$(ratio "$b" "$(med "$phase" "$tool")")"; done
    fi
    echo
}
row "(a) cold build" cold
row "(b) no-change rebuild" warm
echo
has berth || exit 0
status=0
goal() {
    local label=$1 phase=$2 factor=$3 b tool p ok=1 detail=""
    b=$(med "$phase" berth)
    for tool in "${tools[@]}"; do
        [ "$tool" = berth ] && continue
        p=$(med "$phase" "$tool")
        awk -v b="$b" -v p="$p" -v f="$factor" 'BEGIN { exit !(b != "n/a" && p != "n/a" && p / b >= f) }' || ok=0
        detail+=", $(awk -v b="$b" -v p="$p" 'BEGIN { if (b == "n/a" || p == "n/a") print "n/a"; else printf "%.1fx", p / b }') $tool"
    done
    echo "goal $label: $([ $ok = 1 ] && echo met || echo "NOT met") (${detail#, })"
    [ $ok = 1 ] || status=1
}
goal "cold build faster than every peer" cold 1.001
goal "no-change rebuild >=5x faster than every peer" warm 5
exit $status
