/* hop_mix.h -- per sample interval, the packet-size moments each queueing
 * hop serves, for the hop's M/G/1 wait (metrics/latency.h, lat_hop.mix_m1).
 *
 * In a FIFO queue a packet's wait does not depend on its own size but on
 * the work ahead of it: an M/G/1 hop's wait is lambda E[S^2] / (2 (1 -
 * rho)) with S the service time of ANY packet through the hop (Pollaczek-
 * Khinchine), the same for a 64 B packet and a 1500 B one. The model took
 * each flow's own size moments: a 64 B flow beside a 1500 B flow was
 * charged a 64 B queue (35 ns mean where the FIFO reference measured ~500
 * ns, docs/latency-model.md case mix-64-1500) and the 1500 B flow a
 * 1500 B one. Now every flow at a hop gets the hop's mix: the packet-rate
 * weighted moments of every configured flow that moved bytes across it in
 * the interval (sizes as configured; spawned workload flows load the hop
 * but are not in its mix).
 *
 * Skipped (no mix: each flow keeps its own moments, bit for bit as
 * before) when every moving flow has the same size moments, as in the
 * bench pods. Ownership: the state hangs off sim_ctx.hop_mix, created on
 * first use, freed by hop_mix_free. Units: bytes.
 */
#ifndef SRIOV_HOP_MIX_H
#define SRIOV_HOP_MIX_H

#include "sim/simctx.h"

/* Rebuild the mixes for this interval. flow_tp: the configured flows'
 * throughput this interval (bit/s). 0, or -1 when out of memory. */
int hop_mix_interval(sim_ctx *c, const double *flow_tp);

/* The mix of dlink link this interval: *m1, *m2 (bytes, bytes^2) when
 * flows of different size moments crossed it, else both 0 (use the
 * flow's own). */
void hop_mix_moments(const sim_ctx *c, int link, double *m1, double *m2);

void hop_mix_free(struct hop_mix *h);

#endif
