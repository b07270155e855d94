/* sampler.c -- per-interval accounting: throughput, link utilisation and
 * the latency accumulators. O(flows x route length) per sample, nothing
 * per packet. */
#include <math.h>
#include <simgrid/engine.h>
#include <stddef.h>
#include <simgrid/link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/capacity.h"
#include "sim/carried.h"
#include "sim/models.h"
#include "sim/hop_mix.h"
#include "sim/portfifo.h"
#include "sim/flows.h"
#include "sim/sampler.h"
#include "sim/tandem_mix.h"
#include "util/wallclock.h"

static void account_flows(sim_ctx *c, size_t k, double dt)
{
    double *flow_tp = c->res->flow_throughput_bps.values + k * c->n_cfg_flows;
    double *vf_tp = c->res->vf_throughput_bps.values + k * c->topo->n_vfs;
    for (size_t f = 0; f < c->n_flows; f++) {
        flow_rt *fl = &c->flows[f];
        double now_bytes = flow_delivered_now(fl);
        double delta = now_bytes - fl->sampled_bytes;
        fl->sampled_bytes = now_bytes;
        if (f < c->n_cfg_flows) /* spawned flows have no series (spawn.h) */
            flow_tp[f] = delta * 8.0 / dt;
    }
    /* Links and VFs: by the route each byte took (a re-routed flow left
     * its earlier bytes on its old route: carried.h). */
    carried_sample_flows(c);
    carried_sample_xfers(c);
    carried_take_vf_interval(c, vf_tp, dt);
}

static void account_links(sim_ctx *c, size_t k, double now)
{
    double *util = c->res->link_utilisation.values + k * c->n_dlinks;
    for (size_t l = 0; l < c->n_dlinks; l++) {
        dlink *d = &c->dlinks[l];
        dlink_load *ld = &c->load[l];
        capacity_note_uncapped(c, (int)l, now);
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

/* A flow's queueing hops (page walkers left out: the IOMMU "link" is the
 * walker, not a packet queue; its delay is the datapath model's walk time,
 * a fixed cost), with their capacities and whether each is a switch fabric
 * (transparent to latency_feed.h). Returns how many, <= LAT_MAX_HOPS. */
size_t sampler_queue_hops(const sim_ctx *c, const flow_rt *fl, int *links,
                         unsigned char *transparent, double *cap_Bps)
{
    size_t n = 0;
    for (size_t h = 0; h < fl->n_hops && n < LAT_MAX_HOPS; h++) {
        if (h < 32 && (fl->walker_hops >> h & 1u))
            continue;
        int l = fl->hops[h];
        /* The kinds of the first 32 hops are kept in the flow's masks
         * (flows.c): called per flow several times per sample, the
         * topology look-up was 6 % of pod-1k's time. */
        if (h < 32) {
            transparent[n] = (unsigned char)(fl->fabric_hops >> h & 1u);
        } else {
            link_kind_t k = c->topo->links[c->dlinks[l].topo_link].kind;
            transparent[n] = k == LK_TOR || k == LK_ESWITCH;
        }
        links[n] = l;
        cap_Bps[n] = c->load[l].capacity_Bps;
        n++;
    }
    return n;
}

/* The buffer behind a hop (bytes; 0 = the latency model's default): an
 * adapter port's transmit side has the adapter's port_buffer, the ToR's
 * output ports (down to a host, up to a spine) fabric.tor_port_buffer. */
double sampler_hop_buffer_bytes(const sim_ctx *c, int l)
{
    const dlink *d = &c->dlinks[l];
    const topo_link *t = &c->topo->links[d->topo_link];
    if (t->kind == LK_PORT && d->up == 1 && t->host_idx >= 0 && t->adapter_idx >= 0)
        return c->cfg->hosts[t->host_idx].adapters[t->adapter_idx].port_buffer_bytes;
    if ((t->kind == LK_PORT && d->up == 0) || t->kind == LK_UPLINK)
        return c->cfg->fabric.tor_port_buffer_bytes;
    return 0;
}

double sim_dlink_buffer_bytes(const sim_ctx *c, int d)
{
    return sampler_hop_buffer_bytes(c, d);
}

/* Where queues can form this interval: every flow that moved bytes
 * declares its hops and its source (a constant-rate inelastic source feeds
 * at its rate, any other at will). */
static void feed_interval(sim_ctx *c, const double *flow_tp)
{
    int links[LAT_MAX_HOPS];
    unsigned char tr[LAT_MAX_HOPS];
    double cap[LAT_MAX_HOPS];
    lat_feed_reset(c->lat_feed);
    for (int pass = 0; pass <= LAT_MAX_HOPS; pass++) {
        lat_feed_pass(c->lat_feed);
        for (size_t f = 0; f < c->n_flows; f++) {
            const flow_rt *fl = &c->flows[f];
            /* a spawned flow has no series (spawn.h): it feeds while it runs */
            bool moved = f < c->n_cfg_flows ? flow_tp[f] > 0 : fl->phase == FLOW_ACTIVE;
            if (!moved)
                continue;
            size_t n = sampler_queue_hops(c, fl, links, tr, cap);
            double src = INFINITY;
            if (fl->inelastic && fl->cfg->arrivals == ARRIVALS_CONSTANT && fl->offered_Bps > 0)
                src = fl->offered_Bps;
            /* on/off: packets come at the peak rate while on, none while off */
            if (fl->inelastic && fl->cfg->arrivals == ARRIVALS_ONOFF)
                src = fl->cfg->peak_rate_bps / 8.0;
            lat_feed_flow(c->lat_feed, links, tr, cap, n, src, f);
        }
        if (!lat_feed_settle(c->lat_feed))
            break;
    }
}

/* The on/off sources' aggregate on every queueing hop this interval
 * (latency.h: lat_onoff_law): mean rate (measured), peak rate and the
 * rate-weighted mean on and off periods, summed into c->onoff_agg. */
static int onoff_interval(sim_ctx *c, const double *flow_tp)
{
    int links[LAT_MAX_HOPS];
    unsigned char tr[LAT_MAX_HOPS];
    double cap[LAT_MAX_HOPS];
    int any = 0;
    for (size_t f = 0; f < c->n_cfg_flows; f++) {
        const flow_rt *fl = &c->flows[f];
        if (!(flow_tp[f] > 0) || !fl->inelastic || fl->cfg->arrivals != ARRIVALS_ONOFF)
            continue;
        if (!any && !c->onoff_agg &&
            !(c->onoff_agg = calloc(4 * (c->n_dlinks ? c->n_dlinks : 1), sizeof(double))))
            return -1;
        if (!any)
            memset(c->onoff_agg, 0, 4 * c->n_dlinks * sizeof(double));
        any = 1;
        size_t n = sampler_queue_hops(c, fl, links, tr, cap);
        for (size_t h = 0; h < n; h++) {
            double *a = c->onoff_agg + 4 * (size_t)links[h];
            a[0] += flow_tp[f];
            a[1] += fmax(fl->cfg->peak_rate_bps, flow_tp[f]);
            a[2] += flow_tp[f] * fl->cfg->on_mean_s;
            a[3] += flow_tp[f] * fl->cfg->off_mean_s;
        }
    }
    if (!any && c->onoff_agg)
        memset(c->onoff_agg, 0, 4 * c->n_dlinks * sizeof(double));
    return 0;
}

/* Hop h cannot queue by rate (its feeders cannot outrun it), but when
 * its one feeder is the flow's previous hop at the same rate and the
 * packets there vary in size, a small packet behind a larger one waits
 * (metrics/tandem.h, exact for an M/G/1 upstream hop; the upstream size
 * mix: tandem_mix.h). */
static void tandem_wait(const sim_ctx *c, const flow_rt *fl, const int *links,
                        const unsigned char *tr, const double *cap, size_t h, lat_hop *hop)
{
    const flow_config *fc = fl->cfg;
    long p = tandem_upstream(c, links, tr, cap, h);
    const lat_tandem_law *law = p >= 0 ? tandem_mix_law(c, links[p]) : NULL;
    if (!law || fc->n_pkt_sizes > LAT_TANDEM_MAX_SIZES)
        return;
    double svc[LAT_TANDEM_MAX_SIZES], w[LAT_TANDEM_MAX_SIZES], pw, mean;
    for (size_t i = 0; i < fc->n_pkt_sizes; i++) {
        svc[i] = fc->pkt_sizes[i].size_bytes / cap[p];
        w[i] = fc->pkt_sizes[i].weight;
    }
    if (lat_tandem_flow(law, svc, w, fc->n_pkt_sizes, &pw, &mean) != 0 || !(pw > 0))
        return;
    hop->tandem_p = pw;
    hop->tandem_theta_s = mean / pw;
}

/* The packets a flow sent in the interval met its hops at the loads just
 * measured; fold them into its latency distribution. A hop whose feeders
 * cannot outrun it (feed_interval) builds no queue: no wait there. */
static int add_latency(sim_ctx *c, size_t f, double delta_bytes)
{
    flow_rt *fl = &c->flows[f];
    lat_hop hops[LAT_MAX_HOPS];
    int links[LAT_MAX_HOPS];
    unsigned char tr[LAT_MAX_HOPS];
    double cap[LAT_MAX_HOPS];
    size_t n = sampler_queue_hops(c, fl, links, tr, cap);
    for (size_t h = 0; h < n; h++) {
        const dlink_load *d = &c->load[links[h]];
        hops[h].capacity_bps = d->capacity_Bps * 8.0;
        hops[h].latency_s = d->latency_s;
        hops[h].utilisation = d->utilisation < 1.0 ? d->utilisation : 1.0;
        hops[h].tandem_p = hops[h].tandem_theta_s = 0;
        hop_mix_moments(c, links[h], &hops[h].mix_m1, &hops[h].mix_m2);
        if (!lat_feed_can_queue(c->lat_feed, links[h], d->capacity_Bps)) {
            hops[h].utilisation = 0;
            tandem_wait(c, fl, links, tr, cap, h, &hops[h]);
        }
        hops[h].buffer_bytes = sampler_hop_buffer_bytes(c, links[h]);
        const double *a = c->onoff_agg ? c->onoff_agg + 4 * (size_t)links[h] : NULL;
        hops[h].onoff_bps = hops[h].onoff_peak_bps = hops[h].on_mean_s = hops[h].off_mean_s = 0;
        hops[h].self_onoff = 0;
        if (a && a[0] > 0) {
            hops[h].onoff_bps = a[0];
            hops[h].onoff_peak_bps = a[1];
            hops[h].on_mean_s = a[2] / a[0];
            hops[h].off_mean_s = a[3] / a[0];
            hops[h].self_onoff = fl->inelastic && fl->cfg->arrivals == ARRIVALS_ONOFF;
        }
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
    /* The models first: their fixed latencies (the walker's mean walk time
     * at this interval's load) must describe this interval, not the last
     * (issue 15: a flow saturating the walker in the first interval showed
     * no translation delay, a light one after it inherited the queue). */
    models_sample(c, k, dt);
    feed_interval(c, flow_tp);
    if (portfifo_sample(c, now) != 0) {
        snprintf(c->error, sizeof c->error, "out of memory (port FIFO reference)");
        return -1;
    }
    if (hop_mix_interval(c, flow_tp) != 0) {
        snprintf(c->error, sizeof c->error, "out of memory (hop size mixes)");
        return -1;
    }
    if (tandem_mix_interval(c, flow_tp) != 0) {
        snprintf(c->error, sizeof c->error, "out of memory (size mixes)");
        return -1;
    }
    if (onoff_interval(c, flow_tp) != 0) {
        snprintf(c->error, sizeof c->error, "out of memory (on/off sources)");
        return -1;
    }
    /* spawned flows have no latency accumulator (spawn.h) */
    for (size_t f = 0; f < c->n_cfg_flows; f++) {
        double delta = flow_tp[f] * dt / 8.0;
        if (delta > 0 && add_latency(c, f, delta) != 0) {
            snprintf(c->error, sizeof c->error, "latency model failed for flow %s",
                     c->flows[f].cfg->name);
            return -1;
        }
    }
    if (c->opt.on_sample)
        c->opt.on_sample(now);
    c->n_samples++;
    c->res->n_samples = c->n_samples;
    c->last_sample_s = now;
    sampler_progress(c);
    return 0;
}
