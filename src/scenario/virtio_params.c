/* virtio_params.c -- see virtio_params.h. */
#include "scenario/virtio_params.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/ynode.h"

static const char *const backend_names[VB_COUNT] = {"vhost-net", "vhost-user", "vdpa"};
static const char *const guest_names[VG_COUNT] = {"kernel", "dpdk"};

int virt_backend_by_name(const char *name)
{
    for (int b = 0; name && b < VB_COUNT; b++)
        if (strcmp(name, backend_names[b]) == 0)
            return b;
    return -1;
}

/* Every key is required: a model file states all of its numbers. */
static int need(diag *d, const ynode *map, const char *key)
{
    if (ynode_get(map, key))
        return 0;
    ynode_error(d, map, "see models/virtio/backends.yaml", "missing '%s'", key);
    return -1;
}

/* Every key of the NULL-terminated list keys is present in map (each
 * missing one reported): 0, or -1. */
static int need_all(diag *d, const ynode *map, const char *const *keys)
{
    int errors = 0;
    for (size_t i = 0; keys[i]; i++)
        errors += need(d, map, keys[i]) < 0;
    return errors ? -1 : 0;
}

/* The entry what of the mapping parent (backends or guest). */
static int read_cost(diag *d, const ynode *parent, const char *what, virt_cost *c, int host_side)
{
    static const char *const host_keys[] = {"cycles_per_packet", "cycles_per_byte", "cores",
                                            "latency", NULL};
    static const char *const guest_keys[] = {"cycles_per_packet", "cycles_per_byte", "cores",
                                             NULL};
    const ynode *map = ynode_get(parent, what);
    if (!map) {
        ynode_error(d, parent, NULL, "virtio model lacks '%s'", what);
        return -1;
    }
    const char *const *keys = host_side ? host_keys : guest_keys;
    if (ynode_expect(d, map, YNODE_MAP, what) || ynode_check_keys(d, map, keys, what))
        return -1;
    if (need_all(d, map, keys) != 0)
        return -1;
    int errors = 0;
    errors += yget_number(d, map, "cycles_per_packet", 0, 1e9, &c->cycles_per_packet) < 0;
    errors += yget_number(d, map, "cycles_per_byte", 0, 1e6, &c->cycles_per_byte) < 0;
    errors += yget_number(d, map, "cores", 0, 65536, &c->cores) < 0;
    if (host_side) {
        errors += yget_quantity_in(d, map, "latency", UNIT_TIME, false, units_delay_range(),
                                   &c->latency_s) < 0;
    }
    return errors ? -1 : 0;
}

static int read_interrupts(diag *d, const ynode *root, virt_irq_cost_t *c)
{
    static const char *const keys[] = {"guest_cycles_per_interrupt",
                                       "exit_cycles_per_interrupt", "exit_cycles_per_kick",
                                       "packets_per_notification", NULL};
    const ynode *map = ynode_get(root, "interrupts");
    if (!map) {
        ynode_error(d, root, NULL, "virtio model lacks 'interrupts'");
        return -1;
    }
    if (ynode_expect(d, map, YNODE_MAP, "'interrupts'") ||
        ynode_check_keys(d, map, keys, "interrupts"))
        return -1;
    if (need_all(d, map, keys) != 0)
        return -1;
    int errors = 0;
    errors += yget_number(d, map, keys[0], 0, 1e9, &c->guest_cycles) < 0;
    errors += yget_number(d, map, keys[1], 0, 1e9, &c->exit_cycles) < 0;
    errors += yget_number(d, map, keys[2], 0, 1e9, &c->kick_exit_cycles) < 0;
    errors += yget_number(d, map, keys[3], 1, 1e6, &c->notify_batch) < 0;
    return errors ? -1 : 0;
}

static int read_backends(diag *d, const ynode *root, virt_params *p)
{
    static const char *const keys[] = {"backends", "guest", "interrupts", NULL};
    if (ynode_expect(d, root, YNODE_MAP, "the file") || ynode_check_keys(d, root, keys, "file"))
        return -1;
    const ynode *b = ynode_get(root, "backends"), *g = ynode_get(root, "guest");
    if (!b || !g || ynode_expect(d, b, YNODE_MAP, "'backends'") ||
        ynode_expect(d, g, YNODE_MAP, "'guest'")) {
        ynode_error(d, root, NULL, "needs 'backends' and 'guest' mappings");
        return -1;
    }
    int errors = 0;
    for (int i = 0; i < VB_COUNT; i++)
        errors += read_cost(d, b, backend_names[i], &p->backend[i], 1) < 0;
    for (int i = 0; i < VG_COUNT; i++)
        errors += read_cost(d, g, guest_names[i], &p->guest[i], 0) < 0;
    errors += read_interrupts(d, root, &p->irq) < 0;
    return errors ? -1 : 0;
}

static int read_migration(diag *d, const ynode *root, virt_params *p)
{
    static const char *const keys[] = {"unplug_time", "plug_time", "min_downtime",
                                       "max_downtime", "bandwidth", "max_rounds",
                                       "working_set", NULL};
    mig_defaults *m = &p->mig;
    if (ynode_expect(d, root, YNODE_MAP, "the file") || ynode_check_keys(d, root, keys, "file"))
        return -1;
    int errors = 0;
    for (size_t i = 0; keys[i]; i++)
        errors += need(d, root, keys[i]) < 0;
    if (errors)
        return -1;
    double bw_bps = 0;
    const unit_range delay = units_delay_range();
    errors += yget_quantity_in(d, root, "unplug_time", UNIT_TIME, false, delay, &m->unplug_s) < 0;
    errors += yget_quantity_in(d, root, "plug_time", UNIT_TIME, false, delay, &m->plug_s) < 0;
    errors += yget_quantity_in(d, root, "min_downtime", UNIT_TIME, false, delay, &m->min_downtime_s) < 0;
    errors += yget_quantity_in(d, root, "max_downtime", UNIT_TIME, false, delay, &m->max_downtime_s) < 0;
    errors += yget_quantity(d, root, "bandwidth", UNIT_RATE, false, &bw_bps) < 0;
    errors += yget_int(d, root, "max_rounds", 1, 1000000, &m->max_rounds) < 0;
    errors += yget_number(d, root, "working_set", 0, 1, &m->working_set) < 0;
    m->bandwidth_Bps = bw_bps / 8.0;
    if (!errors && (m->working_set <= 0 || m->working_set > 1)) {
        ynode_error(d, ynode_get(root, "working_set"), NULL, "working_set must be in (0, 1]");
        errors++;
    }
    return errors ? -1 : 0;
}

typedef int (*reader_fn)(diag *, const ynode *, virt_params *);

static int load_one(const char *path, reader_fn read, virt_params *p, diag *d)
{
    char *text = NULL;
    size_t len = 0;
    ynode_doc doc = {0};
    if (ynode_read_file(path, &text, &len, d) != 0)
        return -1;
    int rc = ynode_parse(text, len, path, &doc, d);
    if (rc == 0)
        rc = read(d, doc.root, p);
    ynode_doc_free(&doc);
    free(text);
    return rc;
}

int virt_params_load(const char *models_dir, virt_params *p, diag *d)
{
    char path[4096];
    memset(p, 0, sizeof *p);
    snprintf(path, sizeof path, "%s/virtio/backends.yaml", models_dir);
    if (load_one(path, read_backends, p, d) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/virtio/migration.yaml", models_dir);
    return load_one(path, read_migration, p, d);
}
