#!/usr/bin/env bash
# report A.h5 B.h5 (issue 19 item 11): one series per run in every figure
# and a table of differences against the first run; gnuplot runs without a
# warning; run labels that look like code stay data; bad arguments exit 2.
source "$(dirname "$0")/lib.sh"
S=$SCN/one_flow.yaml
run_sim "$S" "$WORK/base.h5"
sed 's/rate: 10Gbps/rate: 5Gbps/' "$S" > "$WORK/half.yaml"
grep -q 'rate: 5Gbps' "$WORK/half.yaml" || { echo "one_flow.yaml changed: fix this test" >&2; exit 1; }
# A file name a shell or gnuplot would run if it were code.
evil="$WORK/x'\$(touch $WORK/pwned)\"; system(\"touch $WORK/pwned2\").h5"
run_sim "$WORK/half.yaml" "$evil"
"$SRIOV_SIM" report "$WORK/base.h5" "$evil" -o "$WORK/cmp" > "$WORK/out.txt"
for f in compare_rate compare_p99 compare_links compare_throughput; do
    check_eq "$f drawn" "$([ -s "$WORK/cmp/$f.png" ] && [ -s "$WORK/cmp/$f.svg" ] && echo yes)" yes
done
check_eq "gnuplot said nothing" "$(grep -cv '^$' "$WORK/cmp/gnuplot.log" || true)" 0
check_eq "no code ran" "$(ls "$WORK"/pwned* 2> /dev/null | wc -l)" 0
# The table: the flow at 10 and at 5 Gbit/s, -50 % against the first run.
CHECKS=$((CHECKS + 1))
if grep -q '^| f | delivered Gbit/s | 10.000 | 5.000 (-50.0 %) |$' "$WORK/cmp/index.md"; then
    pass "difference table"; else fail "table: $(grep 'delivered' "$WORK/cmp/index.md")"; fi
# One column per run in the bar data, one block per (flow, run) in the series.
check_eq "bar data columns" "$(grep -v '^#' "$WORK/cmp/compare_rate.dat" | sed -n 1p | wc -w)" 3
check_eq "series blocks" "$(grep -c '^time_s ' "$WORK/cmp/compare_throughput.dat")" 2
check_near "series values: second run at 5 Gbit/s" \
    "$(awk '/^time_s /{b++} b==2 && $1+0 > 1 && $1+0 < 1.5 {print $2; exit}' "$WORK/cmp/compare_throughput.dat")" 5e9 1e-9
# Default folder: next to the first file.
"$SRIOV_SIM" report "$WORK/base.h5" "$WORK/base.h5" > /dev/null
check_eq "default folder" "$([ -f "$WORK/base-compare/index.md" ] && echo yes)" yes
CHECKS=$((CHECKS + 1))
if grep -q 'base#1' "$WORK/base-compare/index.md" && grep -q 'base#2' "$WORK/base-compare/index.md"; then
    pass "equal names get distinct labels"; else fail "labels: $(sed -n 1,8p "$WORK/base-compare/index.md")"; fi
# Bad arguments: exit 2 before drawing.
expect_exit() { # NAME CODE ARGS...
    local name=$1 code=$2 rc; shift 2
    set +e; "$SRIOV_SIM" report "$@" > /dev/null 2> "$WORK/err.txt"; rc=$?; set -e
    check_eq "$name" "$rc" "$code"
}
expect_exit "nine files" 2 $(for i in 1 2 3 4 5 6 7 8 9; do echo "$WORK/base.h5"; done)
expect_exit "a directory among the files" 2 "$WORK/base.h5" "$WORK" -o "$WORK/c2"
expect_exit "a missing file" 2 "$WORK/base.h5" "$WORK/nope.h5" -o "$WORK/c3"
: > "$WORK/empty.h5"
expect_exit "not HDF5" 1 "$WORK/base.h5" "$WORK/empty.h5" -o "$WORK/c4"
finish
