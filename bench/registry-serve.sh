#!/usr/bin/env bash
# Blob GET throughput: berth registry serve beside docker-registry (Debian's distribution 2.8), in one run.
#
#   bench/registry-serve.sh [SECONDS]     (default 10 s per measurement)
#
# Both registries start on temp roots and free loopback ports, with their access logs off. The same
# two blobs, 4 KiB and 20 MiB of random bytes, are pushed into both with curl (POST, then PUT
# ?digest= with the body: the upload flow both support). Then wrk (Debian's wrk) loads each blob
# URL with 8 concurrent keep-alive connections (2 wrk threads) for SECONDS after a 2 s warm-up; the
# registries alternate (berth, docker-registry, docker-registry, berth) and the better of each's two
# runs is kept, so a noisy moment on this shared 2-core machine hurts neither more.
# Prints requests/s, MB/s and the server's CPU time per request for each blob and registry, and the
# ratios berth / docker-registry. Run `uptime` first: on a loaded machine the load generator, not the
# server, bounds the large-blob figure, and the CPU-per-request column is the steadier comparison.
# Everything it starts is stopped by PID on exit and the temp dir removed.
#
# berth-registry is $BERTH_REGISTRY (default out/bin/berth-registry); docker-registry is $DOCKER_REGISTRY
# (default /usr/bin/docker-registry).
set -uo pipefail
seconds=${1:-10}
repo=$(cd "$(dirname "$(realpath "$0")")/.." && pwd)
berth=${BERTH_REGISTRY:-$repo/out/bin/berth-registry}
distribution=${DOCKER_REGISTRY:-/usr/bin/docker-registry}
for tool in "$berth" "$distribution" "$(command -v wrk)" "$(command -v curl)"; do
    [ -x "$tool" ] || { echo "bench: missing $tool (scripts/build; apt-get install docker-registry wrk curl)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/berth-registry-bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null
    done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { # URL
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "bench: $1 did not come up" >&2
    exit 1
}

berth_port=$(free_port)
"$berth" serve --root "$work/berth" --addr "127.0.0.1:$berth_port" 2>"$work/berth.log" &
pids+=($!)

dist_port=$(free_port)
cat >"$work/distribution.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/distribution
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$dist_port
YAML
"$distribution" serve "$work/distribution.yml" 2>"$work/distribution.log" &
pids+=($!)
wait_up "http://127.0.0.1:$berth_port/v2/"
wait_up "http://127.0.0.1:$dist_port/v2/"

head -c 4096 /dev/urandom >"$work/small"
head -c $((20 << 20)) /dev/urandom >"$work/large"

push() { # BASE FILE -> digest
    local base=$1 file=$2 digest location
    digest=sha256:$(sha256sum "$file" | cut -d' ' -f1)
    location=$(curl -sf -X POST -D - -o /dev/null "$base/v2/bench/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
    [[ $location == http* ]] || location=$base$location
    [[ $location == *\?* ]] && location="$location&digest=$digest" || location="$location?digest=$digest"
    curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$file" "$location" -o /dev/null ||
        { echo "bench: push to $base failed" >&2; exit 1; }
    curl -sf "$base/v2/bench/blobs/$digest" | cmp -s - "$file" || { echo "bench: $base serves the blob wrong" >&2; exit 1; }
    echo "$digest"
}

declare -A digest
for size in small large; do
    for name in berth distribution; do
        port_var=${name}_port
        [ $name = distribution ] && port_var=dist_port
        digest[$size]=$(push "http://127.0.0.1:${!port_var}" "$work/$size")
    done
done

# wrk prints "Requests/sec: N"; MB/s is requests/s times the blob's size (so both are counted alike).
load() { # URL -> requests/s; a run with any error or non-2xx answer is refused, not counted
    local out
    wrk -t2 -c8 -d2s "$1" >/dev/null 2>&1
    out=$(wrk -t2 -c8 -d"${seconds}s" "$1" 2>&1)
    if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
        echo "bench: errors while loading $1:" >&2
        echo "$out" >&2
        exit 1
    fi
    awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
}

# The server's own CPU time (user + system, from /proc/PID/stat) per request served: what the
# registry costs the machine, whatever the load generator and the neighbours take.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
declare -A rps cpu
for size in small large; do
    for name in berth distribution distribution berth; do
        port_var=${name}_port pid=${pids[0]}
        [ $name = distribution ] && port_var=dist_port pid=${pids[1]}
        url="http://127.0.0.1:${!port_var}/v2/bench/blobs/${digest[$size]}"
        before=$(ticks "$pid")
        r=$(load "$url") || exit 1
        used=$(( $(ticks "$pid") - before ))
        # CPU microseconds per request over the whole run, warm-up included.
        per=$(awk -v t="$used" -v hz="$hz" -v r="$r" -v s="$seconds" 'BEGIN { printf "%.0f", t / hz * 1e6 / (r * (s + 2)) }')
        echo "  $size $name: $r requests/s, $per us CPU/request" >&2
        prev=${rps[$size.$name]:-0}
        if awk -v a="$r" -v b="$prev" 'BEGIN { exit !(a > b) }'; then
            rps[$size.$name]=$r
            cpu[$size.$name]=$per
        fi
    done
done

printf '\n%-8s %-16s %12s %10s %14s\n' blob registry requests/s MB/s "CPU us/req"
for size in small large; do
    bytes=$(stat -c %s "$work/$size")
    for name in berth distribution; do
        label=$([ $name = berth ] && echo berth-registry || echo docker-registry)
        printf '%-8s %-16s %12.0f %10.1f %14s\n' "$size" "$label" "${rps[$size.$name]}" \
            "$(awk -v r="${rps[$size.$name]}" -v b="$bytes" 'BEGIN { print r * b / 1048576 }')" "${cpu[$size.$name]}"
    done
done
echo
for size in small large; do
    ratio=$(awk -v a="${rps[$size.berth]}" -v b="${rps[$size.distribution]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    label=$([ $size = small ] && echo "4 KiB" || echo "20 MiB")
    cratio=$(awk -v a="${cpu[$size.distribution]}" -v b="${cpu[$size.berth]}" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
    echo "ratio berth/docker-registry, $label blob: ${ratio}x the requests/s, ${cratio}x less server CPU per request"
done
