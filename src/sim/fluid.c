/* fluid.c -- which flows SimGrid's solver must see. See fluid.h. */
#include <math.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/dynar.h>

#include "sim/flow_xfer.h"
#include "sim/fluid.h"
#include "sim/simctx.h"

int fluid_init(sim_ctx *c, int user_network_cfg)
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
    return s->demand_Bps && s->congested && s->pinned && s->pinned_Bps && s->n_on && s->rate_Bps
               ? 0 : -1;
}

void fluid_free(sim_ctx *c)
{
    free(c->fluid.demand_Bps);
    free(c->fluid.congested);
    free(c->fluid.pinned);
    free(c->fluid.pinned_Bps);
    free(c->fluid.n_on);
    free(c->fluid.rate_Bps);
    memset(&c->fluid, 0, sizeof c->fluid);
}

int fluid_enabled(const sim_ctx *c)
{
    return c->fluid.enabled;
}

void fluid_mark_dirty(sim_ctx *c)
{
    c->fluid.dirty = 1;
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
    if (!flow_may_run_free(c, fl))
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

void fluid_classify(sim_ctx *c)
{
    struct fluid_state *s = &c->fluid;
    if (!s->enabled || !s->dirty)
        return;
    s->dirty = 0;
    count_flows(c);
    add_demands(c);
    mark_congested(c);
    for (size_t i = 0; i < c->n_active; i++) {
        size_t f = c->active[i];
        flow_rt *fl = &c->flows[f];
        double rate = s->rate_Bps[i];
        int must_bind = isinf(rate) || meets_congestion(c, fl);
        if (must_bind && fl->free_running)
            flow_bind(c, f);
        else if (!must_bind && !fl->free_running)
            flow_unbind(c, f, rate);
        else if (!must_bind)
            flow_run_free_at(c, f, rate);
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
    c->fluid.dirty = 1;
}
