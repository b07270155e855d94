/* groups.c -- see groups.h. Two passes per section: the group mappings
 * are read and counted (so the limits are checked before anything is
 * generated), then every instance is generated in order. */
#include "scenario/groups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/yemit.h"

static const char *const section_kind[] = {"host", "rack", "VM", "traffic", "event"};
static const long long section_max[] = {GROUP_MAX_HOSTS, GROUP_MAX_RACKS, GROUP_MAX_VMS,
                                        GROUP_MAX_FLOWS, GROUP_MAX_EVENTS};
static const char *const section_path[] = {"hosts", "fabric.racks", "vms", "traffic", "events"};

/* The keys a group mapping holds besides its template, per section. */
static const char *const group_keys[][8] = {
    [SEC_HOSTS] = {"group", "count", "first", "name", "overrides", NULL},
    [SEC_RACKS] = {"group", "first", "name", "host_group", "hosts_per_rack", NULL},
    [SEC_VMS] = {"group", "first", "name", "host_group", "per_host", "overrides", NULL},
    [SEC_FLOWS] = {"group", "first", "name", "count", "vm_group", "overrides", NULL},
    [SEC_EVENTS] = {"group", "first", "count", "overrides", NULL},
};


bool groups_is_group_key(section_t sec, const char *key)
{
    for (size_t k = 0; group_keys[sec][k]; k++)
        if (strcmp(group_keys[sec][k], key) == 0)
            return true;
    return false;
}

static gdef *find_def(groups *g, const char *name)
{
    for (size_t i = 0; i < g->n_defs; i++)
        if (strcmp(g->defs[i]->name, name) == 0)
            return g->defs[i];
    return NULL;
}

bool groups_varies(const ynode *n)
{
    if (n->kind == YNODE_SCALAR)
        return strchr(n->text, '{') || strchr(n->text, '}');
    if (n->kind == YNODE_MAP && ynode_get(n, "each"))
        return true;
    size_t count = n->kind == YNODE_MAP ? 2 * n->n : n->n;
    for (size_t k = n->kind == YNODE_MAP; k < count; k += 1 + (n->kind == YNODE_MAP))
        if (groups_varies(n->items[k]))
            return true;
    return false;
}

static bool is_group(const ynode *item)
{
    return item->kind == YNODE_MAP && ynode_get(item, "group");
}

/* ---- reading a group's mapping ------------------------------------------------------- */

static int read_count(diag *d, const ynode *m, const char *key, long long lo, long long hi,
                      long long *out, bool required)
{
    const ynode *n = ynode_get(m, key);
    if (!n) {
        if (required)
            ynode_error(d, m, NULL, "the group needs '%s'", key);
        return required ? -1 : 0;
    }
    if (ynode_as_int(d, n, key, lo, 1000000000000LL, out) < 0)
        return -1;
    if (*out <= hi)
        return 0;
    char hint[160];
    snprintf(hint, sizeof hint, "use at most %lld (docs/scenario.md, \"Groups\", says why)", hi);
    ynode_error(d, n, hint, "'%s' %lld is above the limit of %lld", key, *out, hi);
    return -1;
}

/* The group another one is placed on: host_group for racks and VMs,
 * vm_group for flows. */
static const gdef *read_of(groups *g, diag *d, const ynode *m, const char *key, section_t want)
{
    const ynode *n = ynode_get(m, key);
    if (!n) {
        ynode_error(d, m, NULL, "the group needs '%s'", key);
        return NULL;
    }
    if (ynode_as_scalar(d, n, key) < 0)
        return NULL;
    const gdef *of = find_def(g, n->text);
    if (!of || of->sec != want) {
        ynode_error(d, n, "name a group defined earlier in the scenario",
                    "'%s' is not a %s group", n->text, section_kind[want]);
        return NULL;
    }
    return of;
}

static int read_overrides(groups *g, diag *d, gdef *def)
{
    const ynode *ovs = ynode_get(def->item, "overrides");
    if (!ovs)
        return 0;
    if (ynode_expect(d, ovs, YNODE_SEQ, "'overrides'"))
        return -1;
    def->ov = arena_alloc(&g->ar, (size_t)def->count * sizeof *def->ov);
    int errors = 0;
    for (size_t k = 0; k < ovs->n; k++) {
        const ynode *o = ovs->items[k], *idx = ynode_get(o, "index");
        if (ynode_expect(d, o, YNODE_MAP, "an override")) {
            errors++;
            continue;
        }
        if (!idx) {
            ynode_error(d, o, "add 'index: N' (or a list of indices)", "an override needs 'index'");
            errors++;
            continue;
        }
        for (size_t p = 0; p < o->n; p++) {
            const ynode *key = ynode_key(o, p);
            if (strcmp(key->text, "name") == 0 || groups_is_group_key(def->sec, key->text)) {
                ynode_error(d, key, "override the item's own keys only",
                            "'%s' cannot be overridden per index", key->text);
                errors++;
            }
        }
        size_t n_idx = idx->kind == YNODE_SEQ ? idx->n : 1;
        for (size_t p = 0; p < n_idx; p++) {
            const ynode *at = idx->kind == YNODE_SEQ ? idx->items[p] : idx;
            long long i;
            if (ynode_as_int(d, at, "index", def->start, def->start + def->count - 1, &i) < 0) {
                errors++;
                continue;
            }
            const ynode **slot = &def->ov[i - def->start];
            if (*slot) {
                ynode_error(d, at, "merge the two overrides", "index %lld is overridden twice "
                            "(first at line %d)", i, (*slot)->line);
                errors++;
            }
            *slot = o;
        }
    }
    return errors ? -1 : 0;
}

/* The count a group generates, per section. */
static int read_shape(groups *g, diag *d, gdef *def)
{
    const ynode *m = def->item;
    switch (def->sec) {
    case SEC_HOSTS:
    case SEC_EVENTS:
        return read_count(d, m, "count", 1, section_max[def->sec], &def->count, true);
    case SEC_RACKS:
        def->of = read_of(g, d, m, "host_group", SEC_HOSTS);
        if (!def->of || read_count(d, m, "hosts_per_rack", 1, GROUP_MAX_HOSTS, &def->per, true))
            return -1;
        if (ynode_get(m, "hosts")) {
            ynode_error(d, ynode_get(m, "hosts"), "remove it: the racks take host_group's hosts",
                        "a rack group has no 'hosts'");
            return -1;
        }
        def->count = (def->of->count + def->per - 1) / def->per;
        return 0;
    case SEC_VMS:
        def->per = 1;
        def->of = read_of(g, d, m, "host_group", SEC_HOSTS);
        if (!def->of || read_count(d, m, "per_host", 1, 65535, &def->per, false))
            return -1;
        if (ynode_get(m, "host")) {
            ynode_error(d, ynode_get(m, "host"), "remove it: host_group places the VMs",
                        "a VM group has no 'host'");
            return -1;
        }
        def->count = def->of->count * def->per;
        return 0;
    case SEC_FLOWS:
        if (ynode_get(m, "vm_group") && ynode_get(m, "count")) {
            ynode_error(d, ynode_get(m, "count"), "give either count or vm_group",
                        "a traffic group has 'count' or 'vm_group', not both");
            return -1;
        }
        if (!ynode_get(m, "vm_group"))
            return read_count(d, m, "count", 1, section_max[def->sec], &def->count, true);
        def->of = read_of(g, d, m, "vm_group", SEC_VMS);
        if (!def->of)
            return -1;
        def->count = def->of->count;
        return 0;
    }
    return -1;
}

static int read_group(groups *g, diag *d, const ynode *item, section_t sec, long long total)
{
    const ynode *gname = ynode_get(item, "group");
    if (ynode_as_scalar(d, gname, "group") < 0)
        return -1;
    if (find_def(g, gname->text)) {
        ynode_error(d, gname, "give each group its own name", "group '%s' is defined twice",
                    gname->text);
        return -1;
    }
    size_t len = strlen(gname->text);
    bool ok = len > 0 && len <= 64;
    for (const char *c = gname->text; *c && ok; c++)
        ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
             *c == '-' || *c == '_';
    if (!ok) {
        ynode_error(d, gname, "use up to 64 letters, digits, '-' and '_'",
                    "invalid group name '%s'", gname->text);
        return -1;
    }
    /* pointers, not an array of structs: a group points at the one it sits on */
    g->defs = sc_xrealloc(g->defs, g->n_defs + 1, sizeof *g->defs);
    gdef *def = arena_alloc(&g->ar, sizeof *def);
    g->defs[g->n_defs] = def;
    *def = (gdef){.name = gname->text, .sec = sec, .item = item, .id = (int)g->n_defs + 1};
    if (read_count(d, item, "first", 0, 1000000000, &def->start, false) ||
        read_shape(g, d, def))
        return -1;
    g->n_defs++;
    if (total + def->count > section_max[sec]) {
        ynode_error(d, gname, "use fewer items, or split the data centre over several runs",
                    "group '%s' brings %s to %lld items, above the limit of %lld "
                    "(docs/scenario.md, \"Groups\")", def->name, section_path[sec],
                    total + def->count, section_max[sec]);
        return -1;
    }
    def->pattern = ynode_get(item, "name");
    if (sec != SEC_EVENTS && !def->pattern) {
        ynode_error(d, item, "add a name pattern such as name: \"x{i}\"",
                    "the group needs 'name'");
        return -1;
    }
    if (sec == SEC_EVENTS && def->pattern) {
        ynode_error(d, def->pattern, "remove it", "events have no name");
        return -1;
    }
    if (def->pattern && ynode_as_scalar(d, def->pattern, "name") < 0)
        return -1;
    if (def->pattern)
        def->key_name = gpat_scalar(&g->ar, def->pattern, "name");
    def->is_key = arena_alloc(&g->ar, item->n + 1);
    for (size_t p = 0; p < item->n; p++)
        def->is_key[p] = groups_is_group_key(sec, ynode_key(item, p)->text);
    if (sec == SEC_VMS || sec == SEC_RACKS)
        def->key_host = gpat_scalar(&g->ar, ynode_get(item, "host_group"),
                                    sec == SEC_VMS ? "host" : "hosts");
    if (sec == SEC_HOSTS || sec == SEC_VMS)
        def->names = arena_alloc(&g->ar, (size_t)def->count * sizeof *def->names);
    return read_overrides(g, d, def);
}

/* ---- generating instances ----------------------------------------------------------- */

/* The variables of instance k of def (docs/scenario.md, "Groups"). */
static gvars instance_vars(const gdef *def, long long k)
{
    gvars v = {.have = GV_I | GV_N, .i = def->start + k, .n = def->count};
    if (def->sec == SEC_VMS) {
        long long hk = k / def->per;
        v.have |= GV_H | GV_J;
        v.h = def->of->start + hk;
        v.j = k % def->per;
        v.host = def->of->names[hk];
    } else if (def->sec == SEC_FLOWS && def->of) {
        gvars vm = instance_vars(def->of, k);
        v.have |= GV_H | GV_J | GV_V;
        v.h = vm.h;
        v.j = vm.j;
        v.v = vm.i;
        v.host = vm.host;
        v.vm = def->of->names[k];
    }
    return v;
}

static ynode *new_node(arena *ar, ynode_kind kind, const ynode *at, size_t n)
{
    ynode *m = arena_alloc(ar, sizeof *m);
    m->kind = kind;
    m->line = at->line;
    m->col = at->col;
    m->file = at->file;
    m->n = n;
    m->items = arena_alloc(ar, (kind == YNODE_MAP ? 2 * n : n) * sizeof *m->items + 1);
    return m;
}

static int add_pair(arena *ar, diag *d, ynode *m, const ynode *key, const ynode *val,
                    const gvars *v)
{
    const ynode *s = gpat_subst(ar, d, val, v);
    if (!s)
        return -1;
    m->items[2 * m->n] = (ynode *)key;
    m->items[2 * m->n + 1] = (ynode *)s;
    m->n++;
    return 0;
}

/* The hosts of rack k of a rack group: a list of names. */
static ynode *rack_hosts(arena *ar, const gdef *def, long long k, const ynode *at)
{
    long long lo = k * def->per, hi = lo + def->per;
    if (hi > def->of->count)
        hi = def->of->count;
    ynode *seq = new_node(ar, YNODE_SEQ, at, (size_t)(hi - lo));
    for (long long h = lo; h < hi; h++)
        seq->items[h - lo] = gpat_scalar(ar, at, def->of->names[h]);
    return seq;
}

/* Instance k of def as the mapping a user would have written. */
static ynode *gen_item(groups *g, diag *d, gdef *def, long long k)
{
    arena *ar = &g->ar;
    const ynode *src = def->item, *ov = def->ov ? def->ov[k] : NULL;
    gvars v = instance_vars(def, k);
    ynode *m = new_node(ar, YNODE_MAP, src, src->n + 2 + (ov ? ov->n : 0));
    m->n = 0;
    m->group = def->id;
    m->index = v.i;
    if (def->pattern) {
        const ynode *name = gpat_subst(ar, d, def->pattern, &v);
        if (!name)
            return NULL;
        add_pair(ar, d, m, def->key_name, name, &v);
        if (def->names)
            def->names[k] = name->text;
    }
    if (def->sec == SEC_VMS)
        add_pair(ar, d, m, def->key_host, gpat_scalar(ar, def->key_host, v.host), &v);
    if (def->sec == SEC_RACKS)
        add_pair(ar, d, m, def->key_host, rack_hosts(ar, def, k, def->key_host), &v);
    for (size_t p = 0; p < src->n; p++) {
        const ynode *key = ynode_key(src, p), *val = ynode_value(src, p);
        if (def->is_key[p])
            continue;
        const ynode *over = ov ? ynode_get(ov, key->text) : NULL;
        if (add_pair(ar, d, m, key, over ? over : val, &v))
            return NULL;
    }
    for (size_t p = 0; ov && p < ov->n; p++) {
        const ynode *key = ynode_key(ov, p);
        if (strcmp(key->text, "index") && !ynode_get(src, key->text) &&
            add_pair(ar, d, m, key, ynode_value(ov, p), &v))
            return NULL;
    }
    return m;
}

static int gen_group(groups *g, diag *d, gdef *def, ynode **out, const scenario_config *cfg)
{
    group_where where = {.cfg = cfg, .group = def->id};
    d->context = groups_where_text;
    d->context_arg = &where;
    for (long long k = 0; k < def->count; k++) {
        where.index = def->start + k;
        out[k] = gen_item(g, d, def, k);
        if (!out[k]) {
            d->context = NULL;
            return -1;  /* the template's mistake would repeat for every instance */
        }
    }
    d->context = NULL;
    return 0;
}

/* ---- sections and the root ------------------------------------------------------------ */

static void record(scenario_config *cfg, const gdef *def)
{
    cfg->groups = sc_xrealloc(cfg->groups, cfg->n_groups + 1, sizeof *cfg->groups);
    group_config *gc = &cfg->groups[cfg->n_groups++];
    gc->name = sc_xstrdup(def->name);
    gc->kind = section_kind[def->sec];
    gc->yaml = ynode_emit_yaml(def->item, NULL);
    if (!gc->yaml)
        gc->yaml = sc_xstrdup("{}\n");
}

/* seq with its groups expanded (seq itself when it has none); NULL on error. */
static const ynode *expand_seq(groups *g, diag *d, const ynode *seq, section_t sec,
                               scenario_config *cfg)
{
    if (!seq || seq->kind != YNODE_SEQ)
        return seq;
    size_t first_def = g->n_defs;
    long long total = 0;
    int errors = 0;
    for (size_t k = 0; k < seq->n; k++) {
        if (!is_group(seq->items[k])) {
            total++;
            continue;
        }
        if (read_group(g, d, seq->items[k], sec, total) < 0)
            errors++;
        else
            total += g->defs[g->n_defs - 1]->count;
    }
    if (errors)
        return NULL;
    if (first_def == g->n_defs)
        return seq;
    ynode *out = new_node(&g->ar, YNODE_SEQ, seq, (size_t)total);
    size_t pos = 0, next = first_def;
    for (size_t k = 0; k < seq->n; k++) {
        if (!is_group(seq->items[k])) {
            out->items[pos++] = seq->items[k];
            continue;
        }
        gdef *def = g->defs[next++];
        record(cfg, def);
        if (gen_group(g, d, def, out->items + pos, cfg))
            return NULL;
        pos += (size_t)def->count;
    }
    return out;
}

/* A copy of map (from the arena) with key's value replaced. */
static const ynode *with_value(arena *ar, const ynode *map, const char *key, const ynode *val)
{
    ynode *m = new_node(ar, YNODE_MAP, map, map->n);
    for (size_t p = 0; p < map->n; p++) {
        m->items[2 * p] = map->items[2 * p];
        m->items[2 * p + 1] = strcmp(map->items[2 * p]->text, key) ? map->items[2 * p + 1]
                                                                      : (ynode *)val;
    }
    return m;
}

/* The section key of map expanded; 0, or -1 on error. */
static int expand_key(groups *g, diag *d, const ynode **map, const char *key, section_t sec,
                      scenario_config *cfg)
{
    const ynode *seq = ynode_get(*map, key);
    const ynode *out = expand_seq(g, d, seq, sec, cfg);
    if (seq && !out)
        return -1;
    if (out != seq)
        *map = with_value(&g->ar, *map, key, out);
    return 0;
}

int groups_expand(groups *g, diag *d, const ynode *root, scenario_config *cfg,
                  const ynode **out)
{
    *out = root;
    if (root->kind != YNODE_MAP)
        return 0;
    const ynode *r = root;
    if (expand_key(g, d, &r, "hosts", SEC_HOSTS, cfg))
        return -1;
    const ynode *fabric = ynode_get(r, "fabric");
    if (fabric && fabric->kind == YNODE_MAP) {
        const ynode *f = fabric;
        if (expand_key(g, d, &f, "racks", SEC_RACKS, cfg))
            return -1;
        if (f != fabric)
            r = with_value(&g->ar, r, "fabric", f);
    }
    if (expand_key(g, d, &r, "vms", SEC_VMS, cfg))
        return -1;
    const ynode *traffic = ynode_get(r, "traffic");
    if (traffic && traffic->kind == YNODE_MAP) {
        const ynode *t = traffic;
        if (expand_key(g, d, &t, "flows", SEC_FLOWS, cfg))
            return -1;
        if (t != traffic)
            r = with_value(&g->ar, r, "traffic", t);
    } else if (expand_key(g, d, &r, "traffic", SEC_FLOWS, cfg)) {
        return -1;
    }
    if (expand_key(g, d, &r, "events", SEC_EVENTS, cfg))
        return -1;
    *out = r;
    return 0;
}

void groups_free(groups *g)
{
    arena_free(&g->ar);
    free(g->defs);
    g->defs = NULL;
    g->n_defs = 0;
}

const char *groups_where_text(const void *where, char *buf, size_t cap)
{
    const group_where *w = where;
    const scenario_config *cfg = w->cfg;
    int group = w->group;
    long long index = w->index;
    const char *name = w->name;
    if (group <= 0 || (size_t)group > cfg->n_groups) {
        snprintf(buf, cap, "%s", name ? name : "");
        return buf;
    }
    const group_config *gc = &cfg->groups[group - 1];
    snprintf(buf, cap, "%s%s(%s group '%s', index %lld)", name ? name : "", name ? " " : "",
             gc->kind, gc->name, index);
    return buf;
}
