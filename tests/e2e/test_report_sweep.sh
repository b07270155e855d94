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
check_eq "sweep data header" "$(grep -v '^#' "$WORK/srep/sweep_throughput.dat" | sed -n 1p)" \
    "traffic[0].rate hosts[0].adapters[0].num_vfs=1 hosts[0].adapters[0].num_vfs=2 hosts[0].adapters[0].num_vfs=4"
check_near "throughput at 10 Gbit/s" \
    "$(grep -v '^#' "$WORK/srep/sweep_throughput.dat" | awk '$1 == 10 { print $2 }')" 10 0.01
# issue 19 item 8: the x parameter and the series can be chosen.
"$SRIOV_SIM" report "$WORK/sw" -o "$WORK/srep2" --x 'hosts[0].adapters[0].num_vfs' > /dev/null
check_eq "--x: header" "$(grep -v '^#' "$WORK/srep2/sweep_throughput.dat" | sed -n 1p)" \
    "hosts[0].adapters[0].num_vfs traffic[0].rate=5Gbps traffic[0].rate=10Gbps"
check_eq "--x: x values" "$(grep -v '^#' "$WORK/srep2/sweep_throughput.dat" | tail -n +2 | cut -d' ' -f1 | tr '\n' ' ')" "1 2 4 "
"$SRIOV_SIM" report "$WORK/sw" -o "$WORK/srep3" --series 'traffic[0].rate' --x 'hosts[0].adapters[0].num_vfs' > /dev/null
check_eq "--series: header" "$(grep -v '^#' "$WORK/srep3/sweep_throughput.dat" | sed -n 1p)" \
    "hosts[0].adapters[0].num_vfs traffic[0].rate=5Gbps traffic[0].rate=10Gbps"
set +e
"$SRIOV_SIM" report "$WORK/sw" -o "$WORK/srep4" --x 'traffic[0].rat' > /dev/null 2> "$WORK/x.err"
rc=$?
set -e
check_eq "--x unknown parameter: exit 2" "$rc" 2
CHECKS=$((CHECKS + 1))
if grep -q "no such parameter (it has: traffic\[0\].rate, hosts\[0\].adapters\[0\].num_vfs)" "$WORK/x.err"; then
    pass "--x unknown: the parameters are listed"; else fail "--x unknown: $(cat "$WORK/x.err")"; fi
# A rate cap of 0 is "uncapped", a category, not x = 0; sizes are scaled.
cat > "$WORK/caps.yaml" <<YAML
base: $SCN/one_flow.yaml
grid:
  vms[0].nics[0].qos.max_rate: [5Gbps, 0bps, 2Gbps]
YAML
"$SRIOV_SIM" sweep "$WORK/caps.yaml" -o "$WORK/caps" -j 2 > /dev/null
"$SRIOV_SIM" report "$WORK/caps" -o "$WORK/capsrep" > /dev/null
check_eq "uncapped is a labelled category, numeric order" \
    "$(grep -v '^#' "$WORK/capsrep/sweep_throughput.dat" | tail -n +2 | cut -d' ' -f1 | tr '\n' ' ')" "uncapped 2 5 "
check_has "x axis in Gbit/s" "$WORK/capsrep/sweep_throughput.svg" "vms[0].nics[0].qos.max_rate (Gbit/s)"
check_eq "gnuplot said nothing" "$(grep -cv '^$' "$WORK/capsrep/gnuplot.log" || true)" 0
# A sweep report without a sweep: exit 1 with a message.
mkdir -p "$WORK/empty"
set +e
"$SRIOV_SIM" report "$WORK/empty" -o "$WORK/erep" > /dev/null 2> "$WORK/err.txt"
rc=$?
set -e
check_eq "report on a directory without summary.h5" "$rc" 1
finish
