/* flow_xfer.h -- the flow <-> transfer plumbing of flows.c, shared with the
 * finer granularities (burst.c, which also serves packet mode).
 *
 * A flow has at most one running SimGrid transfer (fl->xfer), listed in
 * sim_ctx.active while it runs so the controller can wait on it. These two
 * calls attach and detach it without asking the models to re-plan: a burst
 * ending and the next starting is not a change the models care about.
 * Units: bytes, bytes per second.
 */
#ifndef SRIOV_FLOW_XFER_H
#define SRIOV_FLOW_XFER_H

#include <stddef.h>

#include "sim/simctx.h"

/* Starts a transfer of bytes (whole bytes, >= 1) for flow f, capped at
 * cap_Bps (0 = uncapped), and lists it as active. The flow must have none. */
void flow_xfer_attach(sim_ctx *c, size_t f, double bytes, double cap_Bps);

/* Cancels the flow's transfer if any, unlists it, adds what it moved to
 * fl->delivered_bytes and returns that amount (0 when there was none). */
double flow_xfer_detach(sim_ctx *c, size_t f);

/* The fast path's moves (fluid.h). A flow may run free when the run uses
 * the fast path and the flow is inelastic with a cap. flow_bind gives a
 * free flow a transfer for what it offers from now on; flow_unbind settles
 * a bound flow's transfer and lets it run free at rate_Bps (bytes/s);
 * flow_run_free_at settles a free flow and changes its rate. They keep the
 * flow listed as active and ask no model to re-plan (nothing changed in the
 * model's view); each is a no-op when the flow is already that way. */
int flow_may_run_free(const sim_ctx *c, const flow_rt *fl);
/* 1 when the flow's transfer can finish on its own (the controller waits
 * on it): every transfer at burst or packet granularity, an elastic
 * flow's at flow granularity (an inelastic one ends by its stop action). */
int flow_can_finish_alone(const sim_ctx *c, const flow_rt *fl);
void flow_bind(sim_ctx *c, size_t f);
void flow_unbind(sim_ctx *c, size_t f, double rate_Bps);
void flow_run_free_at(sim_ctx *c, size_t f, double rate_Bps);

#endif
