/* netagg.c -- rate classes over netsolve_set: flows, classes and their
 * keys, inactive links' bounds, and the solve loop. Clocks and ends are in
 * netagg_end.c. See netagg.h. */
#include "sim/netagg.h"
#include "sim/netagg_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- classes and their keys ---- */

static size_t key_hash(const int *key, size_t n, double cap)
{
    uint64_t h = 1469598103934665603ULL;
    uint64_t cb;
    memcpy(&cb, &cap, sizeof cb);
    h = (h ^ cb) * 1099511628211ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint64_t)(uint32_t)key[i]) * 1099511628211ULL;
    h ^= h >> 29;
    return (size_t)h;
}

static int key_equal(const struct netagg_class *c, const int *key, size_t n, double cap)
{
    if (c->n_key != n || !(c->cap == cap || (isinf(c->cap) && isinf(cap))))
        return 0;
    return n == 0 || memcmp(c->key, key, n * sizeof *key) == 0;
}

/* The table slot holding class cl or the key, or the empty slot where it
 * would go. */
static size_t table_find(const netagg *a, const int *key, size_t n, double cap, size_t h)
{
    size_t mask = a->table_cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        size_t e = a->table[i];
        if (e == 0)
            return i;
        const struct netagg_class *c = &a->cls[e - 1];
        if (c->hash == h && key_equal(c, key, n, cap))
            return i;
    }
}

static int table_grow(netagg *a)
{
    size_t cap = a->table_cap ? 2 * a->table_cap : 1024;
    size_t *t = calloc(cap, sizeof *t);
    if (!t)
        return -1;
    size_t *old = a->table, old_cap = a->table_cap;
    a->table = t;
    a->table_cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i]) {
            const struct netagg_class *c = &a->cls[old[i] - 1];
            a->table[table_find(a, c->key, c->n_key, c->cap, c->hash)] = old[i];
        }
    free(old);
    return 0;
}

/* Backward-shift deletion of class cl from the table. */
static void table_delete(netagg *a, size_t cl)
{
    const struct netagg_class *c = &a->cls[cl];
    size_t mask = a->table_cap - 1;
    size_t i = table_find(a, c->key, c->n_key, c->cap, c->hash);
    a->table[i] = 0;
    for (size_t j = (i + 1) & mask; a->table[j]; j = (j + 1) & mask) {
        size_t e = a->table[j];
        size_t home = a->cls[e - 1].hash & mask;
        /* e may move to i when i lies cyclically in [home, j). */
        if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
            a->table[i] = e;
            a->table[j] = 0;
            i = j;
        }
    }
}

static size_t class_new(netagg *a)
{
    if (a->n_free > 0)
        return a->free_cls[--a->n_free];
    if (a->n_cls == a->cls_cap) {
        size_t cap = a->cls_cap ? 2 * a->cls_cap : 256;
        struct netagg_class *c = realloc(a->cls, cap * sizeof *c);
        if (!c)
            return SIZE_MAX;
        a->cls = c;
        size_t *fr = realloc(a->free_cls, cap * sizeof *fr);
        if (!fr)
            return SIZE_MAX;
        a->free_cls = fr;
        if (netsolve_set_reserve(&a->set, cap) != 0)
            return SIZE_MAX;
        for (size_t i = a->cls_cap; i < cap; i++)
            a->cls[i] = (struct netagg_class){0};
        a->cls_cap = cap;
    }
    return a->n_cls++;
}

/* The class of key (cap, key[0..n)), made when missing; SIZE_MAX when
 * out of memory. */
static size_t class_of(netagg *a, const int *key, size_t n, double cap, double now_s)
{
    if (2 * (a->n_cls - a->n_free + 1) > a->table_cap && table_grow(a) != 0)
        return SIZE_MAX;
    size_t h = key_hash(key, n, cap);
    size_t i = table_find(a, key, n, cap, h);
    if (a->table[i])
        return a->table[i] - 1;
    size_t cl = class_new(a);
    if (cl == SIZE_MAX)
        return SIZE_MAX;
    struct netagg_class *c = &a->cls[cl];
    if (netsolve_grow(&c->key, &c->key_cap, n + 1, sizeof *c->key) != 0) {
        a->free_cls[a->n_free++] = cl;
        return SIZE_MAX;
    }
    memcpy(c->key, key, n * sizeof *key);
    c->n_key = n;
    c->cap = cap;
    c->hash = h;
    c->n = 0;
    c->n_heap = 0;
    c->v = 0;
    c->t_s = now_s;
    c->rate = 0;
    c->version = ++a->n_versions;
    c->dirty = c->in_set = c->listed = c->loud = 0;
    c->born = c->live = 1;
    a->table[i] = cl + 1;
    return cl;
}

/* Class cl has no member left: out of the table, its id free. */
static void class_release(netagg *a, size_t cl)
{
    struct netagg_class *c = &a->cls[cl];
    table_delete(a, cl);
    c->live = 0;
    c->version = ++a->n_versions;
    a->free_cls[a->n_free++] = cl;
}

/* Class cl's entry in the set no longer matches its members: sync it
 * before the next solve; loud when rates may change (else it is a merge of
 * flows at one rate). */
static int mark_dirty(netagg *a, size_t cl, int loud)
{
    struct netagg_class *c = &a->cls[cl];
    c->loud |= (unsigned char)loud;
    if (c->dirty)
        return 0;
    if (netsolve_grow(&a->dirty, &a->dirty_cap, a->n_dirty + 1, sizeof *a->dirty) != 0)
        return -1;
    c->dirty = 1;
    a->dirty[a->n_dirty++] = cl;
    return 0;
}

/* ---- flows in classes ---- */

/* Flow f's key (its active hops, in order) into a->scratch. */
static int flow_key(netagg *a, size_t f, size_t *n)
{
    const struct netagg_flow *fl = &a->flow[f];
    if (netsolve_grow(&a->scratch, &a->scratch_cap, fl->n_hops + 1, sizeof *a->scratch) != 0)
        return -1;
    size_t k = 0;
    for (size_t h = 0; h < fl->n_hops; h++)
        if (a->links[fl->hops[h]].active)
            a->scratch[k++] = fl->hops[h];
    *n = k;
    return 0;
}

static int class_join(netagg *a, size_t f, size_t cl, double now_s)
{
    struct netagg_class *c = &a->cls[cl];
    if (netsolve_grow(&c->members, &c->m_cap, c->n + 1, sizeof *c->members) != 0)
        return -1;
    struct netagg_flow *fl = &a->flow[f];
    fl->cls = cl;
    fl->cslot = c->n;
    c->members[c->n++] = f;
    fl->tag = agg_clock(c, now_s);
    fl->hpos = SIZE_MAX;
    return agg_end_insert(a, f);
}

/* Flow f out of its class (its bytes so far into base). */
static void class_leave(netagg *a, size_t f, double now_s)
{
    struct netagg_flow *fl = &a->flow[f];
    struct netagg_class *c = &a->cls[fl->cls];
    fl->base += agg_clock(c, now_s) - fl->tag;
    agg_end_remove(a, f);
    size_t last = c->members[--c->n];
    c->members[fl->cslot] = last;
    a->flow[last].cslot = fl->cslot;
    fl->cls = SIZE_MAX;
}

/* Flow f (in) to the class its key now gives; loud as for mark_dirty.
 * Records the rate it had, for the bounds of its inactive links. */
static int flow_rekey(netagg *a, size_t f, double now_s, int loud)
{
    size_t n;
    if (flow_key(a, f, &n) != 0)
        return -1;
    struct netagg_flow *fl = &a->flow[f];
    size_t old = fl->cls;
    size_t cl = class_of(a, a->scratch, n, fl->cap, now_s);
    if (cl == SIZE_MAX)
        return -1;
    if (cl == old)
        return 0;
    double r = a->cls[old].rate;
    class_leave(a, f, now_s);
    if (mark_dirty(a, old, loud) != 0)
        return -1;
    if (!loud && a->cls[cl].n == 0 && !a->cls[cl].in_set) {
        a->cls[cl].rate = r; /* a merge: the class keeps its flows' rate */
        a->cls[cl].t_s = now_s;
    }
    if (class_join(a, f, cl, now_s) != 0 || mark_dirty(a, cl, loud) != 0)
        return -1;
    return loud ? agg_moved_push(a, f, r) : 0;
}

/* ---- links ---- */

static int link_add(netagg *a, size_t f, size_t h)
{
    struct netagg_link *lk = &a->links[a->flow[f].hops[h]];
    size_t c1 = lk->cap, c2 = lk->cap;
    if (lk->n == lk->cap) {
        if (netsolve_grow(&lk->f, &c1, lk->n + 1, sizeof *lk->f) != 0 ||
            netsolve_grow(&lk->h, &c2, lk->n + 1, sizeof *lk->h) != 0)
            return -1;
        lk->cap = c1 < c2 ? c1 : c2;
    }
    a->flow[f].lslot[h] = lk->n;
    lk->f[lk->n] = f;
    lk->h[lk->n++] = h;
    return 0;
}

static void link_drop(netagg *a, size_t f, size_t h)
{
    struct netagg_link *lk = &a->links[a->flow[f].hops[h]];
    size_t i = a->flow[f].lslot[h];
    lk->n--;
    lk->f[i] = lk->f[lk->n];
    lk->h[i] = lk->h[lk->n];
    a->flow[lk->f[i]].lslot[lk->h[i]] = i;
}

/* ---- public ---- */

int netagg_init(netagg *a, size_t n_links, size_t n_flows)
{
    *a = (netagg){.n_links = n_links, .full = 1};
    if (netsolve_set_init(&a->set, n_links, 0) != 0)
        return -1;
    a->links = calloc(n_links ? n_links : 1, sizeof *a->links);
    if (!a->links)
        return -1;
    for (size_t l = 0; l < n_links; l++)
        a->links[l].thr = a->links[l].hkey = INFINITY;
    return netagg_reserve(a, n_flows);
}

int netagg_reserve(netagg *a, size_t n_flows)
{
    if (n_flows <= a->n_flows)
        return 0;
    struct netagg_flow *fl = realloc(a->flow, n_flows * sizeof *fl);
    if (!fl)
        return -1;
    a->flow = fl;
    for (size_t f = a->n_flows; f < n_flows; f++)
        fl[f] = (struct netagg_flow){.cls = SIZE_MAX, .hpos = SIZE_MAX};
    a->n_flows = n_flows;
    return 0;
}

void netagg_free(netagg *a)
{
    netsolve_set_free(&a->set);
    for (size_t l = 0; l < a->n_links && a->links; l++) {
        free(a->links[l].f);
        free(a->links[l].h);
    }
    for (size_t f = 0; f < a->n_flows; f++)
        free(a->flow[f].lslot);
    for (size_t i = 0; i < a->n_cls; i++) {
        free(a->cls[i].key);
        free(a->cls[i].members);
        free(a->cls[i].heap);
    }
    free(a->links);
    free(a->flow);
    free(a->cls);
    free(a->free_cls);
    free(a->table);
    free(a->dirty);
    free(a->check);
    free(a->onl);
    free(a->lheap);
    free(a->ends);
    free(a->scratch);
    free(a->moved);
    free(a->ends_dirty);
    memset(a, 0, sizeof *a);
}

void netagg_invalidate(netagg *a)
{
    a->full = 1;
}

int netagg_has(const netagg *a, size_t f)
{
    return f < a->n_flows && a->flow[f].cls != SIZE_MAX;
}

int netagg_add(netagg *a, size_t f, const int *hops, size_t n_hops, double cap,
               double bytes_left, double now_s)
{
    if (netagg_has(a, f))
        netagg_remove(a, f, now_s);
    struct netagg_flow *fl = &a->flow[f];
    if (netsolve_grow(&fl->lslot, &fl->lslot_cap, n_hops + 1, sizeof *fl->lslot) != 0)
        return -1;
    fl->hops = hops;
    fl->n_hops = n_hops;
    fl->cap = cap;
    fl->base = 0;
    fl->left = bytes_left;
    size_t n, h = 0;
    if (flow_key(a, f, &n) != 0)
        return -1;
    size_t cl = class_of(a, a->scratch, n, cap, now_s);
    if (cl == SIZE_MAX)
        return -1;
    for (; h < n_hops; h++)
        if (link_add(a, f, h) != 0)
            goto undo;
    if (class_join(a, f, cl, now_s) != 0) {
        fl->cls = SIZE_MAX;
        goto undo;
    }
    if (mark_dirty(a, cl, 1) != 0 || agg_moved_push(a, f, 0) != 0) {
        a->full = 1; /* the flow is in; a full solve settles the rest */
        return -1;
    }
    return 0;
undo:
    while (h-- > 0)
        link_drop(a, f, h);
    if (a->cls[cl].n == 0 && !a->cls[cl].in_set && !a->cls[cl].dirty)
        class_release(a, cl);
    return -1;
}

double netagg_remove(netagg *a, size_t f, double now_s)
{
    if (!netagg_has(a, f))
        return 0;
    struct netagg_flow *fl = &a->flow[f];
    size_t cl = fl->cls;
    class_leave(a, f, now_s);
    for (size_t h = 0; h < fl->n_hops; h++)
        link_drop(a, f, h);
    agg_moved_forget(a, f);
    if (mark_dirty(a, cl, 1) != 0)
        a->full = 1;
    double moved = fl->base;
    fl->base = 0;
    /* Its per-hop slots go: a workload's flows are made during the run
     * and most never come back, so memory follows the running flows. */
    free(fl->lslot);
    fl->lslot = NULL;
    fl->lslot_cap = 0;
    return moved;
}

double netagg_rate(const netagg *a, size_t f)
{
    return netagg_has(a, f) ? a->cls[a->flow[f].cls].rate : 0;
}

double netagg_moved(const netagg *a, size_t f, double now_s)
{
    if (!netagg_has(a, f))
        return 0;
    const struct netagg_flow *fl = &a->flow[f];
    return fl->base + agg_clock(&a->cls[fl->cls], now_s) - fl->tag;
}

/* ---- the solve ---- */

/* Dirty classes into the set: loud ones as arrivals (their rates are
 * solved), quiet ones at the rate they have. Empty classes leave. */
static int sync_dirty(netagg *a)
{
    for (size_t i = 0; i < a->n_dirty; i++) {
        size_t cl = a->dirty[i];
        struct netagg_class *c = &a->cls[cl];
        c->dirty = 0;
        int loud = c->loud;
        c->loud = 0;
        if (c->in_set) {
            if (loud)
                netsolve_set_remove(&a->set, cl);
            else
                netsolve_set_drop(&a->set, cl);
            c->in_set = 0;
        }
        if (c->n == 0) {
            class_release(a, cl);
            continue;
        }
        int rc = loud ? netsolve_set_add_w(&a->set, cl, c->key, c->n_key, c->cap, c->n)
                      : netsolve_set_put(&a->set, cl, c->key, c->n_key, c->cap, c->n, c->rate);
        if (rc != 0)
            return -1;
        c->in_set = 1;
        if (!loud)
            c->born = 0; /* a merge at its flows' rate: nothing moved */
    }
    a->n_dirty = 0;
    return 0;
}

/* Every flow on inactive link l moved to the class with l active (or, off,
 * without it). */
static int rekey_link(netagg *a, size_t l, double now_s, int loud)
{
    struct netagg_link *lk = &a->links[l];
    for (size_t i = 0; i < lk->n; i++) {
        size_t f = lk->f[i]; /* a flow crossing l twice: the second finds its class */
        if (flow_rekey(a, f, now_s, loud) != 0)
            return -1;
    }
    return 0;
}

int agg_link_on(netagg *a, size_t l, double now_s)
{
    a->links[l].active = 1;
    a->links[l].hkey = INFINITY; /* its entries are stale from now on */
    a->n_on++;
    return rekey_link(a, l, now_s, 1);
}

/* An active link's load from its classes in the set (a few dozen on a
 * pod's uplink, against a thousand flows): weight x rate each. */
static double active_load(const netagg *a, size_t l)
{
    const netsolve_link *lk = &a->set.links[l];
    double load = 0;
    for (size_t i = 0; i < lk->n; i++)
        load += netsolve_weight(&a->set.flow[lk->m[i].f]) * a->cls[lk->m[i].f].rate;
    return load;
}

/* Active links with room turn inactive; their bounds start from the load
 * summed now. */
static int sweep(netagg *a, double now_s)
{
    for (size_t l = 0; l < a->n_links; l++) {
        struct netagg_link *lk = &a->links[l];
        if (!lk->active)
            continue;
        double load = active_load(a, l);
        if (!(load < (1 - NETAGG_ROOM) * a->link_cap[l]))
            continue;
        lk->active = 0;
        a->n_off++;
        if (rekey_link(a, l, now_s, 0) != 0)
            return -1;
        if (agg_bound_reset(a, l, load) != 0)
            return -1;
    }
    return 0;
}

int netagg_solve(netagg *a, const double *link_cap, double now_s)
{
    a->link_cap = link_cap;
    int was_full = a->full;
    if (a->full) {
        netsolve_set_invalidate(&a->set);
        if (agg_check_all(a) != 0)
            return -1;
        a->full = 0;
    }
    for (int round = 0;; round++) {
        if (sync_dirty(a) != 0)
            goto oom;
        size_t n;
        if (netsolve_set_solve(&a->set, link_cap, &n) != 0)
            goto oom;
        a->n_rounds++;
        if (agg_apply_rates(a, a->set.changed, n, now_s) != 0)
            goto oom;
        int turned = agg_check_links(a, now_s);
        if (turned < 0)
            goto oom;
        if (turned == 0)
            break;
    }
    a->n_solves++;
    if (was_full || a->n_solves % NETAGG_SWEEP == 0) {
        if (sweep(a, now_s) != 0 || sync_dirty(a) != 0)
            goto oom;
    }
    return agg_ends_refresh(a, now_s);
oom:
    a->full = 1;
    return -1;
}
