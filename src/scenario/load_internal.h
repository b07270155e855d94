/* load_internal.h -- what the loader's files share: the loader state and
 * the helpers that resolve references, so each section (and each event
 * type) can be read in a file of its own. Not a public API. */
#ifndef SRIOV_LOAD_INTERNAL_H
#define SRIOV_LOAD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario/config.h"
#include "scenario/diag.h"
#include "scenario/ynode.h"
#include "util/strmap.h"

typedef struct loader {
    diag *d;
    const char *models_dir;
    scenario_config *cfg;
    /* name -> index of the hosts, VMs and flows read so far, so a scenario
     * naming 32k VMs loads in linear time */
    strmap host_index;
    strmap vm_index;
    strmap flow_index;
    /* Whether any NIC pins a VF number (vf: N): 0 not yet known, 1 none,
     * 2 some. Saves a scan of every VM per NIC when nobody pins. */
    int vf_pins;
} loader;

/* Where a node is in the file, for later messages. */
src_mark ld_mark_of(const loader *L, const ynode *n);
/* Reports a missing required key; 0 when present. */
int ld_require(loader *L, const ynode *map, const char *key, const char *where);
/* Name -> index, reporting an unknown name with the nearest known one; -1 on error. */
int ld_resolve_host(loader *L, const ynode *at);
int ld_resolve_adapter(loader *L, const ynode *at, const host_config *h);
int ld_resolve_vm(loader *L, const ynode *at);
/* "vm.nic" (or "external" when allow_external) -> endpoint_ref; 0 or -1. */
int ld_resolve_endpoint(loader *L, const ynode *at, bool allow_external, endpoint_ref *out);
/* The sequence under key (NULL and *n = 0 when absent); a non-sequence is an error. */
const ynode *ld_get_seq(loader *L, const ynode *map, const char *key, size_t *n);
/* Checks a sequence item is a mapping with known keys. */
int ld_item_map(loader *L, const ynode *item, const char *const *keys, const char *where);

/* load_events.c: the events section, sorted by time. */
int load_events(loader *L, const ynode *root);

#endif
