/* fluid.c -- the fluid flow driver: a flow's life as one SimGrid
 * transfer, or none on the uncongested fast path, and which flows SimGrid's
 * solver must see. See fluid.h. */
#include "sim/fluid.h"

#include <math.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/dynar.h>

#include "sim/capacity.h"
#include "sim/driver.h"
#include "sim/ledger.h"
#include "sim/query.h"

static int fluid_drv_init(sim_ctx *c, int user_network_cfg)
{
    struct fluid_state *s = &c->fluid;
    const sim_config *sim = &c->cfg->sim;
    s->enabled = sim->fast_path && sim->granularity == GRAN_FLOW &&
                 strcmp(sim->network_model, "CM02") == 0 && !user_network_cfg;
    s->dirty = 1;
    size_t n = c->n_dlinks ? c->n_dlinks : 1;
    s->demand_Bps = calloc(n, sizeof *s->demand_Bps);
    s->congested = calloc(n, sizeof *s->congested);
    s->pinned = calloc(n, sizeof *s->pinned);
    s->pinned_Bps = calloc(n, sizeof *s->pinned_Bps);
    s->n_on = calloc(n, sizeof *s->n_on);
    s->rate_Bps = calloc(c->n_flows ? c->n_flows : 1, sizeof *s->rate_Bps);
    s->link_Bps = calloc(n, sizeof *s->link_Bps);
    s->due = calloc(c->n_flows ? c->n_flows : 1, sizeof *s->due);
    s->solver_stale = 1;
    s->caps_stale = 1;
    if (netagg_init(&s->solver, c->n_dlinks, c->n_flows) != 0)
        return -1;
    return s->demand_Bps && s->congested && s->pinned && s->pinned_Bps && s->n_on && s->rate_Bps &&
                   s->link_Bps && s->due
               ? 0 : -1;
}

int fluid_reserve(sim_ctx *c, size_t n_flows)
{
    struct fluid_state *s = &c->fluid;
    size_t n = n_flows ? n_flows : 1;
    double *r = realloc(s->rate_Bps, n * sizeof *r);
    if (r)
        s->rate_Bps = r;
    size_t *due = r ? realloc(s->due, n * sizeof *due) : NULL;
    if (!due)
        return -1;
    s->due = due;
    return netagg_reserve(&s->solver, n_flows);
}

static void fluid_drv_fini(sim_ctx *c)
{
    const netagg *a = &c->fluid.solver;
    if (getenv("SRIOV_SOLVER_STATS")) /* profiles (docs/architecture.md) */
        fprintf(stderr, "solver: %zu solves, %zu rounds (%zu full, %zu partial solving %zu classes), "
                        "%zu classes live, %zu links on, %zu off, %zu sums, P %.6g\n",
                a->n_solves, a->n_rounds, a->set.n_full_solves, a->set.n_part_solves,
                a->set.n_part_flows, a->n_cls - a->n_free, a->n_on, a->n_off, a->n_sums, a->P);
    free(c->fluid.demand_Bps);
    free(c->fluid.congested);
    free(c->fluid.pinned);
    free(c->fluid.pinned_Bps);
    free(c->fluid.n_on);
    free(c->fluid.rate_Bps);
    free(c->fluid.link_Bps);
    free(c->fluid.due);
    netagg_free(&c->fluid.solver);
    memset(&c->fluid, 0, sizeof c->fluid);
}

/* Something that can change a link's demand or capacity happened: our
 * solver solves everything again. */
static void mark_dirty(sim_ctx *c)
{
    c->fluid.dirty = 1;
    c->fluid.caps_stale = 1;
    netagg_invalidate(&c->fluid.solver);
}

/* A flow may run free when the run uses the fast path and the flow is
 * inelastic with a cap. */
static int may_run_free(const sim_ctx *c, const flow_rt *fl)
{
    return c->fluid.enabled && fl->inelastic && fl->rate_cap_Bps > 0;
}

/* Our own solver (netsolve.h) gives every flow its rate while no other
 * model's transfer runs: those are SimGrid's and would share links with
 * our flows, so while one runs the flows that meet congestion go back to
 * SimGrid (fluid_classify). */
static int own_solver(const sim_ctx *c)
{
    return c->fluid.enabled && c->fluid.n_pins == 0;
}

/* Our solver may hold the flow: it has a link or a cap (else nothing
 * limits it and SimGrid times it). */
static int solver_may_hold(const flow_rt *fl)
{
    return fl->n_hops > 0 || fl->rate_cap_Bps > 0;
}

static void fail_oom(sim_ctx *c)
{
    snprintf(c->error, sizeof c->error, "out of memory (max-min solver)");
    c->failed = 1;
}

/* Flow f (active, no transfer) joins our solver now: its rate comes with
 * the next solve; an elastic one ends when it moved what is left of its
 * size, an inelastic one at its stop. */
static void agg_join(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    double left = fl->inelastic ? INFINITY : fl->cfg->size_bytes - fl->delivered_bytes;
    if (netagg_add(&c->fluid.solver, f, fl->hops, fl->n_hops,
                   fl->rate_cap_Bps > 0 ? fl->rate_cap_Bps : INFINITY, left,
                   simgrid_get_clock()) != 0) {
        fail_oom(c);
        return;
    }
    fl->agg = &c->fluid.solver;
    fl->agg_f = f;
    fl->free_running = 1;
    fl->free_since_s = simgrid_get_clock();
    fl->free_Bps = 0;
    c->fluid.dirty = 1;
}

/* Flow f leaves our solver: what it moved there into delivered_bytes. */
static void agg_leave(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    fl->free_Bps = netagg_rate(&c->fluid.solver, f);
    fl->delivered_bytes += netagg_remove(&c->fluid.solver, f, simgrid_get_clock());
    fl->free_since_s = simgrid_get_clock();
    fl->agg = NULL;
    c->fluid.dirty = 1;
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
        flow_mark_done(fl, simgrid_get_clock());
        return;
    }
    if (own_solver(c) && solver_may_hold(fl)) {
        fl->xfer = NULL;
        ledger_add(c, f);
        agg_join(c, f); /* an arrival: the next solve re-solves what it changes */
    } else if (may_run_free(c, fl)) {
        fl->free_running = 1;
        fl->free_since_s = simgrid_get_clock();
        fl->free_Bps = fl->rate_cap_Bps;
        fl->xfer = NULL;
        ledger_add(c, f);
        mark_dirty(c);
    } else {
        ledger_attach(c, f, bytes, fl->rate_cap_Bps);
        mark_dirty(c);
    }
    fl->phase = FLOW_ACTIVE;
    sim_request_replan(c);
}

/* Settles the running transfer's (or the free run's) delivered bytes and
 * drops it. */
static void settle_transfer(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (fl->free_running) {
        if (fl->agg) /* a flow leaving: our solver re-solves what it changes */
            agg_leave(c, f);
        else
            fl->delivered_bytes += flow_free_moved(fl, simgrid_get_clock());
        fl->free_running = 0;
        ledger_remove(c, f);
        c->fluid.dirty = 1;
    } else if (fl->xfer) {
        ledger_detach(c, f);
        mark_dirty(c);
    } else {
        return;
    }
    flow_clamp_delivered(fl);
    sim_request_replan(c);
}

/* The fast path's moves. bind_flow gives a free flow a transfer for what it
 * offers from now on; unbind_flow settles a bound flow's transfer and lets it
 * run free at rate_Bps (bytes/s); run_free_at settles a free flow and
 * changes its rate. They keep the flow listed as active and ask no model
 * to re-plan (nothing changed in the model's view); each is a no-op when
 * the flow is already that way. */
static void bind_flow(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (!fl->free_running)
        return;
    double now = simgrid_get_clock();
    fl->delivered_bytes += flow_free_moved(fl, now);
    fl->free_since_s = now;
    double bytes = transfer_bytes(fl);
    if (bytes < 1.0)
        return; /* at its stop: stays free for the last instant */
    fl->free_running = 0;
    ledger_open(c, fl, bytes, fl->rate_cap_Bps);
    ledger_set_slot(c, fl);
}

static void run_free_at(sim_ctx *c, size_t f, double rate_Bps)
{
    flow_rt *fl = &c->flows[f];
    if (!fl->free_running || fl->free_Bps == rate_Bps)
        return;
    double now = simgrid_get_clock();
    fl->delivered_bytes += flow_free_moved(fl, now);
    fl->free_since_s = now;
    fl->free_Bps = rate_Bps;
}

/* Settles a bound flow's transfer into its delivered bytes and drops it,
 * the flow staying active (the caller says how it runs on). */
static void close_xfer(sim_ctx *c, flow_rt *fl)
{
    ledger_close(c, fl);
    ledger_set_slot(c, fl);
}

static void unbind_flow(sim_ctx *c, size_t f, double rate_Bps)
{
    flow_rt *fl = &c->flows[f];
    if (fl->free_running || !fl->xfer)
        return;
    close_xfer(c, fl);
    fl->free_running = 1;
    fl->free_since_s = simgrid_get_clock();
    fl->free_Bps = rate_Bps;
}

/* Running flows per link. */
static void count_flows(sim_ctx *c)
{
    struct fluid_state *s = &c->fluid;
    memset(s->n_on, 0, c->n_dlinks * sizeof *s->n_on);
    for (size_t i = 0; i < c->n_active; i++) {
        const flow_rt *fl = &c->flows[c->active[i]];
        for (size_t h = 0; h < fl->n_hops; h++)
            s->n_on[fl->hops[h]]++;
    }
}

/* What a running flow may ask of the links it shares: its cap, lowered to
 * the capacity of any link it has to itself (a VF's shaper below what the
 * flow offers is the usual one: max-min gives a lone flow min(cap,
 * capacity) there, and that link binds nobody else). Infinite for a flow
 * that may not run free. */
static double rate_if_free(const sim_ctx *c, const flow_rt *fl)
{
    if (!may_run_free(c, fl))
        return INFINITY;
    double rate = fl->rate_cap_Bps;
    for (size_t h = 0; h < fl->n_hops; h++)
        if (c->fluid.n_on[fl->hops[h]] == 1 && c->load[fl->hops[h]].capacity_Bps < rate)
            rate = c->load[fl->hops[h]].capacity_Bps;
    return rate;
}

static void add_demands(sim_ctx *c)
{
    struct fluid_state *s = &c->fluid;
    memset(s->demand_Bps, 0, c->n_dlinks * sizeof *s->demand_Bps);
    for (size_t i = 0; i < c->n_active; i++) {
        const flow_rt *fl = &c->flows[c->active[i]];
        double d = s->rate_Bps[i] = rate_if_free(c, fl);
        for (size_t h = 0; h < fl->n_hops; h++)
            s->demand_Bps[fl->hops[h]] += d;
    }
}

/* Demand equal to capacity still binds nobody: every flow gets its rate. */
static void mark_congested(sim_ctx *c)
{
    struct fluid_state *s = &c->fluid;
    for (size_t l = 0; l < c->n_dlinks; l++)
        s->congested[l] = s->pinned[l] > 0 ||
                          s->demand_Bps[l] + s->pinned_Bps[l] > c->load[l].capacity_Bps;
}

static int meets_congestion(const sim_ctx *c, const flow_rt *fl)
{
    for (size_t h = 0; h < fl->n_hops; h++)
        if (c->fluid.congested[fl->hops[h]])
            return 1;
    return 0;
}

/* Every active flow in our solver (netagg.h) at its max-min rate; after
 * arrivals and departures alone it re-solves only what they change. When
 * the flows come back from SimGrid's solver (a migration round ended),
 * every active flow joins it again first. */
static void solve_own(sim_ctx *c)
{
    struct fluid_state *s = &c->fluid;
    if (s->solver_stale) {
        for (size_t i = 0; i < c->n_active; i++) {
            size_t f = c->active[i];
            flow_rt *fl = &c->flows[f];
            if (fl->agg || !solver_may_hold(fl))
                continue;
            if (fl->free_running) {
                fl->delivered_bytes += flow_free_moved(fl, simgrid_get_clock());
            } else if (fl->xfer) {
                close_xfer(c, fl);
            }
            flow_clamp_delivered(fl);
            agg_join(c, f);
        }
        s->solver_stale = 0;
    }
    /* Capacities change only through capacity.c, which marks the solver
     * (mark_dirty): between marks they hold. */
    if (s->caps_stale) {
        for (size_t l = 0; l < c->n_dlinks; l++)
            s->link_Bps[l] = c->load[l].capacity_Bps;
        s->caps_stale = 0;
    }
    if (netagg_solve(&s->solver, s->link_Bps, simgrid_get_clock()) != 0)
        fail_oom(c);
}

/* Before SimGrid's solver takes the congested flows (another model's
 * transfer runs): every flow leaves our solver and runs free at the rate
 * it had, for the classification below to bind it or keep it free. */
static void leave_own(sim_ctx *c)
{
    for (size_t i = 0; i < c->n_active; i++)
        if (c->flows[c->active[i]].agg)
            agg_leave(c, c->active[i]);
}

void fluid_classify(sim_ctx *c)
{
    struct fluid_state *s = &c->fluid;
    if (!s->enabled || !s->dirty)
        return;
    s->dirty = 0;
    sim_active_sync(c);
    if (own_solver(c)) {
        solve_own(c);
        return;
    }
    leave_own(c);
    s->solver_stale = 1;
    count_flows(c);
    add_demands(c);
    mark_congested(c);
    for (size_t i = 0; i < c->n_active; i++) {
        size_t f = c->active[i];
        flow_rt *fl = &c->flows[f];
        double rate = s->rate_Bps[i];
        int must_bind = isinf(rate) || meets_congestion(c, fl);
        if (must_bind && fl->free_running)
            bind_flow(c, f);
        else if (!must_bind && !fl->free_running)
            unbind_flow(c, f, rate);
        else if (!must_bind)
            run_free_at(c, f, rate);
    }
}

void fluid_pin_route(sim_ctx *c, sg_host_t src, sg_host_t dst, double rate_Bps, int delta)
{
    if (!c->fluid.enabled)
        return;
    xbt_dynar_t links = xbt_dynar_new(sizeof(sg_link_t), NULL);
    sg_host_get_route(src, dst, links);
    for (size_t i = 0; i < xbt_dynar_length(links); i++) {
        uintptr_t idx = (uintptr_t)sg_link_get_data(xbt_dynar_get_as(links, i, sg_link_t));
        if (idx == 0)
            continue;
        if (rate_Bps > 0)
            c->fluid.pinned_Bps[idx - 1] += delta * rate_Bps;
        else
            c->fluid.pinned[idx - 1] += delta;
    }
    xbt_dynar_free(&links);
    c->fluid.n_pins += delta;
    mark_dirty(c);
}

/* The earliest end of a free elastic flow (INFINITY: none), and the
 * flows whose last byte is in by now_s (within the controller's 1e-9 s of
 * an instant). */
static double fluid_next_done(sim_ctx *c)
{
    return netagg_next_done(&c->fluid.solver);
}

static size_t fluid_due(sim_ctx *c, double now_s, const size_t **out)
{
    *out = c->fluid.due;
    return netagg_due(&c->fluid.solver, now_s + 1e-9, c->fluid.due);
}

/* The driver's ops (driver.h); flows.c has checked the phase. */

static void fluid_end(sim_ctx *c, size_t f)
{
    settle_transfer(c, f);
    flow_mark_done(&c->flows[f], simgrid_get_clock());
}

static void fluid_completed(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    int was_free = fl->free_running;
    settle_transfer(c, f);
    if (was_free) /* its whole size, not a rounding error either side */
        fl->delivered_bytes = fl->cfg->size_bytes;
    flow_mark_completed(&c->flows[f], simgrid_get_clock());
}

static void fluid_pause(sim_ctx *c, size_t f)
{
    settle_transfer(c, f);
    c->flows[f].phase = FLOW_PAUSED;
}

static void fluid_cap_changed(sim_ctx *c, size_t f)
{
    mark_dirty(c);
    if (c->flows[f].phase != FLOW_ACTIVE)
        return;
    settle_transfer(c, f);
    start_transfer(c, f);
}

const flow_driver fluid_driver = {
    .name = "fluid",
    .init = fluid_drv_init,
    .fini = fluid_drv_fini,
    .begin = start_transfer,
    .end = fluid_end,
    .completed = fluid_completed,
    .pause = fluid_pause,
    .resume = start_transfer,
    .rebind_settle = settle_transfer,
    .rebind_restart = start_transfer,
    .cap_changed = fluid_cap_changed,
    .capacity_changed = mark_dirty,
    .before_advance = fluid_classify,
    .next_done_s = fluid_next_done,
    .due = fluid_due,
};
