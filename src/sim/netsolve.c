/* netsolve.c -- progressive filling with a heap of link levels. See
 * netsolve.h. */
#include "sim/netsolve.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct cap_item { double cap; size_t f; };

/* Grows *p to at least need items of size sz; *cap tracks its size. */
static int grow(void *pp, size_t *cap, size_t need, size_t sz)
{
    void **p = pp;
    if (need <= *cap && *p)
        return 0;
    size_t n = need > 2 * *cap ? need : 2 * *cap;
    void *q = realloc(*p, (n ? n : 1) * sz);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static int reserve(netsolve *ns, size_t n_links, size_t n, size_t n_elems)
{
    size_t lc = ns->n_links_cap, fc = ns->n_flows_cap, ec = ns->n_elems_cap, hc = ns->heap_cap;
    int bad = 0;
    if (n_links + 1 > lc) {
        size_t c1 = lc, c2 = lc, c3 = lc;
        bad |= grow(&ns->rem, &c1, n_links + 1, sizeof *ns->rem);
        bad |= grow(&ns->growing, &c2, n_links + 1, sizeof *ns->growing);
        bad |= grow(&ns->first, &c3, n_links + 1, sizeof *ns->first);
        lc = c1 < c2 ? (c1 < c3 ? c1 : c3) : (c2 < c3 ? c2 : c3);
    }
    if (n > fc) {
        size_t c1 = fc, c2 = fc;
        bad |= grow(&ns->frozen, &c1, n, sizeof *ns->frozen);
        bad |= grow(&ns->by_cap, &c2, n, sizeof(struct cap_item));
        fc = c1 < c2 ? c1 : c2;
    }
    bad |= grow(&ns->members, &ec, n_elems, sizeof *ns->members);
    bad |= grow(&ns->heap, &hc, n_links + 1, sizeof *ns->heap);
    ns->n_links_cap = lc;
    ns->n_flows_cap = fc;
    ns->n_elems_cap = ec;
    ns->heap_cap = hc;
    return bad ? -1 : 0;
}

static void heap_push(netsolve *ns, double level, size_t link)
{
    size_t i = ns->n_heap++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (ns->heap[p].level <= level)
            break;
        ns->heap[i] = ns->heap[p];
        i = p;
    }
    ns->heap[i] = (struct netsolve_key){level, link};
}

static void heap_pop(netsolve *ns)
{
    struct netsolve_key last = ns->heap[--ns->n_heap];
    size_t i = 0, n = ns->n_heap;
    for (;;) {
        size_t k = 2 * i + 1;
        if (k >= n)
            break;
        if (k + 1 < n && ns->heap[k + 1].level < ns->heap[k].level)
            k++;
        if (ns->heap[k].level >= last.level)
            break;
        ns->heap[i] = ns->heap[k];
        i = k;
    }
    if (n > 0)
        ns->heap[i] = last;
}

/* The link with the lowest level now (its current rem / growing), or
 * SIZE_MAX when no link has a growing flow. Levels only rise as flows
 * freeze (a flow frozen at level x <= rem/g leaves (rem - x)/(g - 1) >=
 * rem/g), so a heap key is a lower bound of its link's level: a key that
 * is out of date is put back with the current level, and the first one
 * that is current is the minimum. */
static size_t lowest_link(netsolve *ns, double *level)
{
    while (ns->n_heap > 0) {
        struct netsolve_key k = ns->heap[0];
        int g = ns->growing[k.link];
        if (g <= 0) {
            heap_pop(ns);
            continue;
        }
        double cur = ns->rem[k.link] / g;
        if (cur > k.level) {
            heap_pop(ns);
            heap_push(ns, cur, k.link);
            continue;
        }
        *level = cur;
        return k.link;
    }
    return (size_t)-1;
}

static void freeze(netsolve *ns, const netsolve_flow *fl, size_t f, double r, double *rate)
{
    ns->frozen[f] = 1;
    rate[f] = r;
    for (size_t h = 0; h < fl->n_hops; h++) {
        ns->rem[fl->hops[h]] -= r;
        ns->growing[fl->hops[h]]--;
    }
}

static int by_cap(const void *a, const void *b)
{
    const struct cap_item *x = a, *y = b;
    return x->cap < y->cap ? -1 : x->cap > y->cap ? 1 : (x->f > y->f) - (x->f < y->f);
}

/* Links: capacities, growing counts, and each link's flows (CSR). */
static void build_links(netsolve *ns, size_t n_links, const double *link_cap, size_t n,
                        const netsolve_flow *flows)
{
    for (size_t l = 0; l < n_links; l++) {
        ns->rem[l] = link_cap[l];
        ns->growing[l] = 0;
    }
    for (size_t f = 0; f < n; f++)
        for (size_t h = 0; h < flows[f].n_hops; h++)
            ns->growing[flows[f].hops[h]]++;
    size_t off = 0;
    for (size_t l = 0; l < n_links; l++) {
        ns->first[l] = off;
        off += (size_t)ns->growing[l];
    }
    ns->first[n_links] = off;
    for (size_t f = 0; f < n; f++)
        for (size_t h = 0; h < flows[f].n_hops; h++)
            ns->members[ns->first[flows[f].hops[h]]++] = f;
    for (size_t l = n_links; l > 0; l--) /* first[l] moved to the end of l */
        ns->first[l] = ns->first[l - 1];
    ns->first[0] = 0;
    ns->n_heap = 0;
    for (size_t l = 0; l < n_links; l++)
        if (ns->growing[l] > 0)
            heap_push(ns, ns->rem[l] / ns->growing[l], l);
}

int netsolve_run(netsolve *ns, size_t n_links, const double *link_cap, size_t n,
                 const netsolve_flow *flows, double *rate)
{
    size_t n_elems = 0;
    for (size_t f = 0; f < n; f++)
        n_elems += flows[f].n_hops;
    if (reserve(ns, n_links, n, n_elems + 1) != 0)
        return -1;
    build_links(ns, n_links, link_cap, n, flows);
    struct cap_item *caps = ns->by_cap;
    size_t n_caps = 0;
    for (size_t f = 0; f < n; f++) {
        ns->frozen[f] = 0;
        if (isfinite(flows[f].cap))
            caps[n_caps++] = (struct cap_item){flows[f].cap, f};
    }
    if (n_caps > 1)     /* caps may be NULL when n is 0: qsort must not see it */
        qsort(caps, n_caps, sizeof *caps, by_cap);
    size_t next_cap = 0;
    double floor_level = 0; /* levels never go down: rounding cannot undo one */
    for (;;) {
        while (next_cap < n_caps && ns->frozen[caps[next_cap].f])
            next_cap++;
        double level = INFINITY;
        size_t l = lowest_link(ns, &level);
        if (l == (size_t)-1 && next_cap == n_caps)
            break;
        if (next_cap < n_caps && caps[next_cap].cap <= level) {
            size_t f = caps[next_cap++].f;
            double r = caps[next_cap - 1].cap > floor_level ? caps[next_cap - 1].cap : floor_level;
            freeze(ns, &flows[f], f, r, rate);
            floor_level = r;
            continue;
        }
        if (level < floor_level)
            level = floor_level;
        floor_level = level;
        for (size_t k = ns->first[l]; k < ns->first[l + 1]; k++) {
            size_t f = ns->members[k];
            if (!ns->frozen[f])
                freeze(ns, &flows[f], f, level, rate);
        }
    }
    for (size_t f = 0; f < n; f++)
        if (!ns->frozen[f])
            rate[f] = INFINITY; /* no link, no cap */
    return 0;
}

void netsolve_free(netsolve *ns)
{
    free(ns->rem);
    free(ns->growing);
    free(ns->first);
    free(ns->members);
    free(ns->frozen);
    free(ns->by_cap);
    free(ns->heap);
    *ns = (netsolve){0};
}

int netsolve_set_init(netsolve_set *s, size_t n_links, size_t n_flows)
{
    *s = (netsolve_set){.n_links = n_links, .n_flows = n_flows, .full = 1, .min_gone = INFINITY};
    size_t nf = n_flows ? n_flows : 1, nl = n_links ? n_links : 1;
    s->flow = calloc(nf, sizeof *s->flow);
    s->rate = calloc(nf, sizeof *s->rate);
    s->pos = malloc(nf * sizeof *s->pos);
    s->act = malloc(nf * sizeof *s->act);
    s->load = calloc(nl, sizeof *s->load);
    s->cap_left = malloc(nl * sizeof *s->cap_left);
    s->sub = malloc(nf * sizeof *s->sub);
    s->sub_rate = malloc(nf * sizeof *s->sub_rate);
    s->changed = malloc(nf * sizeof *s->changed);
    if (!s->flow || !s->rate || !s->pos || !s->act || !s->load || !s->cap_left || !s->sub ||
        !s->sub_rate || !s->changed)
        return -1;
    for (size_t f = 0; f < n_flows; f++)
        s->pos[f] = SIZE_MAX;
    return 0;
}

/* *p to room for n elements of size bytes; 0, or -1 (then *p is kept). */
static int grow_to(void *p, size_t n, size_t size)
{
    void **pp = p;
    void *q = realloc(*pp, n * size);
    if (!q)
        return -1;
    *pp = q;
    return 0;
}

int netsolve_set_reserve(netsolve_set *s, size_t n_flows)
{
    if (n_flows <= s->n_flows)
        return 0;
    size_t old = s->n_flows;
    if (grow_to(&s->flow, n_flows, sizeof *s->flow) || grow_to(&s->rate, n_flows, sizeof *s->rate) ||
        grow_to(&s->pos, n_flows, sizeof *s->pos) || grow_to(&s->act, n_flows, sizeof *s->act) ||
        grow_to(&s->sub, n_flows, sizeof *s->sub) ||
        grow_to(&s->sub_rate, n_flows, sizeof *s->sub_rate) ||
        grow_to(&s->changed, n_flows, sizeof *s->changed))
        return -1;
    memset(s->flow + old, 0, (n_flows - old) * sizeof *s->flow);
    memset(s->rate + old, 0, (n_flows - old) * sizeof *s->rate);
    for (size_t f = old; f < n_flows; f++)
        s->pos[f] = SIZE_MAX;
    s->n_flows = n_flows;
    return 0;
}

void netsolve_set_free(netsolve_set *s)
{
    netsolve_free(&s->ws);
    free(s->flow);
    free(s->rate);
    free(s->pos);
    free(s->act);
    free(s->load);
    free(s->cap_left);
    free(s->sub);
    free(s->sub_rate);
    free(s->changed);
    memset(s, 0, sizeof *s);
}

void netsolve_set_clear(netsolve_set *s)
{
    for (size_t i = 0; i < s->n_act; i++)
        s->pos[s->act[i]] = SIZE_MAX;
    s->n_act = 0;
    s->full = 1;
}

void netsolve_set_add(netsolve_set *s, size_t f, const int *hops, size_t n_hops, double cap)
{
    if (s->pos[f] != SIZE_MAX)
        netsolve_set_remove(s, f);
    s->flow[f] = (netsolve_flow){hops, n_hops, cap};
    s->rate[f] = 0;
    s->pos[f] = s->n_act;
    s->act[s->n_act++] = f;
    s->full = 1;
}

void netsolve_set_remove(netsolve_set *s, size_t f)
{
    size_t p = s->pos[f];
    if (p == SIZE_MAX)
        return;
    s->act[p] = s->act[--s->n_act];
    s->pos[s->act[p]] = p;
    s->pos[f] = SIZE_MAX;
    if (s->full)
        return;
    const netsolve_flow *fl = &s->flow[f];
    for (size_t h = 0; h < fl->n_hops; h++)
        s->load[fl->hops[h]] -= s->rate[f];
    if (s->rate[f] < s->min_gone)
        s->min_gone = s->rate[f];
}

/* Solves the flows changed[0..n) on cap_left and stores their rates. */
static int solve_subset(netsolve_set *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        s->sub[i] = s->flow[s->changed[i]];
    if (netsolve_run(&s->ws, s->n_links, s->cap_left, n, s->sub, s->sub_rate) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        s->rate[s->changed[i]] = s->sub_rate[i];
    return 0;
}

static void add_load(netsolve_set *s, size_t f, double sign)
{
    const netsolve_flow *fl = &s->flow[f];
    if (isinf(s->rate[f]))
        return;
    for (size_t h = 0; h < fl->n_hops; h++)
        s->load[fl->hops[h]] += sign * s->rate[f];
}

static int solve_all(netsolve_set *s, const double *link_cap, size_t *n_changed)
{
    memcpy(s->cap_left, link_cap, s->n_links * sizeof *link_cap);
    memcpy(s->changed, s->act, s->n_act * sizeof *s->act);
    if (solve_subset(s, s->n_act) != 0)
        return -1;
    memset(s->load, 0, s->n_links * sizeof *s->load);
    for (size_t i = 0; i < s->n_act; i++)
        add_load(s, s->act[i], 1);
    *n_changed = s->n_act;
    return 0;
}

int netsolve_set_solve(netsolve_set *s, const double *link_cap, size_t *n_changed)
{
    *n_changed = 0;
    if (s->full) {
        if (solve_all(s, link_cap, n_changed) != 0)
            return -1;
        s->full = 0;
        s->min_gone = INFINITY;
        return 0;
    }
    if (isinf(s->min_gone))
        return 0; /* nothing left since the last solve */
    /* A little below the lowest rate gone: rounding may leave a flow that
     * froze at that same level a hair under it; solving one flow more
     * than needed is exact too (the kept ones are at their new rates). */
    double from = s->min_gone * (1 - 1e-9);
    s->min_gone = INFINITY;
    size_t n = 0;
    for (size_t i = 0; i < s->n_act; i++)
        if (s->rate[s->act[i]] >= from)
            s->changed[n++] = s->act[i];
    if (n == 0)
        return 0;
    for (size_t l = 0; l < s->n_links; l++)
        s->cap_left[l] = link_cap[l] - s->load[l];
    for (size_t i = 0; i < n; i++) { /* their old rates back, out of the load */
        size_t f = s->changed[i];
        const netsolve_flow *fl = &s->flow[f];
        double r = s->rate[f];
        if (isinf(r))
            continue;
        for (size_t h = 0; h < fl->n_hops; h++) {
            s->cap_left[fl->hops[h]] += r;
            s->load[fl->hops[h]] -= r;
        }
    }
    for (size_t l = 0; l < s->n_links; l++)
        if (s->cap_left[l] < 0)
            s->cap_left[l] = 0;
    if (solve_subset(s, n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        add_load(s, s->changed[i], 1);
    *n_changed = n;
    return 0;
}
