/* catalogue.c -- see catalogue.h. */
#include "scenario/catalogue.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static const char *const hw_keys[] = {
    "total_vfs", "ports", "port_rate", "port_latency", "queues_per_vf",
    "pcie", "eswitch_capacity", "total_queues", "total_rate", "total_packet_rate_pps", "keeps_crc",
    "msix_per_vf", "interrupt_moderation", "interrupt_moderation_packets",
    "multi_host_hosts", NULL,
};
static const char *const pcie_keys[] = {"gen", "lanes", "mps", "mrrs", NULL};

/* PCIe allows x1, x2, x4, x8, x16 and x32 links. */
static int check_lanes(diag *d, const ynode *pcie, int lanes)
{
    if (lanes == 1 || lanes == 2 || lanes == 4 || lanes == 8 || lanes == 16 ||
        lanes == 32)
        return 0;
    ynode_error(d, ynode_get(pcie, "lanes"), "use 1, 2, 4, 8, 16 or 32",
                "pcie lanes must be a link width, got %d", lanes);
    return -1;
}

/* MPS and MRRS are powers of two from 128 to 4096 bytes (PCIe Device
 * Control register encodings 000b..101b). */
static int check_payload(diag *d, const ynode *pcie, const char *key, double v)
{
    for (double ok = 128; ok <= 4096; ok *= 2)
        if (v == ok)
            return 0;
    ynode_error(d, ynode_get(pcie, key), "use 128B, 256B, 512B, 1KiB, 2KiB or 4KiB",
                "pcie %s must be a power of two from 128B to 4096B", key);
    return -1;
}

static int read_pcie(diag *d, const ynode *pcie, pcie_config *p)
{
    if (ynode_expect(d, pcie, YNODE_MAP, "'pcie'"))
        return -1;
    int errors = ynode_check_keys(d, pcie, pcie_keys, "pcie");
    int lanes = p->lanes;
    double mps = p->mps_bytes, mrrs = p->mrrs_bytes;
    errors += yget_int(d, pcie, "gen", 1, 5, &p->gen) < 0;
    if (yget_int(d, pcie, "lanes", 1, 32, &lanes) > 0)
        errors += check_lanes(d, pcie, lanes) < 0;
    else
        errors += ynode_get(pcie, "lanes") != NULL;
    if (yget_quantity(d, pcie, "mps", UNIT_SIZE, true, &mps) > 0)
        errors += check_payload(d, pcie, "mps", mps) < 0;
    if (yget_quantity(d, pcie, "mrrs", UNIT_SIZE, true, &mrrs) > 0)
        errors += check_payload(d, pcie, "mrrs", mrrs) < 0;
    if (errors)
        return -1;
    p->lanes = lanes;
    p->mps_bytes = mps;
    p->mrrs_bytes = mrrs;
    return 0;
}

/* A queue's interrupt moderation: 0 (off) or 1us..8160us, the largest
 * interval the Intel ITR register holds (ICE_ITR_MAX, IAVF_MAX_ITR 8160 in
 * drivers/net/ethernet/intel/{ice/ice_txrx.h,iavf/iavf_txrx.h}). */
unit_range catalogue_irq_range(void)
{
    return (unit_range){1e-6, 8.16e-3, "1us", "8160us"};
}

/* The VF's interrupt keys (docs/queues-interrupts.md). */
static int catalogue_read_irq(diag *d, const ynode *map, adapter_config *a)
{
    int errors = yget_int(d, map, "msix_per_vf", 0, 2048, &a->msix_per_vf) < 0;
    if (!errors && a->msix_per_vf == 1) {
        ynode_error(d, ynode_get(map, "msix_per_vf"),
                    "use 0 (not limiting) or at least 2: one vector is the VF's misc vector",
                    "msix_per_vf 1 leaves no vector for a queue");
        errors++;
    }
    errors += yget_quantity_in(d, map, "interrupt_moderation", UNIT_TIME, false,
                               catalogue_irq_range(), &a->irq_moderation_s) < 0;
    errors += yget_int(d, map, "interrupt_moderation_packets", 0, 65535,
                       &a->irq_moderation_packets) < 0;
    return errors ? -1 : 0;
}

int catalogue_read_hw(diag *d, const ynode *map, adapter_config *a)
{
    int errors = 0;
    /* TotalVFs is a 16-bit field of the SR-IOV capability */
    errors += yget_int(d, map, "total_vfs", 0, 65535, &a->total_vfs) < 0;
    errors += yget_int(d, map, "ports", 1, 64, &a->ports) < 0;
    errors += yget_quantity(d, map, "port_rate", UNIT_RATE, true, &a->port_rate_bps) < 0;
    errors += yget_quantity_in(d, map, "port_latency", UNIT_TIME, false, units_delay_range(),
                               &a->port_latency_s) < 0;
    errors += yget_int(d, map, "queues_per_vf", 1, 4096, &a->queues_per_vf) < 0;
    errors += yget_int(d, map, "total_queues", 0, 1 << 24, &a->total_queues) < 0;
    errors += yget_quantity(d, map, "eswitch_capacity", UNIT_RATE, true,
                            &a->eswitch_capacity_bps) < 0;
    errors += yget_quantity(d, map, "total_rate", UNIT_RATE, false, &a->total_rate_bps) < 0;
    /* 1 kpps .. 10 Gpps: above any adapter's packet engine (a 1.6 Tb/s
     * port carries 2.4 Gpps of 64B frames) */
    errors += yget_number(d, map, "total_packet_rate_pps", 0, 1e10,
                          &a->total_packet_rate_pps) < 0;
    if (a->total_packet_rate_pps > 0 && a->total_packet_rate_pps < 1e3) {
        ynode_error(d, ynode_get(map, "total_packet_rate_pps"),
                    "use 0 (no limit) or a rate from 1000 to 1e10 packets per second",
                    "total_packet_rate_pps %g is below 1000", a->total_packet_rate_pps);
        errors++;
    }
    errors += yget_bool(d, map, "keeps_crc", &a->keeps_crc) < 0;
    errors += catalogue_read_irq(d, map, a) < 0;
    /* 0 = single host; NVIDIA Multi-Host serves up to 4 hosts from one x16
     * (docs/references.md), 8 leaves room for x2 bifurcation */
    errors += yget_int(d, map, "multi_host_hosts", 0, 8, &a->multi_host_hosts) < 0;
    const ynode *pcie = ynode_get(map, "pcie");
    if (pcie)
        errors += read_pcie(d, pcie, &a->pcie) < 0;
    return errors ? -1 : 0;
}

/* Model names become file names: keep them to one plain path component. */
static bool model_name_ok(const char *model)
{
    if (model[0] == '\0' || model[0] == '.')
        return false;
    for (const char *c = model; *c; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.';
        if (!ok)
            return false;
    }
    return true;
}

/* The models in models_dir/adapters, for suggesting the nearest one. */
static void report_unknown_model(const char *models_dir, const ynode *model_node,
                                 diag *d)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/adapters", models_dir);
    const char *names[129] = {NULL};
    char *owned[128];
    size_t n = 0;
    DIR *dh = opendir(dir);
    for (struct dirent *e; dh && n < 128 && (e = readdir(dh));) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0) {
            owned[n] = sc_xstrdup(e->d_name);
            owned[n][len - 5] = '\0';
            names[n] = owned[n];
            n++;
        }
    }
    if (dh)
        closedir(dh);
    const char *near = ynode_nearest(model_node->text, names);
    char hint[512];
    if (near)
        snprintf(hint, sizeof hint, "did you mean '%s'?", near);
    else
        snprintf(hint, sizeof hint, "add %.200s/%.64s.yaml, or use a model from %.200s",
                 dir, model_node->text, dir);
    ynode_error(d, model_node, hint, "unknown adapter model '%s'", model_node->text);
    for (size_t i = 0; i < n; i++)
        free(owned[i]);
}

/* Sentinels mark required fields the file has not set. */
static void preset(adapter_config *a)
{
    a->total_vfs = -1;
    a->ports = -1;
    a->port_rate_bps = -1;
    a->port_latency_s = 1e-6;
    a->queues_per_vf = -1;
    a->pcie = (pcie_config){.gen = -1, .lanes = -1, .mps_bytes = 256, .mrrs_bytes = 512};
    a->eswitch_capacity_bps = -1;
    a->keeps_crc = false;
    a->multi_host_hosts = 0;
}

static int check_required(diag *d, const ynode *root, const adapter_config *a)
{
    struct { const char *key; bool missing; } req[] = {
        {"total_vfs", a->total_vfs < 0}, {"ports", a->ports < 0},
        {"port_rate", a->port_rate_bps < 0}, {"queues_per_vf", a->queues_per_vf < 0},
        {"pcie.gen", a->pcie.gen < 0}, {"pcie.lanes", a->pcie.lanes < 0},
        {"eswitch_capacity", a->eswitch_capacity_bps < 0},
    };
    int errors = 0;
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++)
        if (req[i].missing) {
            ynode_error(d, root, "see models/README.md", "adapter model lacks '%s'",
                        req[i].key);
            errors++;
        }
    return errors ? -1 : 0;
}

/* The model file's values into a: checked (keys, values, required keys)
 * the first time the load asks for it, then read again from the cached
 * document for every further adapter of that model (doc_cache.h). */
static int load_file(const char *path, doc_cache *cache, adapter_config *a, diag *d)
{
    bool first, *verdict;
    const ynode_doc *doc = doc_cache_get(cache, path, d, &first, &verdict);
    if (doc == NULL)
        return -1;
    int errors = d->n_errors;
    if (ynode_expect(d, doc->root, YNODE_MAP, "an adapter model") == 0) {
        if (first)
            ynode_check_keys(d, doc->root, hw_keys, "adapter model");
        preset(a);
        if (catalogue_read_hw(d, doc->root, a) == 0)
            check_required(d, doc->root, a);
    }
    if (d->n_errors > errors)
        *verdict = false;
    return d->n_errors > errors ? -1 : 0;
}

int catalogue_load(const char *models_dir, doc_cache *cache, const ynode *model_node,
                   adapter_config *a, diag *d)
{
    if (!model_name_ok(model_node->text)) {
        ynode_error(d, model_node, "use a file name from models/adapters without .yaml",
                    "invalid adapter model name '%s'", model_node->text);
        return -1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/adapters/%s.yaml", models_dir, model_node->text);
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        report_unknown_model(models_dir, model_node, d);
        return -1;
    }
    fclose(probe);
    return load_file(path, cache, a, d);
}
