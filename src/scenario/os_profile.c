/* os_profile.c -- see os_profile.h. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/os_profile.h"

typedef struct cost_key {
    const char *key;
    size_t offset;              /* of a double in os_profile */
} cost_key;

#define COST(k) {#k, offsetof(os_profile, k##_s)}
static const cost_key cost_keys[] = {
    COST(vf_enable), COST(vf_disable), COST(unbind), COST(bind), COST(hotplug),
    COST(unplug), COST(flr), COST(domain_rebuild), COST(mailbox_latency),
    COST(mailbox_service), COST(mailbox_timeout),
};
#define N_COSTS (sizeof cost_keys / sizeof cost_keys[0])

static const char *const all_keys[] = {
    "name", "passthrough", "synthetic_fallback", "vf_enable", "vf_disable", "unbind", "bind",
    "hotplug", "unplug", "flr", "domain_rebuild", "mailbox_latency", "mailbox_service",
    "mailbox_timeout", NULL};

int os_profile_read(diag *d, const ynode *map, bool required, os_profile *p)
{
    int errors = ynode_check_keys(d, map, all_keys, required ? "an OS profile" : "pf_costs");
    for (size_t i = 0; i < N_COSTS; i++) {
        double *field = (double *)((char *)p + cost_keys[i].offset);
        int rc = yget_quantity_in(d, map, cost_keys[i].key, UNIT_TIME, false,
                                  units_delay_range(), field);
        if (rc == 0 && required) {
            ynode_error(d, map, "add it, with the source of its value",
                        "OS profile lacks '%s'", cost_keys[i].key);
            errors++;
        }
        errors += rc < 0;
    }
    if (p->flr_s > 0.1 && ynode_get(map, "flr")) {
        /* PCIe r4.0 6.6.2: a function must complete an FLR within 100 ms */
        ynode_error(d, ynode_get(map, "flr"), "use at most 100ms",
                    "an FLR takes at most 100 ms (PCIe r4.0 section 6.6.2)");
        errors++;
    }
    char *pt = NULL;
    if (yget_string(d, map, "passthrough", &pt) < 0)
        errors++;
    if (pt) {
        free(p->passthrough);
        p->passthrough = pt;
    }
    errors += yget_bool(d, map, "synthetic_fallback", &p->synthetic_fallback) < 0;
    if (required && !p->passthrough) {
        ynode_error(d, map, "add passthrough: vfio-pci (or the OS's driver)",
                    "OS profile lacks 'passthrough'");
        errors++;
    }
    return errors ? -1 : 0;
}

int os_profile_load(const char *models_dir, doc_cache *cache, const char *os,
                    const ynode *where, os_profile *out, diag *d)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/os/%s.yaml", models_dir, os);
    free(out->name);
    out->name = sc_xstrdup(os);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (where)
            ynode_error(d, where, "check --models DIR holds os/<name>.yaml",
                        "no OS profile '%s' (%s)", os, path);
        else
            diag_error(d, path, 0, 0, "check --models DIR holds os/<name>.yaml",
                       "no OS profile '%s'", os);
        return -1;
    }
    fclose(f);
    bool first, *verdict;
    const ynode_doc *doc = doc_cache_get(cache, path, d, &first, &verdict);
    if (doc == NULL)
        return -1;
    int rc = ynode_expect(d, doc->root, YNODE_MAP, "an OS profile") ? -1
             : os_profile_read(d, doc->root, true, out);
    if (rc != 0)
        *verdict = false;   /* reported once, not once per host */
    return rc;
}
