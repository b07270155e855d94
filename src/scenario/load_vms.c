/* load_vms.c -- the vms section: each VM on its host, its NICs (attach
 * kind, adapter and port, backend, QoS, eSwitch keys; the PF's NIC keys in
 * load_pf.c), then the hand-out of VFs to VF and vDPA NICs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/catalogue.h"
#include "scenario/load_internal.h"

static int load_qos(loader *L, const ynode *map, qos_config *q)
{
    static const char *const keys[] = {"max_rate", "burst", "min_rate", NULL};
    const ynode *n = ynode_get(map, "qos");
    if (!n)
        return 0;
    if (ynode_expect(L->d, n, YNODE_MAP, "'qos'") || ynode_check_keys(L->d, n, keys, "qos"))
        return -1;
    int errors = yget_quantity(L->d, n, "max_rate", UNIT_RATE, false, &q->max_rate_bps) < 0;
    errors += yget_quantity(L->d, n, "burst", UNIT_SIZE, true, &q->burst_bytes) < 0;
    errors += yget_quantity(L->d, n, "min_rate", UNIT_RATE, false, &q->min_rate_bps) < 0;
    if (!errors && q->max_rate_bps > 0 && q->min_rate_bps > q->max_rate_bps) {
        ynode_error(L->d, ynode_get(n, "min_rate"), "lower min_rate or raise max_rate",
                    "min_rate exceeds max_rate (ip link rejects min_tx_rate > max_tx_rate)");
        errors++;
    }
    return errors ? -1 : 0;
}

/* attach-specific keys: adapter (vf, vdpa; optional for virtio), port,
 * backend (virtio only), standby (vf only). */
static int load_attachment(loader *L, const vm_config *vm, nic_config *nic,
                           const ynode *map)
{
    static const char *const backends[] = {"vhost-net", "vhost-user", NULL};
    static const char *const standbys[] = {"virtio", NULL};
    const host_config *h = &L->cfg->hosts[vm->host_idx];
    const ynode *adapter = ynode_get(map, "adapter");
    int errors = 0;
    if (nic->attach != ATTACH_VIRTIO && !adapter) {
        ynode_error(L->d, map, "name one of the host's adapters",
                    "NIC '%s' attaches a %s and needs 'adapter'", nic->name,
                    nic->attach == ATTACH_VF ? "VF" : "vDPA device");
        return -1;
    }
    if (adapter) {
        nic->adapter_idx = ld_resolve_adapter(L, adapter, h);
        if (nic->adapter_idx < 0)
            return -1;
        nic->adapter = sc_xstrdup(adapter->text);
    } else if (h->n_adapters > 0) {
        /* virtio traffic leaves the host through its first adapter */
        nic->adapter_idx = 0;
        nic->adapter = sc_xstrdup(h->adapters[0].name);
    }
    if (yget_int(L->d, map, "port", 0, 1 << 20, &nic->port) < 0)
        errors++;
    else if (nic->adapter_idx >= 0 && nic->port >= h->adapters[nic->adapter_idx].ports) {
        const adapter_config *a = &h->adapters[nic->adapter_idx];
        char hint[128];
        snprintf(hint, sizeof hint, "use a port from 0 to %d", a->ports - 1);
        ynode_error(L->d, ynode_get(map, "port"), hint,
                    "port %d does not exist on adapter '%s' of host '%s', which has %d port%s",
                    nic->port, a->name, h->name, a->ports, a->ports == 1 ? "" : "s");
        errors++;
    }
    int choice = 0;
    const ynode *backend = ynode_get(map, "backend");
    if (backend && nic->attach != ATTACH_VIRTIO) {
        ynode_error(L->d, backend, "remove it, or use attach: virtio",
                    "'backend' applies only to attach: virtio");
        errors++;
    } else if (nic->attach == ATTACH_VIRTIO) {
        if (yget_enum(L->d, map, "backend", backends, &choice) < 0)
            errors++;
        nic->backend = sc_xstrdup(backends[choice]);
    }
    const ynode *standby = ynode_get(map, "standby");
    if (standby && nic->attach != ATTACH_VF) {
        ynode_error(L->d, standby, "remove it, or use attach: vf",
                    "'standby' (a failover NIC for migration) applies only to attach: vf");
        errors++;
    } else if (yget_enum(L->d, map, "standby", standbys, &choice) > 0) {
        nic->standby = sc_xstrdup(standbys[choice]);
    } else if (standby) {
        errors++;
    }
    return errors ? -1 : 0;
}

/* queues (1..256: virtio-net's and the VF drivers' largest queue-pair
 * count in use, e.g. ICE_MAX_RSS_QS_PER_VF 16, mlx5 channels) and
 * interrupt_moderation: adaptive | off | 1us..8160us
 * (docs/queues-interrupts.md). */
static int load_nic_queues(loader *L, const ynode *map, nic_config *nic)
{
    int errors = yget_int(L->d, map, "queues", 1, 256, &nic->queues) < 0;
    nic->irq_moderation_s = -1;
    const ynode *m = ynode_get(map, "interrupt_moderation");
    if (!m)
        return errors ? -1 : 0;
    const char *text = m->kind == YNODE_SCALAR ? m->text : NULL;
    if (text && strcmp(text, "adaptive") == 0)
        nic->irq_moderation_s = -1;
    else if (text && strcmp(text, "off") == 0)
        nic->irq_moderation_s = 0;
    else
        errors += yget_quantity_in(L->d, map, "interrupt_moderation", UNIT_TIME, true,
                                   catalogue_irq_range(), &nic->irq_moderation_s) < 0;
    return errors ? -1 : 0;
}

static int load_nic(loader *L, vm_config *vm, size_t idx, const ynode *map)
{
    static const char *const keys[] = {"name", "attach", "adapter", "port", "backend",
                                       "standby", "mac", "vlan", "trust", "spoofchk",
                                       "qos", "guest", "vf", "plugged", "guest_vf_driver",
                                       "buffer_working_set", "buffer_access", "queues",
                                       "interrupt_moderation", NULL};
    static const char *const accesses[] = {"cyclic", "random", NULL};
    static const char *const guests[] = {"kernel", "dpdk", NULL};
    static const char *const attaches[] = {"vf", "virtio", "vdpa", NULL};
    nic_config *nic = &vm->nics[idx];
    nic->mark = ld_mark_of(L, map);
    nic->adapter_idx = -1;
    nic->vf_idx = -1;
    nic->spoofchk = true;
    nic->qos = (qos_config){.max_rate_bps = 0, .burst_bytes = 65536, .min_rate_bps = 0};
    if (ld_item_map(L, map, keys, "a NIC") || ld_read_name(L, map, "NIC", &nic->name))
        return -1;
    const char **names = LD_NAMES(vm->nics, vm->n_nics);
    int errors = ld_unique(L, ynode_get(map, "name"), names, idx, "NIC") < 0;
    free(names);
    int attach = 0;
    if (yget_enum(L->d, map, "attach", attaches, &attach) < 0)
        return -1;
    nic->attach = (attach_t)attach;
    errors += load_attachment(L, vm, nic, map) < 0;
    errors += ld_nic_pf_keys(L, map, nic) < 0;
    if (yget_string(L->d, map, "mac", &nic->mac) < 0)
        errors++;
    else if (nic->mac)
        errors += ld_check_mac(L, ynode_get(map, "mac")) < 0;
    errors += yget_int(L->d, map, "vlan", 0, 4094, &nic->vlan) < 0;
    errors += yget_bool(L->d, map, "trust", &nic->trust) < 0;
    errors += yget_bool(L->d, map, "spoofchk", &nic->spoofchk) < 0;
    int guest = 0;
    errors += yget_enum(L->d, map, "guest", guests, &guest) < 0;
    nic->guest_dpdk = guest == 1;
    nic->guest_written = ynode_get(map, "guest") != NULL;
    nic->buffer_working_set_bytes = 8.0 * 1048576.0;
    errors += yget_quantity(L->d, map, "buffer_working_set", UNIT_SIZE, true,
                            &nic->buffer_working_set_bytes) < 0;
    int access = 0;
    errors += yget_enum(L->d, map, "buffer_access", accesses, &access) < 0;
    nic->buffer_access_random = access == 1;
    errors += load_qos(L, map, &nic->qos) < 0;
    errors += load_nic_queues(L, map, nic) < 0;
    return errors ? -1 : 0;
}

static int load_vm(loader *L, size_t idx, const ynode *map)
{
    static const char *const keys[] = {"name", "host", "vcpus", "memory", "dirty_rate",
                                       "zero_page_fraction", "cpu_load", "nics", "tags",
                                       NULL};
    vm_config *vm = &L->cfg->vms[idx];
    vm->mark = ld_mark_of(L, map);
    vm->host_idx = -1;
    vm->vcpus = 2;
    vm->memory_bytes = 4.0 * 1073741824.0;
    if (ld_item_map(L, map, keys, "a VM") || ld_read_name(L, map, "VM", &vm->name))
        return -1;
    const ynode *name = ynode_get(map, "name");
    if (strcmp(vm->name, "external") == 0) {
        ynode_error(L->d, name, "rename the VM", "'external' is reserved for the "
                    "world outside the data centre");
        return -1;
    }
    int errors = ld_unique_indexed(L, name, &L->vm_index, (int)idx, "VM") < 0;
    if (ld_require(L, map, "host", "a VM"))
        return -1;
    vm->host_idx = ld_resolve_host(L, ynode_get(map, "host"));
    if (vm->host_idx < 0)
        return -1;
    vm->host = sc_xstrdup(ynode_get(map, "host")->text);
    errors += yget_int(L->d, map, "vcpus", 1, 65536, &vm->vcpus) < 0;
    errors += yget_quantity(L->d, map, "memory", UNIT_SIZE, true, &vm->memory_bytes) < 0;
    double dirty_bps = 0;
    errors += yget_quantity(L->d, map, "dirty_rate", UNIT_RATE, false, &dirty_bps) < 0;
    vm->dirty_rate_Bps = dirty_bps / 8.0;
    errors += yget_number(L->d, map, "zero_page_fraction", 0, 1, &vm->zero_page_fraction) < 0;
    errors += yget_number(L->d, map, "cpu_load", 0, 1, &vm->cpu_load) < 0;
    errors += ld_read_tags(L, map, &vm->tags, &vm->n_tags) < 0;
    size_t n;
    const ynode *nics = ld_get_seq(L, map, "nics", &n);
    errors += ynode_get(map, "nics") && !nics && !ynode_is_null(ynode_get(map, "nics"));
    vm->nics = sc_xcalloc(n, sizeof *vm->nics);
    for (size_t i = 0; i < n; i++) {
        vm->n_nics = i + 1;
        errors += load_nic(L, vm, i, nics->items[i]) < 0;
    }
    return errors ? -1 : 0;
}

/* One VF or vDPA NIC: its adapter's next free VF, or what policy says
 * when the adapter has run out. used: the adapter's VFs handed out so far. */
static int assign_nic(loader *L, host_config *host, adapter_config *ad, vm_config *vm,
                      nic_config *nic, int *used)
{
    scenario_config *cfg = L->cfg;
    int pf = ld_pf_assign_nic(L, host, ad, vm, nic, used);
    if (pf != PF_ASSIGN_DEFAULT)
        return pf < 0 ? -1 : 0;
    if (*used < ad->num_vfs) {
        nic->vf_idx = (*used)++;
        return 0;
    }
    if (cfg->vf_exhausted == VF_EXHAUSTED_VIRTIO) {
        nic->attach = ATTACH_VIRTIO;
        nic->backend = sc_xstrdup("vhost-net");
        nic->fell_back_to_virtio = true;
        return 0;
    }
    char hint[256];
    snprintf(hint, sizeof hint, "raise num_vfs on '%s' (total_vfs is %d), or set "
             "policy.vf_exhausted: virtio", ad->name, ad->total_vfs);
    diag_error(L->d, cfg->path, nic->mark.line, nic->mark.col, hint,
               "no VF left for NIC '%s.%s': adapter '%s' on host '%s' has num_vfs %d, all "
               "taken by earlier NICs", vm->name, nic->name, ad->name, host->name, ad->num_vfs);
    return -1;
}

/* Hands out VFs per adapter in order of appearance (VMs in order, NICs in
 * order). One pass over the VMs with a counter per adapter: the pass per
 * host and adapter over every VM it replaced was quadratic (10,000 hosts
 * and 320,000 VMs: 3.2e9 steps). Each adapter sees its NICs in the same
 * order as before, so every VF number is the same. */
static int assign_vfs(loader *L)
{
    scenario_config *cfg = L->cfg;
    size_t *first = sc_xcalloc(cfg->n_hosts + 1, sizeof *first);
    for (size_t h = 0; h < cfg->n_hosts; h++)
        first[h + 1] = first[h] + cfg->hosts[h].n_adapters;
    int *used = sc_xcalloc(first[cfg->n_hosts] + 1, sizeof *used);
    int errors = 0;
    for (size_t v = 0; v < cfg->n_vms; v++) {
        vm_config *vm = &cfg->vms[v];
        host_config *host = &cfg->hosts[vm->host_idx];
        ld_enter_mark(L, &vm->mark, vm->name);
        for (size_t i = 0; i < vm->n_nics; i++) {
            nic_config *nic = &vm->nics[i];
            /* a vDPA device is a VF (or ADI) with a virtio datapath */
            bool hw = nic->attach == ATTACH_VF || nic->attach == ATTACH_VDPA;
            if (!hw || nic->adapter_idx < 0)
                continue;
            if (host->adapters[nic->adapter_idx].load_failed)
                continue;   /* its error is reported; its VF count means nothing */
            errors += assign_nic(L, host, &host->adapters[nic->adapter_idx], vm, nic,
                                 &used[first[vm->host_idx] + (size_t)nic->adapter_idx]) < 0;
        }
    }
    L->d->context = NULL;
    free(first);
    free(used);
    return errors ? -1 : 0;
}

int load_vms(loader *L, const ynode *root)
{
    scenario_config *cfg = L->cfg;
    size_t n;
    const ynode *vms = ld_get_seq(L, root, "vms", &n);
    if (!vms && ynode_get(root, "vms") && !ynode_is_null(ynode_get(root, "vms")))
        return -1;
    cfg->vms = sc_xcalloc(n, sizeof *cfg->vms);
    int errors = 0;
    for (size_t i = 0; i < n; i++) {
        cfg->n_vms = i + 1;
        const ynode *item = vms->items[i];
        if (ld_enter_item(L, item)) {
            errors++;
            continue;
        }
        int before = L->d->n_errors;
        errors += load_vm(L, i, item) < 0;
        ld_leave_item(L, item, before);
    }
    if (errors)
        return -1;
    return assign_vfs(L);
}
