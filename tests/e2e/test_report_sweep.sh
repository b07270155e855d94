#!/usr/bin/env bash
# Report issue: every figure of a results file and of a sweep directory is
# written, non-empty, and a valid PNG / SVG.
source "$(dirname "$0")/lib.sh"

run_sim "$SRCDIR/scenarios/quickstart.yaml" "$WORK/q.h5"
"$SRIOV_SIM" report "$WORK/q.h5" -o "$WORK/rep" > /dev/null
check_figures "$WORK/rep" flow_throughput vf_throughput link_utilisation flow_delivery \
    latency_percentiles latency_cdf
check_eq "percentile rows (3 flows)" "$(grep -vc '^#' "$WORK/rep/latency_percentiles.dat")" 3
check_eq "CDF blocks (3 flows)" "$(grep -c '^latency_s ' "$WORK/rep/latency_cdf.dat")" 3

"$SRIOV_SIM" sweep "$SCN/sweep_grid.yaml" -j 2 -o "$WORK/sw" > /dev/null
"$SRIOV_SIM" report "$WORK/sw" -o "$WORK/srep" > /dev/null
check_figures "$WORK/srep" sweep_p99 sweep_throughput sweep_min_flow sweep_drops
# x = rate in Gbit/s, one column per num_vfs value.
check_eq "sweep data header" "$(grep -v '^#' "$WORK/srep/sweep_throughput.dat" | head -1)" \
    "traffic[0].rate hosts[0].adapters[0].num_vfs=1 hosts[0].adapters[0].num_vfs=2 hosts[0].adapters[0].num_vfs=4"
check_near "throughput at 10 Gbit/s" \
    "$(grep -v '^#' "$WORK/srep/sweep_throughput.dat" | awk '$1 == 10 { print $2 }')" 10 0.01
# A sweep report without a sweep: exit 1 with a message.
mkdir -p "$WORK/empty"
set +e
"$SRIOV_SIM" report "$WORK/empty" -o "$WORK/erep" > /dev/null 2> "$WORK/err.txt"
rc=$?
set -e
check_eq "report on a directory without summary.h5" "$rc" 1
finish
