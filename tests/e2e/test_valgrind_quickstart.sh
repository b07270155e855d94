#!/usr/bin/env bash
# The quickstart, a virtio/vDPA scenario (SimGrid execs on host CPUs), one
# whose flows all run on the fast path (no SimGrid transfer), and a
# rejected scenario (the loader's error paths), under valgrind memcheck: no memory error and no definite leak (from our code:
# tests/valgrind.supp may silence third-party internals only).
# Registered only for builds without ASan (the two do not mix).
source "$(dirname "$0")/lib.sh"
VG=(valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99
    --num-callers=30 --suppressions="$SRCDIR/tests/valgrind.supp")

# vg NAME EXPECTED_STATUS ARGS...
vg() {
    local name=$1 want=$2 rc
    shift 2
    set +e
    "${VG[@]}" --log-file="$WORK/vg.log" "$SRIOV_SIM" "$@" > /dev/null 2> "$WORK/err.txt"
    rc=$?
    set -e
    check_eq "$name: exit status" "$rc" "$want"
    if [ "$rc" -eq 99 ]; then
        grep -A25 -m3 'definitely lost in\|Invalid\|uninitialised' "$WORK/vg.log" >&2 || true
    fi
    CHECKS=$((CHECKS + 1))
    if grep -q 'ERROR SUMMARY: 0 errors' "$WORK/vg.log"; then pass "$name: no memcheck errors"
    else fail "$name: $(grep 'ERROR SUMMARY' "$WORK/vg.log")"; fi
}

vg "quickstart" 0 run "$SRCDIR/scenarios/quickstart.yaml" -o "$WORK/q.h5" --quiet
vg "datapath-comparison (execs)" 0 run "$SRCDIR/scenarios/datapath-comparison.yaml" \
    -o "$WORK/d.h5" --quiet
vg "tenant-churn (fast path)" 0 run "$SRCDIR/scenarios/tenant-churn.yaml" -o "$WORK/t.h5" --quiet
vg "rejected scenario" 2 validate "$SRCDIR/tests/adversarial/huge_num_vfs.yaml"
vg "unwritable output" 2 run "$SRCDIR/scenarios/quickstart.yaml" -o /proc/nonexistent/x.h5 --quiet
finish
