/* sampler.c -- per-interval accounting: throughput, link utilisation and
 * the latency accumulators. O(flows x route length) per sample, nothing
 * per packet. */
#include <math.h>
#include <simgrid/engine.h>
#include <stddef.h>
#include <simgrid/link.h>
#include <stdio.h>

#include "sim/models.h"
#include "sim/flows.h"
#include "sim/sampler.h"
#include "util/wallclock.h"

static int vf_row_of(const sim_ctx *c, int ep)
{
    return c->topo->endpoints[ep].vf_row;
}

static void account_flows(sim_ctx *c, size_t k, double dt)
{
    double *flow_tp = c->res->flow_throughput_bps.values + k * c->n_cfg_flows;
    double *vf_tp = c->res->vf_throughput_bps.values + k * c->topo->n_vfs;
    /* what spawned flows moved before they ended in this interval */
    for (size_t v = 0; c->spawn.vf_unsampled && v < c->topo->n_vfs; v++) {
        vf_tp[v] += c->spawn.vf_unsampled[v] * 8.0 / dt;
        c->spawn.vf_unsampled[v] = 0;
    }
    for (size_t f = 0; f < c->n_flows; f++) {
        flow_rt *fl = &c->flows[f];
        double now_bytes = flow_delivered_now(fl);
        double delta = now_bytes - fl->sampled_bytes;
        fl->sampled_bytes = now_bytes;
        if (f < c->n_cfg_flows) /* spawned flows have no series (spawn.h) */
            flow_tp[f] = delta * 8.0 / dt;
        for (size_t h = 0; h < fl->n_hops; h++)
            c->load[fl->hops[h]].interval_bytes += delta;
        int src_vf = vf_row_of(c, fl->src_ep), dst_vf = vf_row_of(c, fl->dst_ep);
        if (src_vf >= 0)
            vf_tp[src_vf] += delta * 8.0 / dt;
        if (dst_vf >= 0 && dst_vf != src_vf)
            vf_tp[dst_vf] += delta * 8.0 / dt;
    }
}

static void account_links(sim_ctx *c, size_t k, double now)
{
    double *util = c->res->link_utilisation.values + k * c->n_dlinks;
    for (size_t l = 0; l < c->n_dlinks; l++) {
        dlink *d = &c->dlinks[l];
        dlink_load *ld = &c->load[l];
        double cap_bytes = ld->cap_bytes + ld->capacity_Bps * (now - ld->cap_since_s);
        ld->cap_bytes = 0;
        ld->cap_since_s = now;
        d->total_cap_bytes += cap_bytes;
        ld->utilisation = cap_bytes > 0 ? ld->interval_bytes / cap_bytes : 0.0;
        if (ld->utilisation > d->peak_utilisation)
            d->peak_utilisation = ld->utilisation;
        d->bytes += ld->interval_bytes;
        util[l] = ld->utilisation;
        ld->interval_bytes = 0;
    }
}

/* The packets a flow sent in the interval met its hops at the loads just
 * measured; fold them into its latency distribution. */
static int add_latency(sim_ctx *c, size_t f, double delta_bytes)
{
    flow_rt *fl = &c->flows[f];
    lat_hop hops[LAT_MAX_HOPS];
    size_t n = 0;
    for (size_t h = 0; h < fl->n_hops && n < LAT_MAX_HOPS; h++) {
        /* The IOMMU "link" is the page walker, not a packet queue: its
         * delay comes from the datapath model's walk time (fixed cost). */
        if (h < 32 && (fl->walker_hops >> h & 1u))
            continue;
        const dlink_load *d = &c->load[fl->hops[h]];
        hops[n].capacity_bps = d->capacity_Bps * 8.0;
        hops[n].latency_s = d->latency_s;
        hops[n].utilisation = d->utilisation < 1.0 ? d->utilisation : 1.0;
        hops[n].buffer_bytes = 0;
        n++;
    }
    double packets = delta_bytes / fl->mean_pkt_bytes;
    return lat_acc_add_moments(&c->lat[f], hops, n, fl->size_m1, fl->size_m2,
                               models_fixed_latency_s(c, f), packets);
}

/* The progress line on stderr (run_options.progress), at most twice a
 * second of wall time. */
static void sampler_progress(sim_ctx *c)
{
    if (!c->opt.progress)
        return;
    double wall = wall_now();
    if (c->wall_start_s == 0) {
        c->wall_start_s = wall;
        c->next_progress_wall_s = wall + 1.0;
        return;
    }
    if (wall < c->next_progress_wall_s)
        return;
    c->next_progress_wall_s = wall + 0.5;
    double now = simgrid_get_clock(), total = c->cfg->sim.duration_s;
    fprintf(stderr, "\r  simulated %.3f of %.3f s (%3.0f%%), %zu flows active, wall %.1f s ",
            now, total, 100.0 * now / total, c->n_active, wall - c->wall_start_s);
    fflush(stderr);
}

int sampler_take(sim_ctx *c)
{
    if (c->n_samples >= c->max_samples)
        return 0;
    double now = simgrid_get_clock();
    double dt = now - c->last_sample_s;
    if (dt <= 0)
        return 0;
    size_t k = c->n_samples;
    c->res->time_s[k] = now;
    double *flow_tp = c->res->flow_throughput_bps.values + k * c->n_cfg_flows;
    account_flows(c, k, dt);
    account_links(c, k, now);
    for (size_t f = 0; f < c->n_cfg_flows; f++) {
        double delta = flow_tp[f] * dt / 8.0;
        if (delta > 0 && add_latency(c, f, delta) != 0) {
            snprintf(c->error, sizeof c->error, "latency model failed for flow %s",
                     c->flows[f].cfg->name);
            return -1;
        }
    }
    models_sample(c, k, dt);
    if (c->opt.on_sample)
        c->opt.on_sample(now);
    c->n_samples++;
    c->res->n_samples = c->n_samples;
    c->last_sample_s = now;
    sampler_progress(c);
    return 0;
}
