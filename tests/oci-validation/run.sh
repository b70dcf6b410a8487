#!/usr/bin/env bash
# Run every OCI runtime-tools validation test against one runtime and report per file.
#
#   tests/oci-validation/run.sh RUNTIME [SUITE]
#
# RUNTIME  path of a runc-compatible runtime (runc, crun, out/bin/berth-runtime).
# SUITE    directory made by build.sh (default: $OCI_VALIDATION_SUITE, else
#          ~/.cache/berth/oci-validation/suite, which prepare.sh fills).
# Env:     TESTS="state kill ..."   run only these files (names without .t)
#          TEST_TIMEOUT=120         seconds per file
#          RETRIES=0                re-run a failing file up to this many times
#                                   (several files race against the runtime:
#                                   their sleeps and polls lose on a loaded host)
#          LOG_DIR=DIR              keep each file's TAP output and stderr there
#          BASELINE=FILE            exit 0 iff every file named in FILE passes
#                                   (default: exit 0 iff no file fails); the last
#                                   line is then "baseline FILE: N passed, N failed",
#                                   counted over the files named in FILE
#
# Each file is a TAP producer. A file PASSes when it exits 0 and prints its full plan
# with no "not ok"; it is SKIPped when every test in it is a SKIP; otherwise FAIL.
# The runtime runs with its own temp --root (through a wrapper), and bundles go to a
# temp TMPDIR, so nothing is left behind in /run/runc, /run/crun or /tmp.
set -uo pipefail

runtime=${1:?usage: run.sh RUNTIME [SUITE]}
runtime=$(command -v "$runtime") || { echo "run: no runtime $1" >&2; exit 2; }
runtime=$(realpath "$runtime")
suite=${2:-${OCI_VALIDATION_SUITE:-${XDG_CACHE_HOME:-$HOME/.cache}/berth/oci-validation/suite}}
timeout_s=${TEST_TIMEOUT:-120}
if ! compgen -G "$suite/validation/*.t" >/dev/null || [ ! -x "$suite/runtimetest" ]; then
    echo "run: no built suite in $suite; run tests/oci-validation/prepare.sh first" >&2
    exit 2
fi
suite=$(realpath "$suite")

here=$(dirname "$(realpath "$0")")
if [ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
    echo "run: cgroup2 at /sys/fs/cgroup/unified lists controllers (crun refuses that);" \
         "run scripts/setup-host" >&2
fi

work=$(mktemp -d /tmp/oci-validation-run.XXXXXX)
cleanup_containers() {
    local id
    # `list` skips containers whose state is half-written; their directories remain.
    for id in $( ("$runtime" --root "$work/state" list -q 2>/dev/null; ls "$work/state" 2>/dev/null) | sort -u); do
        "$runtime" --root "$work/state" delete -f "$id" >/dev/null 2>&1 || true
    done
}
unmount_under() {
    # Tests that fail half-way can leave bind mounts in their bundles.
    local m
    for m in $(awk -v p="$1/" 'index($2, p) == 1 {print $2}' /proc/self/mounts | sort -r); do
        umount -l "$m" 2>/dev/null || true
    done
}
# The suite's cgroupsPath values are /cgrouptest and testdir/cgrouptest/container;
# runtimes remove the leaf but not the parents they made. Remove those this run made
# (rmdir only removes an empty cgroup, so a live one is never touched).
test_cgroups=$(ls -d /sys/fs/cgroup/*/cgrouptest /sys/fs/cgroup/*/testdir /sys/fs/cgroup/cgrouptest /sys/fs/cgroup/testdir 2>/dev/null)
remove_test_cgroups() {
    local d
    for d in /sys/fs/cgroup/*/cgrouptest /sys/fs/cgroup/*/testdir /sys/fs/cgroup/cgrouptest /sys/fs/cgroup/testdir; do
        [ -d "$d" ] || continue
        grep -qx -- "$d" <<<"$test_cgroups" && continue
        find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
}
finish() {
    cleanup_containers
    unmount_under "$work"
    rm -rf --one-file-system "$work"
    remove_test_cgroups
}
trap finish EXIT
trap 'exit 130' INT TERM

mkdir -p "$work/state" "$work/cwd" "$work/tmp"
# mktemp makes 0700 dirs; a container whose root is mapped to another uid (user
# namespace tests) must still reach its bundle, as it would under /tmp.
chmod 0755 "$work" && chmod 1777 "$work/tmp"
# The tests read runtimetest and rootfs-<arch>.tar.gz from their working directory.
# runtimetest is copied (not linked) into each bundle, so it must be a real file here.
cp "$suite/runtimetest" "$work/cwd/runtimetest"
for f in "$suite"/rootfs-*.tar.gz; do ln -s "$f" "$work/cwd/"; done
cat > "$work/runtime" <<WRAP
#!/bin/sh
exec "$runtime" --root "$work/state" "\$@"
WRAP
chmod +x "$work/runtime"
logs=${LOG_DIR:-$work/logs}
mkdir -p "$logs"

if [ -n "${TESTS:-}" ]; then
    names=$TESTS
else
    names=$(cd "$suite/validation" && ls *.t | sed 's/\.t$//')
fi

echo "# runtime: $runtime ($("$runtime" --version 2>/dev/null | head -1))"
echo "# suite:   $suite (runtime-spec $(cat "$suite/spec-version.txt" 2>/dev/null))"
passed=() failed=() skipped=() flaky=()
retries=${RETRIES:-0}
# attempt NAME: runs one file once; sets rc, streams, plans, planned, ok, notok,
# skip, orphans and verdict (pass, fail or skip).
attempt() {
    local name=$1
    rm -rf --one-file-system "$work/tmp" && mkdir -m 1777 "$work/tmp"
    (cd "$work/cwd" && RUNTIME="$work/runtime" TMPDIR="$work/tmp" \
        timeout -k 5 "$timeout_s" "$suite/validation/$name.t") >"$tap" 2>"$err" </dev/null
    rc=$?
    cleanup_containers
    unmount_under "$work/tmp"

    # A file may print several TAP streams (one "TAP version" header and plan each);
    # a YAML block with an "error" key not attached to a test line is an error report
    # with no "not ok" (hooks.go does that), so it counts as a failure too. (Loose
    # YAML blocks without "error" are informational, e.g. runtimetest's own output.)
    read -r streams plans planned ok notok skip orphans < <(awk '
        /^TAP version/ {streams++; last = "header"; next}
        /^1\.\.[0-9]+/ {plans++; sub(/^1\.\./, ""); planned += $1; last = "plan"; next}
        /^ok / {ok++; if (/^ok [0-9]+ # SKIP/) skip++; last = "test"; next}
        /^not ok / {notok++; last = "test"; next}
        /^  ---/ {loose = (last != "test"); next}
        /^    "error":/ {if (loose) orphans++; loose = 0; next}
        /^  \.\.\./ {loose = 0; next}
        END {print streams+0, plans+0, planned+0, ok+0, notok+0, skip+0, orphans+0}' "$tap")
    verdict=fail
    if [[ $name == *_fail ]] && [ "$rc" -eq 0 ] && [ "$streams" -eq 0 ]; then
        # Some *_fail files report success by exiting 0 with no TAP at all (they call
        # util.Fatal, exit 1, when the runtime wrongly accepts the bad config). For any
        # other file, no TAP means runtimetest's output never reached the test: FAIL.
        verdict=pass
    elif [ "$rc" -eq 0 ] && [ "$notok" -eq 0 ] && [ "$orphans" -eq 0 ] && [ "$streams" -gt 0 ] &&
         [ "$plans" -eq "$streams" ] && [ "$ok" -eq "$planned" ]; then
        verdict=pass
        [ "$ok" -gt 0 ] && [ "$skip" -eq "$ok" ] && verdict=skip
    fi
}

for name in $names; do
    tap=$logs/$name.tap err=$logs/$name.stderr
    tries=0
    attempt "$name"
    while [ "$verdict" = fail ] && [ "$tries" -lt "$retries" ]; do
        tries=$((tries + 1))
        attempt "$name"
    done
    counts="$((ok - skip)) ok, $notok not ok, $skip skip of $planned"
    [ "$streams" -eq 0 ] && [ "$rc" -eq 0 ] && counts="no TAP output, exit 0"
    [ "$verdict" = pass ] && [ "$streams" -eq 0 ] && counts="$counts: the runtime rejected the bad config"
    note=""
    if [ "$tries" -gt 0 ] && [ "$verdict" != fail ]; then
        flaky+=("$name")
        note=" [flaky: failed $tries time(s) before]"
    fi
    case $verdict in
    skip)
        skipped+=("$name")
        echo "SKIP $name ($counts): $(sed -n 's/^ok [0-9]* # SKIP //p' "$tap" | head -1)$note" ;;
    pass)
        passed+=("$name")
        echo "PASS $name ($counts)$note" ;;
    *)
        failed+=("$name")
        why=""
        [ "$rc" -eq 124 ] && why="timed out after ${timeout_s}s; "
        [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && why="exit $rc; "
        { [ "$plans" -lt "$streams" ] || [ "$streams" -eq 0 ]; } && why="${why}no plan; "
        [ "$orphans" -gt 0 ] && why="${why}error reported outside a test; "
        [ "$tries" -gt 0 ] && why="${why}failed all $((tries + 1)) tries; "
        echo "FAIL $name ($counts): $why"
        # First failed assertion and its diagnostics, then any stderr.
        awk '/^not ok / && !n {n = 1; print "    " $0; next}
             n && /^(ok|not ok) / {exit}
             n {print "    " $0}' "$tap" | head -12
        if [ "$notok" -eq 0 ] && [ "$orphans" -gt 0 ]; then
            awk '/^  ---/ {y = 1} y {print "    " $0} /^  \.\.\./ {exit}' "$tap" | head -12
        fi
        [ -s "$err" ] && head -5 "$err" | sed 's/^/    stderr: /' ;;
    esac
done

echo "# passed: ${passed[*]:-}"
echo "# failed: ${failed[*]:-}"
echo "# skipped: ${skipped[*]:-}"
echo "# flaky (passed on a retry): ${flaky[*]:-}"
[ -n "${LOG_DIR:-}" ] && echo "# logs in $LOG_DIR"
echo "files: ${#passed[@]} passed, ${#failed[@]} failed, ${#skipped[@]} skipped"

if [ -n "${BASELINE:-}" ]; then
    # The counted check for CI: over the files the baseline runtime passes, how many pass
    # here. With TESTS, baseline files that were not asked for are left out of the count;
    # without it, a baseline file the suite lacks counts as failed.
    # Membership by associative array, not `printf | grep -q`: grep -q exits on the first
    # match, printf can take SIGPIPE, and pipefail then reads a passed file as failed.
    declare -A is_passed=() is_asked=()
    for name in "${passed[@]}"; do is_passed[$name]=1; done
    for name in $names; do is_asked[$name]=1; done
    base_passed=() base_failed=()
    for name in $(grep -v '^#' "$BASELINE"); do
        if [ -n "${is_passed[$name]:-}" ]; then
            base_passed+=("$name")
        elif [ -z "${TESTS:-}" ] || [ -n "${is_asked[$name]:-}" ]; then
            base_failed+=("$name")
        fi
    done
    [ ${#base_failed[@]} -gt 0 ] && echo "# below baseline $BASELINE: ${base_failed[*]}"
    # Last line, stable for parsers: "baseline NAME: N passed, N failed".
    echo "baseline $(basename "$BASELINE"): ${#base_passed[@]} passed, ${#base_failed[@]} failed"
    [ ${#base_failed[@]} -eq 0 ]
    exit
fi
[ ${#failed[@]} -eq 0 ]
