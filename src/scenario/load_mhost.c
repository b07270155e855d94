/* load_mhost.c -- multi-host adapters (docs/multi-host.md): adapters of
 * different hosts that name the same `multi_host` are one physical adapter
 * (e.g. NVIDIA ConnectX Multi-Host on an OCP 3.0 card): each host keeps its
 * own PCIe link, PF, VFs and TotalVFs; the ports and the eSwitch are one
 * set, used by all of them. Checked here, after the racks, because a group
 * spans hosts: every member is of a multi-host model, of the same model,
 * one per host, in one rack, at most the model's multi_host_hosts of them,
 * and agrees with the first member on what the members share (its ports,
 * eSwitch and adapter-wide limits). Sets share_host/share_adapter of every
 * member after the first to the first (host order), whose links the
 * platform uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/load_internal.h"

typedef struct mh_group {
    int host, adapter;          /* the first member */
    int members;
} mh_group;

static void mh_error(loader *L, const adapter_config *a, const char *hint, const char *fmt,
                     const char *x, const char *y)
{
    const src_mark *m = &a->multi_host_mark;
    ld_enter_mark(L, m, NULL);
    diag_error(L->d, m->file, m->line, m->col, hint, fmt, x, y);
    L->d->context = NULL;
}

/* The first shared key on which b differs from the group's first member a,
 * or NULL. */
static const char *shared_key_differs(const adapter_config *a, const adapter_config *b)
{
    if (strcmp(a->model, b->model) != 0)
        return "model";
    if (a->ports != b->ports)
        return "ports";
    if (a->port_rate_bps != b->port_rate_bps)
        return "port_rate";
    if (a->port_latency_s != b->port_latency_s)
        return "port_latency";
    if (a->port_buffer_bytes != b->port_buffer_bytes)
        return "port_buffer";
    if (a->eswitch_capacity_bps != b->eswitch_capacity_bps)
        return "eswitch_capacity";
    if (a->eswitch != b->eswitch)
        return "eswitch";
    if (a->total_rate_bps != b->total_rate_bps)
        return "total_rate";
    if (a->total_packet_rate_pps != b->total_packet_rate_pps)
        return "total_packet_rate_pps";
    if (a->multi_host_hosts != b->multi_host_hosts)
        return "multi_host_hosts";
    return NULL;
}

static int check_member(loader *L, mh_group *g, int h, adapter_config *a)
{
    scenario_config *cfg = L->cfg;
    const adapter_config *first = &cfg->hosts[g->host].adapters[g->adapter];
    char msg[512];
    if (g->host == h) {
        snprintf(msg, sizeof msg, "host '%%s' already has adapter '%s' on multi-host adapter '%%s'",
                 first->name);
        mh_error(L, a, "a multi-host adapter gives each host one PCIe link and one PF: "
                 "give this host one adapter on it", msg, cfg->hosts[h].name, a->multi_host);
        return -1;
    }
    const char *key = shared_key_differs(first, a);
    if (key) {
        snprintf(msg, sizeof msg, "'%s' of adapter '%%s' differs from host '%s' on multi-host "
                 "adapter '%%s': its hosts share one set of ports and one eSwitch", key,
                 cfg->hosts[g->host].name);
        mh_error(L, a, "give every member of the multi-host adapter the same model and "
                 "port-side keys (only num_vfs, mode, total_vfs, pcie and the VF keys are per host)",
                 msg, a->name, a->multi_host);
        return -1;
    }
    if (cfg->hosts[h].rack_idx != cfg->hosts[g->host].rack_idx) {
        snprintf(msg, sizeof msg, "host '%%s' is in another rack than host '%s' on multi-host "
                 "adapter '%%s'", cfg->hosts[g->host].name);
        mh_error(L, a, "put the hosts of one multi-host adapter in one rack (one chassis)", msg,
                 cfg->hosts[h].name, a->multi_host);
        return -1;
    }
    if (++g->members > first->multi_host_hosts) {
        snprintf(msg, sizeof msg, "multi-host adapter '%%s' (model %%s) serves at most %d hosts; "
                 "this is host %d", first->multi_host_hosts, g->members);
        mh_error(L, a, "share the adapter among fewer hosts, or give the rest another one", msg,
                 a->multi_host, a->model);
        return -1;
    }
    a->share_host = g->host + 1;
    a->share_adapter = g->adapter;
    return 0;
}

static int check_adapter(loader *L, strmap *index, mh_group **groups, size_t *n, int h, int i)
{
    adapter_config *a = &L->cfg->hosts[h].adapters[i];
    if (!a->multi_host)
        return 0;
    if (L->cfg->sim.granularity == GRAN_PACKET) {
        mh_error(L, a, "use granularity: flow or burst",
                 "adapter '%s': multi-host adapters ('%s') are not modelled at packet granularity "
                 "(its star platform has no shared port)", a->name, a->multi_host);
        return -1;
    }
    if (a->multi_host_hosts < 2) {
        mh_error(L, a, "use a multi-host model (multi_host_hosts >= 2 in models/adapters), "
                 "e.g. mlx-connectx6dx-mh", "adapter model '%s' is not a multi-host adapter "
                 "(multi_host_hosts 0 or 1), so '%s' cannot be shared", a->model, a->multi_host);
        return -1;
    }
    int g = strmap_get(index, a->multi_host);
    if (g >= 0)
        return check_member(L, &(*groups)[g], h, a);
    mh_group *grown = realloc(*groups, (*n + 1) * sizeof **groups);
    if (!grown || strmap_put(index, a->multi_host, (int)*n) < 0) {
        if (grown)
            *groups = grown;
        diag_error(L->d, NULL, 0, 0, NULL, "out of memory");
        return -1;
    }
    *groups = grown;
    (*groups)[(*n)++] = (mh_group){h, i, 1};
    return 0;
}

int load_multi_host(loader *L)
{
    scenario_config *cfg = L->cfg;
    strmap index = {0};
    mh_group *groups = NULL;
    size_t n = 0;
    int errors = 0;
    for (size_t h = 0; h < cfg->n_hosts; h++)
        for (size_t i = 0; i < cfg->hosts[h].n_adapters; i++)
            errors += check_adapter(L, &index, &groups, &n, (int)h, (int)i) < 0;
    strmap_free(&index);
    free(groups);
    return errors ? -1 : 0;
}

/* host_max_rate beside guaranteed minimums (docs/multi-host.md): the QoS
 * planner (qos/alloc.h, qos_allocate_grouped) shares a port under each
 * host's cap as well, so a guarantee is honoured unless the minimums of one
 * host's VFs add up to more than its cap: refused here for the VFs plugged
 * at time 0 and after every set_qos, in time order (a VM that has begun a
 * live migration is left to the run, which scales an over-committed host's
 * minimums down in proportion and says so in the event log). The planner
 * plans one port at a time, so a capped adapter with guaranteed VFs has one
 * port. */

/* The adapter entry (h, a) of a capped host, or NULL. */
static const adapter_config *capped(const scenario_config *cfg, int h, int a)
{
    if (h < 0 || a < 0 || (size_t)h >= cfg->n_hosts || (size_t)a >= cfg->hosts[h].n_adapters)
        return NULL;
    const adapter_config *ac = &cfg->hosts[h].adapters[a];
    return ac->host_max_rate_bps > 0 ? ac : NULL;
}

/* The sum of min_rate over the VFs plugged on (h, a) at time 0, with
 * min_now[nic row] instead of the configuration where given (>= 0), VMs
 * marked in moved[] left out. */
static double host_min_sum(const scenario_config *cfg, int h, int a, const double *min_now,
                           const bool *moved)
{
    double sum = 0;
    for (size_t v = 0, row = 0; v < cfg->n_vms; v++)
        for (size_t n = 0; n < cfg->vms[v].n_nics; n++, row++) {
            const nic_config *nc = &cfg->vms[v].nics[n];
            if (moved[v] || cfg->vms[v].host_idx != h || nc->adapter_idx != a ||
                nc->attach != ATTACH_VF || !nc->plugged)
                continue;
            sum += min_now[row] >= 0 ? min_now[row] : nc->qos.min_rate_bps;
        }
    return sum;
}

static void cap_error(loader *L, const src_mark *m, const char *hint, const char *msg)
{
    ld_enter_mark(L, m, NULL);
    diag_error(L->d, m->file, m->line, m->col, hint, "%s", msg);
    L->d->context = NULL;
}

/* A capped adapter with several ports beside guaranteed minimums: the cap
 * spans its ports, the planner plans one port at a time. */
static int check_cap_ports(loader *L, int h, int a)
{
    const adapter_config *ac = &L->cfg->hosts[h].adapters[a];
    if (ac->host_max_rate_bps <= 0 || ac->ports <= 1)
        return 0;
    char msg[512];
    snprintf(msg, sizeof msg, "host_max_rate on adapter '%s' of host '%s' with %d ports, in a "
             "scenario with guaranteed minimums (min_rate), is not modelled: the cap spans the "
             "ports, the QoS planner shares one port at a time", ac->name,
             L->cfg->hosts[h].name, ac->ports);
    cap_error(L, &ac->host_max_rate_mark, "use a one-port adapter (ports: 1), or remove "
              "host_max_rate or the min_rate values", msg);
    return -1;
}

/* The minimums on (h, a) now against its cap; at: where to point (an
 * event), NULL = at host_max_rate. */
static int check_cap_sum(loader *L, int h, int a, const src_mark *at, const double *min_now,
                         const bool *moved)
{
    const adapter_config *ac = capped(L->cfg, h, a);
    if (!ac)
        return 0;
    double sum = host_min_sum(L->cfg, h, a, min_now, moved);
    if (sum <= ac->host_max_rate_bps)
        return 0;
    char msg[512];
    snprintf(msg, sizeof msg, "%sthe min_rate values of the VFs of host '%s' on adapter '%s' "
             "add up to %.6g Gb/s, above its host_max_rate %.6g Gb/s: they cannot all be "
             "guaranteed",
             at ? "after this set_qos, " : "", L->cfg->hosts[h].name, ac->name, sum / 1e9,
             ac->host_max_rate_bps / 1e9);
    cap_error(L, at ? at : &ac->host_max_rate_mark,
              "raise host_max_rate to at least the sum of the min_rate values, or lower them", msg);
    return -1;
}

/* The NIC rows' base per VM (rows in VM order, NICs in order). */
static size_t nic_row(const scenario_config *cfg, endpoint_ref nic)
{
    size_t row = 0;
    for (int v = 0; v < nic.vm_idx; v++)
        row += cfg->vms[v].n_nics;
    return row + (size_t)nic.nic_idx;
}

/* The set_qos events in time order (sorted at load), with the minimums
 * they leave; a migrating VM drops out from its migrate event. */
static int check_cap_events(loader *L, double *min_now, bool *moved)
{
    const scenario_config *cfg = L->cfg;
    for (size_t e = 0; e < cfg->n_events; e++) {
        const event_config *ev = &cfg->events[e];
        if (ev->type == EV_MIGRATE && ev->vm_idx >= 0)
            moved[ev->vm_idx] = true;
        if (ev->type != EV_SET_QOS || ev->qos.min_rate_bps < 0 || ev->nic.vm_idx < 0 ||
            moved[ev->nic.vm_idx])
            continue;
        min_now[nic_row(cfg, ev->nic)] = ev->qos.min_rate_bps;
        const vm_config *vm = &cfg->vms[ev->nic.vm_idx];
        if (check_cap_sum(L, vm->host_idx, vm->nics[ev->nic.nic_idx].adapter_idx, &ev->mark,
                          min_now, moved) < 0)
            return -1;
    }
    return 0;
}

int load_host_cap_check(loader *L)
{
    const scenario_config *cfg = L->cfg;
    size_t rows = 0;
    bool any_cap = false;
    for (size_t v = 0; v < cfg->n_vms; v++)
        rows += cfg->vms[v].n_nics;
    for (size_t h = 0; h < cfg->n_hosts; h++)
        for (size_t a = 0; a < cfg->hosts[h].n_adapters; a++)
            any_cap |= cfg->hosts[h].adapters[a].host_max_rate_bps > 0;
    if (!any_cap)
        return 0;
    double *min_now = malloc((rows ? rows : 1) * sizeof *min_now);
    bool *moved = calloc(cfg->n_vms ? cfg->n_vms : 1, sizeof *moved);
    int rc = min_now && moved ? 0 : -1;
    if (rc < 0)
        diag_error(L->d, NULL, 0, 0, NULL, "out of memory");
    for (size_t r = 0; min_now && r < rows; r++)
        min_now[r] = -1;
    bool any_min = config_has_min_rate(cfg);
    for (size_t h = 0; rc == 0 && h < cfg->n_hosts; h++)
        for (size_t a = 0; rc == 0 && a < cfg->hosts[h].n_adapters; a++) {
            if (any_min)
                rc = check_cap_ports(L, (int)h, (int)a);
            if (rc == 0)
                rc = check_cap_sum(L, (int)h, (int)a, NULL, min_now, moved);
        }
    if (rc == 0)
        rc = check_cap_events(L, min_now, moved);
    free(min_now);
    free(moved);
    return rc;
}
