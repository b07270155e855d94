/* load_hosts.c -- the hosts and fabric sections: hosts with their IOMMU,
 * OS profile (models/os/, os_profile.c) and PF keys (load_pf.c), their
 * adapters (models/adapters/, catalogue.c), then the racks the hosts sit
 * in and the fabric's links. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/catalogue.h"
#include "scenario/load_internal.h"
#include "scenario/os_profile.h"

/* Scalable IOV: ADIs are carved from the device's queues, not bounded by
 * TotalVFs (Intel Scalable I/O Virtualization spec, rev 1.1, sec. 2). */
static int check_num_adis(loader *L, const ynode *map, const host_config *h,
                          const adapter_config *a)
{
    int limit = a->queues_per_vf > 0 ? a->total_queues / a->queues_per_vf : 0;
    if (a->total_queues <= 0) {
        ynode_error(L->d, ynode_get(map, "mode"), "set total_queues in the adapter model "
                    "or the scenario", "adapter '%s' (model %s) on host '%s' is in siov mode "
                    "but its queue count (total_queues) is unknown", a->name, a->model, h->name);
        return -1;
    }
    if (a->num_vfs <= limit)
        return 0;
    ynode_error(L->d, ynode_get(map, "num_vfs"), "lower num_vfs or queues_per_vf",
                "num_vfs %d ADIs exceed the %d that total_queues %d / queues_per_vf %d allow "
                "on adapter '%s' of host '%s'", a->num_vfs, limit, a->total_queues,
                a->queues_per_vf, a->name, h->name);
    return -1;
}

static int check_num_vfs(loader *L, const ynode *map, const host_config *h,
                         const adapter_config *a)
{
    if (a->mode == ADAPTER_SIOV)
        return check_num_adis(L, map, h, a);
    if (a->num_vfs <= a->total_vfs)
        return 0;
    char hint[256];
    snprintf(hint, sizeof hint,
             "set num_vfs to at most %d, or override total_vfs if the firmware "
             "is configured for more", a->total_vfs);
    ynode_error(L->d, ynode_get(map, "num_vfs"), hint,
                "num_vfs %d exceeds total_vfs %d of adapter '%s' (model %s) on host '%s'",
                a->num_vfs, a->total_vfs, a->name, a->model, h->name);
    return -1;
}

/* host_max_rate (docs/multi-host.md): one host's cap on a multi-host
 * adapter's shared ports, so only with multi_host, and at most the ports'
 * line rate (a cap above it limits nothing: a typo). */
static int load_host_max_rate(loader *L, const ynode *map, adapter_config *a)
{
    const ynode *n = ynode_get(map, "host_max_rate");
    if (!n)
        return 0;
    a->host_max_rate_mark = ld_mark_of(L, n);
    if (yget_quantity(L->d, map, "host_max_rate", UNIT_RATE, true, &a->host_max_rate_bps) < 0)
        return -1;
    if (!a->multi_host) {
        ynode_error(L->d, n, "remove host_max_rate, or name the shared adapter with multi_host",
                    "host_max_rate is a host's cap on a multi-host adapter's shared ports; "
                    "adapter '%s' is not shared (no multi_host)", a->name);
        return -1;
    }
    double line = a->port_rate_bps * a->ports;
    if (a->host_max_rate_bps > line) {
        ynode_error(L->d, n, "lower host_max_rate to at most the ports' line rate, or remove it",
                    "host_max_rate %.6g Gb/s exceeds the shared ports' line rate "
                    "(%d x %.6g Gb/s)", a->host_max_rate_bps / 1e9, a->ports,
                    a->port_rate_bps / 1e9);
        return -1;
    }
    return 0;
}

static int load_adapter(loader *L, host_config *h, size_t idx, const ynode *map)
{
    static const char *const keys[] = {
        "name", "model", "mode", "num_vfs", "eswitch", "total_vfs", "ports",
        "port_rate", "port_latency", "queues_per_vf", "pcie", "eswitch_capacity",
        "total_queues", "total_rate", "total_packet_rate_pps", "port_buffer", "keeps_crc",
        "msix_per_vf", "interrupt_moderation", "interrupt_moderation_packets",
        "multi_host", "multi_host_hosts", "host_max_rate", NULL};
    static const char *const modes[] = {"sriov", "siov", NULL};
    static const char *const eswitches[] = {"veb", "vepa", NULL};
    adapter_config *a = &h->adapters[idx];
    a->mark = ld_mark_of(L, map);
    if (ld_item_map(L, map, keys, "an adapter") || ld_read_name(L, map, "adapter", &a->name))
        return -1;
    const char **names = LD_NAMES(h->adapters, h->n_adapters);
    int dup = ld_unique(L, ynode_get(map, "name"), names, idx, "adapter");
    free(names);
    if (dup || ld_require(L, map, "model", "an adapter") ||
        yget_string(L->d, map, "model", &a->model) < 0 ||
        catalogue_load(L->models_dir, &L->models, ynode_get(map, "model"), a, L->d))
        return -1;
    int errors = catalogue_read_hw(L->d, map, a) < 0;
    a->irq_written = ynode_get(map, "msix_per_vf") || ynode_get(map, "interrupt_moderation") ||
                     ynode_get(map, "interrupt_moderation_packets");
    a->port_buffer_bytes = SCN_DEFAULT_PORT_BUFFER_BYTES;
    errors += yget_quantity_in(L->d, map, "port_buffer", UNIT_SIZE, true,
                               scn_port_buffer_range(), &a->port_buffer_bytes) < 0;
    int mode = 0, eswitch = 0;
    errors += yget_enum(L->d, map, "mode", modes, &mode) < 0;
    errors += yget_enum(L->d, map, "eswitch", eswitches, &eswitch) < 0;
    a->mode = (adapter_mode_t)mode;
    a->eswitch = (eswitch_mode_t)eswitch;
    const ynode *mh = ynode_get(map, "multi_host");
    if (mh) {   /* checked across hosts in load_mhost.c */
        a->multi_host_mark = ld_mark_of(L, mh);
        errors += yget_string(L->d, map, "multi_host", &a->multi_host) < 0 ||
                  ld_check_name(L, mh, "multi_host adapter") < 0;
    }
    errors += !errors && load_host_max_rate(L, map, a) < 0;
    a->num_vfs = 0;
    a->num_vfs_mark = (src_mark){.file = L->cfg->path};
    if (yget_int(L->d, map, "num_vfs", 0, 65535, &a->num_vfs) < 0)
        errors++;
    else if (ynode_get(map, "num_vfs")) {
        a->num_vfs_mark = ld_mark_of(L, ynode_get(map, "num_vfs"));
        errors += check_num_vfs(L, map, h, a) < 0;
    }
    return errors ? -1 : 0;
}

/* The translation-cost keys of the datapath model (docs/pcie-iommu.md). */
static int load_iommu_walk(loader *L, const ynode *n, iommu_config *io)
{
    static const char *const modes[] = {"translate", "passthrough", NULL};
    io->iotlb_ways = io->iotlb_entries;
    int mode = 0;
    int errors = yget_enum(L->d, n, "mode", modes, &mode) < 0;
    io->passthrough = mode == 1;
    errors += yget_int(L->d, n, "iotlb_ways", 1, 1 << 20, &io->iotlb_ways) < 0;
    if (!errors && io->iotlb_entries % io->iotlb_ways) {
        ynode_error(L->d, ynode_get(n, "iotlb_ways"), "use a divisor of iotlb_entries",
                    "iotlb_ways %d does not divide iotlb_entries %d", io->iotlb_ways,
                    io->iotlb_entries);
        errors++;
    }
    errors += yget_bool(L->d, n, "nested", &io->nested) < 0;
    errors += yget_bool(L->d, n, "strict", &io->strict) < 0;
    errors += yget_bool(L->d, n, "pwc", &io->pwc) < 0;
    errors += yget_int(L->d, n, "walkers", 1, 1024, &io->walkers) < 0;
    errors += yget_quantity_in(L->d, n, "mem_ref_latency", UNIT_TIME, true,
                               units_delay_range(), &io->mem_ref_latency_s) < 0;
    errors += yget_quantity_in(L->d, n, "invalidation_latency", UNIT_TIME, false,
                               units_delay_range(), &io->invalidation_latency_s) < 0;
    return errors ? -1 : 0;
}

static int load_iommu(loader *L, const ynode *map, iommu_config *io)
{
    static const char *const keys[] = {"enabled", "mode", "page_size", "iotlb_entries",
                                       "iotlb_ways", "nested", "strict", "pwc", "walkers",
                                       "mem_ref_latency", "invalidation_latency", NULL};
    *io = (iommu_config){.enabled = true, .page_size_bytes = 4096, .iotlb_entries = 64,
                         .iotlb_ways = 64, .walkers = 5, .mem_ref_latency_s = 56.5e-9,
                         .invalidation_latency_s = 1e-6};
    const ynode *n = ynode_get(map, "iommu");
    if (!n)
        return 0;
    if (ynode_expect(L->d, n, YNODE_MAP, "'iommu'") || ynode_check_keys(L->d, n, keys, "iommu"))
        return -1;
    int errors = yget_bool(L->d, n, "enabled", &io->enabled) < 0;
    errors += yget_int(L->d, n, "iotlb_entries", 1, 1 << 20, &io->iotlb_entries) < 0;
    errors += load_iommu_walk(L, n, io) < 0;
    if (yget_quantity(L->d, n, "page_size", UNIT_SIZE, true, &io->page_size_bytes) > 0) {
        double p = io->page_size_bytes;
        if (p != 4096.0 && p != 2097152.0 && p != 1073741824.0) {
            ynode_error(L->d, ynode_get(n, "page_size"), "use 4KiB, 2MiB or 1GiB",
                        "IOMMU page size must be an x86 page size, got '%s'",
                        ynode_get(n, "page_size")->text);
            errors++;
        }
    } else if (ynode_get(n, "page_size")) {
        errors++;
    }
    return errors ? -1 : 0;
}

static int load_host(loader *L, size_t idx, const ynode *map)
{
    static const char *const keys[] = {"name", "cores", "core_speed", "memory", "os",
                                       "iommu", "adapters", "sriov_support", "pf_costs", "tags",
                                       "posted_interrupts", NULL};
    static const char *const oses[] = {"linux-kvm", "hyperv", "esxi", NULL};
    host_config *h = &L->cfg->hosts[idx];
    h->mark = ld_mark_of(L, map);
    h->cores = 32;
    h->core_speed_hz = 2.5e9;
    h->memory_bytes = 256.0 * 1073741824.0;
    h->os = sc_xstrdup("linux-kvm");
    h->rack_idx = -1;
    if (ld_item_map(L, map, keys, "a host") || ld_read_name(L, map, "host", &h->name) ||
        ld_check_reserved(L, ynode_get(map, "name"), "host"))
        return -1;
    int errors = ld_unique_indexed(L, ynode_get(map, "name"), &L->host_index, (int)idx,
                                      "host") < 0;
    errors += yget_int(L->d, map, "cores", 1, 65536, &h->cores) < 0;
    errors += yget_quantity(L->d, map, "core_speed", UNIT_FREQ, true, &h->core_speed_hz) < 0;
    errors += yget_quantity(L->d, map, "memory", UNIT_SIZE, true, &h->memory_bytes) < 0;
    h->posted_interrupts = true;
    errors += yget_bool(L->d, map, "posted_interrupts", &h->posted_interrupts) < 0;
    int os = 0;
    if (yget_enum(L->d, map, "os", oses, &os) > 0) {
        free(h->os);
        h->os = sc_xstrdup(oses[os]);
    } else if (ynode_get(map, "os")) {
        errors++;
    }
    errors += load_iommu(L, map, &h->iommu) < 0;
    errors += ld_read_tags(L, map, &h->tags, &h->n_tags) < 0;
    size_t n;
    const ynode *adapters = ld_get_seq(L, map, "adapters", &n);
    errors += ynode_get(map, "adapters") && !adapters && !ynode_is_null(ynode_get(map, "adapters"));
    h->adapters = sc_xcalloc(n, sizeof *h->adapters);
    for (size_t i = 0; i < n; i++) {
        h->n_adapters = i + 1;  /* visible to config_free even if it fails */
        int before = L->d->n_errors;
        errors += load_adapter(L, h, i, adapters->items[i]) < 0;
        /* A misspelt num_vfs reads as 0 VFs; without this every NIC on the
         * adapter would add a consequential "no VF left" error (issue 19). */
        h->adapters[i].load_failed = L->d->n_errors > before;
    }
    errors += ld_sriov_support(L, map, &h->sriov) < 0;
    if (os_profile_load(L->models_dir, &L->models, h->os, ynode_get(map, "os"), &h->os_prof,
                        L->d) < 0)
        errors++;
    else if (ynode_get(map, "pf_costs") &&
             (ynode_expect(L->d, ynode_get(map, "pf_costs"), YNODE_MAP, "'pf_costs'") ||
              os_profile_read(L->d, ynode_get(map, "pf_costs"), false, &h->os_prof) < 0))
        errors++;
    return errors ? -1 : 0;
}

int load_hosts(loader *L, const ynode *root)
{
    scenario_config *cfg = L->cfg;
    size_t n;
    const ynode *hosts = ld_get_seq(L, root, "hosts", &n);
    if (!hosts) {
        if (!ynode_get(root, "hosts") || ynode_is_null(ynode_get(root, "hosts")))
            ynode_error(L->d, ynode_get(root, "hosts") ? ynode_get(root, "hosts") : root,
                        "add 'hosts: [{ name: h1 }]'", "the scenario has no hosts");
        return -1;
    }
    if (n == 0) {
        ynode_error(L->d, hosts, "add at least one host", "the scenario has no hosts");
        return -1;
    }
    cfg->hosts = sc_xcalloc(n, sizeof *cfg->hosts);
    int errors = 0;
    for (size_t i = 0; i < n; i++) {
        cfg->n_hosts = i + 1;
        const ynode *item = hosts->items[i];
        if (ld_enter_item(L, item)) {
            errors++;
            continue;
        }
        int before = L->d->n_errors;
        errors += load_host(L, i, item) < 0;
        ld_leave_item(L, item, before);
    }
    return errors ? -1 : 0;
}

/* ---- fabric ---------------------------------------------------------------------- */

static int read_link(loader *L, const ynode *map, const char *key, link_spec *link)
{
    static const char *const keys[] = {"rate", "latency", NULL};
    const ynode *n = ynode_get(map, key);
    if (!n)
        return 0;
    char what[64];
    snprintf(what, sizeof what, "'%s'", key);
    if (ynode_expect(L->d, n, YNODE_MAP, what) || ynode_check_keys(L->d, n, keys, key))
        return -1;
    int errors = yget_quantity(L->d, n, "rate", UNIT_RATE, true, &link->rate_bps) < 0;
    errors += yget_quantity_in(L->d, n, "latency", UNIT_TIME, false, units_delay_range(),
                               &link->latency_s) < 0;
    return errors ? -1 : 0;
}

/* The implicit rack is a zone named r0: a host of that name would be a
 * second node of one name in SimGrid. */
static int check_default_rack_name(loader *L)
{
    int h = strmap_get(&L->host_index, "r0");
    if (h < 0)
        return 0;
    const src_mark *m = &L->cfg->hosts[h].mark;
    diag_error(L->d, m->file, m->line, m->col,
               "rename the host, or list the racks under fabric.racks",
               "host name 'r0' is reserved: it names the rack the hosts sit in "
               "when fabric.racks is not given");
    return -1;
}

static void default_rack(scenario_config *cfg)
{
    fabric_config *fab = &cfg->fabric;
    fab->racks = sc_xcalloc(1, sizeof *fab->racks);
    fab->n_racks = 1;
    fab->racks[0].name = sc_xstrdup("r0");
    fab->racks[0].host_idx = sc_xcalloc(cfg->n_hosts, sizeof(int));
    fab->racks[0].n_hosts = cfg->n_hosts;
    fab->implicit_rack = true;
    for (size_t i = 0; i < cfg->n_hosts; i++) {
        fab->racks[0].host_idx[i] = (int)i;
        cfg->hosts[i].rack_idx = 0;
    }
}

static int load_rack(loader *L, size_t idx, const ynode *map)
{
    static const char *const keys[] = {"name", "hosts", NULL};
    rack_config *rack = &L->cfg->fabric.racks[idx];
    const ynode *name = ynode_get(map, "name");
    if (ld_item_map(L, map, keys, "a rack") || ld_read_name(L, map, "rack", &rack->name) ||
        ld_check_reserved(L, name, "rack"))
        return -1;
    const char **names = LD_NAMES(L->cfg->fabric.racks, idx);
    int errors = ld_unique(L, name, names, idx, "rack") < 0;
    free(names);
    /* a rack is a SimGrid zone, in the hosts' namespace */
    if (!errors && strmap_get(&L->host_index, rack->name) >= 0) {
        ynode_error(L->d, name, "give racks and hosts different names",
                    "rack name '%s' is also a host's name", rack->name);
        errors++;
    }
    size_t n;
    const ynode *hosts = ld_get_seq(L, map, "hosts", &n);
    rack->host_idx = sc_xcalloc(n, sizeof(int));
    for (size_t i = 0; i < n; i++) {
        const ynode *at = hosts->items[i];
        int h = ld_resolve_host(L, at);
        if (h < 0) {
            errors++;
            continue;
        }
        host_config *host = &L->cfg->hosts[h];
        if (host->rack_idx >= 0) {
            ynode_error(L->d, at, "put each host in exactly one rack",
                        "host '%s' is already in rack '%s'", host->name,
                        L->cfg->fabric.racks[host->rack_idx].name);
            errors++;
            continue;
        }
        host->rack_idx = (int)idx;
        rack->host_idx[rack->n_hosts++] = h;
    }
    return errors ? -1 : 0;
}

static int load_racks(loader *L, const ynode *fabric)
{
    scenario_config *cfg = L->cfg;
    size_t n;
    const ynode *racks = ld_get_seq(L, fabric, "racks", &n);
    if (!racks) {
        if (ynode_get(fabric, "racks") && !ynode_is_null(ynode_get(fabric, "racks")))
            return -1;
        default_rack(cfg);
        return check_default_rack_name(L);
    }
    cfg->fabric.racks = sc_xcalloc(n, sizeof *cfg->fabric.racks);
    int errors = 0;
    for (size_t i = 0; i < n; i++) {
        cfg->fabric.n_racks = i + 1;
        const ynode *item = racks->items[i];
        if (ld_enter_item(L, item)) {
            errors++;
            continue;
        }
        int before = L->d->n_errors;
        cfg->fabric.racks[i].group = item->group;
        errors += load_rack(L, i, item) < 0;
        ld_leave_item(L, item, before);
    }
    for (size_t i = 0; i < cfg->n_hosts && !errors; i++)
        if (cfg->hosts[i].rack_idx < 0) {
            ynode_error(L->d, racks, "add it to the 'hosts' of one rack",
                        "host '%s' is in no rack", cfg->hosts[i].name);
            errors++;
        }
    return errors ? -1 : 0;
}

int load_fabric(loader *L, const ynode *root)
{
    static const char *const keys[] = {"racks", "host_link", "tor_uplink", "spines",
                                       "external", "tor_port_buffer", "tor_latency", NULL};
    fabric_config *fab = &L->cfg->fabric;
    fab->tor_port_buffer_bytes = SCN_DEFAULT_PORT_BUFFER_BYTES;
    fab->host_link = (link_spec){25e9, 1e-6};
    fab->tor_uplink = (link_spec){400e9, 1e-6};
    fab->external = (link_spec){100e9, 10e-6};
    fab->spines = 1;
    /* A cut-through data-centre ToR forwards in a few hundred ns (the
     * figure docs/latency-model.md cites). */
    fab->tor_latency_s = 0.5e-6;
    const ynode *f = ynode_get(root, "fabric");
    if (!f || ynode_is_null(f)) {
        default_rack(L->cfg);
        return check_default_rack_name(L);
    }
    if (ynode_expect(L->d, f, YNODE_MAP, "'fabric'"))
        return -1;
    int errors = ynode_check_keys(L->d, f, keys, "fabric");
    errors += read_link(L, f, "host_link", &fab->host_link) < 0;
    errors += read_link(L, f, "tor_uplink", &fab->tor_uplink) < 0;
    errors += read_link(L, f, "external", &fab->external) < 0;
    errors += yget_int(L->d, f, "spines", 1, 1024, &fab->spines) < 0;
    errors += yget_quantity_in(L->d, f, "tor_port_buffer", UNIT_SIZE, true,
                               scn_port_buffer_range(), &fab->tor_port_buffer_bytes) < 0;
    errors += yget_quantity_in(L->d, f, "tor_latency", UNIT_TIME, false, units_delay_range(),
                               &fab->tor_latency_s) < 0;
    errors += load_racks(L, f) < 0;
    return errors ? -1 : 0;
}
