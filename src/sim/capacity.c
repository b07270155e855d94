/* capacity.c -- link capacities and re-plans. See capacity.h. */
#include "sim/capacity.h"

#include <math.h>
#include <simgrid/engine.h>
#include <simgrid/link.h>
#include <stdlib.h>
#include <string.h>

#include "sim/driver.h"
#include "sim/query.h"
#include "sim/timers.h"

int capacity_init(sim_ctx *c)
{
    c->cap_raised = calloc(c->n_dlinks ? c->n_dlinks : 1, 1);
    return c->cap_raised ? 0 : -1;
}

void capacity_free(sim_ctx *c)
{
    free(c->cap_raised);
    c->cap_raised = NULL;
}

void sim_set_link_Bps(sim_ctx *c, int topo_link, double Bps)
{
    int first = c->dlink_of_topo[topo_link];
    int dirs = c->topo->links[topo_link].split_duplex ? 2 : 1;
    for (int d = 0; d < dirs; d++)
        sim_set_dlink_Bps(c, first + d, Bps);
}

void sim_set_dlink_Bps(sim_ctx *c, int dlink, double Bps)
{
    dlink_load *ld = &c->load[dlink];
    double now = simgrid_get_clock();
    capacity_note_uncapped(c, dlink, now);
    ld->cap_bytes += ld->capacity_Bps * (now - ld->cap_since_s);
    ld->cap_since_s = now;
    /* ns-3 links cannot change bandwidth (3.32 throws): at packet
     * granularity capacities stay as the star platform froze them
     * (docs/granularity.md); the QoS shaper still re-plans its rates.
     * Nothing then reaches a transfer, so nothing is marked raised. */
    if (c->cfg->sim.granularity != GRAN_PACKET) {
        sg_link_set_bandwidth(c->dlinks[dlink].sg, Bps);
        if (Bps > ld->capacity_Bps && c->cap_raised)
            c->cap_raised[dlink] = 1;
    }
    ld->capacity_Bps = Bps;
    if (c->drv && c->drv->capacity_changed)
        c->drv->capacity_changed(c);
}

void capacity_note_uncapped(sim_ctx *c, int dlink, double now_s)
{
    const dlink_load *ld = &c->load[dlink];
    if (ld->capacity_Bps >= TOPO_UNCAPPED_Bps && now_s > ld->cap_since_s)
        c->dlinks[dlink].uncapped_for_a_while = 1;
}

static int crosses_raised(const sim_ctx *c, const flow_rt *fl)
{
    for (size_t h = 0; h < fl->n_hops; h++)
        if (c->cap_raised[fl->hops[h]])
            return 1;
    return 0;
}

static int needs_restart(const sim_ctx *c, const flow_rt *fl)
{
    return fl->xfer && !shim_xfer_bound_follows_links(fl->xfer) && crosses_raised(c, fl);
}

void sim_capacity_restart_raised(sim_ctx *c)
{
    if (!c->cap_raised)
        return;
    size_t n = 0, *todo = NULL;
    sim_active_sync(c);
    for (size_t i = 0; i < c->n_active; i++) {
        if (!needs_restart(c, &c->flows[c->active[i]]))
            continue;
        /* Rare (the shim lifts the bound whenever it can): a list only then. */
        if (!todo && !(todo = malloc(c->n_active * sizeof *todo)))
            break;
        todo[n++] = c->active[i];
    }
    memset(c->cap_raised, 0, c->n_dlinks);
    for (size_t i = 0; i < n; i++) {
        c->drv->rebind_settle(c, todo[i]);
        c->drv->rebind_restart(c, todo[i]);
    }
    free(todo);
}

static void replan_timer(sim_ctx *c, void *arg)
{
    (void)arg;
    c->replan_pending = 0;
    c->hooks.replan(c);
}

void sim_request_replan(sim_ctx *c)
{
    double epoch = c->cfg->sim.rate_epoch_s;
    if (epoch <= 0) {
        c->replan_dirty = 1;
        return;
    }
    if (c->replan_pending)
        return;
    double now = simgrid_get_clock();
    double next = (floor(now / epoch + 1e-9) + 1) * epoch;
    if (sim_schedule(c, next, replan_timer, NULL) == 0)
        c->replan_pending = 1;
}

void capacity_replan_if_due(sim_ctx *c)
{
    if (c->replan_dirty && !c->failed) {
        c->replan_dirty = 0;
        c->hooks.replan(c);
    }
}
