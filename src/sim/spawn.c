/* spawn.c -- flows made during the run. See spawn.h. */
#include "sim/spawn.h"

#include <math.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/flows.h"
#include "sim/fluid.h"
#include "sim/ledger.h"
#include "sim/carried.h"

/* Reallocs *p to n elements of size bytes; 0 or -1 (then *p is kept). */
static int grow_array(void *p, size_t n, size_t size)
{
    void **pp = p;
    void *q = realloc(*pp, n * size);
    if (!q)
        return -1;
    *pp = q;
    return 0;
}

/* Every per-flow array to room for cap flows. The slots' configs move
 * with their array, so the flows' cfg pointers are set again. */
static int grow(sim_ctx *c, size_t cap)
{
    struct spawn_state *s = &c->spawn;
    size_t n_slots = cap - c->n_cfg_flows;
    if (grow_array(&c->flows, cap, sizeof *c->flows) || grow_array(&c->active, cap, sizeof *c->active) ||
        ledger_reserve(c, s->cap, cap) != 0 ||
        grow_array(&c->wait_flows, cap, sizeof *c->wait_flows) ||
        grow_array(&c->wait_xfers, cap, sizeof *c->wait_xfers) ||
        grow_array(&s->slots, n_slots, sizeof *s->slots) ||
        grow_array(&s->free, n_slots, sizeof *s->free) || fluid_reserve(c, cap) != 0 ||
        carried_reserve(c, s->cap, cap) != 0)
        return -1;
    memset(&c->flows[s->cap], 0, (cap - s->cap) * sizeof *c->flows);
    for (size_t f = c->n_cfg_flows; f < s->cap; f++)
        c->flows[f].cfg = &s->slots[f - c->n_cfg_flows].cfg;
    s->cap = cap;
    return 0;
}

/* A free slot: a released one, else a new one (growing by half). */
static ssize_t take_slot(sim_ctx *c)
{
    struct spawn_state *s = &c->spawn;
    if (s->n_free > 0)
        return (ssize_t)s->free[--s->n_free];
    if (s->cap == 0)
        s->cap = c->n_flows;
    if (c->n_flows == s->cap) {
        size_t more = (s->cap - c->n_cfg_flows) / 2;
        if (grow(c, s->cap + (more > 256 ? more : 256)) != 0)
            return -1;
    }
    return (ssize_t)c->n_flows++;
}

static double mean_pkt(const flow_spawn_req *r)
{
    double m = 0;
    for (size_t i = 0; i < r->n_pkt_sizes; i++)
        m += r->pkt_sizes[i].size_bytes * r->pkt_sizes[i].weight;
    return m > 0 ? m : 1500.0;
}

/* The flow from topology endpoint src_ep to dst_ep (r's src and dst are
 * its config's ends, for the VF counters). */
static ssize_t spawn_at(sim_ctx *c, const flow_spawn_req *r, int src_ep, int dst_ep,
                        flow_end_fn on_end, void *arg)
{
    ssize_t f = take_slot(c);
    if (f < 0) {
        snprintf(c->error, sizeof c->error, "out of memory (spawned flows)");
        return -1;
    }
    spawned_flow *sf = &c->spawn.slots[(size_t)f - c->n_cfg_flows];
    sf->cfg = (flow_config){.name = (char *)r->name, .src = r->src, .dst = r->dst,
                            .kind = FLOW_ELASTIC, .rate_bps = r->cap_Bps * 8.0,
                            .size_bytes = r->size_bytes, .pkt_sizes = (pkt_size *)r->pkt_sizes,
                            .n_pkt_sizes = r->n_pkt_sizes};
    sf->on_end = on_end;
    sf->arg = arg;
    sf->dma_stream = r->dma_stream;
    flow_rt *fl = &c->flows[f];
    int *hops = fl->hops;
    memset(fl, 0, sizeof *fl);
    carried_reset_flow(c, (size_t)f);
    fl->hops = hops;
    fl->cfg = &sf->cfg;
    fl->src_ep = src_ep;
    fl->dst_ep = dst_ep;
    fl->src = c->ep_hosts[fl->src_ep];
    fl->dst = c->ep_hosts[fl->dst_ep];
    fl->offered_Bps = r->cap_Bps;
    fl->rate_cap_Bps = r->cap_Bps;
    fl->mean_pkt_bytes = mean_pkt(r);
    fl->end_s = NAN;
    fl->completion_s = NAN;
    fl->stop_s = c->cfg->sim.duration_s;
    if (flow_resolve_route(c, fl) != 0) {
        snprintf(c->error, sizeof c->error, "no route for a generated flow of '%s' (a "
                 "platform without that pair)", r->name);
        fl->phase = FLOW_DONE;
        c->spawn.free[c->spawn.n_free++] = (size_t)f;
        return -1;
    }
    flow_begin(c, (size_t)f);
    return f;
}

ssize_t flow_spawn(sim_ctx *c, const flow_spawn_req *r, flow_end_fn on_end, void *arg)
{
    return spawn_at(c, r, topo_flow_endpoint(c->topo, r->src), topo_flow_endpoint(c->topo, r->dst),
                    on_end, arg);
}

ssize_t flow_spawn_ep(sim_ctx *c, const flow_spawn_req *r, int src_ep, int dst_ep,
                      flow_end_fn on_end, void *arg)
{
    flow_spawn_req q = *r;
    q.src = q.dst = (endpoint_ref){-1, 0}; /* no VM NIC: no VF counters */
    return spawn_at(c, &q, src_ep, dst_ep, on_end, arg);
}

void spawn_release_if_done(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (!flow_is_spawned(c, f) || fl->phase != FLOW_DONE)
        return;
    spawned_flow *sf = &c->spawn.slots[f - c->n_cfg_flows];
    if (!sf->on_end)
        return; /* released already */
    /* Its bytes go to its links (this interval) and VFs now: the sampler
     * no longer sees the slot once reused (carried.h). */
    if (carried_settle_flow(c, f) != 0)
        snprintf(c->error, sizeof c->error, "out of memory (carried bytes)");
    flow_end_fn fn = sf->on_end;
    sf->on_end = NULL;
    fn(c, f, sf->arg);
    c->spawn.free[c->spawn.n_free++] = f;
}

void spawn_free(sim_ctx *c)
{
    free(c->spawn.slots);
    free(c->spawn.free);
    memset(&c->spawn, 0, sizeof c->spawn);
}
