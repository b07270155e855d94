/* timeline.h -- every static action of a run (flow starts and stops,
 * scenario events, samples, the end), in time order, built up front into
 * sim_ctx.actions (freed by run.c). Units: seconds.
 */
#ifndef SRIOV_TIMELINE_H
#define SRIOV_TIMELINE_H

#include "sim/simctx.h"

/* 0, or -1 when out of memory. Also sets each inelastic flow's stop_s. */
int timeline_build(sim_ctx *c);

#endif
