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

#endif
