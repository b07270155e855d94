/* total.c -- see total.h. */
#include "adapter/total.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/engine.h"
#include "scenario/ether.h"
#include "sim/query.h"

/* Demand weight of an elastic flow (no offered rate): far above any
 * inelastic rate, so elastic flows weigh the mix equally among themselves. */
#define TOTAL_ELASTIC_WEIGHT 1e12

typedef struct total_state {
    double *w;          /* [dlink] sum of demand weights crossing it */
    double *wire;       /* [dlink] sum of weight x wire bytes / frame bytes */
    double *pkts;       /* [dlink] sum of weight / frame bytes */
} total_state;

/* The capacity in frame bytes/s for a mix: w = sum of demand weights,
 * wire = sum of w x (frame + 20 B) / frame, pkts = sum of w / frame. The
 * rate limit holds the mix's wire bytes, the packet limit its packets;
 * INFINITY when neither is stated. */
static double mix_Bps(double rate_bps, double pps, double w, double wire, double pkts)
{
    double by_rate = rate_bps > 0 ? rate_bps / 8.0 * w / wire : INFINITY;
    double by_pps = pps > 0 ? pps * w / pkts : INFINITY;
    return fmin(by_rate, by_pps);
}

double adapter_total_Bps(double rate_bps, double pps, double packet_bytes)
{
    return mix_Bps(rate_bps, pps, 1.0,
                   eth_wire_bytes(packet_bytes) / packet_bytes,
                   1.0 / packet_bytes);
}

static total_state *st_of(const sim_ctx *c)
{
    return sim_model_state(c, &adapter_total_model);
}

static void accumulate(sim_ctx *c, total_state *s)
{
    for (size_t i = 0; i < sim_n_active(c); i++) {
        size_t f = sim_active_flow(c, i);
        double offered = sim_flow_offered_Bps(c, f);
        double w = offered > 0 ? offered : TOTAL_ELASTIC_WEIGHT;
        double p = sim_flow_mean_pkt_bytes(c, f);
        for (size_t h = 0; h < sim_flow_n_hops(c, f); h++) {
            int dl = sim_flow_hop(c, f, h);
            if (c->topo->links[sim_dlink_topo_link(c, dl)].kind != LK_ADAPTER)
                continue;
            s->w[dl] += w;
            s->wire[dl] += w * eth_wire_bytes(p) / p;
            s->pkts[dl] += w / p;
        }
    }
}

/* One direction: the rate limit over the mix's wire bytes and the packet
 * limit over its packets, whichever is lower; with no flows, the stated
 * rate as it is (what /links reports as the capacity of an idle card). */
static double direction_Bps(const adapter_config *a, const total_state *s, int dl)
{
    if (s->w[dl] <= 0)
        return a->total_rate_bps > 0 ? a->total_rate_bps / 8.0 : TOPO_UNCAPPED_Bps;
    double cap = mix_Bps(a->total_rate_bps, a->total_packet_rate_pps, s->w[dl], s->wire[dl],
                         s->pkts[dl]);
    return isinf(cap) ? TOPO_UNCAPPED_Bps : cap;
}

static void total_replan(sim_ctx *c)
{
    total_state *s = st_of(c);
    if (!s)
        return;
    size_t nd = sim_n_dlinks(c);
    for (size_t i = 0; i < nd; i++)
        s->w[i] = s->wire[i] = s->pkts[i] = 0;
    accumulate(c, s);
    for (size_t l = 0; l < c->topo->n_links; l++) {
        const topo_link *tl = &c->topo->links[l];
        if (tl->kind != LK_ADAPTER)
            continue;
        const adapter_config *a = &c->cfg->hosts[tl->host_idx].adapters[tl->adapter_idx];
        for (int d = 0; d < 2; d++) {
            int dl = sim_dlink_of_topo(c, (int)l) + d;
            double cap = direction_Bps(a, s, dl);
            if (sim_dlink_capacity_Bps(c, dl) != cap)
                sim_set_dlink_Bps(c, dl, cap);
        }
    }
    sim_capacity_restart_raised(c);
}

static bool has_total_link(const sim_ctx *c)
{
    for (size_t l = 0; l < c->topo->n_links; l++)
        if (c->topo->links[l].kind == LK_ADAPTER)
            return true;
    return false;
}

static int total_init(sim_ctx *c)
{
    if (!has_total_link(c))
        return 0;
    total_state *s = calloc(1, sizeof *s);
    size_t nd = sim_n_dlinks(c) ? sim_n_dlinks(c) : 1;
    if (s) {
        s->w = calloc(nd, sizeof(double));
        s->wire = calloc(nd, sizeof(double));
        s->pkts = calloc(nd, sizeof(double));
    }
    sim_set_model_state(c, &adapter_total_model, s);
    if (!s || !s->w || !s->wire || !s->pkts) {
        snprintf(c->error, sizeof c->error, "adapter total model: out of memory");
        return -1;
    }
    total_replan(c);
    return 0;
}

static void total_fini(sim_ctx *c)
{
    total_state *s = st_of(c);
    if (!s)
        return;
    free(s->w);
    free(s->wire);
    free(s->pkts);
    free(s);
    sim_set_model_state(c, &adapter_total_model, NULL);
}

const sim_model_ops adapter_total_model = {
    .name = "adapter-total",
    .needs_live_capacities = true,
    .init = total_init,
    .replan = total_replan,
    .fini = total_fini,
};
