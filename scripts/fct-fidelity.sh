#!/usr/bin/env bash
# fct-fidelity.sh [SCENARIO [SIM]] -- flow completion times of a workload
# at flow granularity (fluid max-min + the start-up and queue terms)
# against packet granularity (ns-3 TCP), flow by flow, by flow-size bucket.
#
# For each seed (FCT_SEEDS="5 6 7", default: the scenario's own seed):
# 1. runs SCENARIO (default scenarios/fct-fidelity.yaml: one workload,
#    VMs named v0.. with one NIC eth0 each) at flow granularity with
#    simulation.seed set to it;
# 2. writes every generated flow (size, start, endpoints from
#    /workload_flows) as an explicit elastic flow, and runs that at packet
#    granularity.
# 3. prints, per size bucket over the flows of all seeds: flows, the median
#    of flow FCT / ns-3 FCT - 1 (with its 95 % order-statistic interval),
#    its p10 / p90, the mean absolute error, and the bucket's p99 FCT,
#    fluid against ns-3 (nearest rank), with a 95 % bootstrap interval
#    (flows resampled in pairs, 2000 resamples, awk's srand(1): the
#    interval's last digit can differ between awk implementations).
# Only flows that completed in both runs are compared. ns-3 moves every
# packet: keep the scenario small (docs/granularity.md).
#
# FCT_FLOWS=FILE keeps the per-flow comparison (columns: flow src dst size
# start fluid_fct completed wire_bytes ns3_fct seed).
# FCT_NS3_CACHE=DIR keeps ns-3's completion times by the packet scenario's
# digest: the packet run does not depend on the fluid model (only on the
# seed's flows), so a changed fluid model is compared without re-running
# ns-3. Keyed by the packet scenario alone: clear DIR when the packet path
# (src/platform, sim/burst.c, ns-3) changes.
set -euo pipefail
scn=${1:-scenarios/fct-fidelity.yaml}
sim=${2:-build/sriov-sim}
h5read=${H5READ:-$(dirname "$sim")/tests/h5read}
work=$(mktemp -d "${TMPDIR:-/tmp}/fct-fidelity.XXXXXX")
trap 'rm -rf "$work"' EXIT

seeds=${FCT_SEEDS:-${FCT_SEED:-}}
for s in $seeds; do
    case $s in *[!0-9]*) echo "fct-fidelity: seeds are numbers, not '$s'" >&2; exit 2 ;; esac
done
[ -n "$seeds" ] || seeds=own
mss=$(sed -n 's/.*mss: *\([0-9][0-9]*\)B.*/\1/p' "$scn" | sed -n 1p)

# one seed: the fluid run, the same flows explicit at packet granularity;
# appends "flow src dst size start fluid_fct completed wire ns3_fct seed"
# rows to $work/all.tsv and one line to $work/runs.txt
run_seed() {
    local seed=$1 s_scn=$scn
    if [ "$seed" != own ]; then
        sed -E "s/^(simulation: *\{.*)seed: *[0-9]+/\1seed: $seed/" "$scn" > "$work/scn.yaml"
        if ! grep -q "seed: $seed" "$work/scn.yaml"; then
            echo "fct-fidelity: no 'simulation: { ... seed: N }' line in $scn" >&2; exit 2
        fi
        s_scn=$work/scn.yaml
    fi
    "$sim" run "$s_scn" -o "$work/flow.h5" --quiet
    col() { "$h5read" "$work/flow.h5" workload_flows "$1"; }
    # size_bytes is the payload drawn (the bucket); delivered_bytes of a
    # completed flow the frame bytes it moved (payload + 58 B a segment,
    # src/workload/wl_fct.h): the explicit flow moves those, as ns-3 payload
    # (the star compensates ns-3's own headers, docs/granularity.md)
    paste <(col flow) <(col src_vm) <(col dst_vm) <(col size_bytes) <(col start_s) \
          <(col fct_s) <(col completed) <(col delivered_bytes) | sort -n -k1,1 > "$work/flows.tsv"

    # the same flows, explicit: the scenario without its workloads section,
    # at packet granularity, plus one traffic item per flow
    awk '/^workloads:/ { skip = 1 } skip && /^[a-z]/ && !/^workloads:/ { skip = 0 } !skip' "$s_scn" |
        sed -E 's/^simulation: *\{ */simulation: { granularity: packet, /' > "$work/packet.yaml"
    # a flow cut by the end still loads the network: its frame bytes from its
    # size and the scenario's mss (one workload: the first mss written, else 1460)
    awk -v mss="${mss:-1460}" 'BEGIN { print "traffic:" }
         { z = $7 == 1 ? $8 : $4 + 58 * (int($4 / mss) + ($4 % mss > 0))
           printf "  - { name: f%d, from: v%d.eth0, to: v%d.eth0, kind: elastic, size: %.0fB, start: %.12gs }\n",
                  $1, $2, $3, z, $5 }' "$work/flows.tsv" >> "$work/packet.yaml"
    local key cache t0 t1 how=run
    key=$(sha256sum "$work/packet.yaml" | cut -c1-16)
    cache=${FCT_NS3_CACHE:+$FCT_NS3_CACHE/ns3-$key.txt}
    t0=$(date +%s.%N)
    if [ -n "$cache" ] && [ -s "$cache" ]; then
        cp "$cache" "$work/ns3.txt"
        how=cached
    else
        "$sim" run "$work/packet.yaml" -o "$work/packet.h5" --quiet
        "$h5read" "$work/packet.h5" flows completion_time_s > "$work/ns3.txt"
        if [ -n "$cache" ]; then mkdir -p "$FCT_NS3_CACHE"; cp "$work/ns3.txt" "$cache"; fi
    fi
    t1=$(date +%s.%N)
    paste "$work/flows.tsv" "$work/ns3.txt" | awk -v s="$seed" '{ print $0 "\t" s }' >> "$work/all.tsv"
    printf 'seed %s: packet run %.1f wall s (%s), %d flows\n' "$seed" "$(echo "$t1 - $t0" | bc)" \
        "$how" "$(wc -l < "$work/flows.tsv")" >> "$work/runs.txt"
}

: > "$work/all.tsv"
: > "$work/runs.txt"
for s in $seeds; do run_seed "$s"; done
if [ -n "${FCT_FLOWS:-}" ]; then cp "$work/all.tsv" "$FCT_FLOWS"; fi
cat "$work/runs.txt"

awk '
function bucket(s) {
    if (s < 1e4) return 1
    if (s < 1e5) return 2
    if (s < 1e6) return 3
    if (s < 1e7) return 4
    return 5
}
function sort_n(a, m,    i, j, x) { # insertion sort of a[1..m]
    for (i = 2; i <= m; i++) { x = a[i]; j = i - 1; while (j > 0 && a[j] > x) { a[j + 1] = a[j]; j-- } a[j + 1] = x }
}
function rank(q, m,    r) { r = int(q * m); if (r < q * m) r++; return r < 1 ? 1 : r } # nearest rank
# the k-th largest of x[idx[1..m]]: kept in top[1..k], descending
function kth_largest(x, idx, m, k,    i, j, v, n) {
    n = 0
    for (i = 1; i <= m; i++) {
        v = x[idx[i]]
        if (n < k) { n++; j = n } else if (v > top[k]) { j = k } else continue
        while (j > 1 && top[j - 1] < v) { top[j] = top[j - 1]; j-- }
        top[j] = v
    }
    return top[k]
}
$7 == 1 && $9 == $9 + 0 && $9 > 0 {
    b = bucket($4); m = ++n[b]; total++
    e = $6 / $9 - 1; err[b, m] = e; abs[b] += (e < 0 ? -e : e)
    fl[b, m] = $6; ns[b, m] = $9
}
END {
    srand(1)
    printf "%d flows compared (completed in both runs)\n", total
    printf "%-12s %6s %22s %18s %11s %26s\n", "size", "flows", "median err (95% CI)",
           "p10 / p90 err", "mean |err|", "p99 FCT err (95% CI)"
    split("< 10 kB,10-100 kB,100 kB-1 MB,1-10 MB,>= 10 MB", name, ",")
    for (b = 1; b <= 5; b++) {
        m = n[b]; if (!m) continue
        for (i = 1; i <= m; i++) a[i] = err[b, i]
        sort_n(a, m)
        med = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
        # distribution-free interval of the median: ranks m/2 -+ 1.96 sqrt(m)/2
        lo = int(m / 2 - 0.98 * sqrt(m)); hi = m + 1 - lo
        if (lo < 1) lo = 1; if (hi > m) hi = m
        p10 = a[rank(0.1, m)]; p90 = a[rank(0.9, m)]
        # p99 FCT, fluid against ns-3: the k-th largest of each (nearest rank)
        k = m - rank(0.99, m) + 1
        for (i = 1; i <= m; i++) { idx[i] = i; xf[i] = fl[b, i]; xn[i] = ns[b, i] }
        p99 = kth_largest(xf, idx, m, k) / kth_largest(xn, idx, m, k) - 1
        for (r = 1; r <= 2000; r++) {
            for (i = 1; i <= m; i++) { j = int(rand() * m) + 1; idx[i] = j > m ? m : j }
            bs[r] = kth_largest(xf, idx, m, k) / kth_largest(xn, idx, m, k) - 1
        }
        sort_n(bs, 2000)
        printf "%-12s %6d %7.1f%% (%5.1f, %5.1f) %7.1f / %6.1f%% %10.1f%% %8.1f%% (%5.1f, %5.1f)\n",
               name[b], m, 100 * med, 100 * a[lo], 100 * a[hi], 100 * p10, 100 * p90,
               100 * abs[b] / m, 100 * p99, 100 * bs[50], 100 * bs[1951]
    }
}' "$work/all.tsv"
