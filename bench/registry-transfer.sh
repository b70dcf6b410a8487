#!/usr/bin/env bash
# berth push/pull beside skopeo copy, against one docker-registry on loopback, in one run.
#   sudo bench/registry-transfer.sh [MIB] [RUNS]     (default: a 64 MiB random layer, 3 runs)
# Prints the median wall time of each and the ratio berth/skopeo. Needs out/bin/berth,
# docker-registry and skopeo. Everything lives in one temp dir, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-64}
runs=${2:-3}
berth=$PWD/out/bin/berth
tmp=$(mktemp -d /tmp/berth-bench-reg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
reg=127.0.0.1:$port
cleanup() { [[ -n ${regpid:-} ]] && kill "$regpid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
printf 'version: 0.1\nlog: { level: error, accesslog: { disabled: true } }\nstorage: { filesystem: { rootdirectory: %s/data }, delete: { enabled: true } }\nhttp: { addr: "%s" }\n' "$tmp" "$reg" >"$tmp/config.yml"
# A fresh, empty registry for each run, so neither tool can skip or mount a blob it pushed before.
fresh_registry() {
    [[ -n ${regpid:-} ]] && { kill "$regpid"; wait "$regpid" 2>/dev/null || true; }
    rm -rf "$tmp/data"
    docker-registry serve "$tmp/config.yml" >"$tmp/registry.log" 2>&1 &
    regpid=$!
    for _ in $(seq 100); do curl -fs "http://$reg/v2/" >/dev/null && break; sleep 0.05; done
}

head -c "$((mib << 20))" /dev/urandom >"$tmp/big.bin"
tar -C "$tmp" -cf "$tmp/big.tar" big.bin
"$berth" --root "$tmp/src" import "$tmp/big.tar" bench/big:1 >/dev/null
"$berth" --root "$tmp/src" save --format oci -o "$tmp/big-oci.tar" bench/big:1

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A times
for i in $(seq "$runs"); do
    fresh_registry
    rm -f "$tmp/src/distribution/sources.json"
    "$berth" --root "$tmp/src" tag bench/big:1 "$reg/berth$i/big:1"
    t=$(now); "$berth" --root "$tmp/src" push -q "$reg/berth$i/big:1" >/dev/null; times[bpush]+="$(echo "$(now) - $t" | bc) "
    t=$(now); skopeo copy -q --dest-tls-verify=false "oci-archive:$tmp/big-oci.tar" "docker://$reg/skopeo$i/big:1"; times[spush]+="$(echo "$(now) - $t" | bc) "
    t=$(now); "$berth" --root "$tmp/pull$i" pull -q "$reg/berth$i/big:1" >/dev/null; times[bpull]+="$(echo "$(now) - $t" | bc) "
    t=$(now); skopeo copy -q --src-tls-verify=false "docker://$reg/skopeo$i/big:1" "oci:$tmp/skopeo-pull$i:big"; times[spull]+="$(echo "$(now) - $t" | bc) "
done
m() { tr ' ' '\n' <<<"${times[$1]}" | grep . | median; }
printf '%s MiB layer, %s runs, median seconds\n' "$mib" "$runs"
printf 'push: berth %s  skopeo %s  ratio %.2f\n' "$(m bpush)" "$(m spush)" "$(echo "$(m bpush) / $(m spush)" | bc -l)"
printf 'pull: berth %s  skopeo %s  ratio %.2f\n' "$(m bpull)" "$(m spull)" "$(echo "$(m bpull) / $(m spull)" | bc -l)"
