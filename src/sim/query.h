/* query.h -- what a model may read of the engine's state: flows (their
 * configuration, phase, endpoints, route, rates, bytes), the active list,
 * directed links (dlinks: topology link, direction, capacity, load) and
 * the samples taken. Models read the engine only through these (and change
 * it through flows.c's flow_* and sim_set_link_Bps / sim_set_dlink_Bps),
 * so sim_ctx's layout stays the engine's business. The scenario and the
 * topology (sim_ctx.cfg, .topo) belong to lower layers and are read as
 * they are.
 *
 * The accessors used for every flow, hop or sample are static inline: a
 * call per access would slow the models' per-replan loops at pod scale.
 * Units: bytes, bytes per second, bits per second for sampled throughput
 * (like /timeseries), seconds.
 */
#ifndef SRIOV_SIM_QUERY_H
#define SRIOV_SIM_QUERY_H

#include <stddef.h>

#include "sim/flows.h"
#include "sim/simctx.h"

/* ---- flows --------------------------------------------------------- */

/* The scenario's flows [0, sim_n_flows): the ones models keep state for.
 * Flows a workload makes during the run (spawn.h) come after them and
 * are not the models' (their indices are >= sim_n_flows). */
static inline size_t sim_n_flows(const sim_ctx *c) { return c->n_cfg_flows; }
/* Every flow slot, the scenario's and the spawned ones: a flow_spawn
 * returns an index below this (or equal to it, when it takes a new slot). */
static inline size_t sim_n_flows_all(const sim_ctx *c) { return c->n_flows; }

static inline const flow_config *sim_flow_cfg(const sim_ctx *c, size_t f)
{
    return c->flows[f].cfg;
}

static inline flow_phase_t sim_flow_phase(const sim_ctx *c, size_t f)
{
    return c->flows[f].phase;
}

/* The topology endpoints the flow uses now (a rebind moves them). */
static inline int sim_flow_src_ep(const sim_ctx *c, size_t f) { return c->flows[f].src_ep; }
static inline int sim_flow_dst_ep(const sim_ctx *c, size_t f) { return c->flows[f].dst_ep; }

/* Its route now: n_hops dlinks, in order from the source. */
static inline size_t sim_flow_n_hops(const sim_ctx *c, size_t f) { return c->flows[f].n_hops; }
static inline int sim_flow_hop(const sim_ctx *c, size_t f, size_t h)
{
    return c->flows[f].hops[h];
}

/* What its source offers (bytes/s; elastic: its optional cap; 0 = none). */
static inline double sim_flow_offered_Bps(const sim_ctx *c, size_t f)
{
    return c->flows[f].offered_Bps;
}

/* The cap its transfer runs under now (flow_set_cap; else offered). */
static inline double sim_flow_cap_Bps(const sim_ctx *c, size_t f)
{
    return c->flows[f].rate_cap_Bps;
}

static inline double sim_flow_mean_pkt_bytes(const sim_ctx *c, size_t f)
{
    return c->flows[f].mean_pkt_bytes;
}

/* Planned end of offering (inelastic; the run's duration otherwise). */
static inline double sim_flow_stop_s(const sim_ctx *c, size_t f) { return c->flows[f].stop_s; }

/* When it started offering (after the epoch); its completion time
 * (elastic: end - start + the route's propagation delay; NaN until it
 * completes); the route's one-way propagation delay. */
static inline double sim_flow_start_s(const sim_ctx *c, size_t f) { return c->flows[f].start_s; }
static inline double sim_flow_completion_s(const sim_ctx *c, size_t f)
{
    return c->flows[f].completion_s;
}
static inline double sim_flow_prop_latency_s(const sim_ctx *c, size_t f)
{
    return c->flows[f].prop_latency_s;
}

/* A spawned flow marked a streaming DMA (spawn.h flow_spawn_req). */
static inline bool sim_flow_dma_stream(const sim_ctx *c, size_t f)
{
    return f >= c->n_cfg_flows && c->spawn.slots[f - c->n_cfg_flows].dma_stream;
}

/* When it ended (stopped offering, or completed); NaN until then. */
static inline double sim_flow_end_s(const sim_ctx *c, size_t f) { return c->flows[f].end_s; }

/* Bytes delivered so far, including its running transfer's progress. */
static inline double sim_flow_delivered_now(const sim_ctx *c, size_t f)
{
    return flow_delivered_now(&c->flows[f]);
}

/* Bytes delivered by its finished or cancelled transfers (after the run:
 * everything it delivered). */
double sim_flow_delivered_bytes(const sim_ctx *c, size_t f);

/* The endpoint a VM NIC holds now (its configured VF, or where a live
 * migration put it: the standby virtio NIC, a destination VF). */
static inline int sim_nic_endpoint(const sim_ctx *c, endpoint_ref nic)
{
    return c->nic_now[c->nic_first[nic.vm_idx] + (size_t)nic.nic_idx];
}

/* ---- the flows moving now (running a transfer, or free: fluid.h) ---- */

/* SRIOV_CHECK_INCREMENTAL=1 (a debug switch read at run start): the
 * engine and the models check each incremental update against a full one
 * and fail the run on a difference (tests/e2e/test_incremental.sh). */
static inline int sim_check_incremental(const sim_ctx *c) { return c->check_incremental; }

/* Brings c->active up to date with the starts and stops journalled since
 * the last call (ledger.c); the accessors below call it when needed. */
void sim_active_sync(const sim_ctx *c);
static inline size_t sim_n_active(const sim_ctx *c)
{
    if (c->n_pend)
        sim_active_sync(c);
    return c->n_active;
}
static inline size_t sim_active_flow(const sim_ctx *c, size_t i)
{
    if (c->n_pend)
        sim_active_sync(c);
    return c->active[i];
}

/* ---- directed links ------------------------------------------------ */

size_t sim_n_dlinks(const sim_ctx *c);

/* The first dlink of topology link l (UP, or the link when not split;
 * DOWN is the next one). */
static inline int sim_dlink_of_topo(const sim_ctx *c, int l) { return c->dlink_of_topo[l]; }
static inline int sim_dlink_topo_link(const sim_ctx *c, int d) { return c->dlinks[d].topo_link; }
/* 1 UP, 0 DOWN, -1 not split. */
static inline int sim_dlink_up(const sim_ctx *c, int d) { return c->dlinks[d].up; }
/* Its capacity now (SimGrid's; sim_set_dlink_Bps changes it). */
static inline double sim_dlink_capacity_Bps(const sim_ctx *c, int d)
{
    return c->load[d].capacity_Bps;
}

/* The buffer behind dlink d's sending port (bytes): an adapter port's
 * transmit side the adapter's port_buffer, a ToR output port (down to a
 * host, up to a spine) fabric.tor_port_buffer; 0 where the scenario
 * names none (the latency model's default applies). */
double sim_dlink_buffer_bytes(const sim_ctx *c, int d);

/* ---- samples --------------------------------------------------------- */

size_t sim_n_samples(const sim_ctx *c);     /* taken so far */
size_t sim_max_samples(const sim_ctx *c);   /* rows the run allocates */

/* The flows' throughput over sample interval k (bits/s, as written to
 * /timeseries/flow_throughput_bps): sim_n_flows values, indexed by flow;
 * k < sim_n_samples. */
static inline const double *sim_sampled_flows_bps(const sim_ctx *c, size_t k)
{
    const series *s = &c->res->flow_throughput_bps;
    return s->values + k * s->n_cols;
}

/* ---- the run ----------------------------------------------------------- */

/* 1 once the run has failed (a model's error stops it: sim_fail). */
int sim_failed(const sim_ctx *c);

#endif
