/* group_fill.c -- groups_fill_defaults (groups.h): a group's mapping for
 * the resolved scenario, with its defaults filled in.
 *
 * The defaults come from one instance (the first without an override),
 * written as the resolved scenario writes any item (resolved.c) and read
 * back. Where the group varies per instance (a pattern, an each list) the
 * group's own value stays, and so does every key whose resolved value
 * follows from a varying one (depends[] below: a flow's duration from its
 * start, an adapter's catalogue values from its model, pf_costs from os):
 * those are left out if the group did not write them, and reloading fills
 * them per instance again. A rack group is kept as written (it has no
 * defaults). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/groups.h"
#include "scenario/resolved.h"
#include "scenario/yemit.h"

/* key -> the sibling keys its resolved value is derived from. */
static const struct { const char *key; const char *from[3]; } depends[] = {
    {"duration", {"start", "kind"}}, {"rate", {"kind"}}, {"size", {"kind"}},
    {"pf_costs", {"os"}}, {"iotlb_ways", {"iotlb_entries"}},
    {"total_vfs", {"model"}}, {"ports", {"model"}}, {"port_rate", {"model"}},
    {"port_latency", {"model"}}, {"queues_per_vf", {"model", "mode"}},
    {"total_queues", {"model"}}, {"pcie", {"model"}}, {"eswitch_capacity", {"model"}},
    {"backend", {"attach"}}, {"port", {"attach", "adapter"}}, {"standby", {"attach"}},
    {"plugged", {"attach"}}, {"guest_vf_driver", {"attach"}},
    /* a virtio NIC's default adapter is its host's first: hosts may differ */
    {"adapter", {"attach", "*"}},
};

/* Whether the resolved value of key in src follows from a varying sibling. */
static bool derived_from_varying(const ynode *src, const char *key)
{
    for (size_t d = 0; d < sizeof depends / sizeof depends[0]; d++) {
        if (strcmp(depends[d].key, key))
            continue;
        for (size_t f = 0; f < 3 && depends[d].from[f]; f++) {
            if (strcmp(depends[d].from[f], "*") == 0)
                return !ynode_get(src, key);
            const ynode *v = ynode_get(src, depends[d].from[f]);
            if (v && groups_varies(v))
                return true;
        }
    }
    return false;
}

static ynode *new_map(arena *ar, const ynode *at, size_t cap)
{
    ynode *m = arena_alloc(ar, sizeof *m);
    *m = (ynode){.kind = YNODE_MAP, .line = at->line, .col = at->col, .file = at->file};
    m->items = arena_alloc(ar, (2 * cap + 1) * sizeof *m->items);
    return m;
}

static void push(ynode *m, const ynode *key, const ynode *val)
{
    m->items[2 * m->n] = (ynode *)key;
    m->items[2 * m->n + 1] = (ynode *)val;
    m->n++;
}

static const ynode *merge(arena *ar, const ynode *src, const ynode *rep);

/* The resolved keys of rep where src allows; skip: keys not to take. */
static void merge_pairs(arena *ar, ynode *out, const ynode *src, const ynode *rep,
                        bool (*skip)(const char *key, const void *ctx), const void *ctx)
{
    for (size_t p = 0; p < rep->n; p++) {
        const ynode *key = ynode_key(rep, p), *rv = ynode_value(rep, p);
        if (skip && skip(key->text, ctx))
            continue;
        const ynode *sv = ynode_get(src, key->text);
        if (derived_from_varying(src, key->text)) {
            if (sv)
                push(out, key, sv);
        } else {
            push(out, key, sv && groups_varies(sv) ? merge(ar, sv, rv) : rv);
        }
    }
    for (size_t p = 0; p < src->n; p++) {   /* what the writer left out: as written */
        const ynode *key = ynode_key(src, p);
        if (!ynode_get(rep, key->text) && !(skip && skip(key->text, ctx)))
            push(out, key, ynode_value(src, p));
    }
}

/* src varies somewhere below: merge maps key by key, lists item by item. */
static const ynode *merge(arena *ar, const ynode *src, const ynode *rep)
{
    if (src->kind != rep->kind || src->kind == YNODE_SCALAR || ynode_get(src, "each") ||
        (src->kind == YNODE_SEQ && src->n != rep->n))
        return src;
    if (src->kind == YNODE_SEQ) {
        ynode *s = arena_alloc(ar, sizeof *s);
        *s = *src;
        s->items = arena_alloc(ar, (src->n + 1) * sizeof *s->items);
        for (size_t k = 0; k < src->n; k++)
            s->items[k] = (ynode *)(groups_varies(src->items[k])
                                        ? merge(ar, src->items[k], rep->items[k])
                                        : rep->items[k]);
        return s;
    }
    ynode *m = new_map(ar, src, src->n + rep->n);
    merge_pairs(ar, m, src, rep, NULL, NULL);
    return m;
}

/* At the item level: the instance's own name (and a VM's host) are the
 * group's pattern (and host_group); group keys come from the group. */
static bool skip_item_key(const char *key, const void *ctx)
{
    const gdef *def = ctx;
    return strcmp(key, "name") == 0 || (def->sec == SEC_VMS && strcmp(key, "host") == 0) ||
           groups_is_group_key(def->sec, key);
}

/* The first instance of def without an override: its index in its
 * section of cfg, or -1. */
static long long representative(const gdef *def, const scenario_config *cfg)
{
    size_t n = def->sec == SEC_HOSTS ? cfg->n_hosts : def->sec == SEC_VMS ? cfg->n_vms
             : def->sec == SEC_FLOWS ? cfg->n_flows : cfg->n_events;
    for (size_t k = 0; k < n; k++) {
        const src_mark *m = def->sec == SEC_HOSTS ? &cfg->hosts[k].mark
                          : def->sec == SEC_VMS ? &cfg->vms[k].mark
                          : def->sec == SEC_FLOWS ? &cfg->flows[k].mark : &cfg->events[k].mark;
        if (m->group == def->id && !(def->ov && def->ov[m->index - def->start]))
            return (long long)k;
    }
    return -1;
}

static void fill_one(const gdef *def, scenario_config *cfg)
{
    static const resolved_section secs[] = {[SEC_HOSTS] = RES_HOSTS, [SEC_VMS] = RES_VMS,
                                            [SEC_FLOWS] = RES_FLOWS, [SEC_EVENTS] = RES_EVENTS};
    long long k = def->sec == SEC_RACKS ? -1 : representative(def, cfg);
    if (k < 0)
        return;
    char *text = resolved_item_yaml(cfg, secs[def->sec], (size_t)k);
    diag quiet;
    diag_init(&quiet, NULL);
    ynode_doc doc = {0};
    if (ynode_parse(text, strlen(text), "<resolved>", &doc, &quiet) == 0) {
        const ynode *list = doc.root->kind == YNODE_MAP ? ynode_value(doc.root, 0) : NULL;
        if (list && list->kind == YNODE_SEQ && list->n == 1) {
            arena ar = {0};
            const ynode *src = def->item, *rep = list->items[0];
            ynode *m = new_map(&ar, src, src->n + rep->n);
            for (size_t p = 0; p < src->n; p++)
                if (groups_is_group_key(def->sec, ynode_key(src, p)->text))
                    push(m, ynode_key(src, p), ynode_value(src, p));
            merge_pairs(&ar, m, src, rep, skip_item_key, def);
            char *yaml = ynode_emit_yaml(m, NULL);
            if (yaml) {
                free(cfg->groups[def->id - 1].yaml);
                cfg->groups[def->id - 1].yaml = yaml;
            }
            arena_free(&ar);
        }
    }
    ynode_doc_free(&doc);
    free(text);
}

void groups_fill_defaults(const groups *g, scenario_config *cfg)
{
    for (size_t i = 0; i < g->n_defs; i++)
        fill_one(g->defs[i], cfg);
}
