/* cpu_plan.c -- see cpu_plan.h. */
#include "virtio/cpu_plan.h"

#include <math.h>
#include <simgrid/host.h>
#include <stdlib.h>

#include "virtio/cost.h"

int virt_demand_alloc(const struct virt_model *m, virt_demand *d)
{
    size_t nb = m->n_hosts * VB_COUNT + 1, ng = m->n_nics + 1;
    d->be_cps = calloc(nb, sizeof *d->be_cps);
    d->be_used = calloc(nb, sizeof *d->be_used);
    d->guest_cps = calloc(ng, sizeof *d->guest_cps);
    d->guest_used = calloc(ng, sizeof *d->guest_used);
    return d->be_cps && d->be_used && d->guest_cps && d->guest_used ? 0 : -1;
}

void virt_demand_free(virt_demand *d)
{
    free(d->be_cps);
    free(d->be_used);
    free(d->guest_cps);
    free(d->guest_used);
}

/* Threads a cost entry runs on: ceil(cores); the last may be a fraction. */
static int thread_count(double cores)
{
    return cores > 0 ? (int)ceil(cores) : 0;
}

static size_t count_threads(const scenario_config *cfg, const virt_params *p)
{
    size_t n = cfg->n_hosts * (size_t)(thread_count(p->backend[VB_VHOST_NET].cores) +
                                       thread_count(p->backend[VB_VHOST_USER].cores));
    for (size_t v = 0; v < cfg->n_vms; v++) {
        const vm_config *vm = &cfg->vms[v];
        for (size_t i = 0; i < vm->n_nics; i++)
            if (vm->nics[i].guest_written)
                n += (size_t)thread_count(p->guest[vm->nics[i].guest_dpdk].cores);
        if (vm->cpu_load > 0)
            n += (size_t)vm->vcpus;
    }
    return n;
}

static void add_thread(struct virt_model *m, vthread_kind kind, int a, int b, bool polls)
{
    m->th[m->n_th++] = (vthread){.kind = kind, .a = a, .b = b, .polls = polls, .host = -1};
}

int virt_threads_init(sim_ctx *c)
{
    struct virt_model *m = virt_of(c);
    const scenario_config *cfg = c->cfg;
    m->nic_base = calloc(cfg->n_vms + 1, sizeof *m->nic_base);
    m->sg_host = calloc(cfg->n_hosts + 1, sizeof *m->sg_host);
    m->th = calloc(count_threads(cfg, &m->p) + 1, sizeof *m->th);
    if (!m->nic_base || !m->sg_host || !m->th)
        return -1;
    for (size_t h = 0; h < cfg->n_hosts; h++) {
        m->sg_host[h] = sg_host_by_name(cfg->hosts[h].name);
        if (h == 1)
            m->backends_per_host = m->n_th;
        for (int b = VB_VHOST_NET; b <= VB_VHOST_USER; b++)
            for (int i = 0; i < thread_count(m->p.backend[b].cores); i++)
                add_thread(m, VT_BACKEND, (int)h, b, b == VB_VHOST_USER);
    }
    if (cfg->n_hosts == 1)
        m->backends_per_host = m->n_th;
    for (size_t v = 0; v < cfg->n_vms; v++) {
        const vm_config *vm = &cfg->vms[v];
        m->nic_base[v] = m->n_nics;
        m->n_nics += vm->n_nics;
        for (size_t i = 0; i < vm->n_nics; i++) {
            const nic_config *nic = &vm->nics[i];
            for (int k = 0; nic->guest_written && k < thread_count(m->p.guest[nic->guest_dpdk].cores); k++)
                add_thread(m, VT_GUEST, (int)v, (int)i, nic->guest_dpdk);
        }
        for (int k = 0; vm->cpu_load > 0 && k < vm->vcpus; k++)
            add_thread(m, VT_LOAD, (int)v, k, true);
    }
    return 0;
}

/* The cost entry a thread runs and its position among that entry's threads. */
static const virt_cost *thread_cost(const struct virt_model *m, const sim_ctx *c,
                                    const vthread *t)
{
    if (t->kind == VT_BACKEND)
        return &m->p.backend[t->b];
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
    double fraction = fmin(1.0, cost->cores - index);
    double want;
    bool used;
    if (t->kind == VT_BACKEND) {
        size_t slot = (size_t)*host * VB_COUNT + (size_t)t->b;
        used = d->be_used[slot] || (t->polls && m->host_pmd[*host]);
        want = d->be_cps[slot];
    } else {
        size_t slot = m->nic_base[t->a] + (size_t)t->b;
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

void virt_cpu_plan(sim_ctx *c, const virt_demand *d)
{
    struct virt_model *m = virt_of(c);
    size_t n = m->n_th ? m->n_th : 1;
    int *host = calloc(n, sizeof *host);
    double *pot = calloc(n, sizeof *pot), *bound = calloc(n, sizeof *bound);
    if (host && pot && bound) {
        int index = 0;
        for (size_t i = 0; i < m->n_th; i++) {
            const vthread *t = &m->th[i];
            bool same = i > 0 && t->kind == m->th[i - 1].kind && t->a == m->th[i - 1].a &&
                        (t->kind == VT_LOAD || t->b == m->th[i - 1].b);
            index = same ? index + 1 : 0;
            thread_wants(c, d, t, index, &host[i], &pot[i], &bound[i]);
        }
        share_hosts(c, host, pot, bound);
        for (size_t i = 0; i < m->n_th; i++)
            vthread_set(&m->th[i], host[i], m->sg_host[host[i]], bound[i],
                        c->cfg->sim.duration_s);
    }
    free(host);
    free(pot);
    free(bound);
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

double virt_guest_cps(const sim_ctx *c, size_t n)
{
    const struct virt_model *m = virt_of(c);
    double cps = 0;
    for (size_t i = 0; i < m->n_th; i++) {
        const vthread *t = &m->th[i];
        if (t->kind == VT_GUEST && m->nic_base[t->a] + (size_t)t->b == n)
            cps += t->potential_cps;
    }
    return cps;
}
