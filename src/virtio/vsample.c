/* vsample.c -- see vsample.h. */
#include "virtio/vsample.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <simgrid/engine.h>

#include "virtio/cost.h"
#include "virtio/vqueue.h"

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

/* Cycles the bytes carried in the last interval cost the vhost-net
 * threads: the host pool's per host (work[h]), a virtio NIC's queue
 * threads per queue (work[n_hosts + n_queues + q]); the guests' queues
 * are vqueue.c's. */
static void carried_cycles(sim_ctx *c, size_t k, double dt_s, double *work)
{
    const struct virt_model *m = virt_of(c);
    const double *tp = sim_sampled_flows_bps(c, k);
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        double bytes = tp[f] / 8.0 * dt_s, pkt = sim_flow_mean_pkt_bytes(c, f);
        const endpoint_ref refs[2] = {sim_flow_cfg(c, f)->src, sim_flow_cfg(c, f)->dst};
        const int eps[2] = {sim_flow_src_ep(c, f), sim_flow_dst_ep(c, f)};
        for (int i = 0; i < 2 && bytes > 0; i++) {
            int b = virt_end_backend(c, refs[i], eps[i]);
            if (b != VB_VHOST_NET)
                continue;
            double cyc = bytes * virt_cycles_per_byte(&m->p.backend[b], pkt);
            size_t n = refs[i].vm_idx >= 0 ? m->nic_base[refs[i].vm_idx] + (size_t)refs[i].nic_idx : 0;
            const virt_spread *s = refs[i].vm_idx >= 0 && (m->nic_notify[n] & VN_VHOST)
                                       ? virt_spread_of(c, f, i, n)
                                       : NULL;
            if (!s) {
                work[c->topo->endpoints[eps[i]].host_idx] += cyc;
                continue;
            }
            for (int q = 0; q < m->nic_queues[n]; q++)
                work[m->n_hosts + m->n_queues + m->queue_base[n] + (size_t)q] +=
                    cyc * s->counts[q] / s->total;
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

/* The VMs' vCPU use in sample k: network (guest queue threads, less the
 * VM exits, which are the host's) and compute, each / (vcpus x core). */
static void vm_sample(sim_ctx *c, size_t k, double dt_s, const double *used_q,
                      const double *exit_q, const double *poll_vm, const double *load_vm)
{
    struct virt_model *m = virt_of(c);
    const scenario_config *cfg = c->cfg;
    for (size_t v = 0, n = 0; m->per_vm && v < cfg->n_vms; v++) {
        double net = poll_vm[v];
        for (size_t i = 0; i < cfg->vms[v].n_nics; i++, n++)
            for (int q = 0; q < m->nic_queues[n]; q++) {
                size_t qi = m->queue_base[n] + (size_t)q;
                net += fmax(0, used_q[qi] - fmin(exit_q[qi], used_q[qi]));
            }
        double avail = cfg->vms[v].vcpus * cfg->hosts[virt_vm_host(c, (int)v)].core_speed_hz * dt_s;
        m->vm_net[k * cfg->n_vms + v] = avail > 0 ? fmin(1.0, net / avail) : 0;
        m->vm_comp[k * cfg->n_vms + v] = avail > 0 ? fmin(1.0, load_vm[v] / avail) : 0;
    }
}

/* Host CPU use in the interval just sampled, from the execs' progress. */
void virt_sample(sim_ctx *c, size_t k, double dt_s)
{
    struct virt_model *m = virt_of(c);
    if (!m || !m->loaded || k >= sim_max_samples(c) || dt_s <= 0)
        return;
    size_t groups = m->n_hosts + 2 * m->n_queues + 1, nv = c->cfg->n_vms + 1;
    double *work = calloc(groups, sizeof *work), *got = calloc(groups, sizeof *got);
    double *exit_q = calloc(groups, sizeof *exit_q), *used_q = calloc(groups, sizeof *used_q);
    double *poll_vm = calloc(nv, sizeof *poll_vm), *load_vm = calloc(nv, sizeof *load_vm);
    double *row = &m->cpu_util[k * m->n_hosts];
    if (work && got && exit_q && used_q && poll_vm && load_vm) {
        carried_cycles(c, k, dt_s, work);
        virt_queue_sample(c, k, dt_s, work + m->n_hosts, exit_q);
        for (size_t i = 0; i < m->n_th; i++) {
            vthread *t = &m->th[i];
            double now = vthread_cycles(t), cyc = now - t->sampled;
            t->sampled = now;
            check_share(c, t, cyc / dt_s);
            if (t->host < 0)
                continue;
            if (t->kind == VT_LOAD)
                load_vm[t->a] += cyc;
            else if (t->kind == VT_GUEST && t->polls)
                poll_vm[t->a] += cyc;
            if (t->polls)
                row[t->host] += cyc;
            else if (t->kind == VT_BACKEND)
                got[t->host] += cyc;
            else
                got[m->n_hosts + (t->kind == VT_VHOST ? m->n_queues : 0) +
                    m->queue_base[m->nic_base[t->a] + (size_t)t->b] + (size_t)t->q] += cyc;
        }
        /* a sleeping thread spends at most the cycles of what it carried;
         * a kernel guest's queue counts on its VM's host now */
        for (size_t h = 0; h < m->n_hosts; h++)
            row[h] += fmin(got[h], work[h]);
        for (size_t v = 0, n = 0; v < c->cfg->n_vms; v++)
            for (size_t i = 0; i < c->cfg->vms[v].n_nics; i++, n++)
                for (int q = 0; q < m->nic_queues[n]; q++) {
                    size_t g = m->n_hosts + m->queue_base[n] + (size_t)q;
                    used_q[g - m->n_hosts] = fmin(got[g], work[g]);
                    row[virt_vm_host(c, (int)v)] += used_q[g - m->n_hosts];
                    /* its vhost-net thread runs on the VM's host too */
                    row[virt_vm_host(c, (int)v)] += fmin(got[g + m->n_queues], work[g + m->n_queues]);
                }
        vm_sample(c, k, dt_s, used_q, exit_q, poll_vm, load_vm);
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
    free(exit_q);
    free(used_q);
    free(poll_vm);
    free(load_vm);
}
