/* load.c -- see load.h.
 *
 * Sections are read in dependency order (simulation and policy, hosts,
 * fabric, vms, traffic, events, output), each resolving its references
 * against the ones before it, so every error is reported at the node that
 * caused it. Within a section every item is checked, so one run shows all
 * of that section's mistakes; a section with errors stops the load, since
 * later sections would only report their consequences.
 */
#include "scenario/load.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pf/os_profile.h"
#include "pf/pf_load.h"
#include "scenario/catalogue.h"
#include "scenario/load_internal.h"
#include "scenario/ynode.h"

enum { NAME_MAX_LEN = 64 };

/* ---- small helpers ----------------------------------------------------------- */

src_mark ld_mark_of(const loader *L, const ynode *n)
{
    return (src_mark){.file = L->cfg->path, .line = n->line, .col = n->col};
}

/* Names are joined as "vm.nic" and become HDF5 strings: keep them plain. */
static int check_name(loader *L, const ynode *n, const char *what)
{
    size_t len = strlen(n->text);
    bool ok = len > 0 && len <= NAME_MAX_LEN;
    for (const char *c = n->text; *c && ok; c++)
        ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
             (*c >= '0' && *c <= '9') || *c == '-' || *c == '_';
    if (ok)
        return 0;
    ynode_error(L->d, n, "use up to 64 letters, digits, '-' and '_'",
                "invalid %s name '%s'", what, n->text);
    return -1;
}

/* Reads the required "name" of an item into *out; where names the item's
 * kind in messages ("host"). */
static int read_name(loader *L, const ynode *map, const char *what, char **out)
{
    const ynode *n = ynode_get(map, "name");
    if (!n) {
        ynode_error(L->d, map, NULL, "%s has no 'name'", what);
        return -1;
    }
    if (yget_string(L->d, map, "name", out) < 0 || check_name(L, n, what))
        return -1;
    return 0;
}

int ld_require(loader *L, const ynode *map, const char *key, const char *where)
{
    if (ynode_get(map, key))
        return 0;
    ynode_error(L->d, map, NULL, "missing required key '%s' in %s", key, where);
    return -1;
}

/* Index of want among names[0..n), or -1. */
static int find(const char *const *names, size_t n, const char *want)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], want) == 0)
            return (int)i;
    return -1;
}

/* Reports a reference to a name that does not exist, suggesting the
 * nearest one. names is NULL-terminated. */
static void report_unknown(loader *L, const ynode *at, const char *kind,
                           const char *want, const char *const *names)
{
    const char *near = ynode_nearest(want, names);
    if (near)
        ynode_error(L->d, at, NULL, "unknown %s '%s'; did you mean '%s'?", kind, want, near);
    else
        ynode_error(L->d, at, NULL, "unknown %s '%s'", kind, want);
}

/* NULL-terminated name arrays, borrowed from the config (free the array only). */
static const char **host_names(const scenario_config *cfg)
{
    const char **names = sc_xcalloc(cfg->n_hosts + 1, sizeof *names);
    for (size_t i = 0; i < cfg->n_hosts; i++)
        names[i] = cfg->hosts[i].name;
    return names;
}

static const char **vm_names(const scenario_config *cfg)
{
    const char **names = sc_xcalloc(cfg->n_vms + 1, sizeof *names);
    for (size_t i = 0; i < cfg->n_vms; i++)
        names[i] = cfg->vms[i].name;
    return names;
}

static const char **adapter_names(const host_config *h)
{
    const char **names = sc_xcalloc(h->n_adapters + 1, sizeof *names);
    for (size_t i = 0; i < h->n_adapters; i++)
        names[i] = h->adapters[i].name;
    return names;
}

static const char **nic_names(const vm_config *vm)
{
    const char **names = sc_xcalloc(vm->n_nics + 1, sizeof *names);
    for (size_t i = 0; i < vm->n_nics; i++)
        names[i] = vm->nics[i].name;
    return names;
}

/* Resolves a name node against names[0..n); reports and returns -1 if
 * absent. */
static int resolve(loader *L, const ynode *at, const char *kind,
                   const char **names, size_t n)
{
    if (ynode_as_scalar(L->d, at, kind))
        return -1;
    int idx = find(names, n, at->text);
    if (idx < 0)
        report_unknown(L, at, kind, at->text, names);
    return idx;
}

/* Looks name up in index; on a miss reports it with the nearest of all
 * names (the slow path, taken once per error). */
static int resolve_indexed(loader *L, const ynode *at, const char *kind, const strmap *index,
                           const char **(*all_names)(const scenario_config *), size_t n)
{
    if (ynode_as_scalar(L->d, at, kind))
        return -1;
    int idx = strmap_get(index, at->text);
    if (idx >= 0)
        return idx;
    const char **names = all_names(L->cfg);
    idx = resolve(L, at, kind, names, n);
    free(names);
    return idx;
}

int ld_resolve_host(loader *L, const ynode *at)
{
    return resolve_indexed(L, at, "host", &L->host_index, host_names, L->cfg->n_hosts);
}

int ld_resolve_adapter(loader *L, const ynode *at, const host_config *h)
{
    const char **names = adapter_names(h);
    int idx = resolve(L, at, "adapter", names, h->n_adapters);
    if (idx < 0 && h->n_adapters == 0)
        ynode_error(L->d, at, "add it under the host's 'adapters'",
                    "host '%s' has no adapters", h->name);
    free(names);
    return idx;
}

int ld_resolve_vm(loader *L, const ynode *at)
{
    return resolve_indexed(L, at, "VM", &L->vm_index, vm_names, L->cfg->n_vms);
}

/* "vm.nic" (or "external" when allow_external) -> endpoint_ref. */
int ld_resolve_endpoint(loader *L, const ynode *at, bool allow_external,
                            endpoint_ref *out)
{
    if (ynode_as_scalar(L->d, at, "an endpoint"))
        return -1;
    if (allow_external && strcmp(at->text, "external") == 0) {
        *out = (endpoint_ref){-1, -1};
        return 0;
    }
    const char *dot = strchr(at->text, '.');
    if (!dot) {
        ynode_error(L->d, at, allow_external ? "write VM.NIC, e.g. vm1.eth0, or external"
                                             : "write VM.NIC, e.g. vm1.eth0",
                    "expected VM.NIC, got '%s'", at->text);
        return -1;
    }
    char vm_name[NAME_MAX_LEN + 1];
    size_t len = (size_t)(dot - at->text);
    if (len > NAME_MAX_LEN)
        len = NAME_MAX_LEN;
    memcpy(vm_name, at->text, len);
    vm_name[len] = '\0';
    int vm = strmap_get(&L->vm_index, vm_name);
    if (vm < 0) {
        const char **vms = vm_names(L->cfg);
        report_unknown(L, at, "VM", vm_name, vms);
        free(vms);
        return -1;
    }
    const vm_config *v = &L->cfg->vms[vm];
    const char **nics = nic_names(v);
    int nic = find(nics, v->n_nics, dot + 1);
    if (nic < 0) {
        const char *near = ynode_nearest(dot + 1, nics);
        if (near)
            ynode_error(L->d, at, NULL, "VM '%s' has no NIC '%s'; did you mean '%s.%s'?",
                        vm_name, dot + 1, vm_name, near);
        else
            ynode_error(L->d, at, NULL, "VM '%s' has no NIC '%s'", vm_name, dot + 1);
    }
    free(nics);
    if (nic < 0)
        return -1;
    *out = (endpoint_ref){vm, nic};
    return 0;
}

/* The sequence under key (absent: NULL with *n = 0). A mapping or scalar
 * there is an error. */
const ynode *ld_get_seq(loader *L, const ynode *map, const char *key, size_t *n)
{
    const ynode *s = ynode_get(map, key);
    *n = 0;
    if (!s || ynode_is_null(s))
        return NULL;
    char what[64];
    snprintf(what, sizeof what, "'%s'", key);
    if (ynode_expect(L->d, s, YNODE_SEQ, what))
        return NULL;
    *n = s->n;
    return s;
}

/* Checks each item of a sequence is a mapping, with its keys known. */
int ld_item_map(loader *L, const ynode *item, const char *const *keys,
                    const char *where)
{
    char what[64];
    snprintf(what, sizeof what, "each entry of %s", where);
    if (ynode_expect(L->d, item, YNODE_MAP, what))
        return -1;
    /* unknown keys are reported but do not stop reading the item: the
     * load still fails, and the item's other mistakes show up too */
    ynode_check_keys(L->d, item, keys, where);
    return 0;
}

/* Reports the second of two items with the same name, else records the
 * name in index. */
static int check_unique_indexed(loader *L, const ynode *name_node, strmap *index, int idx,
                                const char *what)
{
    if (strmap_get(index, name_node->text) >= 0) {
        ynode_error(L->d, name_node, "give each one its own name", "duplicate %s name '%s'",
                    what, name_node->text);
        return -1;
    }
    if (strmap_put(index, name_node->text, idx) != 0)
        abort(); /* out of memory, as sc_xcalloc does */
    return 0;
}

/* Reports the second of two items with the same name. */
static int check_unique(loader *L, const ynode *name_node, const char *const *names,
                        size_t n_before, const char *what)
{
    if (find(names, n_before, name_node->text) < 0)
        return 0;
    ynode_error(L->d, name_node, "give each one its own name", "duplicate %s name '%s'",
                what, name_node->text);
    return -1;
}

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
    errors += yget_quantity(L->d, n, "latency", UNIT_TIME, false, &link->latency_s) < 0;
    return errors ? -1 : 0;
}

/* ---- simulation, policy ---------------------------------------------------------- */

/* Past about 1e9 s the simulated clock (a double, in seconds) no longer
 * resolves SimGrid's 1 ns accuracy and the engine can stall on steps that
 * round to nothing; nobody simulates decades of a data centre. */
#define MAX_DURATION_S 1e9

static int check_duration(loader *L, const ynode *sim, double duration_s)
{
    if (duration_s <= MAX_DURATION_S)
        return 0;
    ynode_error(L->d, ynode_get(sim, "duration"), "simulate at most 1e9s (about 31 years)",
                "duration %gs is too long", duration_s);
    return 1;
}

static int load_simulation(loader *L, const ynode *root)
{
    static const char *const keys[] = {"duration", "seed", "granularity", "burst_packets",
                                       "rate_epoch", "network_model", "fast_path", NULL};
    static const char *const grans[] = {"flow", "burst", "packet", NULL};
    /* SimGrid 3.32 network/model values built into the Debian package */
    static const char *const models[] = {"LV08", "CM02", "SMPI", "IB", "Constant", NULL};
    sim_config *sim = &L->cfg->sim;
    sim->seed = 1;
    sim->granularity = GRAN_FLOW;
    sim->burst_packets = 64;
    sim->rate_epoch_s = 0;
    sim->fast_path = true;
    sim->network_model = sc_xstrdup("CM02");
    const ynode *s = ynode_get(root, "simulation");
    if (!s) {
        ynode_error(L->d, root, "add 'simulation: { duration: 10s }'",
                    "missing required key 'simulation'");
        return -1;
    }
    if (ynode_expect(L->d, s, YNODE_MAP, "'simulation'"))
        return -1;
    int errors = ynode_check_keys(L->d, s, keys, "simulation");
    errors += ld_require(L, s, "duration", "simulation") < 0;
    errors += yget_quantity(L->d, s, "duration", UNIT_TIME, true, &sim->duration_s) < 0;
    errors += check_duration(L, s, sim->duration_s);
    errors += yget_u64(L->d, s, "seed", &sim->seed) < 0;
    int gran = 0;
    if (yget_enum(L->d, s, "granularity", grans, &gran) < 0)
        errors++;
    sim->granularity = (granularity_t)gran;
    errors += yget_int(L->d, s, "burst_packets", 1, 1000000, &sim->burst_packets) < 0;
    errors += yget_quantity(L->d, s, "rate_epoch", UNIT_TIME, false, &sim->rate_epoch_s) < 0;
    errors += yget_bool(L->d, s, "fast_path", &sim->fast_path) < 0;
    int model = 1;
    if (yget_enum(L->d, s, "network_model", models, &model) < 0)
        errors++;
    free(sim->network_model);
    sim->network_model = sc_xstrdup(models[model]);
    return errors ? -1 : 0;
}

static int load_policy(loader *L, const ynode *root)
{
    static const char *const keys[] = {"vf_exhausted", NULL};
    static const char *const choices[] = {"fail", "virtio", NULL};
    L->cfg->vf_exhausted = VF_EXHAUSTED_FAIL;
    const ynode *p = ynode_get(root, "policy");
    if (!p)
        return 0;
    if (ynode_expect(L->d, p, YNODE_MAP, "'policy'") ||
        ynode_check_keys(L->d, p, keys, "policy"))
        return -1;
    int choice = 0;
    if (yget_enum(L->d, p, "vf_exhausted", choices, &choice) < 0)
        return -1;
    L->cfg->vf_exhausted = (vf_exhausted_t)choice;
    return 0;
}

/* ---- hosts and adapters ------------------------------------------------------------ */

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

static int load_adapter(loader *L, host_config *h, size_t idx, const ynode *map)
{
    static const char *const keys[] = {
        "name", "model", "mode", "num_vfs", "eswitch", "total_vfs", "ports",
        "port_rate", "port_latency", "queues_per_vf", "pcie", "eswitch_capacity",
        "total_queues", NULL};
    static const char *const modes[] = {"sriov", "siov", NULL};
    static const char *const eswitches[] = {"veb", "vepa", NULL};
    adapter_config *a = &h->adapters[idx];
    a->mark = ld_mark_of(L, map);
    if (ld_item_map(L, map, keys, "an adapter") || read_name(L, map, "adapter", &a->name))
        return -1;
    const char **names = adapter_names(h);
    int dup = check_unique(L, ynode_get(map, "name"), names, idx, "adapter");
    free(names);
    if (dup || ld_require(L, map, "model", "an adapter") ||
        yget_string(L->d, map, "model", &a->model) < 0 ||
        catalogue_load(L->models_dir, ynode_get(map, "model"), a, L->d))
        return -1;
    int errors = catalogue_read_hw(L->d, map, a) < 0;
    int mode = 0, eswitch = 0;
    errors += yget_enum(L->d, map, "mode", modes, &mode) < 0;
    errors += yget_enum(L->d, map, "eswitch", eswitches, &eswitch) < 0;
    a->mode = (adapter_mode_t)mode;
    a->eswitch = (eswitch_mode_t)eswitch;
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
    errors += yget_quantity(L->d, n, "mem_ref_latency", UNIT_TIME, true,
                            &io->mem_ref_latency_s) < 0;
    errors += yget_quantity(L->d, n, "invalidation_latency", UNIT_TIME, false,
                            &io->invalidation_latency_s) < 0;
    return errors ? -1 : 0;
}

static int load_iommu(loader *L, const ynode *map, iommu_config *io)
{
    static const char *const keys[] = {"enabled", "mode", "page_size", "iotlb_entries",
                                       "iotlb_ways", "nested", "strict", "pwc", "walkers",
                                       "mem_ref_latency", "invalidation_latency", NULL};
    *io = (iommu_config){.enabled = true, .page_size_bytes = 4096, .iotlb_entries = 64,
                         .iotlb_ways = 64, .walkers = 7, .mem_ref_latency_s = 80e-9,
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
                                       "iommu", "adapters", "sriov_support", "pf_costs", NULL};
    static const char *const oses[] = {"linux-kvm", "hyperv", "esxi", NULL};
    host_config *h = &L->cfg->hosts[idx];
    h->mark = ld_mark_of(L, map);
    h->cores = 32;
    h->core_speed_hz = 2.5e9;
    h->memory_bytes = 256.0 * 1073741824.0;
    h->os = sc_xstrdup("linux-kvm");
    h->rack_idx = -1;
    if (ld_item_map(L, map, keys, "a host") || read_name(L, map, "host", &h->name))
        return -1;
    int errors = check_unique_indexed(L, ynode_get(map, "name"), &L->host_index, (int)idx,
                                      "host") < 0;
    errors += yget_int(L->d, map, "cores", 1, 65536, &h->cores) < 0;
    errors += yget_quantity(L->d, map, "core_speed", UNIT_FREQ, true, &h->core_speed_hz) < 0;
    errors += yget_quantity(L->d, map, "memory", UNIT_SIZE, true, &h->memory_bytes) < 0;
    int os = 0;
    if (yget_enum(L->d, map, "os", oses, &os) > 0) {
        free(h->os);
        h->os = sc_xstrdup(oses[os]);
    } else if (ynode_get(map, "os")) {
        errors++;
    }
    errors += load_iommu(L, map, &h->iommu) < 0;
    size_t n;
    const ynode *adapters = ld_get_seq(L, map, "adapters", &n);
    errors += ynode_get(map, "adapters") && !adapters && !ynode_is_null(ynode_get(map, "adapters"));
    h->adapters = sc_xcalloc(n, sizeof *h->adapters);
    for (size_t i = 0; i < n; i++) {
        h->n_adapters = i + 1;  /* visible to config_free even if it fails */
        errors += load_adapter(L, h, i, adapters->items[i]) < 0;
    }
    errors += pf_load_sriov_support(L, map, &h->sriov) < 0;
    if (os_profile_load(L->models_dir, h->os, ynode_get(map, "os"), &h->os_prof, L->d) < 0)
        errors++;
    else if (ynode_get(map, "pf_costs") &&
             (ynode_expect(L->d, ynode_get(map, "pf_costs"), YNODE_MAP, "'pf_costs'") ||
              os_profile_read(L->d, ynode_get(map, "pf_costs"), false, &h->os_prof) < 0))
        errors++;
    return errors ? -1 : 0;
}

static int load_hosts(loader *L, const ynode *root)
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
        errors += load_host(L, i, hosts->items[i]) < 0;
    }
    return errors ? -1 : 0;
}

/* ---- fabric ---------------------------------------------------------------------- */

static void default_rack(scenario_config *cfg)
{
    fabric_config *fab = &cfg->fabric;
    fab->racks = sc_xcalloc(1, sizeof *fab->racks);
    fab->n_racks = 1;
    fab->racks[0].name = sc_xstrdup("r0");
    fab->racks[0].host_idx = sc_xcalloc(cfg->n_hosts, sizeof(int));
    fab->racks[0].n_hosts = cfg->n_hosts;
    for (size_t i = 0; i < cfg->n_hosts; i++) {
        fab->racks[0].host_idx[i] = (int)i;
        cfg->hosts[i].rack_idx = 0;
    }
}

static int load_rack(loader *L, size_t idx, const ynode *map)
{
    static const char *const keys[] = {"name", "hosts", NULL};
    rack_config *rack = &L->cfg->fabric.racks[idx];
    if (ld_item_map(L, map, keys, "a rack") || read_name(L, map, "rack", &rack->name))
        return -1;
    const char **names = sc_xcalloc(idx + 1, sizeof *names);
    for (size_t i = 0; i < idx; i++)
        names[i] = L->cfg->fabric.racks[i].name;
    int errors = check_unique(L, ynode_get(map, "name"), names, idx, "rack") < 0;
    free(names);
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
        return 0;
    }
    cfg->fabric.racks = sc_xcalloc(n, sizeof *cfg->fabric.racks);
    int errors = 0;
    for (size_t i = 0; i < n; i++) {
        cfg->fabric.n_racks = i + 1;
        errors += load_rack(L, i, racks->items[i]) < 0;
    }
    for (size_t i = 0; i < cfg->n_hosts && !errors; i++)
        if (cfg->hosts[i].rack_idx < 0) {
            ynode_error(L->d, racks, "add it to the 'hosts' of one rack",
                        "host '%s' is in no rack", cfg->hosts[i].name);
            errors++;
        }
    return errors ? -1 : 0;
}

static int load_fabric(loader *L, const ynode *root)
{
    static const char *const keys[] = {"racks", "host_link", "tor_uplink", "spines",
                                       "external", NULL};
    fabric_config *fab = &L->cfg->fabric;
    fab->host_link = (link_spec){25e9, 1e-6};
    fab->tor_uplink = (link_spec){400e9, 1e-6};
    fab->external = (link_spec){100e9, 10e-6};
    fab->spines = 1;
    const ynode *f = ynode_get(root, "fabric");
    if (!f || ynode_is_null(f)) {
        default_rack(L->cfg);
        return 0;
    }
    if (ynode_expect(L->d, f, YNODE_MAP, "'fabric'"))
        return -1;
    int errors = ynode_check_keys(L->d, f, keys, "fabric");
    errors += read_link(L, f, "host_link", &fab->host_link) < 0;
    errors += read_link(L, f, "tor_uplink", &fab->tor_uplink) < 0;
    errors += read_link(L, f, "external", &fab->external) < 0;
    errors += yget_int(L->d, f, "spines", 1, 1024, &fab->spines) < 0;
    errors += load_racks(L, f) < 0;
    return errors ? -1 : 0;
}

/* ---- VMs and NICs -------------------------------------------------------------------- */

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

static int check_mac(loader *L, const ynode *map, const char *key)
{
    const ynode *n = ynode_get(map, key);
    const char *s = n->text;
    bool ok = strlen(s) == 17;
    for (int i = 0; i < 17 && ok; i++) {
        char c = s[i];
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        ok = i % 3 == 2 ? c == ':' : hex;
    }
    if (ok)
        return 0;
    ynode_error(L->d, n, "write six hex bytes, e.g. 02:00:00:00:00:01",
                "invalid MAC address '%s'", s);
    return -1;
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

static int load_nic(loader *L, vm_config *vm, size_t idx, const ynode *map)
{
    static const char *const keys[] = {"name", "attach", "adapter", "port", "backend",
                                       "standby", "mac", "vlan", "trust", "spoofchk",
                                       "qos", "guest", "vf", "plugged", "guest_vf_driver",
                                       "buffer_working_set", NULL};
    static const char *const guests[] = {"kernel", "dpdk", NULL};
    static const char *const attaches[] = {"vf", "virtio", "vdpa", NULL};
    nic_config *nic = &vm->nics[idx];
    nic->mark = ld_mark_of(L, map);
    nic->adapter_idx = -1;
    nic->vf_idx = -1;
    nic->spoofchk = true;
    nic->qos = (qos_config){.max_rate_bps = 0, .burst_bytes = 65536, .min_rate_bps = 0};
    if (ld_item_map(L, map, keys, "a NIC") || read_name(L, map, "NIC", &nic->name))
        return -1;
    const char **names = nic_names(vm);
    int errors = check_unique(L, ynode_get(map, "name"), names, idx, "NIC") < 0;
    free(names);
    int attach = 0;
    if (yget_enum(L->d, map, "attach", attaches, &attach) < 0)
        return -1;
    nic->attach = (attach_t)attach;
    errors += load_attachment(L, vm, nic, map) < 0;
    errors += pf_load_nic_keys(L, map, nic) < 0;
    if (yget_string(L->d, map, "mac", &nic->mac) < 0)
        errors++;
    else if (nic->mac)
        errors += check_mac(L, map, "mac") < 0;
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
    errors += load_qos(L, map, &nic->qos) < 0;
    return errors ? -1 : 0;
}

static int load_vm(loader *L, size_t idx, const ynode *map)
{
    static const char *const keys[] = {"name", "host", "vcpus", "memory", "dirty_rate",
                                       "cpu_load", "nics", NULL};
    vm_config *vm = &L->cfg->vms[idx];
    vm->mark = ld_mark_of(L, map);
    vm->host_idx = -1;
    vm->vcpus = 2;
    vm->memory_bytes = 4.0 * 1073741824.0;
    if (ld_item_map(L, map, keys, "a VM") || read_name(L, map, "VM", &vm->name))
        return -1;
    const ynode *name = ynode_get(map, "name");
    if (strcmp(vm->name, "external") == 0) {
        ynode_error(L->d, name, "rename the VM", "'external' is reserved for the "
                    "world outside the data centre");
        return -1;
    }
    int errors = check_unique_indexed(L, name, &L->vm_index, (int)idx, "VM") < 0;
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
    if (yget_number(L->d, map, "cpu_load", &vm->cpu_load) < 0)
        errors++;
    else if (vm->cpu_load < 0 || vm->cpu_load > 1) {
        ynode_error(L->d, ynode_get(map, "cpu_load"), NULL, "cpu_load must be in [0, 1]");
        errors++;
    }
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

/* Hands out VFs per adapter in order of appearance. When an adapter runs
 * out, policy decides: fail, or fall back to a virtio NIC. */
static int assign_vfs(loader *L)
{
    scenario_config *cfg = L->cfg;
    int errors = 0;
    for (size_t h = 0; h < cfg->n_hosts; h++) {
        host_config *host = &cfg->hosts[h];
        for (size_t a = 0; a < host->n_adapters; a++) {
            adapter_config *ad = &host->adapters[a];
            int used = 0;
            for (size_t v = 0; v < cfg->n_vms; v++) {
                vm_config *vm = &cfg->vms[v];
                for (size_t i = 0; vm->host_idx == (int)h && i < vm->n_nics; i++) {
                    nic_config *nic = &vm->nics[i];
                    /* a vDPA device is a VF (or ADI) with a virtio datapath */
                    bool hw = nic->attach == ATTACH_VF || nic->attach == ATTACH_VDPA;
                    if (!hw || nic->adapter_idx != (int)a)
                        continue;
                    int pf = pf_assign_nic(L, host, ad, vm, nic, &used);
                    if (pf != PF_ASSIGN_DEFAULT) {
                        errors += pf < 0;
                        continue;
                    }
                    if (used < ad->num_vfs) {
                        nic->vf_idx = used++;
                    } else if (cfg->vf_exhausted == VF_EXHAUSTED_VIRTIO) {
                        nic->attach = ATTACH_VIRTIO;
                        nic->backend = sc_xstrdup("vhost-net");
                        nic->fell_back_to_virtio = true;
                    } else {
                        char hint[256];
                        snprintf(hint, sizeof hint,
                                 "raise num_vfs on '%s' (total_vfs is %d), or set "
                                 "policy.vf_exhausted: virtio", ad->name, ad->total_vfs);
                        diag_error(L->d, cfg->path, nic->mark.line, nic->mark.col, hint,
                                   "no VF left for NIC '%s.%s': adapter '%s' on host '%s' "
                                   "has num_vfs %d, all taken by earlier NICs",
                                   vm->name, nic->name, ad->name, host->name, ad->num_vfs);
                        errors++;
                    }
                }
            }
        }
    }
    return errors ? -1 : 0;
}

static int load_vms(loader *L, const ynode *root)
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
        errors += load_vm(L, i, vms->items[i]) < 0;
    }
    if (errors)
        return -1;
    return assign_vfs(L);
}

/* ---- traffic ------------------------------------------------------------------------- */

/* Ethernet frames: 64B minimum; 9216B covers every jumbo setting in use. */
static int check_packet_size(loader *L, const ynode *at, double size)
{
    if (size >= 64 && size <= 9216)
        return 0;
    ynode_error(L->d, at, "use a frame size from 64B to 9216B",
                "packet size '%s' is not an Ethernet frame size", at->text);
    return -1;
}

static void set_imix(flow_config *f)
{
    /* simple IMIX, by packet count: 7 x 64B, 4 x 594B, 1 x 1518B */
    static const pkt_size imix[] = {{64, 7}, {594, 4}, {1518, 1}};
    f->pkt_sizes = sc_xcalloc(3, sizeof *f->pkt_sizes);
    memcpy(f->pkt_sizes, imix, sizeof imix);
    f->n_pkt_sizes = 3;
}

static int load_size_mix(loader *L, flow_config *f, const ynode *mix)
{
    static const char *const keys[] = {"size", "weight", NULL};
    if (mix->kind == YNODE_SCALAR && strcmp(mix->text, "imix") == 0) {
        set_imix(f);
        return 0;
    }
    if (mix->kind != YNODE_SEQ || mix->n == 0) {
        ynode_error(L->d, mix, "write imix, or a list like [{size: 64B, weight: 7}, ...]",
                    "expected imix or a non-empty list of {size, weight} for 'packet_sizes'");
        return -1;
    }
    f->pkt_sizes = sc_xcalloc(mix->n, sizeof *f->pkt_sizes);
    int errors = 0;
    for (size_t i = 0; i < mix->n; i++) {
        const ynode *item = mix->items[i];
        pkt_size *p = &f->pkt_sizes[f->n_pkt_sizes++];
        if (ld_item_map(L, item, keys, "packet_sizes") || ld_require(L, item, "size", "packet_sizes") ||
            ld_require(L, item, "weight", "packet_sizes")) {
            errors++;
            continue;
        }
        if (yget_quantity(L->d, item, "size", UNIT_SIZE, true, &p->size_bytes) < 0 ||
            check_packet_size(L, ynode_get(item, "size"), p->size_bytes))
            errors++;
        if (yget_number(L->d, item, "weight", &p->weight) < 0) {
            errors++;
        } else if (!(p->weight > 0)) {
            ynode_error(L->d, ynode_get(item, "weight"), NULL, "weight must be greater than zero");
            errors++;
        }
    }
    return errors ? -1 : 0;
}

static int load_packet_sizes(loader *L, flow_config *f, const ynode *map)
{
    const ynode *one = ynode_get(map, "packet_size");
    const ynode *mix = ynode_get(map, "packet_sizes");
    if (one && mix) {
        ynode_error(L->d, mix, "keep one of them", "give 'packet_size' or 'packet_sizes', not both");
        return -1;
    }
    if (mix) {
        if (load_size_mix(L, f, mix))
            return -1;
    } else {
        double size = 1500;
        if (yget_quantity(L->d, map, "packet_size", UNIT_SIZE, true, &size) < 0 ||
            (one && check_packet_size(L, one, size)))
            return -1;
        f->pkt_sizes = sc_xcalloc(1, sizeof *f->pkt_sizes);
        f->pkt_sizes[0] = (pkt_size){size, 1};
        f->n_pkt_sizes = 1;
    }
    double total = 0;
    for (size_t i = 0; i < f->n_pkt_sizes; i++)
        total += f->pkt_sizes[i].weight;
    for (size_t i = 0; i < f->n_pkt_sizes; i++)
        f->pkt_sizes[i].weight /= total;
    return 0;
}

/* kind-specific keys: rate (required when inelastic), size (elastic only),
 * duration (inelastic only). */
static int load_flow_kind(loader *L, flow_config *f, const ynode *map)
{
    int errors = 0;
    if (f->kind == FLOW_INELASTIC) {
        errors += ld_require(L, map, "rate", "an inelastic flow") < 0;
        errors += yget_quantity(L->d, map, "rate", UNIT_RATE, true, &f->rate_bps) < 0;
        if (ynode_get(map, "size")) {
            ynode_error(L->d, ynode_get(map, "size"), "remove it, or set kind: elastic",
                        "'size' applies only to elastic flows; an inelastic flow sends "
                        "'rate' for 'duration'");
            errors++;
        }
        return errors ? -1 : 0;
    }
    errors += ld_require(L, map, "size", "an elastic flow") < 0;
    errors += yget_quantity(L->d, map, "size", UNIT_SIZE, true, &f->size_bytes) < 0;
    errors += yget_quantity(L->d, map, "rate", UNIT_RATE, false, &f->rate_bps) < 0;
    if (ynode_get(map, "duration")) {
        ynode_error(L->d, ynode_get(map, "duration"), "remove it, or set kind: inelastic",
                    "'duration' applies only to inelastic flows; an elastic flow "
                    "lasts until 'size' is delivered");
        errors++;
    }
    return errors ? -1 : 0;
}

static int load_flow_times(loader *L, flow_config *f, const ynode *map)
{
    double end = L->cfg->sim.duration_s;
    f->start_s = 0;
    if (yget_quantity(L->d, map, "start", UNIT_TIME, false, &f->start_s) < 0)
        return -1;
    if (f->start_s >= end) {
        ynode_error(L->d, ynode_get(map, "start"), "start it before the simulation ends",
                    "flow '%s' starts at %gs, at or after the end of the simulation (%gs)",
                    f->name, f->start_s, end);
        return -1;
    }
    f->duration_s = f->kind == FLOW_INELASTIC ? end - f->start_s : 0;
    int got = yget_quantity(L->d, map, "duration", UNIT_TIME, true, &f->duration_s);
    if (got < 0)
        return -1;
    /* a relative slack absorbs decimal round-off such as 0.1s + 9.9s */
    if (got > 0 && f->start_s + f->duration_s > end * (1 + 1e-12)) {
        char hint[128];
        snprintf(hint, sizeof hint, "shorten it to at most %gs, or lengthen simulation.duration",
                 end - f->start_s);
        ynode_error(L->d, ynode_get(map, "duration"), hint,
                    "flow '%s' would end at %gs, after the simulation ends (%gs)",
                    f->name, f->start_s + f->duration_s, end);
        return -1;
    }
    return 0;
}

static int load_flow_endpoints(loader *L, flow_config *f, const ynode *map)
{
    if (ld_require(L, map, "from", "a flow") || ld_require(L, map, "to", "a flow"))
        return -1;
    const ynode *from = ynode_get(map, "from"), *to = ynode_get(map, "to");
    int errors = ld_resolve_endpoint(L, from, true, &f->src) < 0;
    errors += ld_resolve_endpoint(L, to, true, &f->dst) < 0;
    if (errors)
        return -1;
    f->from = sc_xstrdup(from->text);
    f->to = sc_xstrdup(to->text);
    if (f->src.vm_idx < 0 && f->dst.vm_idx < 0) {
        ynode_error(L->d, to, "one end must be a VM NIC", "a flow from external to external");
        return -1;
    }
    if (f->src.vm_idx == f->dst.vm_idx && f->src.nic_idx == f->dst.nic_idx) {
        ynode_error(L->d, to, "send to another NIC", "flow '%s' goes from '%s' to itself",
                    f->name, f->from);
        return -1;
    }
    return 0;
}

/* src_mac: the source MAC a VM NIC's frames carry (spoof checking). */
static int load_flow_src_mac(loader *L, flow_config *f, const ynode *map)
{
    const ynode *n = ynode_get(map, "src_mac");
    if (!n)
        return 0;
    if (yget_string(L->d, map, "src_mac", &f->src_mac) < 0 || check_mac(L, map, "src_mac") < 0)
        return -1;
    if (f->src.vm_idx < 0) {
        ynode_error(L->d, n, "remove it: the external world has no VF to check",
                    "'src_mac' applies only to flows from a VM NIC");
        return -1;
    }
    return 0;
}

static int load_flow(loader *L, size_t idx, const ynode *map)
{
    static const char *const keys[] = {"name", "from", "to", "kind", "rate", "size",
                                       "packet_size", "packet_sizes", "arrivals", "start",
                                       "duration", "src_mac", NULL};
    static const char *const kinds[] = {"inelastic", "elastic", NULL};
    static const char *const arrivals[] = {"constant", "poisson", "onoff", NULL};
    flow_config *f = &L->cfg->flows[idx];
    f->mark = ld_mark_of(L, map);
    if (ld_item_map(L, map, keys, "a flow") || read_name(L, map, "flow", &f->name))
        return -1;
    int errors = check_unique_indexed(L, ynode_get(map, "name"), &L->flow_index, (int)idx,
                                      "flow") < 0;
    errors += load_flow_endpoints(L, f, map) < 0;
    int kind = 0, arrival = 0;
    if (yget_enum(L->d, map, "kind", kinds, &kind) < 0)
        return -1;
    f->kind = (flow_kind_t)kind;
    errors += yget_enum(L->d, map, "arrivals", arrivals, &arrival) < 0;
    f->arrivals = (arrivals_t)arrival;
    errors += load_flow_kind(L, f, map) < 0;
    errors += load_packet_sizes(L, f, map) < 0;
    errors += load_flow_times(L, f, map) < 0;
    errors += load_flow_src_mac(L, f, map) < 0;
    return errors ? -1 : 0;
}

static int load_traffic(loader *L, const ynode *root)
{
    static const char *const keys[] = {"flows", NULL};
    const ynode *list = ynode_get(root, "traffic");
    if (!list || ynode_is_null(list))
        return 0;
    /* a list of flows, or { flows: [...] } */
    if (list->kind == YNODE_MAP) {
        if (ynode_check_keys(L->d, list, keys, "traffic"))
            return -1;
        list = ynode_get(list, "flows");
        if (!list || ynode_is_null(list))
            return 0;
    }
    if (ynode_expect(L->d, list, YNODE_SEQ, "'traffic'"))
        return -1;
    L->cfg->flows = sc_xcalloc(list->n, sizeof *L->cfg->flows);
    int errors = 0;
    for (size_t i = 0; i < list->n; i++) {
        L->cfg->n_flows = i + 1;
        errors += load_flow(L, i, list->items[i]) < 0;
    }
    return errors ? -1 : 0;
}

/* ---- output, top level ------------------------------------------------------------------ */

/* The results hold one row per sample, allocated before the run starts:
 * bound them here, where the error can point at the scenario, instead of
 * failing to allocate (or filling the disk) later. */
#define MAX_SAMPLES 1e7

static int check_sample_count(loader *L, const ynode *root, const output_config *out)
{
    double samples = L->cfg->sim.duration_s / out->sample_interval_s;
    if (samples <= MAX_SAMPLES)
        return 0;
    const ynode *where = ynode_get(ynode_get(root, "output"), "sample_interval");
    if (!where)
        where = ynode_get(ynode_get(root, "simulation"), "duration");
    ynode_error(L->d, where, "use a longer output.sample_interval or a shorter duration",
                "%.3g samples (duration / sample_interval) exceed the limit of %.0g",
                samples, MAX_SAMPLES);
    return 1;
}

static int load_output(loader *L, const ynode *root)
{
    static const char *const keys[] = {"file", "sample_interval", NULL};
    output_config *out = &L->cfg->output;
    /* 100 ms, or the whole run when it is shorter: a default never makes a
     * valid scenario invalid (and the resolved scenario reloads). */
    out->sample_interval_s = fmin(0.1, L->cfg->sim.duration_s);
    const ynode *o = ynode_get(root, "output");
    int errors = 0;
    if (o && !ynode_is_null(o)) {
        if (ynode_expect(L->d, o, YNODE_MAP, "'output'") || ynode_check_keys(L->d, o, keys, "output"))
            return -1;
        errors += yget_string(L->d, o, "file", &out->file) < 0;
        errors += yget_quantity(L->d, o, "sample_interval", UNIT_TIME, true,
                                &out->sample_interval_s) < 0;
        if (!errors && out->sample_interval_s > L->cfg->sim.duration_s) {
            ynode_error(L->d, ynode_get(o, "sample_interval"),
                        "use an interval no longer than simulation.duration",
                        "sample_interval %gs is longer than the simulation (%gs)",
                        out->sample_interval_s, L->cfg->sim.duration_s);
            errors++;
        }
    }
    if (!errors)
        errors += check_sample_count(L, root, out);
    if (!out->file) {
        size_t len = strlen(L->cfg->name) + sizeof "results/.h5";
        out->file = sc_xcalloc(len, 1);
        snprintf(out->file, len, "results/%s.h5", L->cfg->name);
    }
    return errors ? -1 : 0;
}

static int load_name(loader *L, const ynode *root)
{
    const ynode *n = ynode_get(root, "name");
    if (!n) {
        ynode_error(L->d, root, "add 'name: my-scenario' (it names the results file)",
                    "missing required key 'name'");
        return -1;
    }
    if (yget_string(L->d, root, "name", &L->cfg->name) < 0 || check_name(L, n, "scenario"))
        return -1;
    return 0;
}

static int load_root(loader *L, const ynode *root)
{
    static const char *const keys[] = {"name", "simulation", "fabric", "hosts", "vms",
                                       "traffic", "events", "policy", "output", NULL};
    if (ynode_expect(L->d, root, YNODE_MAP, "the scenario"))
        return -1;
    int errors = ynode_check_keys(L->d, root, keys, "the scenario");
    errors += load_name(L, root) < 0;
    errors += load_simulation(L, root) < 0;
    errors += load_policy(L, root) < 0;
    errors += load_hosts(L, root) < 0;
    /* everything below resolves names against what is above */
    if (errors || load_fabric(L, root) || load_vms(L, root) || load_traffic(L, root) ||
        load_events(L, root) || load_output(L, root))
        return -1;
    return 0;
}

int scenario_load_text(const char *text, size_t len, const char *path,
                       const char *models_dir, scenario_config *out, diag *d)
{
    memset(out, 0, sizeof *out);
    out->path = sc_xstrdup(path ? path : "<input>");
    out->text = sc_xcalloc(len + 1, 1);
    memcpy(out->text, text, len);
    int errors_before = d->n_errors;
    ynode_doc doc;
    if (ynode_parse(out->text, len, out->path, &doc, d)) {
        config_free(out);
        return -1;
    }
    loader L = {.d = d, .models_dir = models_dir, .cfg = out};
    int rc = load_root(&L, doc.root);
    strmap_free(&L.host_index);
    strmap_free(&L.vm_index);
    strmap_free(&L.flow_index);
    ynode_doc_free(&doc);
    if (rc || d->n_errors > errors_before) {
        config_free(out);
        return -1;
    }
    return 0;
}

int scenario_load(const char *path, const char *models_dir, scenario_config *out, diag *d)
{
    memset(out, 0, sizeof *out);
    char *text;
    size_t len;
    if (ynode_read_file(path, &text, &len, d))
        return -1;
    int rc = scenario_load_text(text, len, path, models_dir, out, d);
    free(text);
    return rc;
}
