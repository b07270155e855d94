/* virt.c -- see virt.h. */
#include "virtio/virt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/engine.h>

#include "virtio/cost.h"
#include "virtio/cpu_plan.h"

/* As topo.c: a link with no limit, far above any real rate. */
/* Demand weight of an elastic flow with no cap (bytes/s): elastic flows
 * take what is left, so only their packet size matters to the mix. */
#define ELASTIC_WEIGHT_Bps 1.25e9

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

static void virt_replan(sim_ctx *c);

/* Time 0, from the controller: polling and compute threads start. */
static void virt_start(sim_ctx *c, void *arg)
{
    (void)arg;
    virt_replan(c);
}

static int virt_init(sim_ctx *c)
{
    const scenario_config *cfg = c->cfg;
    struct virt_model *m = calloc(1, sizeof *m);
    if (!m)
        return -1;
    c->virt = m;
    /* the loader read models/virtio/ if, and only if, the scenario needs it */
    if (!cfg->virtio_loaded)
        return 0;
    m->p = cfg->virtio;
    m->loaded = true;
    m->n_hosts = cfg->n_hosts;
    m->host_pmd = calloc(cfg->n_hosts ? cfg->n_hosts : 1, sizeof(bool));
    m->vhost_Bps = calloc(cfg->n_hosts ? cfg->n_hosts : 1, sizeof(double));
    m->cpu_util = calloc((c->max_samples ? c->max_samples : 1) * (cfg->n_hosts ? cfg->n_hosts : 1),
                         sizeof(double));
    if (!m->host_pmd || !m->cpu_util || !m->vhost_Bps || virt_threads_init(c) != 0 ||
        sim_schedule(c, 0.0, virt_start, NULL) != 0) {
        snprintf(c->error, sizeof c->error, "out of memory");
        return -1;
    }
    for (size_t h = 0; h < cfg->n_hosts; h++)
        m->vhost_Bps[h] = TOPO_UNCAPPED_Bps;   /* as topo.c creates it */
    for (size_t v = 0; v < cfg->n_vms; v++)
        for (size_t n = 0; n < cfg->vms[v].n_nics; n++) {
            const nic_config *nic = &cfg->vms[v].nics[n];
            if (nic->attach == ATTACH_VIRTIO && virt_backend_by_name(nic->backend) == VB_VHOST_USER)
                m->host_pmd[cfg->vms[v].host_idx] = true;
        }
    return 0;
}

/* One flow end that costs cycles: on a host's vhost link (backend >= 0),
 * or on a guest driver (nic: flat NIC index). */
typedef struct cpu_end {
    size_t flow;
    int host;
    int backend;                /* -1: a guest end */
    size_t nic;
    double cpb;
    double weight_Bps;          /* demand weight in the packet mix */
} cpu_end;

/* What the flow offers (its scenario rate; 0 = elastic without a cap):
 * not rate_cap_Bps, which holds the guest cap this model set. */
static double flow_offered_Bps(const flow_rt *fl)
{
    return fl->cfg->rate_bps / 8.0;
}

static double flow_weight_Bps(const flow_rt *fl)
{
    double o = flow_offered_Bps(fl);
    return o > 0 ? o : ELASTIC_WEIGHT_Bps;
}

/* The ends of every active flow that cost cycles (at most four per flow),
 * and the demand they put on each thread group. */
static size_t collect_ends(const sim_ctx *c, cpu_end *ends, virt_demand *d)
{
    const struct virt_model *m = c->virt;
    size_t n = 0;
    for (size_t f = 0; f < c->n_flows; f++) {
        const flow_rt *fl = &c->flows[f];
        if (fl->phase != FLOW_ACTIVE)
            continue;
        double offered = flow_offered_Bps(fl);
        const endpoint_ref refs[2] = {fl->cfg->src, fl->cfg->dst};
        const int eps[2] = {fl->src_ep, fl->dst_ep};
        for (int i = 0; i < 2; i++) {
            int b = virt_end_backend(c, refs[i], eps[i]);
            if (b >= 0) {
                int h = c->topo->endpoints[eps[i]].host_idx;
                double cpb = virt_cycles_per_byte(&m->p.backend[b], fl->mean_pkt_bytes);
                ends[n++] = (cpu_end){f, h, b, 0, cpb, flow_weight_Bps(fl)};
                d->be_used[(size_t)h * VB_COUNT + (size_t)b] = true;
                d->be_cps[(size_t)h * VB_COUNT + (size_t)b] += offered > 0 ? offered * cpb : INFINITY;
            }
            if (refs[i].vm_idx < 0)
                continue;
            const nic_config *nic = &c->cfg->vms[refs[i].vm_idx].nics[refs[i].nic_idx];
            if (!nic->guest_written)
                continue;
            size_t k = m->nic_base[refs[i].vm_idx] + (size_t)refs[i].nic_idx;
            double cpb = virt_cycles_per_byte(&m->p.guest[nic->guest_dpdk], fl->mean_pkt_bytes);
            ends[n++] = (cpu_end){f, -1, -1, k, cpb, flow_weight_Bps(fl)};
            d->guest_used[k] = true;
            d->guest_cps[k] += offered > 0 ? offered * cpb : INFINITY;
        }
    }
    return n;
}

/* Capacity of host h's vhost link: its backend threads' cycles (at one
 * core each, shared with whatever else runs there) for the ends crossing it. */
static double host_capacity_Bps(const sim_ctx *c, int h, const cpu_end *ends, size_t n,
                                double *cpb, double *weight)
{
    bool used[VB_COUNT] = {false};
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (ends[i].backend < 0 || ends[i].host != h)
            continue;
        used[ends[i].backend] = true;
        cpb[k] = ends[i].cpb;
        weight[k++] = ends[i].weight_Bps;
    }
    double cap = virt_capacity_Bps(virt_backend_cps(c, h, used), cpb, weight, k);
    return isfinite(cap) ? cap : TOPO_UNCAPPED_Bps;
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

static void set_vhost_links(sim_ctx *c, const cpu_end *ends, size_t n, double *cpb,
                            double *weight)
{
    struct virt_model *m = c->virt;
    for (size_t h = 0; h < m->n_hosts; h++) {
        double bw = host_capacity_Bps(c, (int)h, ends, n, cpb, weight);
        double was = m->vhost_Bps[h];
        if (bw == was)
            continue;
        m->vhost_Bps[h] = bw;
        sim_set_link_Bps(c, c->topo->host_vhost_link[h], bw);
        if (bw > was)
            restart_host_flows(c, (int)h);
    }
}

/* Each guest NIC's cycles carry cps / mean cost bytes/s, split among its
 * flows by demand weight; a flow is capped at the lowest of its two ends'
 * parts (and never above what it offers). */
static void set_guest_caps(sim_ctx *c, const cpu_end *ends, size_t n)
{
    struct virt_model *m = c->virt;
    size_t nn = m->n_nics ? m->n_nics : 1;
    double *w = calloc(nn, sizeof *w), *wc = calloc(nn, sizeof *wc);
    double *lim = calloc(c->n_flows ? c->n_flows : 1, sizeof *lim);
    if (w && wc && lim) {
        for (size_t i = 0; i < n; i++)
            if (ends[i].backend < 0) {
                w[ends[i].nic] += ends[i].weight_Bps;
                wc[ends[i].nic] += ends[i].weight_Bps * ends[i].cpb;
            }
        for (size_t f = 0; f < c->n_flows; f++)
            lim[f] = INFINITY;
        for (size_t i = 0; i < n; i++) {
            if (ends[i].backend < 0 && wc[ends[i].nic] > 0) {
                size_t k = ends[i].nic;
                double nic_Bps = virt_guest_cps(c, k) * w[k] / wc[k];
                lim[ends[i].flow] = fmin(lim[ends[i].flow], nic_Bps * ends[i].weight_Bps / w[k]);
            }
        }
        for (size_t f = 0; f < c->n_flows; f++) {
            const flow_rt *fl = &c->flows[f];
            if (fl->phase != FLOW_ACTIVE && fl->phase != FLOW_PAUSED)
                continue;
            double offered = flow_offered_Bps(fl);
            double cap = offered > 0 ? fmin(offered, lim[f]) : (isfinite(lim[f]) ? lim[f] : 0);
            if (cap != fl->rate_cap_Bps)
                flow_set_cap(c, f, cap);
        }
    }
    free(w);
    free(wc);
    free(lim);
}

static void virt_replan(sim_ctx *c)
{
    struct virt_model *m = c->virt;
    if (!m || !m->loaded)
        return;
    size_t cap = 4 * c->n_flows + 1;
    cpu_end *ends = calloc(cap, sizeof *ends);
    double *cpb = calloc(cap, sizeof *cpb), *weight = calloc(cap, sizeof *weight);
    virt_demand d = {0};
    if (ends && cpb && weight && virt_demand_alloc(m, &d) == 0) {
        size_t n = collect_ends(c, ends, &d);
        virt_cpu_plan(c, &d);
        set_vhost_links(c, ends, n, cpb, weight);
        set_guest_caps(c, ends, n);
    }
    virt_demand_free(&d);
    free(ends);
    free(cpb);
    free(weight);
}

/* Cycles the bytes carried in the last interval cost: per host for
 * vhost-net (work[h]), per NIC for kernel guests (work[n_hosts + nic]). */
static void carried_cycles(const sim_ctx *c, size_t k, double dt_s, double *work)
{
    const struct virt_model *m = c->virt;
    const series *tp = &c->res->flow_throughput_bps;
    for (size_t f = 0; f < c->n_flows; f++) {
        const flow_rt *fl = &c->flows[f];
        double bytes = tp->values[k * tp->n_cols + f] / 8.0 * dt_s;
        const endpoint_ref refs[2] = {fl->cfg->src, fl->cfg->dst};
        const int eps[2] = {fl->src_ep, fl->dst_ep};
        for (int i = 0; i < 2 && bytes > 0; i++) {
            int b = virt_end_backend(c, refs[i], eps[i]);
            if (b == VB_VHOST_NET)
                work[c->topo->endpoints[eps[i]].host_idx] +=
                    bytes * virt_cycles_per_byte(&m->p.backend[b], fl->mean_pkt_bytes);
            if (refs[i].vm_idx < 0)
                continue;
            const nic_config *nic = &c->cfg->vms[refs[i].vm_idx].nics[refs[i].nic_idx];
            if (nic->guest_written && !nic->guest_dpdk)
                work[m->n_hosts + m->nic_base[refs[i].vm_idx] + (size_t)refs[i].nic_idx] +=
                    bytes * virt_cycles_per_byte(&m->p.guest[VG_KERNEL], fl->mean_pkt_bytes);
        }
    }
}

/* A thread that ran unchanged through the interval got what SimGrid gave
 * it: it must match the share the replan predicted. */
static void check_share(sim_ctx *c, const vthread *t, double got_cps)
{
    struct virt_model *m = c->virt;
    if (!t->exec || t->changed_s > m->last_sample_s + 1e-9)
        return;
    if (fabs(got_cps - t->rate_cps) <= 1e-6 * t->bound_cps + 1.0)
        return;
    if (m->cpu_mismatches++ == 0) {
        char detail[160];
        snprintf(detail, sizeof detail, "exec got %.6g cycles/s, predicted %.6g", got_cps,
                 t->rate_cps);
        eventlog_add(c, simgrid_get_clock(), t->host, -1, -1, "virt_cpu_mismatch", detail);
    }
}

/* Host CPU use in the interval just sampled, from the execs' progress. */
static void virt_sample(sim_ctx *c, size_t k, double dt_s)
{
    struct virt_model *m = c->virt;
    if (!m || !m->loaded || k >= c->max_samples || dt_s <= 0)
        return;
    size_t groups = m->n_hosts + m->n_nics + 1;
    double *work = calloc(groups, sizeof *work), *got = calloc(groups, sizeof *got);
    double *row = &m->cpu_util[k * m->n_hosts];
    if (work && got) {
        carried_cycles(c, k, dt_s, work);
        for (size_t i = 0; i < m->n_th; i++) {
            vthread *t = &m->th[i];
            double now = vthread_cycles(t), cyc = now - t->sampled;
            t->sampled = now;
            check_share(c, t, cyc / dt_s);
            if (t->host < 0)
                continue;
            if (t->polls)
                row[t->host] += cyc;
            else
                got[t->kind == VT_BACKEND ? (size_t)t->host
                                          : m->n_hosts + m->nic_base[t->a] + (size_t)t->b] += cyc;
        }
        /* a sleeping thread spends at most the cycles of what it carried;
         * a kernel guest's NIC counts on its VM's host now */
        for (size_t h = 0; h < m->n_hosts; h++)
            row[h] += fmin(got[h], work[h]);
        for (size_t v = 0; v < c->cfg->n_vms; v++)
            for (size_t n = 0; n < c->cfg->vms[v].n_nics; n++) {
                size_t g = m->n_hosts + m->nic_base[v] + n;
                row[virt_vm_host(c, (int)v)] += fmin(got[g], work[g]);
            }
        for (size_t h = 0; h < m->n_hosts; h++) {
            const host_config *hc = &c->cfg->hosts[h];
            double avail = hc->cores * hc->core_speed_hz * dt_s;
            row[h] = avail > 0 ? fmin(1.0, row[h] / avail) : 0;
        }
    }
    m->last_sample_s = simgrid_get_clock();
    if (k + 1 > m->n_rows)
        m->n_rows = k + 1;
    free(work);
    free(got);
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

/* Execs still running at the end are cancelled, which releases them:
 * SimGrid 3.32 keeps a started exec alive until it is waited for or
 * cancelled, from an actor. */
static void virt_stop(sim_ctx *c)
{
    struct virt_model *m = c->virt;
    for (size_t i = 0; m && i < m->n_th; i++)
        vthread_set(&m->th[i], m->th[i].host, NULL, 0, 0);
}

static void virt_fini(sim_ctx *c)
{
    struct virt_model *m = c->virt;
    if (!m)
        return;
    free(m->host_pmd);
    free(m->th);
    free(m->sg_host);
    free(m->nic_base);
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
    .stop = virt_stop,
    .collect = virt_collect,
    .fini = virt_fini,
};
