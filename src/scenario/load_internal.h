/* load_internal.h -- what the loader's files share: the loader state, the
 * helpers that read names and resolve references, and each section's
 * reader, so each section (and each event type) can be read in a file of
 * its own. Not a public API: only src/scenario includes it.
 *
 *   load.c         top level: name, simulation, policy, output; the order
 *                  of the sections; the models directory, and the virtio
 *                  and migration parameters (virtio_params.c)
 *   load_common.c  the helpers below (names, references, sequences, MACs)
 *   load_hosts.c   hosts, adapters (catalogue.c), IOMMU, OS profile
 *                  (os_profile.c), fabric and racks
 *   load_vms.c     VMs, NICs, QoS; VF hand-out
 *   load_pf.c      the PF's keys, VF hand-out rules and events
 *   load_traffic.c flows
 *   load_events.c  events, sorted by time
 *   groups.c       groups, expanded before the sections are read (groups.h)
 */
#ifndef SRIOV_LOAD_INTERNAL_H
#define SRIOV_LOAD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario/config.h"
#include "scenario/diag.h"
#include "scenario/doc_cache.h"
#include "scenario/groups.h"
#include "scenario/ynode.h"
#include "util/strmap.h"

enum { NAME_MAX_LEN = 64 };

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
    doc_cache models;           /* catalogue and OS-profile files, parsed once */
    groups gx;                  /* the generated items (groups.h) */
    unsigned char *group_failed;/* [cfg->n_groups]: an instance had an error */
    group_where where;          /* the generated item being read (diag.context) */
} loader;

/* ---- load_common.c ---- */

/* Where a node is in the file, for later messages. */
src_mark ld_mark_of(const loader *L, const ynode *n);
/* Around reading one item of a section: ld_enter_item names a generated
 * item in messages (diag.context) and returns true when the item is to be
 * skipped, because an earlier instance of its group failed (a template's
 * mistake would repeat 10,000 times); ld_leave_item ends it, noting
 * whether errors were reported since errors_before. */
bool ld_enter_item(loader *L, const ynode *item);
void ld_leave_item(loader *L, const ynode *item, int errors_before);
/* The same context for a message about an item after it was read. */
void ld_enter_mark(loader *L, const src_mark *m, const char *name);

/* Checks n is a plain name (what: "host", "scenario"); 0 or -1. */
int ld_check_name(loader *L, const ynode *n, const char *what);
/* Refuses a host or rack name the platform generates itself (dc, external,
 * star); what: "host", "rack". 0 or -1. */
int ld_check_reserved(loader *L, const ynode *n, const char *what);
/* Reads the required "name" of an item into *out; 0 or -1. */
int ld_read_name(loader *L, const ynode *map, const char *what, char **out);
/* Reports a missing required key; 0 when present. */
int ld_require(loader *L, const ynode *map, const char *key, const char *where);
/* NULL-terminated array of the names of n items, the first of whose name
 * field is at first, stride bytes apart; borrowed (free the array only). */
const char **ld_names(char *const *first, size_t n, size_t stride);
/* The arguments of ld_names for items[0..n), an array of structs with a
 * char *name: LD_NAMES(h->adapters, h->n_adapters). */
#define LD_ITEMS(items, n) ((n) ? &(items)[0].name : NULL), (n), sizeof *(items)
#define LD_NAMES(items, n) ld_names(LD_ITEMS(items, n))
/* Reports name_node when names[0..n_before) holds it already; 0 or -1. */
int ld_unique(loader *L, const ynode *name_node, const char *const *names, size_t n_before,
              const char *what);
/* The same against index; records the name there (as idx) when new. */
int ld_unique_indexed(loader *L, const ynode *name_node, strmap *index, int idx,
                      const char *what);
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
/* Reads the optional key tags (a list of names, at most LD_MAX_TAGS, no
 * repeats) of a host or VM into *tags / *n; 0 or -1. */
enum { LD_MAX_TAGS = 64 };
int ld_read_tags(loader *L, const ynode *map, char ***tags, size_t *n);
/* Checks the scalar n is a MAC address (six hex bytes, colons); 0 or -1. */
int ld_check_mac(loader *L, const ynode *n);

/* ---- the sections, in load order; each 0 or -1 after reporting ---- */

int load_hosts(loader *L, const ynode *root);      /* load_hosts.c */
int load_fabric(loader *L, const ynode *root);     /* load_hosts.c */
int load_multi_host(loader *L);                    /* load_mhost.c, after the fabric */
int load_host_cap_check(loader *L);                /* load_mhost.c, after the events */
int load_vms(loader *L, const ynode *root);        /* load_vms.c */
int load_traffic(loader *L, const ynode *root);    /* load_traffic.c */
int load_events(loader *L, const ynode *root);     /* load_events.c */
int load_workloads(loader *L, const ynode *root);  /* load_workloads.c */
int load_gpus(loader *L, const ynode *root);       /* load_gpus.c */

/* ---- load_pf.c: the PF's keys and events ---- */

/* Host key sriov_support: {adapter, firmware_iommu, kernel_iommu, os}. */
int ld_sriov_support(loader *L, const ynode *host_map, sriov_support *out);
/* NIC keys vf, plugged, guest_vf_driver. */
int ld_nic_pf_keys(loader *L, const ynode *nic_map, nic_config *nic);

/* The PF's part of handing out VFs at load time, for one VF/vDPA NIC of
 * vm on adapter ad of host (called by load_vms.c's assign_vfs before its
 * own in-order hand-out). Returns PF_ASSIGN_DONE when it decided (vf_idx
 * set, or the NIC fell back to virtio with fallback_reason set),
 * PF_ASSIGN_DEFAULT to let the loader give the next free VF (*next_vf is
 * moved past VFs pinned by `vf:`), or -1 after reporting an error: the
 * host cannot give VFs, the guest has no VF driver, a bad or doubly
 * plugged pin. */
enum { PF_ASSIGN_DEFAULT = 0, PF_ASSIGN_DONE = 1 };
int ld_pf_assign_nic(loader *L, const host_config *host, const adapter_config *ad,
                     const vm_config *vm, nic_config *nic, int *next_vf);

/* The PF control-plane events. */
int ld_event_assign_vf(loader *L, event_config *ev, const ynode *m);
int ld_event_release_vf(loader *L, event_config *ev, const ynode *m);
int ld_event_vf_request(loader *L, event_config *ev, const ynode *m);
int ld_event_pf_busy(loader *L, event_config *ev, const ynode *m);
int ld_event_fault(loader *L, event_config *ev, const ynode *m);

#endif
