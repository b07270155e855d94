#!/usr/bin/env bash
# A damaged variable-length string heap (security issue, item 11): mutants
# that crashed libhdf5 inside `sriov-sim report` (SIGSEGV in H5HG_read) or
# made it copy a damaged length for tens of seconds (over 20 s, 850 MB
# after 5 s). The report now exits 1 with "FILE is damaged: ..." naming
# the file; the copy is bounded by the child's 10 s budget (a fast machine
# may finish it in time: then the report reads, exit 0).
# The inputs are the fuzz target's regressions (tests/fuzz/regressions-report/).
source "$(dirname "$0")/lib.sh"
REG="$SRCDIR/tests/fuzz/regressions-report"
# report_damaged NAME ARG FILE_IN_MESSAGE
report_damaged() {
    set +e
    timeout -s KILL 60 "$SRIOV_SIM" report "$2" -o "$WORK/rep-$1" > /dev/null 2> "$WORK/err-$1"
    local rc=$?
    set -e
    check_eq "$1: exit 1 (not a crash or a hang)" "$rc" 1
    CHECKS=$((CHECKS + 1))
    if grep -qF "$3 is damaged: reading its variable-length strings" "$WORK/err-$1"; then
        pass "$1: the message names the file"
    else
        fail "$1: message: $(cat "$WORK/err-$1")"
    fi
}
report_damaged segv "$REG/results_vlen_heap_segv_1.h5" "$REG/results_vlen_heap_segv_1.h5"
start=$(date +%s)
set +e
timeout -s KILL 60 "$SRIOV_SIM" report "$REG/results_vlen_heap_huge_copy.h5" \
    -o "$WORK/rep-copy" > /dev/null 2> "$WORK/err-copy"
rc=$?
set -e
CHECKS=$((CHECKS + 1))
if [ $rc -le 1 ]; then pass "huge copy: exit $rc (not a crash)"
else fail "huge copy: exit $rc: $(cat "$WORK/err-copy")"; fi
CHECKS=$((CHECKS + 1))
took=$(( $(date +%s) - start ))
# 10 s of budget plus the figures (about 5 s) plus a loaded machine's slack.
if [ "$took" -le 40 ]; then pass "huge copy: done in ${took} s"
else fail "huge copy: took ${took} s"; fi
mkdir "$WORK/sweep"
cp "$REG/summary_vlen_heap_segv_2.h5" "$WORK/sweep/summary.h5"
report_damaged summary "$WORK/sweep" "$WORK/sweep/summary.h5"
finish
