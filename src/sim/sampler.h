/* sampler.h -- per-interval accounting at each sample action: flow and VF
 * throughput, link utilisation against capacity x time, the latency
 * accumulators, then the models' sample hooks. Writes into sim_ctx.res
 * (allocated by run.c). Units: bits per second in the series, bytes and
 * seconds inside.
 */
#ifndef SRIOV_SAMPLER_H
#define SRIOV_SAMPLER_H

#include "sim/simctx.h"

/* One sample at the current time. 0, or -1 with c->error. */
int sampler_take(sim_ctx *c);

/* A flow's queueing hops in order (page walkers and adapter totals left
 * out), whether each is a switch fabric (transparent to latency_feed.h)
 * and its capacity now (bytes/s). Returns how many, <= LAT_MAX_HOPS; the
 * arrays hold LAT_MAX_HOPS. The latency model and the per-port FIFO
 * reference (portfifo.h) queue at the same hops. */
size_t sampler_queue_hops(const sim_ctx *c, const flow_rt *fl, int *links,
                          unsigned char *transparent, double *cap_Bps);
/* The buffer behind dlink l (bytes; 0 = the latency model's default). */
double sampler_hop_buffer_bytes(const sim_ctx *c, int l);

#endif
