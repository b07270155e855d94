/* burst.h -- the burst flow driver (driver.h): burst granularity
 * (simulation.granularity: burst), also the pacing of inelastic flows at
 * packet granularity (ns-3).
 *
 * A flow moves as bursts of N = simulation.burst_packets packets of its
 * mean packet size: one SimGrid transfer per burst, so the solver cost
 * grows with the number of bursts, not packets.
 *   - elastic: the next burst starts when the previous one finishes (the
 *     last one is what is left of size_bytes); capped at the flow's rate.
 *     At packet granularity an elastic flow is ONE transfer (one TCP
 *     connection in ns-3), since per-burst connections would add a slow
 *     start to every burst.
 *   - inelastic: bursts ARRIVE at the offered rate, constant spacing
 *     N*size/rate, or exponential spacing of that mean for
 *     arrivals: poisson (per-flow xorshift64* stream seeded by splitmix64
 *     from simulation.seed and the flow index). A burst sent uncapped (the
 *     NIC drains a ring at line rate); one arriving while the previous is in
 *     flight waits in a FIFO of BURST_RING_PACKETS / N bursts (at least 1),
 *     a NIC descriptor ring; beyond it the burst is dropped and counted.
 *     What was offered and not delivered by the stop is dropped, as in flow
 *     mode (offered_bytes = rate x time offering).
 * At packet granularity the VF's Tx shaper (QoS max rate) acts here, at
 * the source, because an ns-3 link has one rate for both directions and a
 * shaper only limits what the VF sends: each flow of a shaped VF earns
 * tokens at its max-min share of the shaper's configured max rate (shared
 * among the VF's sending flows by their offered rates, util/maxmin.h, as
 * the QoS model shares a port) and a burst arriving
 * without a burst's worth of tokens is dropped. The bucket holds two
 * bursts, and starts with one. Cost: one pass over the flows per burst (packet runs are small).
 * Each burst's latency (arrival to last byte, plus the route's propagation
 * delay) is measured and kept in a log-spaced histogram; collect.c reports
 * it as the flow's latency columns at burst granularity.
 *
 * Ownership: the state hangs off flow_rt.burst, allocated at the flow's
 * start, freed by the driver's fini (run.c's free_ctx). Units: bytes,
 * seconds.
 */
#ifndef SRIOV_BURST_H
#define SRIOV_BURST_H

#include <stddef.h>
#include <stdint.h>

#include "sim/simctx.h"
#include "util/lhist.h"

/* Descriptors in the modelled Tx ring: 4096 is the largest ring of the
 * common 10-100G NICs' defaults (ethtool -g; E810/ConnectX max 8k). */
#define BURST_RING_PACKETS 4096
/* Per-burst latency histogram: util/lhist.h's layout (log bins 2 % wide,
 * 1 ns .. 10 s), each burst counted as its packets; percentiles
 * interpolate inside a bin, so they are within 1 %: fine enough for the
 * per-packet reference (burst_packets: 1) the flow model is checked
 * against (docs/latency-model.md). 8 per decade (33 %) was too coarse. */
typedef struct burst_rt {
    double burst_bytes;             /* N x mean packet size */
    double spacing_s;               /* inelastic: mean spacing between bursts */
    double offered_Bps;             /* inelastic: offered rate */
    double next_arrival_s;          /* inelastic: the next burst's arrival */
    double arrived_bytes;           /* inelastic: offered so far, in bursts */
    double *queue_s;                /* ring of queued bursts' arrival times */
    double *queue_bytes;            /* and their sizes */
    size_t queue_cap, queue_head, queue_len;
    double cur_arrival_s;           /* the burst in flight (or interrupted) */
    double cur_left_bytes;          /* its bytes not yet delivered */
    uint64_t rng;
    uint64_t bursts_sent;           /* completed */
    uint64_t bursts_dropped;        /* ring full, or lost to a pause/stop */
    lhist hist;                     /* per-burst latency, packets (heap) */
    int hist_failed;                /* out of memory recording one */
    double shaper_credit_bytes;     /* packet mode: the VF shaper's tokens */
    double shaper_last_s;           /* when they were last topped up */
    double on_left_s;               /* onoff: sending time left in this on
                                       period (sim time while on) */
} burst_rt;

typedef struct flow_driver flow_driver;

/* The driver (flows_init picks it at burst and packet granularity). */
extern const flow_driver burst_driver;

/* The flow's bursts' latencies (the flow's stored histogram); NULL when
 * none completed. */
const lhist *burst_latency_hist(const burst_rt *b);

#endif
