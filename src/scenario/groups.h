/* groups.h -- groups of hosts, racks, VMs, flows and events: one item of a
 * section written once with a count and a name pattern, expanded before
 * the sections are read (docs/scenario.md, "Groups").
 *
 *   hosts:  - { group: compute, count: 10000, name: "h{i}", adapters: [...],
 *               overrides: [{ index: 17, cores: 64 }] }
 *   fabric: racks: [{ group: pod, name: "r{i}", host_group: compute, hosts_per_rack: 40 }]
 *   vms:    - { group: tenants, name: "vm{i}", host_group: compute, per_host: 32, nics: [...] }
 *   traffic: - { group: ew, name: "f{i}", vm_group: tenants, from: "{vm}.eth0", ... }
 *   events: - { group: flrs, count: 40, at: "{20 + i}s", flr: { nic: "vm{i * 8000}.eth0" } }
 *
 * Expansion works on the YAML tree: each instance becomes a mapping like
 * the one a user would have written (its name and, for a VM, its host
 * filled in, the template's patterns expanded, its override applied), so
 * every check of the section applies to it unchanged, and every generated
 * name is an ordinary name (events, flows and sweeps address it). The
 * generated mappings carry the group's line:column and the instance
 * (ynode.group, ynode.index); the loader names the instance in errors:
 * "h17 (host group 'compute', index 17): ...".
 *
 * Cost: linear in the instances; nodes the instance does not change are
 * shared with the template, not copied. Ownership: a groups value owns
 * the generated nodes (its arena); free it after the sections are read.
 */
#ifndef SRIOV_GROUPS_H
#define SRIOV_GROUPS_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario/config.h"
#include "scenario/diag.h"
#include "scenario/gpattern.h"
#include "scenario/ynode.h"

/* Most items a section may hold after expansion, and so most a group may
 * generate (docs/scenario.md, "Groups", gives the reasons). */
#define GROUP_MAX_HOSTS 100000LL
#define GROUP_MAX_RACKS 100000LL
#define GROUP_MAX_VMS 2000000LL
#define GROUP_MAX_FLOWS 2000000LL
#define GROUP_MAX_EVENTS 1000000LL

typedef enum { SEC_HOSTS = 0, SEC_RACKS, SEC_VMS, SEC_FLOWS, SEC_EVENTS } section_t;

/* One group as read (groups.c) */
typedef struct gdef gdef;
struct gdef {
    const char *name;
    section_t sec;
    const ynode *item;          /* the group's mapping as written */
    const ynode *pattern;       /* its name pattern (NULL for events) */
    long long start, count;
    int id;                     /* 1 + index in defs */
    const gdef *of;             /* racks, VMs: the host group; flows: the VM group */
    long long per;              /* hosts_per_rack or per_host */
    const ynode **ov;           /* [count]: each instance's override or NULL */
    char **names;               /* [count]: generated names (hosts, VMs) */
    const ynode *key_name, *key_host;   /* the keys gen_item adds, made once */
    bool *is_key;               /* [item->n]: the pair is the group's own key */
};

typedef struct groups {
    arena ar;
    gdef **defs;                /* each in the arena */
    size_t n_defs;
} groups;

/* Expands every group of the document root. *out is the root to read:
 * root itself when it has no group, else a tree from g's arena sharing
 * root's nodes. Records each group in cfg->groups (name, kind, its
 * mapping as YAML for the resolved scenario). 0, or -1 after reporting. */
int groups_expand(groups *g, diag *d, const ynode *root, scenario_config *cfg,
                  const ynode **out);
void groups_free(groups *g);

/* After a successful load: each group's YAML (cfg->groups[].yaml) with the
 * defaults its instances got filled in (group_fill.c): the keys of its
 * first instance without an override, as the resolved scenario writes
 * that instance, except where the group varies per instance. */
void groups_fill_defaults(const groups *g, scenario_config *cfg);

/* Whether anything under n depends on the instance: a pattern or an
 * {each: ...} (groups.c). */
bool groups_varies(const ynode *n);
/* Whether key belongs to the group itself (count, name, ...), not its template. */
bool groups_is_group_key(section_t sec, const char *key);

/* An item of a group: group is 1-based, as in src_mark.group; name may
 * be NULL. groups_where_text(where, buf, cap) writes "NAME (KIND group
 * 'G', index I)" into buf and returns it: a diag.context function. */
typedef struct group_where {
    const scenario_config *cfg;
    int group;
    long long index;
    const char *name;
} group_where;
const char *groups_where_text(const void *where, char *buf, size_t cap);

#endif
