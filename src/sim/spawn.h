/* spawn.h -- flows made during the run (a workload's, src/workload/), not
 * listed in the scenario. A spawned flow is an engine flow like the
 * scenario's (same driver, ledger, fast path, solver), in a slot after
 * them: [n_cfg_flows, n_flows). Slots are reused once a flow ends, so
 * memory follows the flows alive at once, never the flows made.
 *
 * What differs from a scenario flow, on purpose:
 *   - the models' per-flow hooks do not see it (flow_started, and the
 *     per-flow arrays they size by sim_n_flows, which counts the
 *     scenario's flows only): no eSwitch verdict, FLR pause, migration
 *     rebind or PCIe descriptor mix of its own; it still crosses every
 *     link of its route (shapers, PCIe, IOMMU, ports, fabric) at the
 *     capacities the models set;
 *   - no per-flow time series and no latency accumulator; its bytes count
 *     in the links' utilisation and bytes, the VFs' throughput and totals
 *     and its guest NICs' views (carried.h: summed per link in one
 *     /link_transfers row "workload", not a /link_flows row per flow);
 *   - on_end(c, f, arg) runs once when it ends (completed, or cut by the
 *     end of the run), before its slot is reused: read what you need of
 *     flow f then (query.h).
 * Flow granularity only (the loader refuses workloads otherwise; the GPU
 * model spawns only at flow granularity).
 * Units: bytes, bytes per second, seconds.
 */
#ifndef SRIOV_SPAWN_H
#define SRIOV_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "sim/simctx.h"

typedef struct flow_spawn_req {
    const char *name;           /* borrowed: outlives the flow */
    endpoint_ref src, dst;      /* VM NICs */
    double size_bytes;          /* elastic: bytes to move, >= 1 */
    double cap_Bps;             /* 0 = uncapped */
    const pkt_size *pkt_sizes;  /* borrowed, at least one */
    size_t n_pkt_sizes;
    /* A device's streaming DMA over contiguous pinned host buffers (a GPU
     * copy): translated once per page it crosses, never unmapped; the
     * IOMMU model weighs it so on its host's IOMMU link (query.h
     * sim_flow_dma_stream). false: a NIC-like flow, which no model weighs
     * on the IOMMU (spawned flows have no per-flow hooks). */
    bool dma_stream;
} flow_spawn_req;

/* Starts an elastic flow now. Returns its index, or -1 with c->error set
 * (out of memory, or no route between its endpoints: the platform must
 * hold the pair, see models.h add_pairs). */
ssize_t flow_spawn(sim_ctx *c, const flow_spawn_req *r, flow_end_fn on_end, void *arg);

/* The same between two topology endpoints that are not VM NICs (a
 * device's DMA: topo.h endpoint indices; r's src and dst are ignored). The
 * flow counts at no VF and no guest NIC. */
ssize_t flow_spawn_ep(sim_ctx *c, const flow_spawn_req *r, int src_ep, int dst_ep,
                      flow_end_fn on_end, void *arg);

/* 1 when f is a spawned flow. */
static inline int flow_is_spawned(const sim_ctx *c, size_t f)
{
    return f >= c->n_cfg_flows;
}

/* flows.c, after a flow op: a spawned flow that has ended is reported
 * and its slot freed. */
void spawn_release_if_done(sim_ctx *c, size_t f);
/* Frees the spawn state (the slots' routes are freed with the flows). */
void spawn_free(sim_ctx *c);

#endif
