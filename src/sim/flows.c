/* flows.c -- the public life of a flow: phase checks, then the run's flow
 * driver. See flows.h. */
#include "sim/flows.h"

#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <stdint.h>
#include <stdlib.h>
#include <xbt/dynar.h>

#include "sim/burst.h"
#include "sim/carried.h"
#include "sim/driver.h"
#include "sim/fluid.h"
#include "sim/ledger.h"
#include "sim/spawn.h"

/* Flow granularity moves a flow as one fluid transfer (or none on the fast
 * path); burst and packet granularities as several transfers. */
int flows_init(sim_ctx *c, int user_network_cfg)
{
    c->drv = c->cfg->sim.granularity == GRAN_FLOW ? &fluid_driver : &burst_driver;
    return c->drv->init(c, user_network_cfg);
}

void flows_fini(sim_ctx *c)
{
    if (c->drv)
        c->drv->fini(c);
}

void flow_begin(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (fl->phase != FLOW_PENDING)
        return;
    fl->start_s = simgrid_get_clock();
    if (fl->cfg->kind == FLOW_INELASTIC)
        fl->offered_bytes = fl->offered_Bps * (fl->stop_s - fl->start_s);
    c->drv->begin(c, f);
    /* the models size their per-flow state by the scenario's flows */
    if (!flow_is_spawned(c, f))
        c->hooks.flow_started(c, f);
    spawn_release_if_done(c, f);
}

void flow_end(sim_ctx *c, size_t f)
{
    flow_phase_t p = c->flows[f].phase;
    if (p == FLOW_DONE || p == FLOW_PENDING)
        return;
    c->drv->end(c, f);
    spawn_release_if_done(c, f);
}

void flow_completed(sim_ctx *c, size_t f)
{
    c->drv->completed(c, f);
    spawn_release_if_done(c, f);
}

void flow_pause(sim_ctx *c, size_t f)
{
    if (c->flows[f].phase != FLOW_ACTIVE)
        return;
    c->drv->pause(c, f);
}

void flow_resume(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (fl->phase != FLOW_PAUSED)
        return;
    if (fl->cfg->kind == FLOW_INELASTIC && simgrid_get_clock() >= fl->stop_s) {
        flow_mark_done(fl, fl->stop_s);
        return;
    }
    c->drv->resume(c, f);
}

void flow_set_cap(sim_ctx *c, size_t f, double cap_Bps)
{
    flow_rt *fl = &c->flows[f];
    if (fl->rate_cap_Bps == cap_Bps)
        return;
    fl->rate_cap_Bps = cap_Bps;
    if (c->drv->cap_changed)
        c->drv->cap_changed(c, f);
}

double flow_delivered_now(const flow_rt *fl)
{
    if (fl->free_running)
        return fl->delivered_bytes + flow_free_moved(fl, simgrid_get_clock());
    if (!fl->xfer)
        return fl->delivered_bytes;
    return fl->delivered_bytes + fl->xfer_bytes - shim_xfer_remaining(fl->xfer);
}

int sim_route_dlinks(sg_host_t src, sg_host_t dst, int **hops, size_t *n_hops)
{
    xbt_dynar_t links = xbt_dynar_new(sizeof(sg_link_t), NULL);
    sg_host_get_route(src, dst, links);
    size_t n = xbt_dynar_length(links);
    *n_hops = 0;
    *hops = calloc(n ? n : 1, sizeof(int));
    if (!*hops) {
        xbt_dynar_free(&links);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        uintptr_t idx = (uintptr_t)sg_link_get_data(xbt_dynar_get_as(links, i, sg_link_t));
        if (idx != 0)
            (*hops)[(*n_hops)++] = (int)(idx - 1);
    }
    xbt_dynar_free(&links);
    return n > 0 ? 0 : -1;
}

int flow_resolve_route(sim_ctx *c, flow_rt *fl)
{
    int *hops;
    size_t n;
    int rc = sim_route_dlinks(fl->src, fl->dst, &hops, &n);
    if (!hops)
        return -1;
    free(fl->hops);
    fl->hops = hops;
    fl->n_hops = n;
    fl->walker_hops = 0;
    fl->fabric_hops = 0;
    fl->prop_latency_s = 0;
    for (size_t h = 0; h < n; h++) {
        const topo_link *tl = &c->topo->links[c->dlinks[hops[h]].topo_link];
        /* Not packet queues: the IOMMU's page walker (its delay is the
         * datapath model's walk time) and an adapter's total-capacity link,
         * a throughput limit on the path its port or PCIe link already
         * queues for (one port at a time: the same rate in series, where an
         * independent M/G/1 queue would count the wait twice); a
         * multi-host member's cap on the shared ports likewise. */
        if ((tl->kind == LK_IOMMU || tl->kind == LK_ADAPTER || tl->kind == LK_HOST_SHARE) &&
            h < 32)
            fl->walker_hops |= 1u << h;
        if ((tl->kind == LK_TOR || tl->kind == LK_ESWITCH) && h < 32)
            fl->fabric_hops |= 1u << h;
        fl->prop_latency_s += tl->latency_s;
    }
    return rc;
}

int flow_rebind(sim_ctx *c, size_t f, int src_ep, int dst_ep)
{
    flow_rt *fl = &c->flows[f];
    int was_active = fl->phase == FLOW_ACTIVE;
    if (was_active)
        c->drv->rebind_settle(c, f);
    /* The bytes of the old route stay on its links and VFs. */
    if (carried_settle_flow(c, f) != 0)
        return -1;
    fl->src_ep = src_ep;
    fl->dst_ep = dst_ep;
    fl->src = c->ep_hosts[src_ep];
    fl->dst = c->ep_hosts[dst_ep];
    int rc = flow_resolve_route(c, fl);
    if (was_active)
        c->drv->rebind_restart(c, f);
    return rc;
}
