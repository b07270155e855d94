#!/usr/bin/env bash
# fct-fidelity.sh [SCENARIO [SIM]] -- flow completion times of a workload
# at flow granularity (fluid max-min + the start-up term) against packet
# granularity (ns-3 TCP), flow by flow, by flow-size bucket.
#
# 1. runs SCENARIO (default scenarios/fct-fidelity.yaml: one workload,
#    VMs named v0.. with one NIC eth0 each) at flow granularity;
# 2. writes every generated flow (size, start, endpoints from
#    /workload_flows) as an explicit elastic flow, and runs that at packet
#    granularity;
# 3. prints, per size bucket: flows, the median and mean of
#    flow FCT / ns-3 FCT - 1, and the mean absolute error.
# Only flows that completed in both runs are compared. ns-3 moves every
# packet: keep the scenario small (docs/granularity.md).
set -euo pipefail
scn=${1:-scenarios/fct-fidelity.yaml}
sim=${2:-build/sriov-sim}
h5read=${H5READ:-$(dirname "$sim")/tests/h5read}
work=$(mktemp -d "${TMPDIR:-/tmp}/fct-fidelity.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$sim" run "$scn" -o "$work/flow.h5" --quiet
col() { "$h5read" "$work/flow.h5" workload_flows "$1"; }
# size_bytes is the payload drawn (the bucket); delivered_bytes of a
# completed flow the frame bytes it moved (payload + 58 B a segment,
# src/workload/wl_fct.h): the explicit flow moves those, as ns-3 payload
# (the star compensates ns-3's own headers, docs/granularity.md)
paste <(col flow) <(col src_vm) <(col dst_vm) <(col size_bytes) <(col start_s) \
      <(col fct_s) <(col completed) <(col delivered_bytes) | sort -n -k1,1 > "$work/flows.tsv"

# the same flows, explicit: the scenario without its workloads section,
# at packet granularity, plus one traffic item per flow
awk '/^workloads:/ { skip = 1 } skip && /^[a-z]/ && !/^workloads:/ { skip = 0 } !skip' "$scn" |
    sed -E 's/^simulation: *\{ */simulation: { granularity: packet, /' > "$work/packet.yaml"
# a flow cut by the end still loads the network: its frame bytes from its
# size and the scenario's mss (one workload: the first mss written, else 1460)
mss=$(sed -n 's/.*mss: *\([0-9][0-9]*\)B.*/\1/p' "$scn" | sed -n 1p)
awk -v mss="${mss:-1460}" 'BEGIN { print "traffic:" }
     { z = $7 == 1 ? $8 : $4 + 58 * (int($4 / mss) + ($4 % mss > 0))
       printf "  - { name: f%d, from: v%d.eth0, to: v%d.eth0, kind: elastic, size: %.0fB, start: %.12gs }\n",
              $1, $2, $3, z, $5 }' "$work/flows.tsv" >> "$work/packet.yaml"
t0=$(date +%s.%N)
"$sim" run "$work/packet.yaml" -o "$work/packet.h5" --quiet
t1=$(date +%s.%N)
"$h5read" "$work/packet.h5" flows completion_time_s > "$work/ns3.txt"

# FCT_FLOWS=FILE keeps the per-flow comparison (columns: flow src dst
# size start fluid_fct completed wire_bytes ns3_fct)
if [ -n "${FCT_FLOWS:-}" ]; then paste "$work/flows.tsv" "$work/ns3.txt" > "$FCT_FLOWS"; fi
paste "$work/flows.tsv" "$work/ns3.txt" | awk -v wall="$(echo "$t1 - $t0" | bc)" '
function bucket(s) {
    if (s < 1e4) return "< 10 kB"
    if (s < 1e5) return "10-100 kB"
    if (s < 1e6) return "100 kB-1 MB"
    if (s < 1e7) return "1-10 MB"
    return ">= 10 MB"
}
$7 == 1 && $9 == $9 + 0 && $9 > 0 {
    b = bucket($4); e = $6 / $9 - 1; n[b]++; sum[b] += e; abs[b] += (e < 0 ? -e : e)
    v[b, n[b]] = e; total++
}
END {
    printf "packet run: %.1f wall s, %d flows compared\n", wall, total
    printf "%-12s %6s %12s %12s %14s\n", "size", "flows", "median err", "mean err", "mean |err|"
    split("< 10 kB,10-100 kB,100 kB-1 MB,1-10 MB,>= 10 MB", order, ",")
    for (k = 1; k <= 5; k++) {
        b = order[k]; if (!n[b]) continue
        m = n[b]; for (i = 1; i <= m; i++) a[i] = v[b, i]
        for (i = 2; i <= m; i++) { x = a[i]; j = i - 1; while (j > 0 && a[j] > x) { a[j + 1] = a[j]; j-- } a[j + 1] = x }
        med = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
        printf "%-12s %6d %11.1f%% %11.1f%% %13.1f%%\n", b, m, 100 * med, 100 * sum[b] / m, 100 * abs[b] / m
    }
}'
