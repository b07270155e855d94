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

/* host_max_rate beside a guaranteed minimum: the QoS planner (qos/alloc.c)
 * plans a port's VF shares without the host cap, so a capped host's planned
 * shares can exceed its cap and leave the port idle for the others (a
 * guaranteed VF of another host got 21.7 of its 25 Gb/s with room on the
 * port). Refused until the planner knows host caps. */
int load_host_cap_check(loader *L)
{
    const scenario_config *cfg = L->cfg;
    bool any_min = false;
    for (size_t v = 0; v < cfg->n_vms; v++)
        for (size_t n = 0; n < cfg->vms[v].n_nics; n++)
            any_min |= cfg->vms[v].nics[n].qos.min_rate_bps > 0;
    for (size_t e = 0; e < cfg->n_events; e++)
        any_min |= cfg->events[e].type == EV_SET_QOS && cfg->events[e].qos.min_rate_bps > 0;
    for (size_t h = 0; any_min && h < cfg->n_hosts; h++)
        for (size_t a = 0; a < cfg->hosts[h].n_adapters; a++) {
            const src_mark *m = &cfg->hosts[h].adapters[a].host_max_rate_mark;
            if (cfg->hosts[h].adapters[a].host_max_rate_bps <= 0)
                continue;
            ld_enter_mark(L, m, NULL);
            diag_error(L->d, m->file, m->line, m->col,
                       "remove host_max_rate, or the qos min_rate values (and set_qos min_rate)",
                       "host_max_rate with a guaranteed minimum (min_rate) in the scenario is not "
                       "modelled: the QoS planner does not know host caps");
            L->d->context = NULL;
            return -1;
        }
    return 0;
}
