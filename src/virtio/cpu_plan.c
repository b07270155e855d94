/* cpu_plan.c -- see cpu_plan.h. */
#include "virtio/cpu_plan.h"

#include <math.h>
#include <simgrid/host.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/cost.h"
#include "virtio/queues.h"

int virt_demand_alloc(const struct virt_model *m, virt_demand *d)
{
    size_t nb = m->n_hosts * VB_COUNT + 1, ng = m->n_queues + 1;
    d->be_cps = calloc(nb, sizeof *d->be_cps);
    d->be_used = calloc(nb, sizeof *d->be_used);
    d->guest_cps = calloc(ng, sizeof *d->guest_cps);
    d->guest_used = calloc(ng, sizeof *d->guest_used);
    d->vq_cps = calloc(ng, sizeof *d->vq_cps);
    d->vq_used = calloc(ng, sizeof *d->vq_used);
    return d->be_cps && d->be_used && d->guest_cps && d->guest_used && d->vq_cps && d->vq_used
               ? 0
               : -1;
}

void virt_demand_free(virt_demand *d)
{
    free(d->be_cps);
    free(d->be_used);
    free(d->guest_cps);
    free(d->guest_used);
    free(d->vq_cps);
    free(d->vq_used);
}

/* Threads a cost entry runs on: ceil(cores); the last may be a fraction. */
static int thread_count(double cores)
{
    return cores > 0 ? (int)ceil(cores) : 0;
}

/* A virtio NIC on vhost-net: one vhost kernel thread per queue pair
 * (drivers/vhost/net.c: a vhost device, and so a worker, per tap queue). */
static bool nic_vhost_net(const nic_config *nic)
{
    return nic->attach == ATTACH_VIRTIO && virt_backend_by_name(nic->backend) == VB_VHOST_NET;
}

static size_t count_threads(const scenario_config *cfg, const virt_params *p)
{
    size_t n = cfg->n_hosts * (size_t)(thread_count(p->backend[VB_VHOST_NET].cores) +
                                       thread_count(p->backend[VB_VHOST_USER].cores));
    for (size_t v = 0; v < cfg->n_vms; v++) {
        const vm_config *vm = &cfg->vms[v];
        for (size_t i = 0; i < vm->n_nics; i++) {
            if (vm->nics[i].guest_written)
                n += (size_t)virt_nic_queues(cfg, vm, &vm->nics[i]) *
                     (size_t)thread_count(p->guest[vm->nics[i].guest_dpdk].cores);
            if (nic_vhost_net(&vm->nics[i]))
                n += (size_t)virt_nic_queues(cfg, vm, &vm->nics[i]);
        }
        if (vm->cpu_load > 0)
            n += (size_t)vm->vcpus;
    }
    return n;
}

static void add_thread(struct virt_model *m, vthread_kind kind, int a, int b, int q, bool polls)
{
    m->th[m->n_th++] = (vthread){.kind = kind, .a = a, .b = b, .q = q, .polls = polls, .host = -1};
}

/* The virtio notifications and threads of a NIC (VN_* in virt.h). */
static uint8_t notify_bits(const nic_config *nic)
{
    if (nic->attach != ATTACH_VIRTIO)
        return 0;
    uint8_t bits = 0;
    bool vhost_net = nic_vhost_net(nic);
    if (nic->guest_written && !nic->guest_dpdk)
        bits |= VN_IRQ;
    if (nic->guest_written && vhost_net)
        bits |= VN_KICK;
    bits |= vhost_net ? VN_VHOST : VN_PMD;
    return bits;
}

/* Each NIC's queue count and moderation, and the flat queue numbering. */
static int plan_queues(sim_ctx *c)
{
    struct virt_model *m = virt_of(c);
    const scenario_config *cfg = c->cfg;
    size_t nn = 0;
    for (size_t v = 0; v < cfg->n_vms; v++)
        nn += cfg->vms[v].n_nics;
    size_t alloc = nn ? nn : 1;
    m->nic_queues = calloc(alloc, sizeof *m->nic_queues);
    m->queue_base = calloc(alloc, sizeof *m->queue_base);
    m->nic_irq_T_s = calloc(alloc, sizeof *m->nic_irq_T_s);
    m->nic_irq_P = calloc(alloc, sizeof *m->nic_irq_P);
    m->nic_irq = calloc(alloc, sizeof *m->nic_irq);
    m->nic_notify = calloc(alloc, sizeof *m->nic_notify);
    if (!m->nic_queues || !m->queue_base || !m->nic_irq_T_s || !m->nic_irq_P || !m->nic_irq ||
        !m->nic_notify)
        return -1;
    size_t k = 0;
    for (size_t v = 0; v < cfg->n_vms; v++)
        for (size_t i = 0; i < cfg->vms[v].n_nics; i++, k++) {
            const nic_config *nic = &cfg->vms[v].nics[i];
            m->nic_queues[k] = virt_nic_queues(cfg, &cfg->vms[v], nic);
            m->queue_base[k] = m->n_queues;
            m->n_queues += (size_t)m->nic_queues[k];
            m->nic_irq[k] = virt_nic_moderation(cfg, &cfg->vms[v], nic, &m->nic_irq_T_s[k],
                                                &m->nic_irq_P[k]);
            m->nic_notify[k] = notify_bits(nic);
        }
    size_t nq = m->n_queues ? m->n_queues : 1;
    m->q_irq_fixed_cps = calloc(nq, sizeof *m->q_irq_fixed_cps);
    m->q_pps = calloc(nq, sizeof *m->q_pps);
    m->qstat = calloc(nq, sizeof *m->qstat);
    m->q_rx_idle = calloc(nq, sizeof *m->q_rx_idle);
    m->q_tx_idle = calloc(nq, sizeof *m->q_tx_idle);
    m->q_pmd = calloc(nq, sizeof *m->q_pmd);
    return m->q_irq_fixed_cps && m->q_pps && m->qstat && m->q_rx_idle && m->q_tx_idle && m->q_pmd
               ? 0
               : -1;
}

int virt_threads_init(sim_ctx *c)
{
    struct virt_model *m = virt_of(c);
    const scenario_config *cfg = c->cfg;
    m->nic_base = calloc(cfg->n_vms + 1, sizeof *m->nic_base);
    m->sg_host = calloc(cfg->n_hosts + 1, sizeof *m->sg_host);
    m->th = calloc(count_threads(cfg, &m->p) + 1, sizeof *m->th);
    if (!m->nic_base || !m->sg_host || !m->th || plan_queues(c) != 0)
        return -1;
    for (size_t h = 0; h < cfg->n_hosts; h++) {
        m->sg_host[h] = sg_host_by_name(cfg->hosts[h].name);
        if (h == 1)
            m->backends_per_host = m->n_th;
        for (int b = VB_VHOST_NET; b <= VB_VHOST_USER; b++)
            for (int i = 0; i < thread_count(m->p.backend[b].cores); i++)
                add_thread(m, VT_BACKEND, (int)h, b, 0, b == VB_VHOST_USER);
    }
    if (cfg->n_hosts == 1)
        m->backends_per_host = m->n_th;
    for (size_t v = 0; v < cfg->n_vms; v++) {
        const vm_config *vm = &cfg->vms[v];
        m->nic_base[v] = m->n_nics;
        m->n_nics += vm->n_nics;
        for (size_t i = 0; i < vm->n_nics; i++) {
            int nq = m->nic_queues[m->nic_base[v] + i];
            for (int q = 0; nic_vhost_net(&vm->nics[i]) && q < nq; q++)
                add_thread(m, VT_VHOST, (int)v, (int)i, q, false);
        }
        for (size_t i = 0; i < vm->n_nics; i++) {
            const nic_config *nic = &vm->nics[i];
            int per_queue = thread_count(m->p.guest[nic->guest_dpdk].cores);
            int nq = m->nic_queues[m->nic_base[v] + i];
            for (int q = 0; nic->guest_written && q < nq; q++)
                for (int k = 0; k < per_queue; k++)
                    add_thread(m, VT_GUEST, (int)v, (int)i, q, nic->guest_dpdk);
        }
        for (int k = 0; vm->cpu_load > 0 && k < vm->vcpus; k++)
            add_thread(m, VT_LOAD, (int)v, k, 0, true);
    }
    return 0;
}

/* The cost entry a thread runs and its position among that entry's threads. */
static const virt_cost *thread_cost(const struct virt_model *m, const sim_ctx *c,
                                    const vthread *t)
{
    if (t->kind == VT_BACKEND)
        return &m->p.backend[t->b];
    if (t->kind == VT_VHOST)
        return &m->p.backend[VB_VHOST_NET];
    return &m->p.guest[c->cfg->vms[t->a].nics[t->b].guest_dpdk];
}

/* Its host now, its cap at one core (potential) and its exec's cap. */
static void thread_wants(const sim_ctx *c, const virt_demand *d, const vthread *t, int index,
                         int *host, double *potential, double *bound)
{
    const struct virt_model *m = virt_of(c);
    *host = t->kind == VT_BACKEND ? t->a : virt_vm_host(c, t->a);
    double core = c->cfg->hosts[*host].core_speed_hz;
    if (t->kind == VT_LOAD) {
        *potential = *bound = core * c->cfg->vms[t->a].cpu_load;
        return;
    }
    const virt_cost *cost = thread_cost(m, c, t);
    if (t->kind == VT_VHOST) {
        /* one thread per queue pair, at most one core */
        size_t slot = m->queue_base[m->nic_base[t->a] + (size_t)t->b] + (size_t)t->q;
        *potential = d->vq_used[slot] ? core : 0;
        *bound = fmin(*potential, d->vq_cps[slot]);
        return;
    }
    double fraction = fmin(1.0, cost->cores - index);
    double want;
    bool used;
    if (t->kind == VT_BACKEND) {
        size_t slot = (size_t)*host * VB_COUNT + (size_t)t->b;
        used = d->be_used[slot] || (t->polls && m->host_pmd[*host]);
        want = d->be_cps[slot];
    } else {
        size_t slot = m->queue_base[m->nic_base[t->a] + (size_t)t->b] + (size_t)t->q;
        used = d->guest_used[slot] || t->polls;
        want = d->guest_cps[slot];
    }
    *potential = used ? core * fraction : 0;
    /* a sleeping thread asks for its work only; a polling one for its core */
    *bound = t->polls ? *potential : fmin(*potential, want / thread_count(cost->cores));
}

/* Shares each host's cores among its threads, twice: under the execs'
 * caps (what SimGrid will give them) and with every running thread at its
 * potential (what a datapath thread could get if it had more work). */
static void share_hosts(const sim_ctx *c, const int *host, const double *pot, const double *bound)
{
    struct virt_model *m = virt_of(c);
    size_t n = m->n_th ? m->n_th : 1;
    /* Threads bucketed by host (a counting sort), so each host's share
     * costs its own threads: scanning all threads per host was quadratic
     * at pod scale. */
    size_t *start = calloc(m->n_hosts + 2, sizeof *start);
    size_t *idx = calloc(n, sizeof *idx);
    double *b = calloc(n, sizeof *b), *p = calloc(n, sizeof *p), *r = calloc(n, sizeof *r);
    double *rp = calloc(n, sizeof *rp);
    if (start && idx && b && p && r && rp) {
        for (size_t i = 0; i < m->n_th; i++)
            if (host[i] >= 0 && (size_t)host[i] < m->n_hosts)
                start[host[i] + 2]++;
        for (size_t h = 2; h <= m->n_hosts + 1; h++)
            start[h] += start[h - 1];
        for (size_t i = 0; i < m->n_th; i++)
            if (host[i] >= 0 && (size_t)host[i] < m->n_hosts)
                idx[start[host[i] + 1]++] = i;
    }
    for (size_t h = 0; start && idx && b && p && r && rp && h < m->n_hosts; h++) {
        size_t k = 0;
        for (size_t j = start[h]; j < start[h + 1]; j++) {
            b[k] = bound[idx[j]];
            p[k++] = pot[idx[j]];
        }
        double cap = c->cfg->hosts[h].cores * c->cfg->hosts[h].core_speed_hz;
        virt_fair_share(cap, b, r, k);
        virt_fair_share(cap, p, rp, k);
        for (size_t j = 0; j < k; j++) {
            m->th[idx[start[h] + j]].rate_cps = r[j];
            m->th[idx[start[h] + j]].potential_cps = rp[j];
        }
    }
    free(start);
    free(idx);
    free(b);
    free(p);
    free(r);
    free(rp);
}

/* The most vCPUs of any VM (queue q runs on vCPU q < vcpus). */
static size_t max_vcpus(const sim_ctx *c)
{
    size_t n = 1;
    for (size_t v = 0; v < c->cfg->n_vms; v++)
        if ((size_t)c->cfg->vms[v].vcpus > n)
            n = (size_t)c->cfg->vms[v].vcpus;
    return n;
}

void virt_cpu_plan(sim_ctx *c, const virt_demand *d)
{
    struct virt_model *m = virt_of(c);
    size_t n = m->n_th ? m->n_th : 1;
    int *host = calloc(n, sizeof *host);
    double *pot = calloc(n, sizeof *pot), *bound = calloc(n, sizeof *bound);
    size_t nv = max_vcpus(c);
    double *net = calloc(nv + 1, sizeof *net);
    if (host && pot && bound && net) {
        int index = 0;
        for (size_t i = 0; i < m->n_th; i++) {
            const vthread *t = &m->th[i];
            bool same = i > 0 && t->kind == m->th[i - 1].kind && t->a == m->th[i - 1].a &&
                        (t->kind == VT_LOAD || (t->b == m->th[i - 1].b && t->q == m->th[i - 1].q));
            bool new_vm = i == 0 || t->a != m->th[i - 1].a || m->th[i - 1].kind == VT_BACKEND;
            if (new_vm && t->kind != VT_BACKEND)
                memset(net, 0, (size_t)c->cfg->vms[t->a].vcpus * sizeof *net);
            index = same ? index + 1 : 0;
            thread_wants(c, d, t, index, &host[i], &pot[i], &bound[i]);
            if (t->kind == VT_GUEST)
                net[t->q] += bound[i];
            else if (t->kind == VT_LOAD) {
                /* NAPI runs in softirq, ahead of the vCPU's tasks: compute
                 * gets what the queue on its vCPU leaves */
                double core = c->cfg->hosts[host[i]].core_speed_hz;
                pot[i] = bound[i] = fmin(bound[i], fmax(0, core - net[t->b]));
            }
        }
        share_hosts(c, host, pot, bound);
        for (size_t i = 0; i < m->n_th; i++)
            vthread_set(&m->th[i], host[i], m->sg_host[host[i]], bound[i],
                        c->cfg->sim.duration_s);
    }
    free(host);
    free(pot);
    free(bound);
    free(net);
}

/* Host h's backend threads only (they are laid out per host): looking
 * through every thread for each host was quadratic at pod scale. */
double virt_backend_cps(const sim_ctx *c, int h, const bool *used)
{
    const struct virt_model *m = virt_of(c);
    double cps = 0;
    size_t first = (size_t)h * m->backends_per_host;
    for (size_t i = first; i < first + m->backends_per_host && i < m->n_th; i++) {
        const vthread *t = &m->th[i];
        if (t->kind == VT_BACKEND && t->a == h && used[t->b])
            cps += t->potential_cps;
    }
    return cps;
}

void virt_queue_cps(const sim_ctx *c, double *cps)
{
    const struct virt_model *m = virt_of(c);
    for (size_t i = 0; i < m->n_th; i++) {
        const vthread *t = &m->th[i];
        size_t qi = t->kind == VT_GUEST || t->kind == VT_VHOST
                        ? m->queue_base[m->nic_base[t->a] + (size_t)t->b] + (size_t)t->q
                        : 0;
        if (t->kind == VT_GUEST)
            cps[qi] += t->potential_cps;
        else if (t->kind == VT_VHOST)
            cps[m->n_queues + qi] += t->potential_cps;
    }
}

int virt_pmds(const struct virt_model *m)
{
    return thread_count(m->p.backend[VB_VHOST_USER].cores);
}

double virt_pmd_cps(const sim_ctx *c, int h, int pmd)
{
    const struct virt_model *m = virt_of(c);
    size_t i = (size_t)h * m->backends_per_host +
               (size_t)thread_count(m->p.backend[VB_VHOST_NET].cores) + (size_t)pmd;
    return i < m->n_th && m->th[i].kind == VT_BACKEND && m->th[i].a == h ? m->th[i].potential_cps
                                                                         : 0;
}
