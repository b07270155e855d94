/* pf_collect.c -- the PF's per-VF statistics (/pf_vfs) and each guest's
 * view of its own VF NIC (/guest_view): their rows, columns and units,
 * registered in the results (metrics/results_table.h). See pf.h. */
#include <stdlib.h>
#include <string.h>

#include "pf/pf.h"

/* The PF's view of one VF: every tenant it had, every counter the PF
 * driver keeps. Row key host.adapter.vfN. */
typedef struct pf_vf_result {
    char *host;
    char *adapter;
    int32_t vf;
    char *state;                /* at the end: disabled free assigned flr */
    char *tenants;              /* "vm.nic" of each tenant in order, ' '-separated */
    double tx_bytes;            /* all tenants */
    double rx_bytes;
    int64_t tx_packets;
    int64_t rx_packets;
    double flr_count;
    double flr_lost_packets;    /* in the rings when an FLR hit (docs/pf-control-plane.md) */
    double faults_blocked;      /* IOMMU / ACS / VFIO blocked accesses */
    double mbx_requests;
    double mbx_denied;
    double mbx_timeouts;
} pf_vf_result;

static const results_column pf_vf_cols[] = {
    RESULTS_STR(pf_vf_result, host),
    RESULTS_STR(pf_vf_result, adapter),
    RESULTS_I32(pf_vf_result, vf, "index"),
    RESULTS_STR(pf_vf_result, state),
    RESULTS_STR(pf_vf_result, tenants),
    RESULTS_F64(pf_vf_result, tx_bytes, "bytes"),
    RESULTS_F64(pf_vf_result, rx_bytes, "bytes"),
    RESULTS_I64(pf_vf_result, tx_packets, "packets"),
    RESULTS_I64(pf_vf_result, rx_packets, "packets"),
    RESULTS_F64(pf_vf_result, flr_count, "count"),
    RESULTS_F64(pf_vf_result, flr_lost_packets, "packets"),
    RESULTS_F64(pf_vf_result, faults_blocked, "count"),
    RESULTS_F64(pf_vf_result, mbx_requests, "count"),
    RESULTS_F64(pf_vf_result, mbx_denied, "count"),
    RESULTS_F64(pf_vf_result, mbx_timeouts, "count"),
};
static const results_schema pf_vfs_schema = RESULTS_SCHEMA("pf_vfs", pf_vf_result, pf_vf_cols);

/* What one guest sees of its VF NIC: its own counters only. Row key name. */
typedef struct guest_view_result {
    char *name;                 /* "vm.nic" */
    char *bdf;                  /* its VF, "" when it never had one */
    double tx_bytes;            /* its own flows only */
    double rx_bytes;
    int64_t tx_packets;
    int64_t rx_packets;
    double mbx_requests;        /* it sent */
    double mbx_denied;          /* answers it got */
    double mbx_timeouts;
    double resets_seen;         /* FLRs of its VF while it owned it */
} guest_view_result;

static const results_column guest_view_cols[] = {
    RESULTS_STR(guest_view_result, name),
    RESULTS_STR(guest_view_result, bdf),
    RESULTS_F64(guest_view_result, tx_bytes, "bytes"),
    RESULTS_F64(guest_view_result, rx_bytes, "bytes"),
    RESULTS_I64(guest_view_result, tx_packets, "packets"),
    RESULTS_I64(guest_view_result, rx_packets, "packets"),
    RESULTS_F64(guest_view_result, mbx_requests, "count"),
    RESULTS_F64(guest_view_result, mbx_denied, "count"),
    RESULTS_F64(guest_view_result, mbx_timeouts, "count"),
    RESULTS_F64(guest_view_result, resets_seen, "count"),
};
static const results_schema guest_view_schema =
    RESULTS_SCHEMA("guest_view", guest_view_result, guest_view_cols);

/* The two tables being filled. */
typedef struct pf_tables {
    pf_vf_result *vfs;          /* /pf_vfs */
    guest_view_result *guests;  /* /guest_view */
    size_t n_guests;
} pf_tables;

/* The PF adapter (index into the model's adapters) of a VM NIC attached
 * as a VF, and in *vf its VF number; -1 for any other NIC. */
static long nic_adapter(const sim_ctx *c, endpoint_ref ref, int *vf)
{
    if (ref.vm_idx < 0)
        return -1;
    const vm_config *vm = &c->cfg->vms[ref.vm_idx];
    const nic_config *n = &vm->nics[ref.nic_idx];
    if (n->attach != ATTACH_VF || n->vf_idx < 0)
        return -1;
    *vf = n->vf_idx;
    return (long)(pf_of(c)->host_first[vm->host_idx] + (size_t)n->adapter_idx);
}

/* The VF of a VM NIC, or NULL. */
static const pf_vf *nic_vf(const sim_ctx *c, endpoint_ref ref)
{
    int vf;
    long i = nic_adapter(c, ref, &vf);
    return i < 0 ? NULL : &pf_of(c)->adapters[i].vfs[vf];
}

static int collect_pf_vfs(const sim_ctx *c, run_results *r, pf_tables *t)
{
    const struct pf_model *m = pf_of(c);
    size_t n = 0, n_rows = 0;
    for (size_t i = 0; i < m->n_adapters; i++)
        n += (size_t)m->adapters[i].endpoints;
    t->vfs = results_table_add(&r->reg, &pf_vfs_schema, n);
    if (!t->vfs)
        return -1;
    for (size_t i = 0; i < m->n_adapters; i++) {
        const pf_adapter *a = &m->adapters[i];
        const host_config *h = &c->cfg->hosts[a->host_idx];
        for (int vf = 0; vf < a->endpoints; vf++) {
            const pf_vf *v = &a->vfs[vf];
            pf_vf_result *row = &t->vfs[n_rows++];
            row->host = results_strdup(h->name);
            row->adapter = results_strdup(h->adapters[a->adapter_idx].name);
            row->vf = vf;
            row->state = results_strdup(pf_state_name(v->state));
            row->tenants = results_strdup(v->tenants);
            if (!row->host || !row->adapter || !row->state || !row->tenants)
                return -1;
            row->flr_count = v->flr_count;
            row->flr_lost_packets = v->flr_lost_packets;
            row->faults_blocked = v->faults_blocked;
            row->mbx_requests = v->mbx_requests;
            row->mbx_denied = v->mbx_denied;
            row->mbx_timeouts = v->mbx_timeouts;
        }
    }
    return 0;
}

static int collect_guests(const sim_ctx *c, run_results *r, pf_tables *t)
{
    size_t n = 0;
    for (size_t vm = 0; vm < c->cfg->n_vms; vm++)
        for (size_t i = 0; i < c->cfg->vms[vm].n_nics; i++)
            n += nic_vf(c, (endpoint_ref){(int)vm, (int)i}) != NULL;
    t->guests = results_table_add(&r->reg, &guest_view_schema, n);
    if (!t->guests)
        return -1;
    for (size_t vm = 0; vm < c->cfg->n_vms; vm++) {
        const vm_config *vc = &c->cfg->vms[vm];
        for (size_t i = 0; i < vc->n_nics; i++) {
            const pf_vf *v = nic_vf(c, (endpoint_ref){(int)vm, (int)i});
            if (!v)
                continue;
            guest_view_result *g = &t->guests[t->n_guests++];
            char name[160];
            g->name = results_strdup(pf_nic_name(c, (endpoint_ref){(int)vm, (int)i}, name,
                                               sizeof name));
            int row = v->endpoint >= 0 ? c->topo->endpoints[v->endpoint].vf_row : -1;
            g->bdf = results_strdup(row >= 0 ? c->topo->vfs[row].bdf : NULL);
            if (!g->name || !g->bdf)
                return -1;
            const pf_guest *seen = &pf_of(c)->guests[vm][i];
            g->mbx_requests = seen->mbx_requests;
            g->mbx_denied = seen->mbx_denied;
            g->mbx_timeouts = seen->mbx_timeouts;
            g->resets_seen = seen->resets_seen;
        }
    }
    return 0;
}

/* Row of each VM NIC in /guest_view (-1: not a VF NIC), in the order
 * guest_view was built: VMs, then their NICs, VF NICs only. Indexed by
 * nic_base[vm] + nic. Both arrays are the caller's to free. */
static int guest_rows(const sim_ctx *c, size_t **nic_base, int **row_of)
{
    size_t total = 0;
    *nic_base = calloc(c->cfg->n_vms + 1, sizeof **nic_base);
    for (size_t vm = 0; *nic_base && vm < c->cfg->n_vms; vm++) {
        (*nic_base)[vm] = total;
        total += c->cfg->vms[vm].n_nics;
    }
    *row_of = calloc(total ? total : 1, sizeof **row_of);
    if (!*nic_base || !*row_of)
        return -1;
    int row = 0;
    for (size_t vm = 0; vm < c->cfg->n_vms; vm++)
        for (size_t i = 0; i < c->cfg->vms[vm].n_nics; i++)
            (*row_of)[(*nic_base)[vm] + i] =
                nic_vf(c, (endpoint_ref){(int)vm, (int)i}) ? row++ : -1;
    return 0;
}

/* Traffic: the PF counts every byte through the VF, whoever owned it and
 * only while it went through that VF (a migrated VM's bytes stay on the VF
 * that carried them: sim/carried.h); a guest counts only its own NIC's,
 * on whichever VF it had. */
static int count_traffic(const sim_ctx *c, const pf_tables *t)
{
    const struct pf_model *m = pf_of(c);
    for (size_t i = 0, row = 0; i < m->n_adapters; i++)
        for (int vf = 0; vf < m->adapters[i].endpoints; vf++, row++) {
            int ep = m->adapters[i].vfs[vf].endpoint;
            int v = ep >= 0 ? c->topo->endpoints[ep].vf_row : -1;
            if (v < 0)
                continue;
            t->vfs[row].tx_bytes = sim_vf_carried_bytes(c, v, 0);
            t->vfs[row].rx_bytes = sim_vf_carried_bytes(c, v, 1);
            t->vfs[row].tx_packets = sim_vf_carried_packets(c, v, 0);
            t->vfs[row].rx_packets = sim_vf_carried_packets(c, v, 1);
        }
    size_t *nic_base;
    int *row_of;
    if (guest_rows(c, &nic_base, &row_of) != 0) {
        free(nic_base);
        free(row_of);
        return -1;
    }
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        endpoint_ref ends[2] = {sim_flow_cfg(c, f)->src, sim_flow_cfg(c, f)->dst};
        for (int e = 0; e < 2; e++) {
            if (ends[e].vm_idx < 0)
                continue;
            int g = row_of[nic_base[ends[e].vm_idx] + (size_t)ends[e].nic_idx];
            if (g < 0 || (size_t)g >= t->n_guests)
                continue;
            *(e ? &t->guests[g].rx_bytes : &t->guests[g].tx_bytes) += sim_flow_nic_bytes(c, f, e);
            *(e ? &t->guests[g].rx_packets : &t->guests[g].tx_packets) +=
                sim_flow_nic_packets(c, f, e);
        }
    }
    /* and what a workload's generated flows moved through each guest NIC */
    for (size_t v = 0; v < c->cfg->n_vms; v++)
        for (size_t i = 0; i < c->cfg->vms[v].n_nics; i++) {
            int g = row_of[nic_base[v] + i];
            if (g < 0 || (size_t)g >= t->n_guests)
                continue;
            for (int e = 0; e < 2; e++) {
                *(e ? &t->guests[g].rx_bytes : &t->guests[g].tx_bytes) +=
                    sim_nic_spawned_bytes(c, (int)v, (int)i, e);
                *(e ? &t->guests[g].rx_packets : &t->guests[g].tx_packets) +=
                    sim_nic_spawned_packets(c, (int)v, (int)i, e);
            }
        }
    free(nic_base);
    free(row_of);
    return 0;
}

int pf_collect(const sim_ctx *c, run_results *r)
{
    if (!pf_of(c))
        return 0;
    pf_tables t = {0};
    if (collect_pf_vfs(c, r, &t) != 0 || collect_guests(c, r, &t) != 0)
        return -1;
    return count_traffic(c, &t);
}
