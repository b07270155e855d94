/* pf_model.c -- the PF model's hooks, its state and the FIFO server. See pf.h. */
#include <math.h>
#include <simgrid/engine.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pf/pf.h"
#include "sim/models.h"

const char *pf_state_name(vf_state s)
{
    static const char *const names[] = {"disabled", "free", "assigning", "assigned",
                                        "releasing", "flr"};
    return names[s];
}

pf_adapter *pf_adapter_of(const sim_ctx *c, int host_idx, int adapter_idx)
{
    struct pf_model *m = pf_of(c);
    return &m->adapters[m->host_first[host_idx] + adapter_idx];
}

const os_profile *pf_os(const sim_ctx *c, const pf_adapter *a)
{
    return &c->cfg->hosts[a->host_idx].os_prof;
}

const char *pf_nic_name(const sim_ctx *c, endpoint_ref n, char *buf, size_t len)
{
    if (n.vm_idx < 0)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%s.%s", c->cfg->vms[n.vm_idx].name,
                 c->cfg->vms[n.vm_idx].nics[n.nic_idx].name);
    return buf;
}

void *pf_job(sim_ctx *c, const void *data, size_t size)
{
    struct pf_model *m = pf_of(c);
    if (m->n_jobs == m->jobs_cap) {
        size_t ncap = m->jobs_cap ? m->jobs_cap * 2 : 16;
        void **n = realloc(m->jobs, ncap * sizeof *n);
        if (!n)
            return NULL;
        m->jobs = n;
        m->jobs_cap = ncap;
    }
    void *job = malloc(size);
    if (!job)
        return NULL;
    memcpy(job, data, size);
    m->jobs[m->n_jobs++] = job;
    return job;
}

int pf_log(sim_ctx *c, double t_s, const pf_adapter *a, int vf, const char *type,
           const char *fmt, ...)
{
    char detail[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return eventlog_add(c, t_s, a ? a->host_idx : -1, a ? a->adapter_idx : -1, vf, type, detail);
}

double pf_serve(pf_adapter *a, double arrival_s, double service_s)
{
    double start = fmax(arrival_s, a->busy_until_s);
    a->busy_until_s = start + service_s;
    return a->busy_until_s;
}

/* Can this VM NIC move traffic now? Only when it is a VF NIC whose VF (the
 * one it holds now: a migration moves it) is assigned to it; any other NIC,
 * or a VF NIC on its standby virtio NIC, is not the PF's business. */
static bool nic_usable(sim_ctx *c, endpoint_ref ref)
{
    if (ref.vm_idx < 0)
        return true;
    pf_adapter *a;
    const pf_vf *v = pf_nic_vf(c, ref, &a);
    if (!v)
        return true;
    return v->state == VF_ASSIGNED && v->owner.vm_idx == ref.vm_idx &&
           v->owner.nic_idx == ref.nic_idx;
}

/* Pauses flow f if one of its NICs cannot carry traffic now, resumes it
 * if it was paused here and both can. */
static void enforce_flow(sim_ctx *c, size_t f)
{
    struct pf_model *m = pf_of(c);
    const flow_config *fc = sim_flow_cfg(c, f);
    bool usable = nic_usable(c, fc->src) && nic_usable(c, fc->dst);
    flow_phase_t phase = sim_flow_phase(c, f);
    if (phase == FLOW_ACTIVE && !usable) {
        flow_pause(c, f);
        m->paused[f] = true;
    } else if (phase == FLOW_PAUSED && m->paused[f] && usable) {
        flow_resume(c, f);
        m->paused[f] = false;
    }
}

void pf_enforce(sim_ctx *c)
{
    for (size_t f = 0; f < sim_n_flows(c); f++)
        enforce_flow(c, f);
}

/* SRIOV_CHECK_INCREMENTAL=1 (query.h), after a partial enforce: the full
 * pf_enforce would pause or resume nothing more. Fails the run otherwise:
 * the partial one missed a flow its change reached. */
static void check_enforced(sim_ctx *c)
{
    struct pf_model *m = pf_of(c);
    if (!sim_check_incremental(c))
        return;
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        const flow_config *fc = sim_flow_cfg(c, f);
        bool usable = nic_usable(c, fc->src) && nic_usable(c, fc->dst);
        flow_phase_t phase = sim_flow_phase(c, f);
        if ((phase == FLOW_ACTIVE && !usable) || (phase == FLOW_PAUSED && m->paused[f] && usable)) {
            snprintf(c->error, sizeof c->error,
                     "internal: PF model: flow %s left %s by a partial enforce (full enforce "
                     "differs)", fc->name, phase == FLOW_ACTIVE ? "running" : "paused");
            sim_fail(c);
            return;
        }
    }
}

/* The adapter row of the VF a VM NIC holds now (the one nic_usable
 * reads; pf_follow.c moves it), -1 when the NIC holds no VF. */
static long nic_adapter_row(sim_ctx *c, endpoint_ref ref)
{
    pf_adapter *a;
    if (ref.vm_idx < 0 || !pf_nic_vf(c, ref, &a))
        return -1;
    return a - pf_of(c)->adapters;
}

/* The two keys (adapter rows, VM NIC rows) of flow fc's ends; -1: none. */
typedef void (*flow_keys_fn)(sim_ctx *c, const flow_config *fc, const size_t *base, long k[2]);

/* A CSR index over the scenario's flows: per key, in flow order, the
 * flows with an end there (once when both ends are). *first_out has
 * n_keys + 2 entries (key r's flows are flows[first[r] .. first[r + 1])).
 * 0, or -1 when out of memory. */
static int build_flow_index(sim_ctx *c, size_t n_keys, flow_keys_fn keys_of,
                            const size_t *base, size_t **first_out, int **flows_out)
{
    size_t nf = sim_n_flows(c);
    size_t *first = calloc(n_keys + 2, sizeof *first);
    int *flows = malloc((2 * nf + 1) * sizeof *flows);
    if (!first || !flows) {
        free(first);
        free(flows);
        return -1;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t f = 0; f < nf; f++) {
            long keys[2];
            keys_of(c, sim_flow_cfg(c, f), base, keys);
            if (keys[1] == keys[0])
                keys[1] = -1;
            for (int k = 0; k < 2; k++) {
                if (keys[k] < 0)
                    continue;
                if (pass == 0)
                    first[keys[k] + 2]++;
                else
                    flows[first[keys[k] + 1]++] = (int)f;
            }
        }
        for (size_t r = 0; pass == 0 && r < n_keys; r++)
            first[r + 2] += first[r + 1];
    }
    *first_out = first;
    *flows_out = flows;
    return 0;
}

/* Per adapter, the flows whose usability its VFs decide. */
static void adapter_keys(sim_ctx *c, const flow_config *fc, const size_t *base, long k[2])
{
    (void)base;
    k[0] = nic_adapter_row(c, fc->src);
    k[1] = nic_adapter_row(c, fc->dst);
}

static int build_adapter_flows(sim_ctx *c)
{
    struct pf_model *m = pf_of(c);
    return build_flow_index(c, m->n_adapters, adapter_keys, NULL, &m->ad_first, &m->ad_flows);
}

void pf_enforce_adapter(sim_ctx *c, const pf_adapter *a)
{
    struct pf_model *m = pf_of(c);
    if (!m->ad_first && build_adapter_flows(c) != 0) {
        pf_enforce(c);
        return;
    }
    size_t r = (size_t)(a - m->adapters);
    for (size_t k = m->ad_first[r]; k < m->ad_first[r + 1]; k++)
        enforce_flow(c, (size_t)m->ad_flows[k]);
    check_enforced(c);
}

/* Per VM NIC (row base[vm] + nic), the flows with an end on it. */
static void nic_keys(sim_ctx *c, const flow_config *fc, const size_t *base, long k[2])
{
    (void)c;
    k[0] = fc->src.vm_idx < 0 ? -1 : (long)(base[fc->src.vm_idx] + (size_t)fc->src.nic_idx);
    k[1] = fc->dst.vm_idx < 0 ? -1 : (long)(base[fc->dst.vm_idx] + (size_t)fc->dst.nic_idx);
}

/* Fills nic_base, nic_first and nic_flows. 0, or -1 when out of memory. */
static int build_nic_flows(sim_ctx *c)
{
    struct pf_model *m = pf_of(c);
    size_t nv = c->cfg->n_vms, n_nics = 0;
    size_t *base = malloc((nv + 1) * sizeof *base);
    if (!base)
        return -1;
    for (size_t v = 0; v < nv; v++) {
        base[v] = n_nics;
        n_nics += c->cfg->vms[v].n_nics;
    }
    base[nv] = n_nics;
    if (build_flow_index(c, n_nics, nic_keys, base, &m->nic_first, &m->nic_flows) != 0) {
        free(base);
        return -1;
    }
    m->nic_base = base;
    return 0;
}

void pf_enforce_nic(sim_ctx *c, endpoint_ref nic)
{
    struct pf_model *m = pf_of(c);
    if (!m->nic_first && build_nic_flows(c) != 0) {
        pf_enforce(c);
        return;
    }
    size_t r = m->nic_base[nic.vm_idx] + (size_t)nic.nic_idx;
    for (size_t k = m->nic_first[r]; k < m->nic_first[r + 1]; k++)
        enforce_flow(c, (size_t)m->nic_flows[k]);
    check_enforced(c);
}

/* A flow that starts on a VF not (yet) assigned to its NIC waits. */
static void pf_flow_started(sim_ctx *c, size_t f)
{
    if (pf_of(c))
        enforce_flow(c, f);
}

void pf_vf_take(sim_ctx *c, pf_vf *v, endpoint_ref nic)
{
    const nic_config *nc = &c->cfg->vms[nic.vm_idx].nics[nic.nic_idx];
    char name[160];
    v->state = VF_ASSIGNED;
    v->owner = nic;
    v->trust = nc->trust;
    v->spoofchk = nc->spoofchk;
    v->admin_mac = nc->mac != NULL;
    v->admin_vlan = nc->vlan;
    v->vlans = 0;
    pf_nic_name(c, nic, name, sizeof name);
    size_t len = strlen(v->tenants);
    snprintf(v->tenants + len, sizeof v->tenants - len, "%s%s", len ? " " : "", name);
}

static int init_adapter(sim_ctx *c, pf_adapter *a, int h, int ad, int row)
{
    const adapter_config *ac = &c->cfg->hosts[h].adapters[ad];
    a->host_idx = h;
    a->adapter_idx = ad;
    a->total_vfs = ac->total_vfs;
    a->num_vfs = ac->num_vfs;
    a->endpoints = ac->num_vfs;
    /* Scalable IOV: num_vfs counts ADIs, bounded by queues and not by
     * TotalVFs (docs/virtio-migration.md), so it may exceed total_vfs; one
     * slot per function either way (sizing by total_vfs alone overran the
     * array with 300 ADIs on a 256-VF adapter). */
    int slots = ac->num_vfs > ac->total_vfs ? ac->num_vfs : ac->total_vfs;
    a->vfs = calloc(slots ? (size_t)slots : 1, sizeof *a->vfs);
    if (!a->vfs)
        return -1;
    for (int i = 0; i < slots; i++) {
        pf_vf *v = &a->vfs[i];
        v->state = i < ac->num_vfs ? VF_FREE : VF_DISABLED;
        v->owner = (endpoint_ref){-1, -1};
        v->endpoint = i < ac->num_vfs ? c->topo->adapter_first_vf[row] + i : -1;
        v->spoofchk = true;
    }
    return 0;
}

/* The NICs plugged at t=0 take their VF with its administrative settings. */
static void init_tenants(sim_ctx *c)
{
    for (size_t vm = 0; vm < c->cfg->n_vms; vm++) {
        const vm_config *vc = &c->cfg->vms[vm];
        for (size_t n = 0; n < vc->n_nics; n++) {
            const nic_config *nc = &vc->nics[n];
            if (nc->attach != ATTACH_VF || nc->vf_idx < 0 || !nc->plugged)
                continue;
            pf_vf_take(c, &pf_adapter_of(c, vc->host_idx, nc->adapter_idx)->vfs[nc->vf_idx],
                       (endpoint_ref){(int)vm, (int)n});
        }
    }
}

static int alloc_guests(sim_ctx *c)
{
    struct pf_model *m = pf_of(c);
    m->guests = calloc(c->cfg->n_vms ? c->cfg->n_vms : 1, sizeof *m->guests);
    m->paused = calloc(sim_n_flows(c) ? sim_n_flows(c) : 1, sizeof *m->paused);
    if (!m->guests || !m->paused)
        return -1;
    for (size_t vm = 0; vm < c->cfg->n_vms; vm++) {
        size_t n = c->cfg->vms[vm].n_nics;
        if (!(m->guests[vm] = calloc(n ? n : 1, sizeof **m->guests)))
            return -1;
    }
    return 0;
}

static int pf_init(sim_ctx *c)
{
    const scenario_config *cfg = c->cfg;
    struct pf_model *m = calloc(1, sizeof *m);
    if (!m || !(m->host_first = calloc(cfg->n_hosts ? cfg->n_hosts : 1, sizeof(int)))) {
        free(m);
        snprintf(c->error, sizeof c->error, "out of memory (PF model)");
        return -1;
    }
    sim_set_model_state(c, &pf_control_model, m);
    for (size_t h = 0; h < cfg->n_hosts; h++) {
        m->host_first[h] = (int)m->n_adapters;
        m->n_adapters += cfg->hosts[h].n_adapters;
    }
    m->adapters = calloc(m->n_adapters ? m->n_adapters : 1, sizeof *m->adapters);
    int rc = m->adapters && alloc_guests(c) == 0 ? 0 : -1;
    for (size_t h = 0; h < cfg->n_hosts && rc == 0; h++)
        for (size_t a = 0; a < cfg->hosts[h].n_adapters && rc == 0; a++)
            rc = init_adapter(c, &m->adapters[m->host_first[h] + a], (int)h, (int)a,
                              c->topo->host_adapter_row[h] + (int)a);
    if (rc == 0)
        init_tenants(c);
    if (rc != 0)
        snprintf(c->error, sizeof c->error, "out of memory (PF model)");
    return rc;
}

static int pf_supports(event_type_t type)
{
    switch (type) {
    case EV_FLR: case EV_SET_NUM_VFS: case EV_FAULT: case EV_ASSIGN_VF: case EV_RELEASE_VF:
    case EV_VF_REQUEST: case EV_PF_BUSY:
        return 1;
    default:
        return 0;
    }
}

static int dispatch(sim_ctx *c, const event_config *ev)
{
    switch (ev->type) {
    case EV_FLR:
        return pf_flr(c, pf_adapter_of(c, ev->host_idx, ev->adapter_idx), ev->vf_idx,
                      simgrid_get_clock(), ev->duration_s, "requested");
    case EV_SET_NUM_VFS: return pf_set_num_vfs(c, ev);
    case EV_FAULT: return pf_fault(c, ev);
    case EV_ASSIGN_VF: return pf_assign_vf(c, ev);
    case EV_RELEASE_VF: return pf_release_vf(c, ev);
    case EV_VF_REQUEST: return pf_vf_request(c, ev);
    case EV_PF_BUSY: return pf_busy(c, ev);
    default: return 0;
    }
}

/* An event naming a NIC acts on the VF that NIC holds at the event's time
 * (a migration may have moved it: pf_follow.c). */
static int pf_handle(sim_ctx *c, const event_config *given)
{
    event_config here;
    const event_config *ev;
    int rc = pf_event_here(c, given, &here, &ev);
    if (rc == 0 && ev)
        rc = dispatch(c, ev);
    if (rc != 0 && !c->error[0])
        snprintf(c->error, sizeof c->error, "out of memory (PF model)");
    if (ev && ev->type == EV_FLR) /* pf_flr changes that adapter's VF only */
        pf_enforce_adapter(c, pf_adapter_of(c, ev->host_idx, ev->adapter_idx));
    else
        pf_enforce(c);
    return rc;
}

static void pf_fini(sim_ctx *c)
{
    struct pf_model *m = pf_of(c);
    if (!m)
        return;
    for (size_t i = 0; i < m->n_adapters; i++)
        free(m->adapters[i].vfs);
    free(m->adapters);
    for (size_t vm = 0; m->guests && vm < c->cfg->n_vms; vm++)
        free(m->guests[vm]);
    free(m->guests);
    free(m->paused);
    free(m->ad_first);
    free(m->nic_base);
    free(m->nic_first);
    free(m->nic_flows);
    free(m->ad_flows);
    for (size_t j = 0; j < m->n_jobs; j++)
        free(m->jobs[j]);
    free(m->jobs);
    free(m->host_first);
    free(m);
    sim_set_model_state(c, &pf_control_model, NULL);
}

const sim_model_ops pf_control_model = {
    .name = "pf-control-plane",
    .init = pf_init,
    .log_initial = pf_log_initial,
    .supports_event = pf_supports,
    .handle_event = pf_handle,
    .flow_started = pf_flow_started,
    .nic_moved = pf_nic_moved,
    .endpoint_taken = pf_endpoint_taken,
    .collect = pf_collect,
    .fini = pf_fini,
};
