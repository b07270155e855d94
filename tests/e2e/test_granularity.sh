#!/usr/bin/env bash
# simulation.granularity: flow, burst and packet (ns-3) give the same
# long-run throughputs on small reference cases (docs/granularity.md).
#   flow vs packet: within 5 % (the issue's bound); measured <= 1 %.
#   flow vs burst:  within 1 % (bursts only move the same bytes in pieces);
#   burst latency: measured per burst, checked against transfer time.
#                   Poisson arrivals: the shared port's total within 2 %.
source "$(dirname "$0")/lib.sh"

# run_gran SCENARIO GRANULARITY OUT: the scenario with its granularity set.
run_gran() {
    sed "s/simulation: { /simulation: { granularity: $2, /" "$SCN/$1.yaml" > "$WORK/$1.$2.yaml"
    run_sim "$WORK/$1.$2.yaml" "$3"
}

# Elastic: four 4 MB transfers of 1500 B frames share a 10 Gb/s port, which
# carries 10 Gb/s x 1500/1520 of frames (preamble, SFD, gap); fluid
# completes all at 12.8 ms x 1520/1500. Long-run throughput = size /
# completion time.
for g in flow burst packet; do run_gran gran_elastic $g "$WORK/el.$g.h5"; done
for f in fa fb fc fd; do
    flow_ct=$(field "$WORK/el.flow.h5" flows completion_time_s $f)
    check_near "elastic $f fluid completion" "$flow_ct" "$(awk 'BEGIN { printf "%.17g", 0.0128 * 1520 / 1500 }')" 0.001
    check_near "elastic $f burst vs flow" "$(field "$WORK/el.burst.h5" flows completion_time_s $f)" \
        "$flow_ct" 0.01
    check_near "elastic $f packet vs flow" "$(field "$WORK/el.packet.h5" flows completion_time_s $f)" \
        "$flow_ct" 0.05
    check_near "elastic $f packet delivered" "$(field "$WORK/el.packet.h5" flows delivered_bytes $f)" \
        4e6 0
done

# Inelastic below capacity (7 of 10 Gb/s): delivered as offered everywhere.
for g in flow burst packet; do run_gran gran_paced $g "$WORK/pa.$g.h5"; done
for f in fa fb fc fd; do
    flow_d=$(field "$WORK/pa.flow.h5" flows delivered_bytes $f)
    check_near "paced $f burst vs flow" "$(field "$WORK/pa.burst.h5" flows delivered_bytes $f)" \
        "$flow_d" 0.01
    check_near "paced $f packet vs flow" "$(field "$WORK/pa.packet.h5" flows delivered_bytes $f)" \
        "$flow_d" 0.05
done
check_near "paced fa offered at packet level" "$(field "$WORK/pa.packet.h5" flows offered_bytes fa)" \
    5e6 0.001

# Inelastic overload (13 of 10 Gb/s): the port carries C = 10 Gb/s x
# 1500/1520 of frames; max-min gives (C - 1)/3 = 2.956 Gb/s to each 4 Gb/s
# flow (7.39 MB in 20 ms) and 1 Gb/s to the small one. Bursts queue in the
# ring, overflow is dropped; the long-run shares are the same. At packet
# level (which hung SimGrid's ns-3 loop before controller.c's
# reachable_deadline) ns-3's TCP shares the port within 5 %.
for g in flow burst packet; do run_gran gran_inelastic $g "$WORK/in.$g.h5"; done
run_gran gran_poisson burst "$WORK/po.burst.h5"
share=$(awk 'BEGIN { printf "%.17g", (10e9 * 1500 / 1520 - 1e9) / 3 / 8 * 0.02 }')
for f in fa fb fc; do
    check_near "overload $f fluid share" "$(field "$WORK/in.flow.h5" flows delivered_bytes $f)" "$share" 0.001
    check_near "overload $f burst vs flow" "$(field "$WORK/in.burst.h5" flows delivered_bytes $f)" "$share" 0.01
    check_near "overload $f burst dropped" "$(field "$WORK/in.burst.h5" flows dropped_bytes $f)" \
        "$(awk -v s="$share" 'BEGIN { printf "%.17g", 1e7 - s }')" 0.03
    check_near "overload $f packet vs flow" "$(field "$WORK/in.packet.h5" flows delivered_bytes $f)" \
        "$share" 0.05
done
check_near "overload fd packet (under its share)" "$(field "$WORK/in.packet.h5" flows delivered_bytes fd)" \
    2.5e6 0.05
# Poisson bursts: ~80 per flow in 20 ms, so a flow's own count varies by
# ~1/sqrt(80); the port they share still carries its frame capacity,
# 25 MB x 1500/1520.
po_total=$(for f in fa fb fc fd; do field "$WORK/po.burst.h5" flows delivered_bytes $f; done |
    awk '{ s += $1 } END { printf "%.17g", s }')
check_near "overload poisson burst: port carries its capacity" "$po_total" \
    "$(awk 'BEGIN { printf "%.17g", 2.5e7 * 1500 / 1520 }')" 0.02
check_near "overload fd burst (under its share)" "$(field "$WORK/in.burst.h5" flows delivered_bytes fd)" \
    2.5e6 0.01

# A VF Tx shaper (3 Gb/s on a, which offers 4): a -> b gets 3 Gb/s
# (7.5 MB in 20 ms) and c -> a, INTO the shaped VF, its 5 Gb/s (12.5 MB) at
# every granularity. Packet mode shapes at the source (before, the shaper
# sat in ns-3's two-way star link and throttled c -> a too), with a bucket
# two bursts deep (one burst deep passed every second burst here: 2 Gb/s).
for g in flow burst packet; do run_gran gran_shaped $g "$WORK/sh.$g.h5"; done
for g in flow burst packet; do
    check_near "shaped a->b $g" "$(field "$WORK/sh.$g.h5" flows delivered_bytes ab)" 7.5e6 0.05
    check_near "shaped c->a (receive side not shaped) $g" \
        "$(field "$WORK/sh.$g.h5" flows delivered_bytes ca)" 1.25e7 0.05
done

# Burst latency is measured: one 10 Gb/s flow alone on a 25 Gb/s path sends
# 64 x 1500 B bursts that never queue, so each takes 96000 B / 25 Gb/s =
# 30.72 us plus the route's propagation (two ports and two PCIe links,
# ~2.5 us): mean 33.2 us (+-8 %, bounded below by the transfer time).
run_gran one_flow burst "$WORK/one.burst.h5"
check_near "burst latency, lone flow" "$(field "$WORK/one.burst.h5" flows latency_mean_s f)" 3.32e-5 0.08
# Queueing shows: the overloaded flows wait in the ring, the small one not.
awk -v q="$(field "$WORK/in.burst.h5" flows latency_mean_s fa)" \
    -v s="$(field "$WORK/in.burst.h5" flows latency_mean_s fd)" 'BEGIN { exit !(q > 5 * s) }' &&
    pass "ring queueing delay of overloaded flows" || fail "no queueing delay in burst mode"
CHECKS=$((CHECKS + 1))

# Same seed, same bursts: Poisson arrivals are reproducible.
run_gran gran_poisson burst "$WORK/po2.burst.h5"
check_eq "poisson burst deterministic" "$(field "$WORK/po2.burst.h5" flows delivered_bytes fa)" \
    "$(field "$WORK/po.burst.h5" flows delivered_bytes fa)"
finish
