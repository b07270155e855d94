/* timeline.h -- every static action of a run (flow starts and stops,
 * scenario events, samples, the end), in time order, built up front into
 * sim_ctx.actions (freed by run.c). Units: seconds.
 */
#ifndef SRIOV_TIMELINE_H
#define SRIOV_TIMELINE_H

#include "sim/simctx.h"

/* 0, or -1 when out of memory. Also sets each inelastic flow's stop_s. */
int timeline_build(sim_ctx *c);
/* t_s moved onto the next simulation.rate_epoch boundary (not past the
 * run's end); t_s itself when there is no epoch. */
double timeline_quantise(const sim_ctx *c, double t_s);

#endif
