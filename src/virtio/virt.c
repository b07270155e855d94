/* virt.c -- see virt.h. */
#include "virtio/virt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/cost.h"

/* As topo.c: a link with no limit, far above any real rate. */
#define VHOST_UNCAPPED_Bps 1e15
/* Demand weight of an elastic flow with no cap (bytes/s): elastic flows
 * take what is left, so only their packet size matters to the mix. */
#define ELASTIC_WEIGHT_Bps 1.25e9

const char *virt_models_dir(void)
{
    const char *env = getenv("SRIOV_MODELS_DIR");
    return env && *env ? env : SRIOV_SOURCE_DIR "/models";
}

int virt_end_backend(const sim_ctx *c, endpoint_ref ref, int ep)
{
    if (ref.vm_idx < 0 || c->topo->endpoints[ep].kind != EP_SOFTWARE)
        return -1;
    const nic_config *nic = &c->cfg->vms[ref.vm_idx].nics[ref.nic_idx];
    if (nic->attach == ATTACH_VIRTIO) {
        int b = virt_backend_by_name(nic->backend);
        return b >= 0 ? b : VB_VHOST_NET;
    }
    /* a net_failover standby (QEMU virtio-net) or a vDPA NIC without a VF */
    return VB_VHOST_NET;
}

double virt_fixed_latency_s(const sim_ctx *c, size_t f)
{
    const struct virt_model *m = c->virt;
    const flow_rt *fl = &c->flows[f];
    if (!m || !m->loaded)
        return 0;
    int b1 = virt_end_backend(c, fl->cfg->src, fl->src_ep);
    int b2 = virt_end_backend(c, fl->cfg->dst, fl->dst_ep);
    return (b1 >= 0 ? m->p.backend[b1].latency_s : 0) + (b2 >= 0 ? m->p.backend[b2].latency_s : 0);
}

/* Does the scenario have anything this model (or migration) plays? */
static bool scenario_needs_virt(const scenario_config *cfg)
{
    for (size_t v = 0; v < cfg->n_vms; v++)
        for (size_t n = 0; n < cfg->vms[v].n_nics; n++)
            if (cfg->vms[v].nics[n].attach != ATTACH_VF || cfg->vms[v].nics[n].standby)
                return true;
    for (size_t e = 0; e < cfg->n_events; e++)
        if (cfg->events[e].type == EV_MIGRATE)
            return true;
    return false;
}

static int virt_init(sim_ctx *c)
{
    const scenario_config *cfg = c->cfg;
    struct virt_model *m = calloc(1, sizeof *m);
    if (!m)
        return -1;
    c->virt = m;
    if (!scenario_needs_virt(cfg))
        return 0;
    if (virt_params_load(virt_models_dir(), &m->p, c->error, sizeof c->error) != 0)
        return -1;
    m->loaded = true;
    m->n_hosts = cfg->n_hosts;
    m->host_cycles_per_s = calloc(cfg->n_hosts ? cfg->n_hosts : 1, sizeof(double));
    m->host_pmd = calloc(cfg->n_hosts ? cfg->n_hosts : 1, sizeof(bool));
    m->vhost_Bps = calloc(cfg->n_hosts ? cfg->n_hosts : 1, sizeof(double));
    m->cpu_util = calloc((c->max_samples ? c->max_samples : 1) * (cfg->n_hosts ? cfg->n_hosts : 1),
                         sizeof(double));
    if (!m->host_cycles_per_s || !m->host_pmd || !m->cpu_util || !m->vhost_Bps) {
        snprintf(c->error, sizeof c->error, "out of memory");
        return -1;
    }
    for (size_t h = 0; h < cfg->n_hosts; h++) {
        m->host_cycles_per_s[h] = cfg->hosts[h].cores * cfg->hosts[h].core_speed_hz;
        m->vhost_Bps[h] = VHOST_UNCAPPED_Bps;   /* as topo.c creates it */
    }
    for (size_t v = 0; v < cfg->n_vms; v++)
        for (size_t n = 0; n < cfg->vms[v].n_nics; n++) {
            const nic_config *nic = &cfg->vms[v].nics[n];
            if (nic->attach == ATTACH_VIRTIO && virt_backend_by_name(nic->backend) == VB_VHOST_USER)
                m->host_pmd[cfg->vms[v].host_idx] = true;
        }
    return 0;
}

/* One flow end crossing a host's vhost link. */
typedef struct vhost_end {
    int host;
    int backend;
    double cpb;
    double demand_Bps;
} vhost_end;

static double flow_demand_Bps(const flow_rt *fl)
{
    if (fl->rate_cap_Bps > 0)
        return fl->rate_cap_Bps;
    return ELASTIC_WEIGHT_Bps;
}

/* The software ends of every active flow (at most two per flow). */
static size_t collect_ends(const sim_ctx *c, vhost_end *ends)
{
    const struct virt_model *m = c->virt;
    size_t n = 0;
    for (size_t f = 0; f < c->n_flows; f++) {
        const flow_rt *fl = &c->flows[f];
        if (fl->phase != FLOW_ACTIVE)
            continue;
        const endpoint_ref refs[2] = {fl->cfg->src, fl->cfg->dst};
        const int eps[2] = {fl->src_ep, fl->dst_ep};
        for (int i = 0; i < 2; i++) {
            int b = virt_end_backend(c, refs[i], eps[i]);
            if (b < 0)
                continue;
            ends[n++] = (vhost_end){c->topo->endpoints[eps[i]].host_idx, b,
                                    virt_cycles_per_byte(&m->p.backend[b], fl->mean_pkt_bytes),
                                    flow_demand_Bps(fl)};
        }
    }
    return n;
}

/* Capacity of host h's vhost link for the ends crossing it. The cycles are
 * those of every backend in use there (each has its own cores), at most the
 * host's. */
static double host_capacity_Bps(const sim_ctx *c, int h, const vhost_end *ends, size_t n,
                                double *cpb, double *demand)
{
    const struct virt_model *m = c->virt;
    bool used[VB_COUNT] = {false};
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (ends[i].host != h)
            continue;
        used[ends[i].backend] = true;
        cpb[k] = ends[i].cpb;
        demand[k++] = ends[i].demand_Bps;
    }
    double cores = 0;
    for (int b = 0; b < VB_COUNT; b++)
        cores += used[b] ? m->p.backend[b].cores : 0;
    if (cores > c->cfg->hosts[h].cores)
        cores = c->cfg->hosts[h].cores;
    double cap = virt_capacity_Bps(cores * c->cfg->hosts[h].core_speed_hz, cpb, demand, k);
    return isfinite(cap) ? cap : VHOST_UNCAPPED_Bps;
}

/* SimGrid (CM02) bounds a transfer by its route's bandwidth when the
 * transfer starts; the shim lifts that bound, and where it could not
 * (flow_needs_restart_on_raise) the flows with an end on host h restart. */
static void restart_host_flows(sim_ctx *c, int h)
{
    for (size_t f = 0; f < c->n_flows; f++) {
        const flow_rt *fl = &c->flows[f];
        if (fl->phase != FLOW_ACTIVE || !flow_needs_restart_on_raise(fl))
            continue;
        const topo_endpoint *s = &c->topo->endpoints[fl->src_ep];
        const topo_endpoint *d = &c->topo->endpoints[fl->dst_ep];
        if ((s->kind == EP_SOFTWARE && s->host_idx == h) ||
            (d->kind == EP_SOFTWARE && d->host_idx == h))
            flow_rebind(c, f, fl->src_ep, fl->dst_ep);
    }
}

static void virt_replan(sim_ctx *c)
{
    struct virt_model *m = c->virt;
    if (!m || !m->loaded)
        return;
    size_t cap = 2 * c->n_flows + 1;
    vhost_end *ends = calloc(cap, sizeof *ends);
    double *cpb = calloc(cap, sizeof *cpb), *demand = calloc(cap, sizeof *demand);
    if (ends && cpb && demand) {
        size_t n = collect_ends(c, ends);
        for (size_t h = 0; h < m->n_hosts; h++) {
            double bw = host_capacity_Bps(c, (int)h, ends, n, cpb, demand);
            double was = m->vhost_Bps[h];
            if (bw == was)
                continue;
            m->vhost_Bps[h] = bw;
            sim_set_link_Bps(c, c->topo->host_vhost_link[h], bw);
            if (bw > was)
                restart_host_flows(c, (int)h);
        }
    }
    free(ends);
    free(cpb);
    free(demand);
}

/* Datapath cycles spent on each host in the interval just sampled. */
static void virt_sample(sim_ctx *c, size_t k, double dt_s)
{
    struct virt_model *m = c->virt;
    if (!m || !m->loaded || k >= c->max_samples || dt_s <= 0)
        return;
    double *row = &m->cpu_util[k * m->n_hosts];
    double *user = calloc(m->n_hosts ? m->n_hosts : 1, sizeof *user);
    if (!user)
        return;
    const series *tp = &c->res->flow_throughput_bps;
    for (size_t f = 0; f < c->n_flows; f++) {
        const flow_rt *fl = &c->flows[f];
        double bytes = tp->values[k * tp->n_cols + f] / 8.0 * dt_s;
        const endpoint_ref refs[2] = {fl->cfg->src, fl->cfg->dst};
        const int eps[2] = {fl->src_ep, fl->dst_ep};
        for (int i = 0; i < 2 && bytes > 0; i++) {
            int b = virt_end_backend(c, refs[i], eps[i]);
            if (b < 0)
                continue;
            int h = c->topo->endpoints[eps[i]].host_idx;
            double cycles = bytes * virt_cycles_per_byte(&m->p.backend[b], fl->mean_pkt_bytes);
            if (b == VB_VHOST_USER)
                user[h] += cycles;
            else
                row[h] += cycles;
        }
    }
    for (size_t h = 0; h < m->n_hosts; h++) {
        const host_config *hc = &c->cfg->hosts[h];
        /* PMD threads poll: their cores are busy whether or not there is work */
        double pmd = m->host_pmd[h] ? m->p.backend[VB_VHOST_USER].cores * hc->core_speed_hz * dt_s : 0;
        double used = row[h] + (user[h] > pmd ? user[h] : pmd);
        double avail = m->host_cycles_per_s[h] * dt_s;
        row[h] = avail > 0 ? fmin(1.0, used / avail) : 0;
    }
    if (k + 1 > m->n_rows)
        m->n_rows = k + 1;
    free(user);
}

static int virt_collect(const sim_ctx *c, run_results *r)
{
    const struct virt_model *m = c->virt;
    if (!m || !m->loaded)
        return 0;
    size_t rows = r->n_samples, cols = m->n_hosts;
    size_t cells = rows * cols;
    r->host_cpu_utilisation.values = calloc(cells ? cells : 1, sizeof(double));
    r->host_names = calloc(cols ? cols : 1, sizeof(char *));
    if (!r->host_cpu_utilisation.values || !r->host_names)
        return -1;
    r->host_cpu_utilisation.n_cols = cols;
    for (size_t i = 0; i < rows && i < m->n_rows; i++)
        memcpy(&r->host_cpu_utilisation.values[i * cols], &m->cpu_util[i * cols],
               cols * sizeof(double));
    for (size_t h = 0; h < cols; h++) {
        r->host_names[h] = strdup(c->cfg->hosts[h].name);
        if (!r->host_names[h])
            return -1;
        r->n_host_names = h + 1;
    }
    return 0;
}

static void virt_fini(sim_ctx *c)
{
    struct virt_model *m = c->virt;
    if (!m)
        return;
    free(m->host_cycles_per_s);
    free(m->host_pmd);
    free(m->vhost_Bps);
    free(m->cpu_util);
    free(m);
    c->virt = NULL;
}

const sim_model_ops virt_model_ops = {
    .name = "virtio-datapath",
    .init = virt_init,
    .replan = virt_replan,
    .fixed_latency_s = virt_fixed_latency_s,
    .sample = virt_sample,
    .collect = virt_collect,
    .fini = virt_fini,
};
