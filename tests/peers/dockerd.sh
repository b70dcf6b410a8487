#!/bin/bash
# A private dockerd for peer tests: temp data root, exec root, pidfile and socket; no iptables,
# no bridge; stopped by its PID. Nothing touches /var/lib/docker or /var/run/docker.sock.
#
#   tests/peers/dockerd.sh start DIR   starts dockerd under DIR, waits for /_ping, prints
#                                      DOCKER_HOST=unix://DIR/docker.sock
#   tests/peers/dockerd.sh stop DIR    stops the dockerd started under DIR (SIGTERM, SIGKILL
#                                      after 10 s) and removes what it left in DIR
#
# DOCKERD_CGROUP_PARENT=/NAME puts every container (and BuildKit's RUN steps) under that cgroup
# instead of /docker, so that a test can remove what the builds leave.
#
# Needs root and `apt-get install docker.io` (dockerd; the docker CLI is already on the machine).
set -u
cmd=${1:-} dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop DIR" >&2
    exit 2
fi
dockerd=$(command -v dockerd) || { echo "dockerd: not installed (apt-get install docker.io)" >&2; exit 2; }

case $cmd in
start)
    mkdir -p "$dir/data" "$dir/exec"
    driver=vfs
    # overlay2 when the data root's filesystem can take it (not on overlay itself).
    if [ "$(stat -f -c %T "$dir")" != overlayfs ] && grep -qw overlay /proc/filesystems; then driver=overlay2; fi
    extra=()
    [ -n "${DOCKERD_CGROUP_PARENT:-}" ] && extra=(--cgroup-parent "$DOCKERD_CGROUP_PARENT")
    "$dockerd" "${extra[@]}" --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
        -H "unix://$dir/docker.sock" --iptables=false --ip6tables=false --ip-forward=false --bridge=none \
        --storage-driver "$driver" --containerd-namespace "berth-peer-$$" --containerd-plugins-namespace "berth-peer-$$-plugins" \
        >"$dir/dockerd.log" 2>&1 &
    echo $! >"$dir/dockerd.started-pid"
    for _ in $(seq 1 300); do
        if curl -fsS --unix-socket "$dir/docker.sock" http://localhost/_ping >/dev/null 2>&1; then
            echo "DOCKER_HOST=unix://$dir/docker.sock"
            exit 0
        fi
        if ! kill -0 "$(cat "$dir/dockerd.started-pid")" 2>/dev/null; then break; fi
        sleep 0.1
    done
    echo "dockerd did not answer /_ping; its log:" >&2
    tail -20 "$dir/dockerd.log" >&2
    "$0" stop "$dir"
    exit 1
    ;;
stop)
    pid=$(cat "$dir/dockerd.started-pid" 2>/dev/null) || exit 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    fi
    # Mounts dockerd may leave (overlay2 layers, its exec root) must go before the directory.
    grep -o " $dir/[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
    rm -f "$dir/dockerd.started-pid"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
