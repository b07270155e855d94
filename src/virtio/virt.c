/* virt.c -- see virt.h. */
#include "virtio/virt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/engine.h>

#include "virtio/cost.h"
#include "virtio/cpu_plan.h"

/* Demand weight of an elastic flow with no cap (bytes/s): elastic flows
 * take what is left, so only their packet size matters to the mix. */
#define ELASTIC_WEIGHT_Bps 1.25e9

/* The backend serving one flow end on a software endpoint: the NIC's own
 * backend when it is virtio, the standby (vhost-net) for a VF or vDPA NIC
 * moved to software. -1 when the end is not on a software endpoint. */
static int virt_end_backend(const sim_ctx *c, endpoint_ref ref, int ep)
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

/* Fixed per-packet latency the software hops add to flow f (seconds): the
 * backends' latency at each end on a software endpoint. For the sampler's
 * latency model. */
static double virt_fixed_latency_s(const sim_ctx *c, size_t f)
{
    const struct virt_model *m = virt_of(c);
    if (!m || !m->loaded)
        return 0;
    const flow_config *fc = sim_flow_cfg(c, f);
    int b1 = virt_end_backend(c, fc->src, sim_flow_src_ep(c, f));
    int b2 = virt_end_backend(c, fc->dst, sim_flow_dst_ep(c, f));
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
    sim_set_model_state(c, &virt_model_ops, m);
    /* the loader read models/virtio/ if, and only if, the scenario needs it */
    if (!cfg->virtio_loaded)
        return 0;
    m->p = cfg->virtio;
    m->loaded = true;
    m->n_hosts = cfg->n_hosts;
    m->host_pmd = calloc(cfg->n_hosts ? cfg->n_hosts : 1, sizeof(bool));
    m->vhost_Bps = calloc(cfg->n_hosts ? cfg->n_hosts : 1, sizeof(double));
    size_t rows = sim_max_samples(c) ? sim_max_samples(c) : 1;
    m->cpu_util = calloc(rows * (cfg->n_hosts ? cfg->n_hosts : 1), sizeof(double));
    m->vm_host = calloc(cfg->n_vms ? cfg->n_vms : 1, sizeof *m->vm_host);
    if (!m->host_pmd || !m->cpu_util || !m->vhost_Bps || !m->vm_host || virt_threads_init(c) != 0 ||
        sim_schedule(c, 0.0, virt_start, NULL) != 0) {
        snprintf(c->error, sizeof c->error, "out of memory");
        return -1;
    }
    for (size_t h = 0; h < cfg->n_hosts; h++)
        m->vhost_Bps[h] = TOPO_UNCAPPED_Bps;   /* as topo.c creates it */
    for (size_t v = 0; v < cfg->n_vms; v++)
        m->vm_host[v] = cfg->vms[v].host_idx;
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
static double flow_offered_Bps(const sim_ctx *c, size_t f)
{
    return sim_flow_cfg(c, f)->rate_bps / 8.0;
}

static double flow_weight_Bps(const sim_ctx *c, size_t f)
{
    double o = flow_offered_Bps(c, f);
    return o > 0 ? o : ELASTIC_WEIGHT_Bps;
}

/* The ends of every active flow that cost cycles (at most four per flow),
 * and the demand they put on each thread group. */
static size_t collect_ends(const sim_ctx *c, cpu_end *ends, virt_demand *d)
{
    const struct virt_model *m = virt_of(c);
    size_t n = 0;
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        if (sim_flow_phase(c, f) != FLOW_ACTIVE)
            continue;
        double offered = flow_offered_Bps(c, f), pkt = sim_flow_mean_pkt_bytes(c, f);
        const endpoint_ref refs[2] = {sim_flow_cfg(c, f)->src, sim_flow_cfg(c, f)->dst};
        const int eps[2] = {sim_flow_src_ep(c, f), sim_flow_dst_ep(c, f)};
        for (int i = 0; i < 2; i++) {
            int b = virt_end_backend(c, refs[i], eps[i]);
            if (b >= 0) {
                int h = c->topo->endpoints[eps[i]].host_idx;
                double cpb = virt_cycles_per_byte(&m->p.backend[b], pkt);
                ends[n++] = (cpu_end){f, h, b, 0, cpb, flow_weight_Bps(c, f)};
                d->be_used[(size_t)h * VB_COUNT + (size_t)b] = true;
                d->be_cps[(size_t)h * VB_COUNT + (size_t)b] += offered > 0 ? offered * cpb : INFINITY;
            }
            if (refs[i].vm_idx < 0)
                continue;
            const nic_config *nic = &c->cfg->vms[refs[i].vm_idx].nics[refs[i].nic_idx];
            if (!nic->guest_written)
                continue;
            size_t k = m->nic_base[refs[i].vm_idx] + (size_t)refs[i].nic_idx;
            double cpb = virt_cycles_per_byte(&m->p.guest[nic->guest_dpdk], pkt);
            ends[n++] = (cpu_end){f, -1, -1, k, cpb, flow_weight_Bps(c, f)};
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

static void set_vhost_links(sim_ctx *c, const cpu_end *ends, size_t n, double *cpb,
                            double *weight)
{
    struct virt_model *m = virt_of(c);
    for (size_t h = 0; h < m->n_hosts; h++) {
        double bw = host_capacity_Bps(c, (int)h, ends, n, cpb, weight);
        if (bw == m->vhost_Bps[h])
            continue;
        m->vhost_Bps[h] = bw;
        sim_set_link_Bps(c, c->topo->host_vhost_link[h], bw);
    }
    /* a vhost link that went up reaches the transfers on it (capacity.h) */
    sim_capacity_restart_raised(c);
}

/* Each guest NIC's cycles carry cps / mean cost bytes/s, split among its
 * flows by demand weight; a flow is capped at the lowest of its two ends'
 * parts (and never above what it offers). */
static void set_guest_caps(sim_ctx *c, const cpu_end *ends, size_t n)
{
    struct virt_model *m = virt_of(c);
    size_t nn = m->n_nics ? m->n_nics : 1;
    double *w = calloc(nn, sizeof *w), *wc = calloc(nn, sizeof *wc);
    double *lim = calloc(sim_n_flows(c) ? sim_n_flows(c) : 1, sizeof *lim);
    if (w && wc && lim) {
        for (size_t i = 0; i < n; i++)
            if (ends[i].backend < 0) {
                w[ends[i].nic] += ends[i].weight_Bps;
                wc[ends[i].nic] += ends[i].weight_Bps * ends[i].cpb;
            }
        for (size_t f = 0; f < sim_n_flows(c); f++)
            lim[f] = INFINITY;
        for (size_t i = 0; i < n; i++) {
            if (ends[i].backend < 0 && wc[ends[i].nic] > 0) {
                size_t k = ends[i].nic;
                double nic_Bps = virt_guest_cps(c, k) * w[k] / wc[k];
                lim[ends[i].flow] = fmin(lim[ends[i].flow], nic_Bps * ends[i].weight_Bps / w[k]);
            }
        }
        for (size_t f = 0; f < sim_n_flows(c); f++) {
            flow_phase_t phase = sim_flow_phase(c, f);
            if (phase != FLOW_ACTIVE && phase != FLOW_PAUSED)
                continue;
            double offered = flow_offered_Bps(c, f);
            double cap = offered > 0 ? fmin(offered, lim[f]) : (isfinite(lim[f]) ? lim[f] : 0);
            if (cap != sim_flow_cap_Bps(c, f))
                flow_set_cap(c, f, cap);
        }
    }
    free(w);
    free(wc);
    free(lim);
}

static void virt_replan(sim_ctx *c)
{
    struct virt_model *m = virt_of(c);
    if (!m || !m->loaded)
        return;
    size_t cap = 4 * sim_n_flows(c) + 1;
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
    const struct virt_model *m = virt_of(c);
    const double *tp = sim_sampled_flows_bps(c, k);
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        double bytes = tp[f] / 8.0 * dt_s, pkt = sim_flow_mean_pkt_bytes(c, f);
        const endpoint_ref refs[2] = {sim_flow_cfg(c, f)->src, sim_flow_cfg(c, f)->dst};
        const int eps[2] = {sim_flow_src_ep(c, f), sim_flow_dst_ep(c, f)};
        for (int i = 0; i < 2 && bytes > 0; i++) {
            int b = virt_end_backend(c, refs[i], eps[i]);
            if (b == VB_VHOST_NET)
                work[c->topo->endpoints[eps[i]].host_idx] +=
                    bytes * virt_cycles_per_byte(&m->p.backend[b], pkt);
            if (refs[i].vm_idx < 0)
                continue;
            const nic_config *nic = &c->cfg->vms[refs[i].vm_idx].nics[refs[i].nic_idx];
            if (nic->guest_written && !nic->guest_dpdk)
                work[m->n_hosts + m->nic_base[refs[i].vm_idx] + (size_t)refs[i].nic_idx] +=
                    bytes * virt_cycles_per_byte(&m->p.guest[VG_KERNEL], pkt);
        }
    }
}

/* A thread that ran unchanged through the interval got what SimGrid gave
 * it: it must match the share the replan predicted. */
static void check_share(sim_ctx *c, const vthread *t, double got_cps)
{
    struct virt_model *m = virt_of(c);
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
    struct virt_model *m = virt_of(c);
    if (!m || !m->loaded || k >= sim_max_samples(c) || dt_s <= 0)
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
    const struct virt_model *m = virt_of(c);
    if (!m || !m->loaded)
        return 0;
    size_t rows = r->n_samples, cols = m->n_hosts;
    /* software datapath CPU (vhost, OVS-DPDK PMD) per host, 0..1 of the host */
    results_series *s = results_series_add(&r->reg, "host_cpu_utilisation", "1", rows, cols);
    if (!s)
        return -1;
    for (size_t i = 0; i < rows && i < m->n_rows; i++)
        memcpy(&s->values[i * cols], &m->cpu_util[i * cols], cols * sizeof(double));
    for (size_t h = 0; h < cols; h++) {
        s->columns[h] = strdup(c->cfg->hosts[h].name);
        if (!s->columns[h])
            return -1;
    }
    return 0;
}

/* Execs still running at the end are cancelled, which releases them:
 * SimGrid 3.32 keeps a started exec alive until it is waited for or
 * cancelled, from an actor. */
static void virt_stop(sim_ctx *c)
{
    struct virt_model *m = virt_of(c);
    for (size_t i = 0; m && i < m->n_th; i++)
        vthread_set(&m->th[i], m->th[i].host, NULL, 0, 0);
}

static void virt_fini(sim_ctx *c)
{
    struct virt_model *m = virt_of(c);
    if (!m)
        return;
    free(m->host_pmd);
    free(m->th);
    free(m->sg_host);
    free(m->nic_base);
    free(m->vhost_Bps);
    free(m->cpu_util);
    free(m->vm_host);
    free(m);
    sim_set_model_state(c, &virt_model_ops, NULL);
}

const virt_params *virt_loaded_params(const sim_ctx *c)
{
    const struct virt_model *m = virt_of(c);
    return m && m->loaded ? &m->p : NULL;
}

int virt_vm_host(const sim_ctx *c, int vm)
{
    const struct virt_model *m = virt_of(c);
    return m && m->vm_host ? m->vm_host[vm] : c->cfg->vms[vm].host_idx;
}

void virt_set_vm_host(sim_ctx *c, int vm, int host)
{
    struct virt_model *m = virt_of(c);
    if (m && m->vm_host)
        m->vm_host[vm] = host;
}

const sim_model_ops virt_model_ops = {
    .name = "virtio-datapath",
    .needs_live_capacities = true,
    .init = virt_init,
    .replan = virt_replan,
    .fixed_latency_s = virt_fixed_latency_s,
    .sample = virt_sample,
    .stop = virt_stop,
    .collect = virt_collect,
    .fini = virt_fini,
};
