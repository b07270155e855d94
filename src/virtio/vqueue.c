/* vqueue.c -- see vqueue.h. */
#include "virtio/vqueue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/cost.h"
#include "virtio/queues.h"
#include "virtio/rss.h"

const virt_spread *virt_spread_of(sim_ctx *c, size_t f, int end, size_t nic)
{
    struct virt_model *m = virt_of(c);
    size_t slot = 2 * f + (size_t)end;
    if (slot >= m->n_spread) {
        size_t n = m->n_spread ? m->n_spread : 64;
        while (n <= slot)
            n *= 2;
        virt_spread *s = realloc(m->spread, n * sizeof *s);
        if (!s)
            return NULL;
        memset(s + m->n_spread, 0, (n - m->n_spread) * sizeof *s);
        m->spread = s;
        m->n_spread = n;
    }
    virt_spread *s = &m->spread[slot];
    if (s->counts)
        return s;
    int nq = m->nic_queues[nic];
    int conns = sim_flow_cfg(c, f)->connections > 0 ? sim_flow_cfg(c, f)->connections : 1;
    s->counts = calloc((size_t)nq, sizeof *s->counts);
    if (!s->counts)
        return NULL;
    rss_spread(m->rss_key, (uint32_t)sim_flow_src_ep(c, f), (uint32_t)sim_flow_dst_ep(c, f),
               (uint32_t)f, conns, nq, s->counts);
    s->total = conns;
    for (int q = 0; q < nq; q++)
        m->qstat[m->queue_base[nic] + (size_t)q].connections += s->counts[q];
    return s;
}

double virt_irq_cycles(const sim_ctx *c, int vm, double *exit)
{
    const struct virt_model *m = virt_of(c);
    bool posted = c->cfg->hosts[virt_vm_host(c, vm)].posted_interrupts;
    *exit = posted ? 0 : m->p.irq.exit_cycles;
    return m->p.irq.guest_cycles + *exit;
}

/* Flat NIC of a flow end on a guest-modelled NIC, or -1. */
static long guest_nic(const sim_ctx *c, endpoint_ref ref)
{
    if (ref.vm_idx < 0 || !c->cfg->vms[ref.vm_idx].nics[ref.nic_idx].guest_written)
        return -1;
    return (long)(virt_of(c)->nic_base[ref.vm_idx] + (size_t)ref.nic_idx);
}

/* Virtio notifications/s of flat queue qi of flat NIC n receiving rx_pps
 * and sending tx_pps: *irq (interrupts, replaced when the NIC takes virtio
 * interrupts) and *kick (queues.h, virt_notify_rate_hz; busy shares from
 * the last replan). */
static void notifications(const struct virt_model *m, size_t n, size_t qi, double rx_pps,
                          double tx_pps, double *irq, double *kick)
{
    double batch = m->p.irq.notify_batch;
    if (m->nic_notify[n] & VN_IRQ)
        *irq = virt_notify_rate_hz(rx_pps, 1.0 - m->q_rx_idle[qi], batch);
    if (m->nic_notify[n] & VN_KICK)
        *kick = virt_notify_rate_hz(tx_pps, 1.0 - m->q_tx_idle[qi], batch);
}

void virt_queue_sample(sim_ctx *c, size_t k, double dt_s, double *work, double *exit_q)
{
    struct virt_model *m = virt_of(c);
    size_t nq = m->n_queues ? m->n_queues : 1;
    double *pkts = calloc(nq, sizeof *pkts), *bytes = calloc(nq, sizeof *bytes);
    double *cyc = calloc(nq, sizeof *cyc), *rx = calloc(nq, sizeof *rx);
    const double *tp = sim_sampled_flows_bps(c, k);
    for (size_t f = 0; pkts && bytes && cyc && rx && f < sim_n_flows(c); f++) {
        double b = tp[f] / 8.0 * dt_s, pkt = sim_flow_mean_pkt_bytes(c, f);
        const endpoint_ref refs[2] = {sim_flow_cfg(c, f)->src, sim_flow_cfg(c, f)->dst};
        for (int i = 0; i < 2 && b > 0; i++) {
            long n = guest_nic(c, refs[i]);
            const virt_spread *s = n >= 0 ? virt_spread_of(c, f, i, (size_t)n) : NULL;
            if (!s)
                continue;
            const nic_config *nic = &c->cfg->vms[refs[i].vm_idx].nics[refs[i].nic_idx];
            double cpb = virt_cycles_per_byte(&m->p.guest[nic->guest_dpdk], pkt);
            for (int q = 0; q < m->nic_queues[n]; q++) {
                size_t qi = m->queue_base[n] + (size_t)q;
                double part = b * s->counts[q] / s->total;
                bytes[qi] += part;
                pkts[qi] += part / pkt;
                rx[qi] += i == 1 ? part / pkt : 0;
                cyc[qi] += part * cpb;
            }
        }
    }
    for (size_t v = 0, n = 0; pkts && bytes && cyc && rx && v < c->cfg->n_vms; v++)
        for (size_t i = 0; i < c->cfg->vms[v].n_nics; i++, n++) {
            double exit, per = virt_irq_cycles(c, (int)v, &exit), irqs = 0, kicks = 0;
            for (int q = 0; q < m->nic_queues[n]; q++) {
                size_t qi = m->queue_base[n] + (size_t)q;
                double irq_hz = m->nic_irq[n] ? virt_irq_rate_hz(pkts[qi] / dt_s, m->nic_irq_T_s[n],
                                                                 m->nic_irq_P[n])
                                              : 0,
                       kick_hz = 0;
                notifications(m, n, qi, rx[qi] / dt_s, (pkts[qi] - rx[qi]) / dt_s, &irq_hz,
                              &kick_hz);
                double irq = irq_hz * dt_s, kick = kick_hz * dt_s;
                double kick_cyc = kick * m->p.irq.kick_exit_cycles;
                virt_qstat *st = &m->qstat[qi];
                st->packets += pkts[qi];
                st->bytes += bytes[qi];
                st->interrupts += irq;
                st->guest_irq_cycles += irq * (per - exit);
                st->exit_cycles += irq * exit + kick_cyc;
                work[qi] += cyc[qi] + irq * per + kick_cyc;
                exit_q[qi] += irq * exit + kick_cyc;
                irqs += irq;
                kicks += kick;
            }
            if (m->nic_irq_hz && k < sim_max_samples(c))
                m->nic_irq_hz[k * m->n_nics + n] = irqs / dt_s;
            if (m->nic_kick_hz && k < sim_max_samples(c))
                m->nic_kick_hz[k * m->n_nics + n] = kicks / dt_s;
        }
    free(pkts);
    free(bytes);
    free(cyc);
    free(rx);
}

typedef struct queue_row {
    char *vm, *nic;
    int32_t queue;              /* = the vCPU serving it */
    uint64_t connections;
    double packets, bytes, interrupts, guest_irq_cycles, host_exit_cycles;
} queue_row;

static const results_column queue_cols[] = {
    RESULTS_STR(queue_row, vm),
    RESULTS_STR(queue_row, nic),
    RESULTS_I32(queue_row, queue, "index"),
    RESULTS_U64(queue_row, connections, "count"),
    RESULTS_F64(queue_row, packets, "packets"),
    RESULTS_F64(queue_row, bytes, "bytes"),
    RESULTS_F64(queue_row, interrupts, "count"),
    RESULTS_F64(queue_row, guest_irq_cycles, "cycles"),
    RESULTS_F64(queue_row, host_exit_cycles, "cycles"),
};
static const results_schema queue_schema = RESULTS_SCHEMA("queues", queue_row, queue_cols);

static int queue_table(const sim_ctx *c, run_results *r)
{
    const struct virt_model *m = virt_of(c);
    size_t rows = 0;
    for (size_t v = 0, n = 0; v < c->cfg->n_vms; v++)
        for (size_t i = 0; i < c->cfg->vms[v].n_nics; i++, n++)
            if (c->cfg->vms[v].nics[i].guest_written)
                rows += (size_t)m->nic_queues[n];
    if (rows == 0)
        return 0;
    queue_row *t = results_table_add(&r->reg, &queue_schema, rows);
    if (!t)
        return -1;
    size_t row = 0;
    for (size_t v = 0, n = 0; v < c->cfg->n_vms; v++)
        for (size_t i = 0; i < c->cfg->vms[v].n_nics; i++, n++) {
            if (!c->cfg->vms[v].nics[i].guest_written)
                continue;
            for (int q = 0; q < m->nic_queues[n]; q++, row++) {
                const virt_qstat *st = &m->qstat[m->queue_base[n] + (size_t)q];
                t[row] = (queue_row){strdup(c->cfg->vms[v].name), strdup(c->cfg->vms[v].nics[i].name),
                                     q, st->connections, st->packets, st->bytes, st->interrupts,
                                     st->guest_irq_cycles, st->exit_cycles};
                if (!t[row].vm || !t[row].nic)
                    return -1;
            }
        }
    return 0;
}

static int add_series(const sim_ctx *c, run_results *r, const char *name, const char *units,
                      const double *values, size_t cols, bool nic_columns)
{
    const struct virt_model *m = virt_of(c);
    results_series *s = results_series_add(&r->reg, name, units, r->n_samples, cols);
    if (!s)
        return -1;
    for (size_t i = 0; i < r->n_samples && i < m->n_rows; i++)
        memcpy(&s->values[i * cols], &values[i * cols], cols * sizeof(double));
    size_t col = 0;
    for (size_t v = 0; v < c->cfg->n_vms; v++) {
        const vm_config *vm = &c->cfg->vms[v];
        for (size_t i = 0; i < (nic_columns ? vm->n_nics : 1); i++, col++) {
            char label[512];
            if (nic_columns)
                snprintf(label, sizeof label, "%s.%s", vm->name, vm->nics[i].name);
            else
                snprintf(label, sizeof label, "%s", vm->name);
            s->columns[col] = strdup(label);
            if (!s->columns[col])
                return -1;
        }
    }
    return 0;
}

int virt_queue_collect(const sim_ctx *c, run_results *r)
{
    const struct virt_model *m = virt_of(c);
    if (!m->per_vm || c->cfg->n_vms == 0)
        return 0;
    if (queue_table(c, r) != 0)
        return -1;
    size_t nv = c->cfg->n_vms;
    if (add_series(c, r, "vm_vcpu_network", "1", m->vm_net, nv, false) != 0 ||
        add_series(c, r, "vm_vcpu_compute", "1", m->vm_comp, nv, false) != 0)
        return -1;
    if (m->nic_kick_hz && add_series(c, r, "nic_kicks_per_s", "1/s", m->nic_kick_hz, m->n_nics,
                                     true) != 0)
        return -1;
    return m->n_nics ? add_series(c, r, "nic_interrupts_per_s", "1/s", m->nic_irq_hz, m->n_nics,
                                  true)
                     : 0;
}

void virt_queue_free(struct virt_model *m)
{
    for (size_t i = 0; i < m->n_spread; i++)
        free(m->spread[i].counts);
    free(m->spread);
    free(m->nic_queues);
    free(m->queue_base);
    free(m->nic_irq_T_s);
    free(m->nic_irq_P);
    free(m->nic_irq);
    free(m->q_irq_fixed_cps);
    free(m->q_pps);
    free(m->qstat);
    free(m->vm_net);
    free(m->vm_comp);
    free(m->nic_irq_hz);
    free(m->nic_notify);
    free(m->q_rx_idle);
    free(m->q_tx_idle);
    free(m->q_pmd);
    free(m->nic_kick_hz);
}
