/* netsolve_set.c -- the running flows between solves and the incremental
 * solve: a threshold level, then the connected group of flows at or above
 * it that a change reaches. See netsolve.h. */
#include "sim/netsolve.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* *p to room for n elements of size bytes; 0, or -1 (then *p is kept). */
static int grow_to(void *p, size_t n, size_t size)
{
    void **pp = p;
    void *q = realloc(*pp, (n ? n : 1) * size);
    if (!q)
        return -1;
    *pp = q;
    return 0;
}

/* The per-flow arrays from old to n flows; the new ones are out. */
static int grow_flows(netsolve_set *s, size_t old, size_t n)
{
    if (grow_to(&s->flow, n, sizeof *s->flow) || grow_to(&s->rate, n, sizeof *s->rate) ||
        grow_to(&s->pos, n, sizeof *s->pos) || grow_to(&s->act, n, sizeof *s->act) ||
        grow_to(&s->slot, n, sizeof *s->slot) || grow_to(&s->slot_cap, n, sizeof *s->slot_cap) ||
        grow_to(&s->is_new, n, sizeof *s->is_new) || grow_to(&s->seen, n, sizeof *s->seen) ||
        grow_to(&s->sub, n, sizeof *s->sub) || grow_to(&s->sub_rate, n, sizeof *s->sub_rate) ||
        grow_to(&s->changed, n, sizeof *s->changed) || grow_to(&s->arrived, n, sizeof *s->arrived))
        return -1;
    for (size_t f = old; f < n; f++) {
        s->flow[f] = (netsolve_flow){0};
        s->rate[f] = 0;
        s->pos[f] = SIZE_MAX;
        s->slot[f] = NULL;
        s->slot_cap[f] = 0;
        s->is_new[f] = 0;
        s->seen[f] = 0;
    }
    s->n_flows = n;
    return 0;
}

int netsolve_set_init(netsolve_set *s, size_t n_links, size_t n_flows)
{
    *s = (netsolve_set){.n_links = n_links, .full = 1, .min_gone = INFINITY};
    size_t nl = n_links ? n_links : 1;
    s->links = calloc(nl, sizeof *s->links);
    s->lmap = malloc(nl * sizeof *s->lmap);
    s->glinks = malloc(nl * sizeof *s->glinks);
    s->cap_left = malloc(nl * sizeof *s->cap_left);
    s->seeds = malloc(nl * sizeof *s->seeds);
    s->lseed = calloc(nl, sizeof *s->lseed);
    if (!s->links || !s->lmap || !s->glinks || !s->cap_left || !s->seeds || !s->lseed)
        return -1;
    for (size_t l = 0; l < n_links; l++)
        s->lmap[l] = SIZE_MAX;
    return grow_flows(s, 0, n_flows);
}

int netsolve_set_reserve(netsolve_set *s, size_t n_flows)
{
    return n_flows <= s->n_flows ? 0 : grow_flows(s, s->n_flows, n_flows);
}

void netsolve_set_free(netsolve_set *s)
{
    netsolve_free(&s->ws);
    for (size_t f = 0; f < s->n_flows && s->slot; f++)
        free(s->slot[f]);
    for (size_t l = 0; l < s->n_links && s->links; l++)
        free(s->links[l].m);
    free(s->flow);
    free(s->rate);
    free(s->pos);
    free(s->act);
    free(s->slot);
    free(s->slot_cap);
    free(s->is_new);
    free(s->seen);
    free(s->lseed);
    free(s->links);
    free(s->lmap);
    free(s->glinks);
    free(s->cap_left);
    free(s->sub);
    free(s->sub_hops);
    free(s->sub_rate);
    free(s->changed);
    free(s->arrived);
    free(s->seeds);
    memset(s, 0, sizeof *s);
}

/* Forgets the changes listed since the last solve. */
static void forget_changes(netsolve_set *s)
{
    for (size_t i = 0; i < s->n_seeds; i++)
        s->lseed[s->seeds[i]] = 0;
    s->n_seeds = 0;
    s->n_arrived = 0;
    s->min_gone = INFINITY;
}

void netsolve_set_invalidate(netsolve_set *s)
{
    s->full = 1;
}

static void seed_link(netsolve_set *s, size_t l)
{
    if (!s->lseed[l]) {
        s->lseed[l] = 1;
        s->seeds[s->n_seeds++] = l;
    }
}

/* Takes hop h of flow f out of its link's members (swap with the last). */
static void link_drop(netsolve_set *s, size_t f, size_t h)
{
    netsolve_link *lk = &s->links[s->flow[f].hops[h]];
    size_t i = s->slot[f][h];
    struct netsolve_member last = lk->m[--lk->n];
    lk->m[i] = last;
    s->slot[last.f][last.h] = i;
}

void netsolve_set_remove(netsolve_set *s, size_t f)
{
    size_t p = s->pos[f];
    if (p == SIZE_MAX)
        return;
    const netsolve_flow *fl = &s->flow[f];
    for (size_t h = 0; h < fl->n_hops; h++)
        link_drop(s, f, h);
    s->act[p] = s->act[--s->n_act];
    s->pos[s->act[p]] = p;
    s->pos[f] = SIZE_MAX;
    if (s->is_new[f]) { /* never solved: the others never saw it */
        s->is_new[f] = 0;
        return;
    }
    if (s->full)
        return;
    if (s->rate[f] < s->min_gone)
        s->min_gone = s->rate[f];
    for (size_t h = 0; h < fl->n_hops; h++)
        seed_link(s, (size_t)fl->hops[h]);
}

int netsolve_set_add(netsolve_set *s, size_t f, const int *hops, size_t n_hops, double cap)
{
    return netsolve_set_add_w(s, f, hops, n_hops, cap, 1);
}

/* f's hops into their links' members and f into act; -1 when out of
 * memory (then f is out and the next solve solves everything). */
static int enter(netsolve_set *s, size_t f, const int *hops, size_t n_hops, double cap,
                 size_t weight)
{
    if (s->pos[f] != SIZE_MAX)
        netsolve_set_remove(s, f);
    if (netsolve_grow(&s->slot[f], &s->slot_cap[f], n_hops, sizeof **s->slot) != 0) {
        s->full = 1;
        return -1;
    }
    for (size_t h = 0; h < n_hops; h++) {
        netsolve_link *lk = &s->links[hops[h]];
        if (netsolve_grow(&lk->m, &lk->cap, lk->n + 1, sizeof *lk->m) != 0) {
            s->flow[f].n_hops = h; /* the hops in so far come out again */
            s->flow[f].hops = hops;
            while (h-- > 0)
                link_drop(s, f, h);
            s->full = 1;
            return -1;
        }
        s->slot[f][h] = lk->n;
        lk->m[lk->n++] = (struct netsolve_member){f, h};
    }
    s->flow[f] = (netsolve_flow){hops, n_hops, cap, weight};
    s->pos[f] = s->n_act;
    s->act[s->n_act++] = f;
    return 0;
}

int netsolve_set_add_w(netsolve_set *s, size_t f, const int *hops, size_t n_hops, double cap,
                       size_t weight)
{
    if (enter(s, f, hops, n_hops, cap, weight) != 0)
        return -1;
    s->rate[f] = 0;
    s->is_new[f] = 1;
    s->arrived[s->n_arrived++] = f;
    return 0;
}

int netsolve_set_put(netsolve_set *s, size_t f, const int *hops, size_t n_hops, double cap,
                     size_t weight, double rate)
{
    if (enter(s, f, hops, n_hops, cap, weight) != 0)
        return -1;
    s->rate[f] = rate;
    s->is_new[f] = 0;
    return 0;
}

void netsolve_set_drop(netsolve_set *s, size_t f)
{
    size_t p = s->pos[f];
    if (p == SIZE_MAX)
        return;
    if (s->is_new[f]) { /* never solved: an ordinary removal */
        netsolve_set_remove(s, f);
        return;
    }
    for (size_t h = 0; h < s->flow[f].n_hops; h++)
        link_drop(s, f, h);
    s->act[p] = s->act[--s->n_act];
    s->pos[s->act[p]] = p;
    s->pos[f] = SIZE_MAX;
}

/* A lower bound of the level y at which link l saturates when its flows
 * already solved run at min(rate, y) and its new ones at y: the root of
 * G(y) = sum min(r_i, y) + a y = cap (INFINITY when no new flow crosses
 * it). Any lower bound keeps fact 1 exact (netsolve.h); this one is the
 * root itself once the iteration settles. From y_0 = cap / (a + m) <= y*,
 * y_k+1 solves sum_{r_i < y_k} r_i + (a + #{r_i >= y_k}) y = cap: that
 * line lies above G for y >= y_k, so y_k <= y_k+1 <= y*; it settles once
 * no rate lies between two steps, after at most one step per distinct
 * rate level crossed (a few: the flows of a link share few levels). No
 * sort: O(flows on the link) a step, at most SAT_STEPS steps. */
#define SAT_STEPS 8
static double saturation_level(const netsolve_set *s, size_t l, double cap)
{
    const netsolve_link *lk = &s->links[l];
    double a = 0, n = 0; /* weights: new flows, all flows */
    for (size_t i = 0; i < lk->n; i++) {
        double w = netsolve_weight(&s->flow[lk->m[i].f]);
        n += w;
        if (s->is_new[lk->m[i].f])
            a += w;
    }
    if (a == 0)
        return INFINITY;
    double y = cap / n;
    for (int step = 0; step < SAT_STEPS; step++) {
        double below = 0, above = a;
        for (size_t i = 0; i < lk->n; i++) {
            size_t f = lk->m[i].f;
            double w = netsolve_weight(&s->flow[f]);
            if (s->is_new[f])
                continue;
            if (s->rate[f] >= y)
                above += w;
            else
                below += w * s->rate[f];
        }
        double next = (cap - below) / above;
        if (!(next > y))
            break; /* settled (or rounding): y is the bound */
        y = next;
    }
    return y > 0 ? y : 0;
}

/* The level below which no rate changes (netsolve.h, fact 1); the links
 * of the new flows join the seeds. */
static double threshold(netsolve_set *s, const double *link_cap)
{
    double t = s->min_gone;
    for (size_t i = 0; i < s->n_arrived; i++) {
        size_t f = s->arrived[i];
        if (s->pos[f] == SIZE_MAX || !s->is_new[f])
            continue; /* left again before any solve */
        if (s->flow[f].cap < t)
            t = s->flow[f].cap;
        for (size_t h = 0; h < s->flow[f].n_hops; h++) {
            size_t l = (size_t)s->flow[f].hops[h];
            if (s->lseed[l])
                continue;
            seed_link(s, l);
        }
    }
    for (size_t i = 0; i < s->n_seeds && s->n_arrived > 0; i++) {
        double y = saturation_level(s, s->seeds[i], link_cap[s->seeds[i]]);
        if (y < t)
            t = y;
    }
    /* A little below it: rounding may leave a flow that froze at that very
     * level a hair under it; solving one flow more than needed is exact
     * too (fact 1 holds for any lower level). */
    return t * (1 - 1e-9);
}

/* Link l into the group: its index there and, once visited, its capacity
 * less the rates of the flows kept on it. */
static void group_link(netsolve_set *s, size_t l, size_t *n_glinks)
{
    if (s->lmap[l] == SIZE_MAX) {
        s->lmap[l] = *n_glinks;
        s->glinks[(*n_glinks)++] = l;
    }
}

/* The group (fact 2): the new flows and, from the seed links, every flow
 * at or above theta reachable through the links of the group's flows.
 * Fills changed[0..*n) and glinks[0..*n_glinks) with cap_left. */
static void collect_group(netsolve_set *s, const double *link_cap, double theta, size_t *n,
                          size_t *n_glinks)
{
    size_t ng = 0, nl = 0, fi = 0, li = 0;
    for (size_t i = 0; i < s->n_arrived; i++) {
        size_t f = s->arrived[i];
        if (s->pos[f] != SIZE_MAX && s->is_new[f] && !s->seen[f]) {
            s->seen[f] = 1;
            s->changed[ng++] = f;
        }
    }
    for (size_t i = 0; i < s->n_seeds; i++)
        group_link(s, s->seeds[i], &nl);
    while (fi < ng || li < nl) {
        for (; fi < ng; fi++) {
            const netsolve_flow *fl = &s->flow[s->changed[fi]];
            for (size_t h = 0; h < fl->n_hops; h++)
                group_link(s, (size_t)fl->hops[h], &nl);
        }
        for (; li < nl; li++) {
            const netsolve_link *lk = &s->links[s->glinks[li]];
            double left = link_cap[s->glinks[li]];
            for (size_t k = 0; k < lk->n; k++) {
                size_t f = lk->m[k].f;
                if (s->seen[f])
                    continue;
                if (s->is_new[f] || s->rate[f] >= theta) {
                    s->seen[f] = 1;
                    s->changed[ng++] = f;
                } else {
                    left -= netsolve_weight(&s->flow[f]) * s->rate[f];
                }
            }
            s->cap_left[li] = left > 0 ? left : 0;
        }
    }
    *n = ng;
    *n_glinks = nl;
}

/* Solves changed[0..n) over the group's links glinks[0..n_glinks) of
 * capacity cap_left (their hops renumbered into the group) and stores their
 * rates. 0, or -1 when out of memory. */
static int solve_group(netsolve_set *s, size_t n, size_t n_glinks)
{
    size_t n_hops = 0;
    for (size_t i = 0; i < n; i++)
        n_hops += s->flow[s->changed[i]].n_hops;
    if (netsolve_grow(&s->sub_hops, &s->sub_hops_cap, n_hops + 1, sizeof *s->sub_hops) != 0)
        return -1;
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        const netsolve_flow *fl = &s->flow[s->changed[i]];
        for (size_t h = 0; h < fl->n_hops; h++)
            s->sub_hops[off + h] = (int)s->lmap[fl->hops[h]];
        s->sub[i] = (netsolve_flow){s->sub_hops + off, fl->n_hops, fl->cap, fl->weight};
        off += fl->n_hops;
    }
    if (netsolve_run(&s->ws, n_glinks, s->cap_left, n, s->sub, s->sub_rate) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        s->rate[s->changed[i]] = s->sub_rate[i];
    return 0;
}

static int solve_all(netsolve_set *s, const double *link_cap, size_t *n_changed)
{
    for (size_t i = 0; i < s->n_act; i++)
        s->sub[i] = s->flow[s->act[i]];
    if (netsolve_run(&s->ws, s->n_links, link_cap, s->n_act, s->sub, s->sub_rate) != 0)
        return -1;
    for (size_t i = 0; i < s->n_act; i++) {
        size_t f = s->act[i];
        s->rate[f] = s->sub_rate[i];
        s->is_new[f] = 0;
        s->changed[i] = f;
    }
    *n_changed = s->n_act;
    s->n_full_solves++;
    return 0;
}

int netsolve_set_solve(netsolve_set *s, const double *link_cap, size_t *n_changed)
{
    *n_changed = 0;
    if (s->full) {
        if (solve_all(s, link_cap, n_changed) != 0)
            return -1;
        s->full = 0;
        forget_changes(s);
        return 0;
    }
    if (s->n_arrived == 0 && s->n_seeds == 0)
        return 0; /* nothing changed since the last solve */
    double theta = threshold(s, link_cap);
    size_t n, n_glinks;
    collect_group(s, link_cap, theta, &n, &n_glinks);
    int rc = n > 0 ? solve_group(s, n, n_glinks) : 0;
    for (size_t i = 0; i < n; i++) {
        s->seen[s->changed[i]] = 0;
        s->is_new[s->changed[i]] = 0;
    }
    for (size_t i = 0; i < n_glinks; i++)
        s->lmap[s->glinks[i]] = SIZE_MAX;
    forget_changes(s);
    if (rc != 0) {
        s->full = 1;
        return -1;
    }
    s->n_part_solves++;
    s->n_part_flows += n;
    *n_changed = n;
    return 0;
}
