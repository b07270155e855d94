/* netsolve.c -- progressive filling with a heap of link levels. See
 * netsolve.h. */
#include "sim/netsolve.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct cap_item { double cap; size_t f; };

int netsolve_grow(void *pp, size_t *cap, size_t need, size_t sz)
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
        bad |= netsolve_grow(&ns->rem, &c1, n_links + 1, sizeof *ns->rem);
        bad |= netsolve_grow(&ns->growing, &c2, n_links + 1, sizeof *ns->growing);
        bad |= netsolve_grow(&ns->first, &c3, n_links + 1, sizeof *ns->first);
        lc = c1 < c2 ? (c1 < c3 ? c1 : c3) : (c2 < c3 ? c2 : c3);
    }
    if (n > fc) {
        size_t c1 = fc, c2 = fc;
        bad |= netsolve_grow(&ns->frozen, &c1, n, sizeof *ns->frozen);
        bad |= netsolve_grow(&ns->by_cap, &c2, n, sizeof(struct cap_item));
        fc = c1 < c2 ? c1 : c2;
    }
    bad |= netsolve_grow(&ns->members, &ec, n_elems, sizeof *ns->members);
    bad |= netsolve_grow(&ns->heap, &hc, n_links + 1, sizeof *ns->heap);
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
        long long g = ns->growing[k.link];
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
    double w = netsolve_weight(fl);
    long long wi = (long long)w;
    for (size_t h = 0; h < fl->n_hops; h++) {
        ns->rem[fl->hops[h]] -= w * r;
        ns->growing[fl->hops[h]] -= wi;
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
    /* first[] counts members (entries), growing[] their weights. */
    for (size_t l = 0; l < n_links; l++)
        ns->first[l] = 0;
    for (size_t f = 0; f < n; f++)
        for (size_t h = 0; h < flows[f].n_hops; h++) {
            ns->growing[flows[f].hops[h]] += (long long)netsolve_weight(&flows[f]);
            ns->first[flows[f].hops[h]]++;
        }
    size_t off = 0;
    for (size_t l = 0; l < n_links; l++) {
        size_t k = ns->first[l];
        ns->first[l] = off;
        off += k;
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
    /* Flows still to freeze: once none is left the links left in the heap
     * (on a congested pod most of them: VF and port links whose flows all
     * froze on the fabric's uplinks) need not be popped one by one. */
    size_t n_open = 0;
    for (size_t f = 0; f < n; f++)
        n_open += flows[f].n_hops > 0 || isfinite(flows[f].cap);
    size_t next_cap = 0;
    double floor_level = 0; /* levels never go down: rounding cannot undo one */
    while (n_open > 0) {
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
            n_open--;
            floor_level = r;
            continue;
        }
        if (level < floor_level)
            level = floor_level;
        floor_level = level;
        for (size_t k = ns->first[l]; k < ns->first[l + 1]; k++) {
            size_t f = ns->members[k];
            if (!ns->frozen[f]) {
                freeze(ns, &flows[f], f, level, rate);
                n_open--;
            }
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
