/* timers.h -- callbacks at simulated times (a model's FLR end, a mailbox
 * timeout, a burst arrival, the coalesced re-plan): a binary min-heap on
 * (time, insertion order) in sim_ctx.timers, so equal times run first-in
 * first-out and runs are deterministic. The heap belongs to the context;
 * timers_free releases it. Units: seconds of simulated time.
 */
#ifndef SRIOV_TIMERS_H
#define SRIOV_TIMERS_H

#include "sim/simctx.h"

/* Runs fn(c, arg) at time_s. 0, or -1 when out of memory. */
int sim_schedule(sim_ctx *c, double time_s, timer_fn fn, void *arg);
/* The earliest timer's time; INFINITY when none. */
double timers_next(const sim_ctx *c);
/* Runs, in order, every timer due at or before now_s (also those the
 * callbacks schedule due by then), until one fails the run. */
void timers_run_due(sim_ctx *c, double now_s);
void timers_free(sim_ctx *c);

#endif
