/* flows.c -- a flow's life as one SimGrid transfer. See simctx.h. */
#include <math.h>
#include <simgrid/engine.h>

#include "sim/simctx.h"

static void active_add(sim_ctx *c, size_t f)
{
    c->flows[f].active_slot = c->n_active;
    c->active[c->n_active] = f;
    c->active_xfers[c->n_active] = c->flows[f].xfer;
    c->n_active++;
}

/* O(1) removal: the last active flow takes the freed slot. */
static void active_remove(sim_ctx *c, size_t f)
{
    size_t slot = c->flows[f].active_slot;
    size_t last = c->n_active - 1;
    c->active[slot] = c->active[last];
    c->active_xfers[slot] = c->active_xfers[last];
    c->flows[c->active[slot]].active_slot = slot;
    c->n_active--;
}

/* Bytes the flow will try to move from now on: an inelastic flow offers its
 * rate until its planned stop; an elastic one what is left of its size. */
static double bytes_to_offer(const sim_ctx *c, const flow_rt *fl)
{
    double now = simgrid_get_clock();
    if (fl->cfg->kind == FLOW_ELASTIC)
        return fl->cfg->size_bytes - fl->delivered_bytes;
    (void)c;
    return fl->rate_cap_Bps * (fl->stop_s - now);
}

/* Starts a transfer for what the flow offers from now on; a flow with
 * nothing left to offer is done. */
static void start_transfer(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    double bytes = bytes_to_offer(c, fl);
    if (bytes < 1.0) {
        fl->phase = FLOW_DONE;
        fl->end_s = simgrid_get_clock();
        return;
    }
    fl->xfer = shim_xfer_start(fl->src, fl->dst, bytes, fl->rate_cap_Bps);
    fl->xfer_bytes = bytes;
    fl->phase = FLOW_ACTIVE;
    active_add(c, f);
}

/* Settles the running transfer's delivered bytes and drops it. */
static void settle_transfer(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (!fl->xfer)
        return;
    double remaining = shim_xfer_remaining(fl->xfer);
    fl->delivered_bytes += fl->xfer_bytes - remaining;
    active_remove(c, f);
    shim_xfer_free(fl->xfer);
    fl->xfer = NULL;
    fl->xfer_bytes = 0;
}

void flow_begin(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (fl->phase != FLOW_PENDING)
        return;
    fl->start_s = simgrid_get_clock();
    if (fl->cfg->kind == FLOW_INELASTIC)
        fl->offered_bytes = fl->rate_cap_Bps * (fl->stop_s - fl->start_s);
    start_transfer(c, f);
}

void flow_end(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (fl->phase == FLOW_DONE || fl->phase == FLOW_PENDING)
        return;
    settle_transfer(c, f);
    fl->phase = FLOW_DONE;
    fl->end_s = simgrid_get_clock();
}

void flow_completed(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    settle_transfer(c, f);
    fl->phase = FLOW_DONE;
    fl->end_s = simgrid_get_clock();
    /* The last byte still has to cross the route's propagation delay, which
     * the platform leaves out of the transfer (see platform.h). */
    if (fl->cfg->kind == FLOW_ELASTIC)
        fl->completion_s = fl->end_s - fl->start_s + fl->prop_latency_s;
}

double flow_delivered_now(const flow_rt *fl)
{
    if (!fl->xfer)
        return fl->delivered_bytes;
    return fl->delivered_bytes + fl->xfer_bytes - shim_xfer_remaining(fl->xfer);
}
