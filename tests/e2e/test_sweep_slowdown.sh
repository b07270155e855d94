#!/usr/bin/env bash
# Sweeps of workloads (issue 18): each point's worst p99 FCT slowdown is in
# index.tsv and summary.h5 (p99_slowdown), the report draws it
# (sweep_slowdown), and leaves out the /flows figures a workload-only
# sweep has no number for (gnuplot failed on them before).
source "$(dirname "$0")/lib.sh"

col() { # col INDEX NAME: the values of column NAME, one per point
    awk -F'\t' -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
                          { print c ? $c : "(no column)" }' "$1"
}

"$SRIOV_SIM" sweep "$SCN/sweep_slowdown.yaml" -j 2 -o "$WORK/sw" > "$WORK/sw.out"
check_eq "points" "$(col "$WORK/sw/index.tsv" status | tr '\n' ' ')" "ok ok "
# each point's number is the /workloads row of its own results
for i in 0 1; do
    check_near "point $i: p99_slowdown is /workloads.p99_slowdown" \
        "$(col "$WORK/sw/index.tsv" p99_slowdown | sed -n "$((i + 1))p")" \
        "$(field "$WORK/sw/points/000$i/results.h5" workloads p99_slowdown)" 1e-5
done
one=$(col "$WORK/sw/index.tsv" p99_slowdown | sed -n 1p)
three=$(col "$WORK/sw/index.tsv" p99_slowdown | sed -n 2p)
CHECKS=$((CHECKS + 1))
if awk -v a="$one" -v b="$three" 'BEGIN { exit !(a >= 1 && a < 1.5 && b > 2.5) }'; then
    pass "fan-in 1: ~1 ($one), fan-in 3: > 2.5 ($three)"
else fail "slowdowns: fan-in 1 $one, fan-in 3 $three"; fi
check_eq "summary.h5 has the field" \
    "$(h5dump -H -d points "$WORK/sw/summary.h5" | grep -c '"p99_slowdown"')" 1

"$SRIOV_SIM" report "$WORK/sw" --x '$fan' -o "$WORK/rep" > "$WORK/rep.out"
check_figures "$WORK/rep" sweep_slowdown
check_eq "no empty latency figure" "$(ls "$WORK/rep" | grep -c '^sweep_p99' || true)" 0
finish
