/* load_events.c -- the events section of a scenario: one reader per event
 * type, dispatched by the action key (the PF's in load_pf.c), then sorted
 * by time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/load_internal.h"

static int event_set_qos(loader *L, event_config *ev, const ynode *m)
{
    static const char *const keys[] = {"nic", "max_rate", "min_rate", "burst", NULL};
    if (ynode_check_keys(L->d, m, keys, "set_qos") || ld_require(L, m, "nic", "set_qos") ||
        ld_resolve_endpoint(L, ynode_get(m, "nic"), false, &ev->nic))
        return -1;
    ev->qos = (qos_config){-1, -1, -1};
    int errors = yget_quantity(L->d, m, "max_rate", UNIT_RATE, false, &ev->qos.max_rate_bps) < 0;
    errors += yget_quantity(L->d, m, "min_rate", UNIT_RATE, false, &ev->qos.min_rate_bps) < 0;
    errors += yget_quantity(L->d, m, "burst", UNIT_SIZE, true, &ev->qos.burst_bytes) < 0;
    if (errors)
        return -1;
    if (m->n == 1) {
        ynode_error(L->d, m, "give max_rate, min_rate or burst", "set_qos changes nothing");
        return -1;
    }
    if (ev->qos.max_rate_bps > 0 && ev->qos.min_rate_bps > ev->qos.max_rate_bps) {
        ynode_error(L->d, ynode_get(m, "min_rate"), "lower min_rate or raise max_rate",
                    "min_rate exceeds max_rate");
        return -1;
    }
    return 0;
}

/* host + adapter (+ the node names, for messages) for flr / set_num_vfs. */
static int event_adapter(loader *L, event_config *ev, const ynode *m, const char *where)
{
    if (ld_require(L, m, "host", where) || ld_require(L, m, "adapter", where))
        return -1;
    ev->host_idx = ld_resolve_host(L, ynode_get(m, "host"));
    if (ev->host_idx < 0)
        return -1;
    ev->adapter_idx = ld_resolve_adapter(L, ynode_get(m, "adapter"), &L->cfg->hosts[ev->host_idx]);
    return ev->adapter_idx < 0 ? -1 : 0;
}

static int event_flr(loader *L, event_config *ev, const ynode *m)
{
    static const char *const keys[] = {"nic", "host", "adapter", "vf", "duration", NULL};
    if (ynode_check_keys(L->d, m, keys, "flr") ||
        yget_quantity(L->d, m, "duration", UNIT_TIME, true, &ev->duration_s) < 0)
        return -1;
    const ynode *nic = ynode_get(m, "nic");
    if (nic) {
        if (ynode_get(m, "host") || ynode_get(m, "adapter") || ynode_get(m, "vf")) {
            ynode_error(L->d, m, "give either nic, or host + adapter + vf",
                        "flr names its VF twice");
            return -1;
        }
        if (ld_resolve_endpoint(L, nic, false, &ev->nic))
            return -1;
        const vm_config *vm = &L->cfg->vms[ev->nic.vm_idx];
        const nic_config *n = &vm->nics[ev->nic.nic_idx];
        if (n->vf_idx < 0) {
            ynode_error(L->d, nic, "FLR resets a VF; name a NIC with attach: vf",
                        "NIC '%s' is not a VF%s", nic->text,
                        n->fell_back_to_virtio ? " (it fell back to virtio: no VF was left)" : "");
            return -1;
        }
        ev->host_idx = vm->host_idx;
        ev->adapter_idx = n->adapter_idx;
        ev->vf_idx = n->vf_idx;
        return 0;
    }
    if (event_adapter(L, ev, m, "flr") || ld_require(L, m, "vf", "flr"))
        return -1;
    const adapter_config *a = &L->cfg->hosts[ev->host_idx].adapters[ev->adapter_idx];
    long long vf;
    char what[160];
    snprintf(what, sizeof what, "'vf' (on an adapter with total_vfs %d)", a->total_vfs);
    if (a->total_vfs == 0 || ynode_as_int(L->d, ynode_get(m, "vf"), what, 0, a->total_vfs - 1, &vf)) {
        if (a->total_vfs == 0)
            ynode_error(L->d, ynode_get(m, "vf"), NULL, "adapter '%s' has no VFs", a->name);
        return -1;
    }
    ev->vf_idx = (int)vf;
    return 0;
}

/* The optional per-migration settings; absent ones stay -1 (model default). */
static int migrate_params_read(loader *L, migrate_params *p, const ynode *m)
{
    double bw_bps = -8;
    const unit_range delay = units_delay_range();
    *p = (migrate_params){-1, -1, -1, -1, -1, -1};
    int errors = yget_quantity_in(L->d, m, "unplug_time", UNIT_TIME, false, delay, &p->unplug_s) < 0;
    errors += yget_quantity_in(L->d, m, "plug_time", UNIT_TIME, false, delay, &p->plug_s) < 0;
    errors += yget_quantity_in(L->d, m, "min_downtime", UNIT_TIME, false, delay, &p->min_downtime_s) < 0;
    errors += yget_quantity_in(L->d, m, "max_downtime", UNIT_TIME, false, delay, &p->max_downtime_s) < 0;
    errors += yget_quantity(L->d, m, "bandwidth", UNIT_RATE, false, &bw_bps) < 0;
    errors += yget_int(L->d, m, "max_rounds", 1, 1000000, &p->max_rounds) < 0;
    p->bandwidth_Bps = bw_bps / 8.0;
    return errors ? -1 : 0;
}

static int event_migrate(loader *L, event_config *ev, const ynode *m)
{
    static const char *const keys[] = {"vm", "to", "unplug_time", "plug_time", "min_downtime",
                                       "max_downtime", "bandwidth", "max_rounds", NULL};
    if (ynode_check_keys(L->d, m, keys, "migrate") || ld_require(L, m, "vm", "migrate") ||
        ld_require(L, m, "to", "migrate"))
        return -1;
    ev->vm_idx = ld_resolve_vm(L, ynode_get(m, "vm"));
    ev->to_host_idx = ld_resolve_host(L, ynode_get(m, "to"));
    if (migrate_params_read(L, &ev->mig, m) != 0)
        return -1;
    return ev->vm_idx < 0 || ev->to_host_idx < 0 ? -1 : 0;
}

static int event_set_num_vfs(loader *L, event_config *ev, const ynode *m)
{
    static const char *const keys[] = {"host", "adapter", "num_vfs", NULL};
    if (ynode_check_keys(L->d, m, keys, "set_num_vfs") || event_adapter(L, ev, m, "set_num_vfs") ||
        ld_require(L, m, "num_vfs", "set_num_vfs"))
        return -1;
    long long n;
    if (ynode_as_int(L->d, ynode_get(m, "num_vfs"), "'num_vfs'", 0, 65535, &n))
        return -1;
    /* above TotalVFs is refused at run time (-ERANGE), by the PF model */
    ev->num_vfs = (int)n;
    return 0;
}

static int read_flag(loader *L, const ynode *m, const char *key, int *out)
{
    bool b;
    int rc = yget_bool(L->d, m, key, &b);
    if (rc > 0)
        *out = b ? 1 : 0;
    return rc < 0 ? -1 : 0;
}

/* set_vf: the PF changing a VF's forwarding rules at run time, e.g.
 *   {at: 2s, set_vf: {nic: vm1.eth0, vlan: 200, mac: 02:00:00:00:00:09,
 *                     spoofchk: false, trust: true}} */
static int event_set_vf(loader *L, event_config *ev, const ynode *m)
{
    static const char *const keys[] = {"nic", "mac", "vlan", "trust", "spoofchk", NULL};
    if (ynode_check_keys(L->d, m, keys, "set_vf") || ld_require(L, m, "nic", "set_vf") ||
        ld_resolve_endpoint(L, ynode_get(m, "nic"), false, &ev->nic))
        return -1;
    const nic_config *n = &L->cfg->vms[ev->nic.vm_idx].nics[ev->nic.nic_idx];
    if (n->attach != ATTACH_VF) {
        ynode_error(L->d, ynode_get(m, "nic"), "name a NIC with attach: vf",
                    "set_vf sets a VF's rules; NIC '%s' is not a VF", ynode_get(m, "nic")->text);
        return -1;
    }
    ev->vf_rules = (vf_rule_change){-1, -1, -1};
    int errors = yget_int(L->d, m, "vlan", 0, 4094, &ev->vf_rules.vlan) < 0;
    errors += read_flag(L, m, "trust", &ev->vf_rules.trust) < 0;
    errors += read_flag(L, m, "spoofchk", &ev->vf_rules.spoofchk) < 0;
    const ynode *mac = ynode_get(m, "mac");
    if (mac) {
        if (yget_string(L->d, m, "mac", &ev->detail) < 0)
            errors++;
        else
            errors += ld_check_mac(L, mac) < 0;
    }
    if (errors)
        return -1;
    if (m->n == 1) {
        ynode_error(L->d, m, "give mac, vlan, trust or spoofchk", "set_vf changes nothing");
        return -1;
    }
    return 0;
}

static int load_event(loader *L, event_config *ev, const ynode *map)
{
    static const char *const keys[] = {"at", "set_qos", "flr", "migrate", "set_num_vfs",
                                       "fault", "assign_vf", "release_vf", "vf_request",
                                       "pf_busy", "set_vf", NULL};
    typedef int (*event_fn)(loader *, event_config *, const ynode *);
    static const event_fn readers[] = {event_set_qos, event_flr, event_migrate,
                                       event_set_num_vfs, ld_event_fault, ld_event_assign_vf,
                                       ld_event_release_vf, ld_event_vf_request,
                                       ld_event_pf_busy, event_set_vf};
    *ev = (event_config){.nic = {-1, -1}, .qos = {-1, -1, -1}, .host_idx = -1,
                         .adapter_idx = -1, .vf_idx = -1, .num_vfs = -1, .vm_idx = -1,
                         .to_host_idx = -1, .target = {-1, -1}, .duration_s = NAN,
                         .vf_rules = {-1, -1, -1},
                         .mark = ld_mark_of(L, map)};
    if (ld_item_map(L, map, keys, "an event") || ld_require(L, map, "at", "an event") ||
        yget_quantity(L->d, map, "at", UNIT_TIME, false, &ev->at_s) < 0)
        return -1;
    if (ev->at_s > L->cfg->sim.duration_s) {
        ynode_error(L->d, ynode_get(map, "at"), "move it before the end, or lengthen simulation.duration",
                    "event at %gs is after the simulation ends (%gs)", ev->at_s,
                    L->cfg->sim.duration_s);
        return -1;
    }
    int found = -1;
    for (int k = 0; k < (int)(sizeof readers / sizeof readers[0]); k++) {
        const ynode *action = ynode_get(map, keys[k + 1]);
        if (!action)
            continue;
        if (found >= 0) {
            ynode_error(L->d, action, "split it into two events", "an event has one action; "
                        "this one also has '%s'", keys[found + 1]);
            return -1;
        }
        found = k;
    }
    if (found < 0) {
        ynode_error(L->d, map, "add one of set_qos, flr, migrate, set_num_vfs, fault, "
                    "assign_vf, release_vf, vf_request, pf_busy, set_vf",
                    "event has no action");
        return -1;
    }
    const ynode *action = ynode_get(map, keys[found + 1]);
    char what[64];
    snprintf(what, sizeof what, "'%s'", keys[found + 1]);
    ev->type = (event_type_t)found;
    if (ynode_expect(L->d, action, YNODE_MAP, what))
        return -1;
    return readers[found](L, ev, action);
}

static int cmp_event(const void *a, const void *b)
{
    const event_config *x = a, *y = b;
    if (x->at_s != y->at_s)
        return x->at_s < y->at_s ? -1 : 1;
    /* mark order is file order: ties keep it, making the sort stable */
    if (x->mark.line != y->mark.line)
        return x->mark.line < y->mark.line ? -1 : 1;
    if (x->mark.col != y->mark.col)
        return x->mark.col < y->mark.col ? -1 : 1;
    /* the events of one group share its line:col: their index orders them */
    return (x->mark.index > y->mark.index) - (x->mark.index < y->mark.index);
}

/* A VM cannot migrate to the host it is on: replay migrations in order. */
static int check_migrations(loader *L)
{
    scenario_config *cfg = L->cfg;
    int *where = sc_xcalloc(cfg->n_vms, sizeof *where);
    for (size_t i = 0; i < cfg->n_vms; i++)
        where[i] = cfg->vms[i].host_idx;
    int errors = 0;
    for (size_t i = 0; i < cfg->n_events; i++) {
        const event_config *ev = &cfg->events[i];
        if (ev->type != EV_MIGRATE)
            continue;
        const vm_config *vm = &cfg->vms[ev->vm_idx];
        ld_enter_mark(L, &ev->mark, NULL);
        /* the host check first: a same-host migrate is wrong whatever the NICs */
        for (size_t n = 0; where[ev->vm_idx] != ev->to_host_idx && n < vm->n_nics; n++) {
            if (vm->nics[n].attach != ATTACH_VF || vm->nics[n].standby)
                continue;
            diag_error(L->d, cfg->path, ev->mark.line, ev->mark.col,
                       "give the NIC 'standby: virtio' (net_failover), or attach it as vdpa",
                       "VM '%s' cannot migrate: NIC '%s' is a VF without a standby NIC",
                       vm->name, vm->nics[n].name);
            errors++;
        }
        if (where[ev->vm_idx] == ev->to_host_idx) {
            diag_error(L->d, cfg->path, ev->mark.line, ev->mark.col, "migrate to another host",
                       "VM '%s' is already on host '%s' at %gs", cfg->vms[ev->vm_idx].name,
                       cfg->hosts[ev->to_host_idx].name, ev->at_s);
            errors++;
        }
        where[ev->vm_idx] = ev->to_host_idx;
    }
    L->d->context = NULL;
    free(where);
    return errors ? -1 : 0;
}

int load_events(loader *L, const ynode *root)
{
    scenario_config *cfg = L->cfg;
    size_t n;
    const ynode *events = ld_get_seq(L, root, "events", &n);
    if (!events && ynode_get(root, "events") && !ynode_is_null(ynode_get(root, "events")))
        return -1;
    cfg->events = sc_xcalloc(n, sizeof *cfg->events);
    int errors = 0;
    for (size_t i = 0; i < n; i++) {
        cfg->n_events = i + 1;
        const ynode *item = events->items[i];
        if (ld_enter_item(L, item)) {
            errors++;
            continue;
        }
        int before = L->d->n_errors;
        errors += load_event(L, &cfg->events[i], item) < 0;
        ld_leave_item(L, item, before);
    }
    if (errors)
        return -1;
    qsort(cfg->events, cfg->n_events, sizeof *cfg->events, cmp_event);
    return check_migrations(L);
}

