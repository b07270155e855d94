/* load_common.c -- the loader's shared helpers (load_internal.h): item
 * names and their uniqueness, name -> index references with a "did you
 * mean" for unknown names, sequences and item mappings, MAC addresses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/load_internal.h"

src_mark ld_mark_of(const loader *L, const ynode *n)
{
    return (src_mark){.file = L->cfg->path, .line = n->line, .col = n->col,
                      .group = n->group, .index = n->index};
}

void ld_enter_mark(loader *L, const src_mark *m, const char *name)
{
    L->where = (group_where){.cfg = L->cfg, .group = m->group, .index = m->index, .name = name};
    L->d->context = m->group ? groups_where_text : NULL;
    L->d->context_arg = &L->where;
}

bool ld_enter_item(loader *L, const ynode *item)
{
    L->d->context = NULL;
    if (!item->group)
        return false;
    if (L->group_failed && L->group_failed[item->group - 1])
        return true;
    /* a generated item's name comes first (groups.c, gen_item) */
    const ynode *name = item->n > 0 && strcmp(ynode_key(item, 0)->text, "name") == 0
                            ? ynode_value(item, 0) : NULL;
    ld_enter_mark(L, &(src_mark){.group = item->group, .index = item->index},
                  name && name->kind == YNODE_SCALAR ? name->text : NULL);
    return false;
}

void ld_leave_item(loader *L, const ynode *item, int errors_before)
{
    L->d->context = NULL;
    if (item->group && L->group_failed && L->d->n_errors > errors_before)
        L->group_failed[item->group - 1] = 1;
}

/* Names are joined as "vm.nic" and become HDF5 strings: keep them plain. */
int ld_check_name(loader *L, const ynode *n, const char *what)
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

/* Hosts and racks become SimGrid hosts and zones, one namespace with what
 * the platform generates (src/platform/platform.c, platform_star.c,
 * topo.c): the root zone "dc", the "external" host and its zone "ext.z"
 * and router "ext.gw", the packet platform's zone "star" and router
 * "star.sw", a rack's router "RACK.torr", a host's "HOST.sw" and
 * "HOST.ADAPTER.vfN". Every generated name but these three holds a '.',
 * which a name cannot (ld_check_name), so only they can collide; a rack
 * named like a host is refused where racks are read. SimGrid aborts on
 * a second node of one name (exit 134): refuse it here instead. */
static const char *const reserved_names[] = {"dc", "external", "star", NULL};

int ld_check_reserved(loader *L, const ynode *n, const char *what)
{
    for (size_t i = 0; reserved_names[i]; i++)
        if (strcmp(n->text, reserved_names[i]) == 0) {
            ynode_error(L->d, n, "rename it; dc, external and star are reserved",
                        "%s name '%s' is reserved: the simulated platform uses it",
                        what, n->text);
            return -1;
        }
    return 0;
}

/* what names the item's kind in messages ("host"). */
int ld_read_name(loader *L, const ynode *map, const char *what, char **out)
{
    const ynode *n = ynode_get(map, "name");
    if (!n) {
        ynode_error(L->d, map, NULL, "%s has no 'name'", what);
        return -1;
    }
    if (yget_string(L->d, map, "name", out) < 0 || ld_check_name(L, n, what))
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

const char **ld_names(char *const *first, size_t n, size_t stride)
{
    const char **names = sc_xcalloc(n + 1, sizeof *names);
    for (size_t i = 0; i < n; i++)
        names[i] = *(char *const *)((const char *)first + i * stride);
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
                           char *const *first_name, size_t n, size_t stride)
{
    if (ynode_as_scalar(L->d, at, kind))
        return -1;
    int idx = strmap_get(index, at->text);
    if (idx >= 0)
        return idx;
    const char **names = ld_names(first_name, n, stride);
    idx = resolve(L, at, kind, names, n);
    free(names);
    return idx;
}

int ld_resolve_host(loader *L, const ynode *at)
{
    return resolve_indexed(L, at, "host", &L->host_index, LD_ITEMS(L->cfg->hosts, L->cfg->n_hosts));
}

int ld_resolve_adapter(loader *L, const ynode *at, const host_config *h)
{
    const char **names = LD_NAMES(h->adapters, h->n_adapters);
    int idx = resolve(L, at, "adapter", names, h->n_adapters);
    if (idx < 0 && h->n_adapters == 0)
        ynode_error(L->d, at, "add it under the host's 'adapters'",
                    "host '%s' has no adapters", h->name);
    free(names);
    return idx;
}

int ld_resolve_vm(loader *L, const ynode *at)
{
    return resolve_indexed(L, at, "VM", &L->vm_index, LD_ITEMS(L->cfg->vms, L->cfg->n_vms));
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
        const char **vms = LD_NAMES(L->cfg->vms, L->cfg->n_vms);
        report_unknown(L, at, "VM", vm_name, vms);
        free(vms);
        return -1;
    }
    const vm_config *v = &L->cfg->vms[vm];
    const char **nics = LD_NAMES(v->nics, v->n_nics);
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

/* The one message for a second item with the same name. */
static int report_duplicate(loader *L, const ynode *name_node, const char *what)
{
    ynode_error(L->d, name_node, "give each one its own name", "duplicate %s name '%s'",
                what, name_node->text);
    return -1;
}

/* Reports the second of two items with the same name, else records the
 * name in index. */
int ld_unique_indexed(loader *L, const ynode *name_node, strmap *index, int idx,
                      const char *what)
{
    if (strmap_get(index, name_node->text) >= 0)
        return report_duplicate(L, name_node, what);
    if (strmap_put(index, name_node->text, idx) != 0)
        abort(); /* out of memory, as sc_xcalloc does */
    return 0;
}

/* Reports the second of two items with the same name. */
int ld_unique(loader *L, const ynode *name_node, const char *const *names, size_t n_before,
              const char *what)
{
    if (find(names, n_before, name_node->text) < 0)
        return 0;
    return report_duplicate(L, name_node, what);
}

/* Colons between six hex bytes; the eSwitch model parses the same form
 * (esw_parse_mac), so what loads here it can read. */
int ld_check_mac(loader *L, const ynode *n)
{
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

int ld_read_tags(loader *L, const ynode *map, char ***tags, size_t *n)
{
    *n = 0;
    const ynode *list = ynode_get(map, "tags");
    if (!list || ynode_is_null(list))
        return 0;
    if (ynode_expect(L->d, list, YNODE_SEQ, "'tags'"))
        return -1;
    if (list->n > LD_MAX_TAGS) {
        ynode_error(L->d, list, "keep at most 64 tags", "%zu tags; at most %d are allowed",
                    list->n, LD_MAX_TAGS);
        return -1;
    }
    *tags = sc_xcalloc(list->n ? list->n : 1, sizeof **tags);
    int errors = 0;
    for (size_t i = 0; i < list->n; i++) {
        const ynode *t = list->items[i];
        if (ynode_as_scalar(L->d, t, "a tag") || ld_check_name(L, t, "tag")) {
            errors++;
            continue;
        }
        int dup = 0;
        for (size_t j = 0; j < *n; j++)
            dup |= strcmp((*tags)[j], t->text) == 0;
        if (dup) {
            ynode_error(L->d, t, "remove the repeat", "tag '%s' is listed twice", t->text);
            errors++;
            continue;
        }
        (*tags)[(*n)++] = sc_xstrdup(t->text);
    }
    return errors ? -1 : 0;
}
