#!/usr/bin/env bash
# Push and pull of one image between each client and each registry, in one run:
#
#   bench/registry.sh [N]        (as root; N samples per client, registry and direction; default 5)
#
# The image: FROM scratch and three COPY steps of 20 MiB of random bytes each (three layers,
# ~60 MiB, incompressible), built once by berth and given to the peers (`berth save`, then
# `docker load`, and the archive unpacked as the OCI layout skopeo reads).
#
# Clients: berth (`berth push` / `berth pull`), skopeo (`copy` between its OCI layout and the
# registry), docker (a private dockerd from tests/peers/dockerd.sh, the CLI 28 at
# /usr/local/bin/docker or $DOCKER). Registries: distribution (Debian's docker-registry 2.8,
# filesystem storage) and berth (`berth registry serve`), each on a loopback port, plain http.
#
# Each sample is the wall time of one command:
#   push: into a registry restarted on an empty root just before (untimed), so every blob is
#         uploaded; a fresh repository name per sample, so no client can mount instead.
#   pull: from a registry that holds the image (pushed once, untimed, by skopeo), into an empty
#         store: a fresh berth --root, a fresh skopeo layout directory, docker after `rmi`
#         of the image (which removes its layers).
# What each client does with a pull differs by design and is in the figures: docker unpacks the
# layers into overlay2 as it pulls; berth and skopeo store the blobs (berth unpacks on first run).
# On push docker re-tars and gzips each layer from its unpacked form; berth and skopeo send the
# stored blobs as they are.
#
# The clients are interleaved and their order rotates every round; one untimed round first.
# BERTH=path picks berth (default out/bin/berth); CLIENTS="berth skopeo docker" and
# REGISTRIES="distribution berth" pick subsets; RESULTS=FILE keeps the raw samples. On exit
# everything made is removed: registries and dockerd (stopped by their PIDs), images, the temp
# dir. Prints medians (ms) and the ratios peer/berth. Goal: berth the fastest client in every row;
# exits 1 when berth ran and the goal is not met.
set -uo pipefail

# skopeo (containers/image) keeps a blob-info cache in /var/lib/containers/cache whatever it is
# told: run in a private mount namespace with a temp overlay on /var/lib (set up below).
if [ "${BERTH_BENCH_PRIVATE_MOUNTS:-}" != 1 ]; then
    exec env BERTH_BENCH_PRIVATE_MOUNTS=1 unshare --mount --propagation private -- "$0" "$@"
fi

n=${1:-${N:-5}}
repo=$(cd "$(dirname "$(realpath "$0")")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "bench: must run as root" >&2; exit 1; }
read -r -a clients <<< "${CLIENTS:-berth skopeo docker}"
read -r -a registries <<< "${REGISTRIES:-distribution berth}"
berth=$(realpath "${BERTH:-$repo/out/bin/berth}")
docker=${DOCKER:-/usr/local/bin/docker}
[ -x "$berth" ] || { echo "bench: no berth at $berth (scripts/build); it also builds the image" >&2; exit 1; }
has() { local t; for t in "${@:2}"; do [ "$t" = "$1" ] && return 0; done; return 1; }
has docker "${clients[@]}" && { command -v dockerd >/dev/null || { echo "bench: dockerd not installed (apt-get install docker.io)" >&2; exit 1; }; }
command -v skopeo >/dev/null || { echo "bench: skopeo not installed (apt-get install skopeo); it seeds the pull rows" >&2; exit 1; }
has distribution "${registries[@]}" && { command -v docker-registry >/dev/null || { echo "bench: docker-registry not installed (apt-get install docker-registry)" >&2; exit 1; }; }

work=$(mktemp -d /tmp/berth-bench-registry.XXXXXX)
results=${RESULTS:-$work/samples.txt}
: > "$results"
dockerd_dir=$work/docker
declare -A reg_pid=() reg_port=()

B() { "$berth" --root "$work/berth" "$@"; }
D() { DOCKER_HOST=$docker_host "$docker" "$@"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() { # URL PID
    local _
    for _ in $(seq 1 200); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}
stop_registry() { # NAME
    local pid=${reg_pid[$1]:-}
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    reg_pid[$1]=""
}
# (Re)starts registry NAME on an empty root and a new port.
start_registry() { # NAME
    local name=$1 root=$work/registry-$1 port
    stop_registry "$name"
    rm -rf "$root" && mkdir -p "$root"
    port=$(free_port)
    case $name in
    distribution)
        cat > "$root.yml" <<YAML
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $root }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$port }
YAML
        docker-registry serve "$root.yml" >"$root.log" 2>&1 & ;;
    berth)
        "$berth" registry serve --addr "127.0.0.1:$port" --root "$root" >"$root.log" 2>&1 & ;;
    esac
    reg_pid[$name]=$! reg_port[$name]=$port
    wait_http "http://127.0.0.1:$port/v2/" "${reg_pid[$name]}" ||
        { echo "bench: registry $name did not start:" >&2; tail -5 "$root.log" >&2; exit 1; }
}

cleanup() {
    set +e
    local name m
    for name in "${!reg_pid[@]}"; do stop_registry "$name"; done
    [ -n "${docker_host:-}" ] && D system prune -af >/dev/null 2>&1
    "$repo/tests/peers/dockerd.sh" stop "$dockerd_dir" >/dev/null 2>&1
    grep -o " $work[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
    umount -l /var/lib 2>/dev/null
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work/varlib/upper" "$work/varlib/work"
mount -t overlay overlay -o "lowerdir=/var/lib,upperdir=$work/varlib/upper,workdir=$work/varlib/work" /var/lib ||
    { echo "bench: cannot overlay /var/lib" >&2; exit 1; }

# The image, built once by berth; saved for docker, unpacked as an OCI layout for skopeo.
mkdir -p "$work/ctx"
for i in 1 2 3; do head -c $((20 * 1024 * 1024)) /dev/urandom > "$work/ctx/layer$i.bin"; done
printf 'FROM scratch\nCOPY layer1.bin /1\nCOPY layer2.bin /2\nCOPY layer3.bin /3\n' > "$work/ctx/Dockerfile"
B build -q -t bench:1 "$work/ctx" >/dev/null || { echo "bench: berth build failed" >&2; exit 1; }
B save -o "$work/image.tar" bench:1 || { echo "bench: berth save failed" >&2; exit 1; }
mkdir -p "$work/layout" && tar -xf "$work/image.tar" -C "$work/layout"
if has docker "${clients[@]}"; then
    eval "$("$repo/tests/peers/dockerd.sh" start "$dockerd_dir" | sed 's/^DOCKER_HOST=/docker_host=/')" ||
        { echo "bench: dockerd did not start" >&2; exit 1; }
    [ -n "${docker_host:-}" ] || { echo "bench: dockerd did not start" >&2; exit 1; }
    D load -q -i "$work/image.tar" >/dev/null || exit 1
fi

seq_no=0
# One push by CLIENT into REGISTRY (which sample() restarted empty, untimed, just before).
push() { # CLIENT REGISTRY
    local client=$1 target
    seq_no=$((seq_no + 1))
    target=127.0.0.1:${reg_port[$2]}/bench/$client-$seq_no:1
    case $client in
    berth) B tag bench:1 "$target" && B push -q "$target" >/dev/null ;;
    skopeo) skopeo copy -q --dest-tls-verify=false "oci:$work/layout" "docker://$target" ;;
    docker) D tag bench:1 "$target" && D push -q "$target" >/dev/null ;;
    esac
}
untag_push() { # CLIENT: the tag the push made is not part of the next sample
    case $1 in
    berth) B images --format '{{.Repository}}:{{.Tag}}' | grep '^127.0.0.1' | xargs -r "$berth" --root "$work/berth" rmi >/dev/null 2>&1 ;;
    docker) D images --format '{{.Repository}}:{{.Tag}}' | grep '^127.0.0.1' | xargs -r "$docker" -H "$docker_host" rmi >/dev/null 2>&1 ;;
    esac
    true
}
prepare_pull() { # CLIENT: an empty store
    case $1 in
    berth) grep -o " $work/pull-berth[^ ]*" /proc/self/mounts | while read -r m; do umount -l "$m"; done
           rm -rf --one-file-system "$work/pull-berth" ;;
    skopeo) rm -rf "$work/pull-skopeo" ;;
    docker) # every image: bench:1 from the load shares the pulled image's layers
            D images -q | sort -u | xargs -r "$docker" -H "$docker_host" rmi -f >/dev/null 2>&1; true ;;
    esac
}
pull() { # CLIENT
    case $1 in
    berth) "$berth" --root "$work/pull-berth" pull -q "$pull_source" >/dev/null ;;
    skopeo) skopeo copy -q --src-tls-verify=false "docker://$pull_source" "oci:$work/pull-skopeo" ;;
    docker) D pull -q "$pull_source" >/dev/null ;;
    esac
}

ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", (b - a) * 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med() { awk -v r="$1" -v c="$2" '$1 == r && $2 == c { print $3 }' "$results" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || a == 0) print "n/a"; else printf "%.2fx", b / a }'; }

# One sample of CLIENT in ROW ("push-REGISTRY" or "pull-REGISTRY"); untimed unless $3 is "timed".
sample() { # ROW CLIENT [timed]
    local row=$1 client=$2 t0 dir=${1%%-*} registry=${1#*-}
    if [ "$dir" = push ]; then
        untag_push "$client"
        start_registry "$registry"
        t0=$EPOCHREALTIME
        push "$client" "$registry" 2>"$work/stderr" || { echo "bench: $client push to $registry failed:" >&2; tail -20 "$work/stderr" >&2; exit 1; }
    else
        prepare_pull "$client"
        t0=$EPOCHREALTIME
        pull "$client" 2>"$work/stderr" || { echo "bench: $client pull from $registry failed:" >&2; tail -20 "$work/stderr" >&2; exit 1; }
    fi
    [ "${3:-}" = timed ] && echo "$row $client $(ms_since "$t0")" >> "$results"
    true
}

versions="# berth $("$berth" --version | awk '{print $3}') · skopeo $(skopeo --version | awk '{print $3}')"
has docker "${clients[@]}" && versions+=" · docker $(D version -f '{{.Server.Version}}') (client $(D version -f '{{.Client.Version}}'))"
has distribution "${registries[@]}" && versions+=" · docker-registry $(docker-registry --version | awk '{print $3}')"
echo "$versions"
echo "# clients: ${clients[*]}; registries: ${registries[*]}; $n samples; $(nproc) CPUs; $(uname -r); load $(cut -d' ' -f1-3 /proc/loadavg)"

rows=()
for registry in "${registries[@]}"; do rows+=("push-$registry"); done
for registry in "${registries[@]}"; do rows+=("pull-$registry"); done
count=${#clients[@]}
for row in "${rows[@]}"; do
    if [ "${row%%-*}" = pull ]; then
        registry=${row#*-}
        start_registry "$registry"
        pull_source=127.0.0.1:${reg_port[$registry]}/bench/pull:1
        skopeo copy -q --dest-tls-verify=false "oci:$work/layout" "docker://$pull_source" ||
            { echo "bench: seeding $registry failed" >&2; exit 1; }
    fi
    for client in "${clients[@]}"; do sample "$row" "$client"; done
    for i in $(seq 1 "$n"); do
        for k in $(seq 0 $((count - 1))); do sample "$row" "${clients[$(((i + k) % count))]}" timed; done
    done
done

# Report.
printf '\n%-24s' "median (ms)"
for client in "${clients[@]}"; do printf ' %10s' "$client"; done
has berth "${clients[@]}" && for client in "${clients[@]}"; do [ "$client" = berth ] || printf ' %14s' "$client/berth"; done
echo
status=0
for row in "${rows[@]}"; do
    printf '%-24s' "${row%%-*} ${row#*-}"
    for client in "${clients[@]}"; do printf ' %10s' "$(med "$row" "$client")"; done
    if has berth "${clients[@]}"; then
        b=$(med "$row" berth)
        for client in "${clients[@]}"; do
            [ "$client" = berth ] && continue
            p=$(med "$row" "$client")
            printf ' %14s' "$(ratio "$b" "$p")"
            awk -v b="$b" -v p="$p" 'BEGIN { exit !(b != "n/a" && p != "n/a" && p > b) }' || status=1
        done
    fi
    echo
done
echo
has berth "${clients[@]}" || exit 0
echo "goal berth the fastest client in every row: $([ $status = 0 ] && echo met || echo "NOT met")"
exit $status
