/* virt.c -- see virt.h. */
#include "virtio/virt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/cost.h"
#include "virtio/cpu_plan.h"
#include "virtio/queues.h"
#include "virtio/rss.h"
#include "virtio/vqueue.h"
#include "virtio/vsample.h"

/* Demand weight of an elastic flow with no cap (bytes/s): elastic flows
 * take what is left, so only their packet size matters to the mix. */
#define ELASTIC_WEIGHT_Bps 1.25e9

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
    rss_key(cfg->sim.seed, m->rss_key);
    for (size_t v = 0; v < cfg->n_vms; v++) {
        m->per_vm = m->per_vm || cfg->vms[v].cpu_load > 0;
        for (size_t n = 0; n < cfg->vms[v].n_nics; n++)
            m->per_vm = m->per_vm || cfg->vms[v].nics[n].guest_written;
    }
    if (m->per_vm) {
        m->vm_net = calloc(rows * (cfg->n_vms + 1), sizeof *m->vm_net);
        m->vm_comp = calloc(rows * (cfg->n_vms + 1), sizeof *m->vm_comp);
        m->nic_irq_hz = calloc(rows * (m->n_nics + 1), sizeof *m->nic_irq_hz);
        bool kicks = false;
        for (size_t n = 0; n < m->n_nics; n++)
            kicks = kicks || (m->nic_notify[n] & VN_KICK);
        if (kicks)
            m->nic_kick_hz = calloc(rows * (m->n_nics + 1), sizeof *m->nic_kick_hz);
        if (!m->vm_net || !m->vm_comp || !m->nic_irq_hz || (kicks && !m->nic_kick_hz)) {
            snprintf(c->error, sizeof c->error, "out of memory");
            return -1;
        }
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
    size_t queue;               /* guest end: flat queue index */
    double frac;                /* guest end: share of the flow's connections on it */
    double pkt;                 /* mean packet size */
    double cpb;
    double weight_Bps;          /* demand weight in the packet mix (guest: x frac) */
    long server;                /* the one thread serving it (set_guest_caps'
                                 * numbering: guest queue, vhost-net queue, PMD);
                                 * -1: the host's vhost link only */
    bool link;                  /* counts in its host's vhost link capacity */
    bool rx;                    /* the flow's destination end (guest receives) */
} cpu_end;

/* A growing array of ends. */
typedef struct end_list {
    cpu_end *e;
    size_t n, cap;
    bool failed;
} end_list;

static void push_end(end_list *l, cpu_end e)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        cpu_end *ne = realloc(l->e, cap * sizeof *ne);
        if (!ne) {
            l->failed = true;
            return;
        }
        l->e = ne;
        l->cap = cap;
    }
    l->e[l->n++] = e;
}

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

/* A guest end of flow f: one end per queue its connections hash to. */
static void guest_ends(sim_ctx *c, size_t f, int i, end_list *l, virt_demand *d)
{
    struct virt_model *m = virt_of(c);
    const endpoint_ref ref = i ? sim_flow_cfg(c, f)->dst : sim_flow_cfg(c, f)->src;
    const nic_config *nic = &c->cfg->vms[ref.vm_idx].nics[ref.nic_idx];
    size_t k = m->nic_base[ref.vm_idx] + (size_t)ref.nic_idx;
    const virt_spread *s = virt_spread_of(c, f, i, k);
    if (!s) {
        l->failed = true;
        return;
    }
    double offered = flow_offered_Bps(c, f), pkt = sim_flow_mean_pkt_bytes(c, f);
    double cpb = virt_cycles_per_byte(&m->p.guest[nic->guest_dpdk], pkt);
    for (int q = 0; q < m->nic_queues[k]; q++) {
        if (!s->counts[q])
            continue;
        size_t qi = m->queue_base[k] + (size_t)q;
        double frac = (double)s->counts[q] / s->total;
        push_end(l, (cpu_end){f, -1, -1, qi, frac, pkt, cpb, flow_weight_Bps(c, f) * frac,
                              (long)qi, false, i == 1});
        d->guest_used[qi] = true;
        d->guest_cps[qi] += offered > 0 ? offered * frac * cpb : INFINITY;
        m->q_pps[qi] += offered > 0 ? offered * frac / pkt : INFINITY;
    }
}

/* The backend ends of flow end i of flow f on a virtio NIC whose queues
 * have their own threads: a vhost-net thread per queue (server nq + q),
 * or, for the guest's Tx rings on vhost-user, the PMD polling that ring
 * (server 2 nq + host x PMDs + pmd; that end adds a cap only, the host's
 * PMD pool stays on the vhost link). false: the NIC has no such threads. */
static bool queue_backend_ends(sim_ctx *c, size_t f, int i, cpu_end e, end_list *l,
                               virt_demand *d)
{
    struct virt_model *m = virt_of(c);
    const endpoint_ref ref = i ? sim_flow_cfg(c, f)->dst : sim_flow_cfg(c, f)->src;
    size_t k = m->nic_base[ref.vm_idx] + (size_t)ref.nic_idx;
    bool vhost = m->nic_notify[k] & VN_VHOST, pmd = (m->nic_notify[k] & VN_PMD) && i == 0;
    if (!vhost && !pmd)
        return false;
    const virt_spread *s = virt_spread_of(c, f, i, k);
    if (!s) {
        l->failed = true;
        return true;
    }
    double offered = flow_offered_Bps(c, f);
    for (int q = 0; q < m->nic_queues[k]; q++) {
        size_t qi = m->queue_base[k] + (size_t)q;
        if (!s->counts[q] || (pmd && m->q_pmd[qi] < 0))
            continue;
        cpu_end p = e;
        p.queue = qi;
        p.frac = (double)s->counts[q] / s->total;
        p.weight_Bps = e.weight_Bps * p.frac;
        if (vhost) {
            p.server = (long)(m->n_queues + qi);
            d->vq_used[qi] = true;
            d->vq_cps[qi] += offered > 0 ? offered * p.frac * e.cpb : INFINITY;
        } else {
            p.server = (long)(2 * m->n_queues + (size_t)e.host * (size_t)virt_pmds(m) +
                              (size_t)m->q_pmd[qi]);
            p.link = false;
        }
        push_end(l, p);
    }
    return vhost;
}

/* vhost-user: each host's PMDs poll the guests' Tx rings there round robin
 * (OVS-DPDK pmd-rxq-assign=roundrobin): queue j of the host, in VM, NIC and
 * queue order, on PMD j mod PMDs. */
static void assign_pmds(sim_ctx *c)
{
    struct virt_model *m = virt_of(c);
    int pmds = virt_pmds(m);
    size_t *next = calloc(m->n_hosts + 1, sizeof *next);
    for (size_t v = 0, n = 0; v < c->cfg->n_vms; v++) {
        int h = virt_vm_host(c, (int)v);
        for (size_t i = 0; i < c->cfg->vms[v].n_nics; i++, n++)
            for (int q = 0; q < m->nic_queues[n]; q++) {
                size_t qi = m->queue_base[n] + (size_t)q;
                m->q_pmd[qi] = -1;
                if ((m->nic_notify[n] & VN_PMD) && pmds > 0 && next)
                    m->q_pmd[qi] = (int)(next[h]++ % (size_t)pmds);
            }
    }
    free(next);
}

/* Share 0..1 of one core that cycles/s demand keep busy (elastic: 1). */
static double busy_share(double demand_cps, double core_hz)
{
    return core_hz > 0 ? fmin(1.0, demand_cps / core_hz) : 1.0;
}

/* Virtio notifications of the queues of flat NIC n (VM v), per packet of
 * each end on them (queues.h, virt_notify_rate_hz): an interrupt per
 * received packet the guest vCPU is idle for, a kick (one VM exit) per
 * sent packet the vhost-net thread is idle for. Busy shares come from the
 * packet work offered now, before notifications. */
static void virtio_notify_costs(sim_ctx *c, size_t v, size_t n, const virt_demand *d)
{
    struct virt_model *m = virt_of(c);
    double core = c->cfg->hosts[virt_vm_host(c, (int)v)].core_speed_hz;
    for (int q = 0; q < m->nic_queues[n]; q++) {
        size_t qi = m->queue_base[n] + (size_t)q;
        m->q_rx_idle[qi] = 1.0 - busy_share(d->guest_cps[qi], core);
        m->q_tx_idle[qi] = 1.0 - busy_share(d->vq_cps[qi], core);
    }
}

/* Cycles per packet the notifications of end e cost its guest vCPU. */
static double notify_cycles_per_packet(const sim_ctx *c, const cpu_end *e, int vm, uint8_t bits)
{
    const struct virt_model *m = virt_of(c);
    double batch = m->p.irq.notify_batch, exit;
    if (e->rx && (bits & VN_IRQ))
        return virt_irq_cycles(c, vm, &exit) * m->q_rx_idle[e->queue] / batch;
    if (!e->rx && (bits & VN_KICK))
        return m->p.irq.kick_exit_cycles * m->q_tx_idle[e->queue] / batch;
    return 0;
}

/* Interrupt cost of each queue at the packet rate offered to it: a
 * cycles-per-packet part joins its ends' cost, a timer-paced part
 * (q_irq_fixed_cps) is taken from its vCPU before packets. Virtio NICs:
 * notifications per end (virtio_notify_costs). */
static void charge_interrupts(sim_ctx *c, end_list *l, virt_demand *d)
{
    struct virt_model *m = virt_of(c);
    double *pp = calloc(m->n_queues + 1, sizeof *pp);
    long *q_vm = calloc(m->n_queues + 1, sizeof *q_vm);
    if (!pp || !q_vm) {
        free(pp);
        free(q_vm);
        l->failed = true;
        return;
    }
    for (size_t v = 0, n = 0; v < c->cfg->n_vms; v++)
        for (size_t i = 0; i < c->cfg->vms[v].n_nics; i++, n++) {
            double exit, per = virt_irq_cycles(c, (int)v, &exit);
            if (m->nic_notify[n])
                virtio_notify_costs(c, v, n, d);
            for (int q = 0; q < m->nic_queues[n]; q++) {
                size_t qi = m->queue_base[n] + (size_t)q;
                q_vm[qi] = (long)v;
                m->q_irq_fixed_cps[qi] = 0;
                if (m->nic_irq[n])
                    virt_irq_cost(m->q_pps[qi], m->nic_irq_T_s[n], m->nic_irq_P[n], per, &pp[qi],
                                  &m->q_irq_fixed_cps[qi]);
                d->guest_cps[qi] += m->q_irq_fixed_cps[qi];
            }
        }
    for (size_t j = 0; j < l->n; j++) {
        cpu_end *e = &l->e[j];
        if (e->backend >= 0)
            continue;
        const endpoint_ref ref = e->rx ? sim_flow_cfg(c, e->flow)->dst : sim_flow_cfg(c, e->flow)->src;
        uint8_t bits = m->nic_notify[m->nic_base[ref.vm_idx] + (size_t)ref.nic_idx];
        double per_packet = pp[e->queue] + notify_cycles_per_packet(c, e, (int)q_vm[e->queue], bits);
        if (per_packet <= 0)
            continue;
        double extra = per_packet / e->pkt;
        double offered = flow_offered_Bps(c, e->flow);
        e->cpb += extra;
        d->guest_cps[e->queue] += offered > 0 ? offered * e->frac * extra : INFINITY;
    }
    free(pp);
    free(q_vm);
}

/* The ends of every active flow that cost cycles (a backend end per
 * software endpoint, a guest end per queue), and the demand they put on
 * each thread group. */
static void collect_ends(sim_ctx *c, end_list *l, virt_demand *d)
{
    const struct virt_model *m = virt_of(c);
    memset(m->q_pps, 0, (m->n_queues ? m->n_queues : 1) * sizeof *m->q_pps);
    assign_pmds(c);
    for (size_t f = 0; f < sim_n_flows(c) && !l->failed; f++) {
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
                cpu_end e = {f, h, b, 0, 1, pkt, cpb, flow_weight_Bps(c, f), -1, true, i == 1};
                /* a vhost-net NIC's queues have their own threads; else the pool */
                if (refs[i].vm_idx < 0 || !queue_backend_ends(c, f, i, e, l, d)) {
                    push_end(l, e);
                    d->be_used[(size_t)h * VB_COUNT + (size_t)b] = true;
                    d->be_cps[(size_t)h * VB_COUNT + (size_t)b] +=
                        offered > 0 ? offered * cpb : INFINITY;
                }
            }
            if (refs[i].vm_idx >= 0 && c->cfg->vms[refs[i].vm_idx].nics[refs[i].nic_idx].guest_written)
                guest_ends(c, f, i, l, d);
        }
    }
    if (!l->failed)
        charge_interrupts(c, l, d);
}

/* Capacity of host h's vhost link: its backend threads' cycles (at one
 * core each, shared with whatever else runs there: the pool's used
 * threads, and vq_cps, its vhost-net queue threads') for the ends
 * crossing it. */
static double host_capacity_Bps(const sim_ctx *c, int h, const cpu_end *ends, size_t n,
                                double vq_cps, double *cpb, double *weight)
{
    bool used[VB_COUNT] = {false};
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (ends[i].backend < 0 || !ends[i].link || ends[i].host != h)
            continue;
        if (ends[i].server < 0)
            used[ends[i].backend] = true;
        cpb[k] = ends[i].cpb;
        weight[k++] = ends[i].weight_Bps;
    }
    double cap = virt_capacity_Bps(virt_backend_cps(c, h, used) + vq_cps, cpb, weight, k);
    return isfinite(cap) ? cap : TOPO_UNCAPPED_Bps;
}

static void set_vhost_links(sim_ctx *c, const cpu_end *ends, size_t n, double *cpb,
                            double *weight)
{
    struct virt_model *m = virt_of(c);
    double *vq = calloc(m->n_hosts + 1, sizeof *vq);
    if (!vq)
        return;
    for (size_t i = 0; i < m->n_th; i++)
        if (m->th[i].kind == VT_VHOST && m->th[i].host >= 0)
            vq[m->th[i].host] += m->th[i].potential_cps;
    for (size_t h = 0; h < m->n_hosts; h++) {
        double bw = host_capacity_Bps(c, (int)h, ends, n, vq[h], cpb, weight);
        if (bw == m->vhost_Bps[h])
            continue;
        m->vhost_Bps[h] = bw;
        sim_set_link_Bps(c, c->topo->host_vhost_link[h], bw);
    }
    free(vq);
    /* a vhost link that went up reaches the transfers on it (capacity.h) */
    sim_capacity_restart_raised(c);
}

/* Each single-thread server's cycles (a guest queue's vCPU less its
 * timer-paced interrupts, a vhost-net queue thread, a PMD) carry cycles /
 * mean cost bytes/s, split among the flow parts on it by demand weight; a
 * flow with a fraction x of its connections on a queue can go no faster
 * than its part there / x. A flow is capped at the lowest of its ends'
 * limits (and never above what it offers). Servers: [0, nq) guest queues,
 * [nq, 2 nq) vhost-net queue threads, then host x PMDs. */
static void set_guest_caps(sim_ctx *c, const cpu_end *ends, size_t n)
{
    struct virt_model *m = virt_of(c);
    size_t nq = m->n_queues, pmds = (size_t)virt_pmds(m);
    size_t ns = 2 * nq + m->n_hosts * pmds + 1;
    double *wc = calloc(ns, sizeof *wc), *cps = calloc(ns, sizeof *cps);
    double *lim = calloc(sim_n_flows(c) ? sim_n_flows(c) : 1, sizeof *lim);
    if (wc && cps && lim) {
        virt_queue_cps(c, cps);
        for (size_t h = 0; h < m->n_hosts; h++)
            for (size_t p = 0; p < pmds; p++)
                cps[2 * nq + h * pmds + p] = virt_pmd_cps(c, (int)h, (int)p);
        for (size_t q = 0; q < nq; q++)
            cps[q] = fmax(0, cps[q] - m->q_irq_fixed_cps[q]);
        for (size_t i = 0; i < n; i++)
            if (ends[i].server >= 0)
                wc[ends[i].server] += ends[i].weight_Bps * ends[i].cpb;
        for (size_t f = 0; f < sim_n_flows(c); f++)
            lim[f] = INFINITY;
        for (size_t i = 0; i < n; i++) {
            long q = ends[i].server;
            if (q >= 0 && wc[q] > 0) {
                double pkt_cps = cps[q];
                /* (cycles / mean cost) x (weight / w) / frac */
                double flow_Bps = pkt_cps * (ends[i].weight_Bps / ends[i].frac) / wc[q];
                lim[ends[i].flow] = fmin(lim[ends[i].flow], flow_Bps);
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
    free(wc);
    free(cps);
    free(lim);
}

static void virt_replan(sim_ctx *c)
{
    struct virt_model *m = virt_of(c);
    if (!m || !m->loaded)
        return;
    end_list l = {0};
    virt_demand d = {0};
    if (virt_demand_alloc(m, &d) == 0) {
        collect_ends(c, &l, &d);
        double *cpb = calloc(l.n + 1, sizeof *cpb), *weight = calloc(l.n + 1, sizeof *weight);
        if (!l.failed && cpb && weight) {
            virt_cpu_plan(c, &d);
            set_vhost_links(c, l.e, l.n, cpb, weight);
            set_guest_caps(c, l.e, l.n);
        }
        free(cpb);
        free(weight);
    }
    virt_demand_free(&d);
    free(l.e);
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
    return virt_queue_collect(c, r);
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
    virt_queue_free(m);
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
