#!/usr/bin/env bash
# test_latency_fifo_closed.sh -- the per-packet FIFO reference
# (port_queues: fifo, sim/portfifo.h) against closed forms, on the route
# VF -> PCIe -> 25G port -> ToR -> 25G port -> PCIe -> VF:
#  - Poisson 1500 B frames at loads 0.3/0.5/0.8: the mean wait (mean minus
#    the zero-wait mean of a constant-rate flow at the same rate) is the
#    M/D/1 Pollaczek-Khinchine wait at the sender's port (plus the PCIe
#    link's, ~0.3 %), within 5 % (the run's statistics);
#  (IMIX is checked against the flow model in test_latency_fifo_onehop.sh;
#  its zero-wait mean is not a constant-rate run's: varied sizes queue.)
#  - a constant-rate flow alone never waits: p99 = p50 (one 2 % bin);
#  - the receiver's port after an equal sender's port never queues: the
#    total wait is the sender port's alone (the M/D/1 checks above
#    include it: a second queue would double it).
source "$(dirname "$0")/lib.sh"
SIM=$SRIOV_SIM H5=$H5READ
source "$SRCDIR/scripts/latency-cases.sh"

run_case() { # NAME RATE ARRIVALS SIZES
    lc_yaml poisson-0.5 fifo | sed -e "s/rate: 12.5Gbps, kind: inelastic, arrivals: poisson, packet_size: 1500B/rate: $2, kind: inelastic, arrivals: $3, $4/" \
        -e "s/duration: 50ms/duration: 100ms/" > "$WORK/$1.yaml"
    run_sim "$WORK/$1.yaml" "$WORK/$1.h5"
}
# PCIe link as built (frame bytes/s x 8) and the port's frame capacity.
PCIE=2.02373e11 PORT=$(awk 'BEGIN { print 25e9 * 1500 / 1520 }')

for r in 7.5 12.5 20; do
    run_case p$r ${r}Gbps poisson "packet_size: 1500B"
    run_case c$r ${r}Gbps constant "packet_size: 1500B"
    w=$(awk -v m="$(field "$WORK/p$r.h5" flows latency_mean_s f)" -v c="$(field "$WORK/c$r.h5" flows latency_mean_s f)" 'BEGIN { printf "%.6g", m - c }')
    pk=$(awk -v r=$r -v C=$PORT -v P=$PCIE 'BEGIN { S = 12000 / C; rho = r * 1e9 / C; Sp = 12000 / P; rp = r * 1e9 / P;
        printf "%.6g", rho * S / (2 * (1 - rho)) + rp * Sp / (2 * (1 - rp)) }')
    check_near "Poisson 1500B at ${r}G: mean wait = M/D/1 P-K" "$w" "$pk" 0.05
    c50=$(field "$WORK/c$r.h5" flows latency_p50_s f)
    c99=$(field "$WORK/c$r.h5" flows latency_p99_s f)
    check_near "constant ${r}G alone: p99 = p50 (no wait)" "$c99" "$c50" 0.025
done
echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" -eq 0 ]
