/* flows.c -- a flow's life as one SimGrid transfer. See simctx.h. */
#include <math.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdint.h>
#include <stdlib.h>
#include <simgrid/link.h>
#include <xbt/dynar.h>

#include "sim/models.h"
#include "sim/burst.h"
#include "sim/flow_xfer.h"
#include "sim/fluid.h"
#include "sim/simctx.h"

/* Burst and packet granularities move a flow in several transfers
 * (burst.c); flow granularity is the fluid path below, one branch away. */
static int fine(const sim_ctx *c)
{
    return c->cfg->sim.granularity != GRAN_FLOW;
}

int flow_can_finish_alone(const sim_ctx *c, const flow_rt *fl)
{
    return c->cfg->sim.granularity != GRAN_FLOW || !fl->inelastic;
}

static void active_add(sim_ctx *c, size_t f)
{
    c->active_unordered = 1;
    c->waitable_stale = 1;
    c->flows[f].active_slot = c->n_active;
    c->active[c->n_active] = f;
    c->active_xfers[c->n_active] = c->flows[f].xfer;
    c->n_active++;
}

/* O(1) removal: the last active flow takes the freed slot. */
static void active_remove(sim_ctx *c, size_t f)
{
    c->active_unordered = 1;
    c->waitable_stale = 1;
    size_t slot = c->flows[f].active_slot;
    size_t last = c->n_active - 1;
    c->active[slot] = c->active[last];
    c->active_xfers[slot] = c->active_xfers[last];
    c->flows[c->active[slot]].active_slot = slot;
    c->n_active--;
}

/* An inelastic flow's transfer is sized a little above what it offers until
 * its stop, so it never finishes on its own a rounding error before the
 * stop action ends it: thousands of flows ending "at" one epoch boundary
 * then cost one solver pass, not one wake-up each. What it delivers is
 * clamped to what it offered when it is settled. */
#define FLOWS_INELASTIC_SLACK 1.001

/* Bytes the flow will try to move from now on: an inelastic flow offers its
 * rate until its planned stop; an elastic one what is left of its size. */
static double bytes_to_offer(const flow_rt *fl)
{
    double now = simgrid_get_clock();
    if (fl->cfg->kind == FLOW_ELASTIC)
        return fl->cfg->size_bytes - fl->delivered_bytes;
    return fl->offered_Bps * (fl->stop_s - now);
}

/* What the flow's transfer should hold from now on: what it offers, an
 * inelastic one a little more (FLOWS_INELASTIC_SLACK), in whole bytes as
 * SimGrid counts them. < 1 when nothing is left to offer. */
static double transfer_bytes(const flow_rt *fl)
{
    double bytes = bytes_to_offer(fl);
    if (bytes < 1.0)
        return bytes;
    if (fl->cfg->kind == FLOW_INELASTIC)
        bytes = bytes * FLOWS_INELASTIC_SLACK + fl->mean_pkt_bytes;
    return floor(bytes);
}

/* Starts moving what the flow offers from now on: free when the fast path
 * may take it (fluid_classify binds it before time moves if a link on its
 * route is congested), else as a transfer. A flow with nothing left to
 * offer is done. */
static void start_transfer(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    double bytes = transfer_bytes(fl);
    if (bytes < 1.0) {
        fl->phase = FLOW_DONE;
        fl->end_s = simgrid_get_clock();
        return;
    }
    if (flow_may_run_free(c, fl)) {
        fl->free_running = 1;
        fl->free_since_s = simgrid_get_clock();
        fl->free_Bps = fl->rate_cap_Bps;
        fl->xfer = NULL;
        active_add(c, f);
    } else {
        flow_xfer_attach(c, f, bytes, fl->rate_cap_Bps);
    }
    fl->phase = FLOW_ACTIVE;
    fluid_mark_dirty(c);
    sim_request_replan(c);
}

/* Puts the active list back in flow order. The per-step loops over it (the
 * models' re-plans, the fast path) then walk flows, their routes and their
 * configs in memory order; in the order adds and swap-removes leave, each
 * flow is a cache miss once a pod outgrows the cache. O(flows), run only
 * after the list changed. */
void flows_order_active(sim_ctx *c)
{
    if (!c->active_unordered)
        return;
    c->active_unordered = 0;
    size_t n = 0;
    for (size_t f = 0; f < c->n_flows; f++) {
        flow_rt *fl = &c->flows[f];
        if (!fl->xfer && !fl->free_running)
            continue;
        fl->active_slot = n;
        c->active[n] = f;
        c->active_xfers[n++] = fl->xfer;
    }
}

/* SimGrid 3.32's ns-3 binding keeps feeding a cancelled transfer's TCP
 * flow and later finishes its freed action (a crash, seen when a flow
 * stopped with a burst in flight). At packet granularity a transfer that
 * still runs is left to finish unwatched: what it moves after now is not
 * counted (as a stop or pause drops it in flow mode), and its handle is
 * dropped once the engine has stopped (flows_drop_orphans). */
static void release_xfer(sim_ctx *c, shim_xfer *x)
{
    if (c->cfg->sim.granularity != GRAN_PACKET || shim_xfer_finished(x)) {
        shim_xfer_free(x);
        return;
    }
    if (c->n_orphans == c->orphans_cap) {
        size_t cap = c->orphans_cap ? 2 * c->orphans_cap : 64;
        shim_xfer **grown = realloc(c->orphans, cap * sizeof *grown);
        if (!grown) {
            shim_xfer_free(x); /* out of memory: cancel, as other models do */
            return;
        }
        c->orphans = grown;
        c->orphans_cap = cap;
    }
    c->orphans[c->n_orphans++] = x;
}

void flows_drop_orphans(sim_ctx *c)
{
    for (size_t i = 0; i < c->n_orphans; i++)
        shim_xfer_drop(c->orphans[i]);
    free(c->orphans);
    c->orphans = NULL;
    c->n_orphans = c->orphans_cap = 0;
}

/* Gives the flow a transfer of bytes capped at cap_Bps and counts it; the
 * caller lists it (active_add) or fills its active slot. */
static void xfer_open(sim_ctx *c, flow_rt *fl, double bytes, double cap_Bps)
{
    fl->xfer = shim_xfer_start(fl->src, fl->dst, bytes, cap_Bps);
    fl->xfer_bytes = bytes;
    c->n_bound++;
    c->n_waitable += flow_can_finish_alone(c, fl);
}

/* Adds what the flow's transfer moved to delivered_bytes, releases it and
 * returns that amount; the caller unlists it or clears its active slot. */
static double xfer_close(sim_ctx *c, flow_rt *fl)
{
    double moved = fl->xfer_bytes - shim_xfer_remaining(fl->xfer);
    fl->delivered_bytes += moved;
    release_xfer(c, fl->xfer);
    fl->xfer = NULL;
    fl->xfer_bytes = 0;
    c->n_bound--;
    c->n_waitable -= flow_can_finish_alone(c, fl);
    return moved;
}

void flow_xfer_attach(sim_ctx *c, size_t f, double bytes, double cap_Bps)
{
    xfer_open(c, &c->flows[f], bytes, cap_Bps);
    active_add(c, f);
}

double flow_xfer_detach(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (!fl->xfer)
        return 0;
    active_remove(c, f);
    return xfer_close(c, fl);
}

/* Bytes a free flow moved since it was last settled. */
static double free_moved(const flow_rt *fl, double now_s)
{
    return fl->free_Bps * (now_s - fl->free_since_s);
}

/* Settles the running transfer's (or the free run's) delivered bytes and
 * drops it. */
static void settle_transfer(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (fl->free_running) {
        fl->delivered_bytes += free_moved(fl, simgrid_get_clock());
        fl->free_running = 0;
        active_remove(c, f);
    } else if (fl->xfer) {
        flow_xfer_detach(c, f);
    } else {
        return;
    }
    if (fl->cfg->kind == FLOW_INELASTIC && fl->delivered_bytes > fl->offered_bytes)
        fl->delivered_bytes = fl->offered_bytes;
    fluid_mark_dirty(c);
    sim_request_replan(c);
}

int flow_may_run_free(const sim_ctx *c, const flow_rt *fl)
{
    return fluid_enabled(c) && fl->inelastic && fl->rate_cap_Bps > 0;
}

void flow_bind(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (!fl->free_running)
        return;
    double now = simgrid_get_clock();
    fl->delivered_bytes += free_moved(fl, now);
    fl->free_since_s = now;
    double bytes = transfer_bytes(fl);
    if (bytes < 1.0)
        return; /* at its stop: stays free for the last instant */
    fl->free_running = 0;
    xfer_open(c, fl, bytes, fl->rate_cap_Bps);
    c->active_xfers[fl->active_slot] = fl->xfer;
    c->waitable_stale = 1;
}

void flow_run_free_at(sim_ctx *c, size_t f, double rate_Bps)
{
    flow_rt *fl = &c->flows[f];
    if (!fl->free_running || fl->free_Bps == rate_Bps)
        return;
    double now = simgrid_get_clock();
    fl->delivered_bytes += free_moved(fl, now);
    fl->free_since_s = now;
    fl->free_Bps = rate_Bps;
}

void flow_unbind(sim_ctx *c, size_t f, double rate_Bps)
{
    flow_rt *fl = &c->flows[f];
    if (fl->free_running || !fl->xfer)
        return;
    xfer_close(c, fl);
    c->active_xfers[fl->active_slot] = NULL;
    c->waitable_stale = 1;
    fl->free_running = 1;
    fl->free_since_s = simgrid_get_clock();
    fl->free_Bps = rate_Bps;
}

void flow_begin(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (fl->phase != FLOW_PENDING)
        return;
    fl->start_s = simgrid_get_clock();
    if (fl->cfg->kind == FLOW_INELASTIC)
        fl->offered_bytes = fl->offered_Bps * (fl->stop_s - fl->start_s);
    if (fine(c))
        burst_begin(c, f);
    else
        start_transfer(c, f);
    models_flow_started(c, f);
}

void flow_end(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (fl->phase == FLOW_DONE || fl->phase == FLOW_PENDING)
        return;
    if (fine(c)) {
        burst_end(c, f);
        return;
    }
    settle_transfer(c, f);
    fl->phase = FLOW_DONE;
    fl->end_s = simgrid_get_clock();
}

void flow_completed(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (fine(c)) {
        burst_completed(c, f);
        return;
    }
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
    if (fl->free_running)
        return fl->delivered_bytes + free_moved(fl, simgrid_get_clock());
    if (!fl->xfer)
        return fl->delivered_bytes;
    return fl->delivered_bytes + fl->xfer_bytes - shim_xfer_remaining(fl->xfer);
}

void flow_pause(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (fl->phase != FLOW_ACTIVE)
        return;
    if (fine(c)) {
        burst_pause(c, f);
        return;
    }
    settle_transfer(c, f);
    fl->phase = FLOW_PAUSED;
}

void flow_resume(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (fl->phase != FLOW_PAUSED)
        return;
    if (fine(c)) {
        burst_resume(c, f);
        return;
    }
    if (fl->cfg->kind == FLOW_INELASTIC && simgrid_get_clock() >= fl->stop_s) {
        fl->phase = FLOW_DONE;
        fl->end_s = fl->stop_s;
        return;
    }
    start_transfer(c, f);
}

void flows_pause_endpoint(sim_ctx *c, int ep)
{
    for (size_t f = 0; f < c->n_flows; f++)
        if (c->flows[f].src_ep == ep || c->flows[f].dst_ep == ep)
            flow_pause(c, f);
}

void flows_resume_endpoint(sim_ctx *c, int ep)
{
    for (size_t f = 0; f < c->n_flows; f++)
        if (c->flows[f].src_ep == ep || c->flows[f].dst_ep == ep)
            flow_resume(c, f);
}

void flow_set_cap(sim_ctx *c, size_t f, double cap_Bps)
{
    flow_rt *fl = &c->flows[f];
    if (fl->rate_cap_Bps == cap_Bps)
        return;
    fl->rate_cap_Bps = cap_Bps;
    fluid_mark_dirty(c);
    if (fl->phase != FLOW_ACTIVE || fine(c))
        return; /* burst mode: the cap applies from the next burst */
    settle_transfer(c, f);
    start_transfer(c, f);
}

int flow_resolve_route(sim_ctx *c, flow_rt *fl)
{
    xbt_dynar_t links = xbt_dynar_new(sizeof(sg_link_t), NULL);
    sg_host_get_route(fl->src, fl->dst, links);
    size_t n = xbt_dynar_length(links);
    int *hops = calloc(n ? n : 1, sizeof(int));
    if (!hops) {
        xbt_dynar_free(&links);
        return -1;
    }
    free(fl->hops);
    fl->hops = hops;
    fl->n_hops = 0;
    fl->walker_hops = 0;
    fl->prop_latency_s = 0;
    for (size_t i = 0; i < n; i++) {
        sg_link_t l = xbt_dynar_get_as(links, i, sg_link_t);
        uintptr_t idx = (uintptr_t)sg_link_get_data(l);
        if (idx == 0)
            continue;
        const topo_link *tl = &c->topo->links[c->dlinks[idx - 1].topo_link];
        if (tl->kind == LK_IOMMU && fl->n_hops < 32)
            fl->walker_hops |= 1u << fl->n_hops;
        fl->hops[fl->n_hops++] = (int)(idx - 1);
        fl->prop_latency_s += tl->latency_s;
    }
    xbt_dynar_free(&links);
    return n > 0 ? 0 : -1;
}

int flow_rebind(sim_ctx *c, size_t f, int src_ep, int dst_ep)
{
    flow_rt *fl = &c->flows[f];
    int was_active = fl->phase == FLOW_ACTIVE;
    if (was_active && fine(c))
        burst_rebind_settle(c, f);
    else if (was_active)
        settle_transfer(c, f);
    fl->src_ep = src_ep;
    fl->dst_ep = dst_ep;
    fl->src = c->ep_hosts[src_ep];
    fl->dst = c->ep_hosts[dst_ep];
    int rc = flow_resolve_route(c, fl);
    if (was_active && fine(c))
        burst_rebind_restart(c, f);
    else if (was_active)
        start_transfer(c, f);
    return rc;
}

int flow_needs_restart_on_raise(const flow_rt *fl)
{
    return fl->xfer && !shim_xfer_bound_follows_links(fl->xfer);
}
