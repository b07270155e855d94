/* netagg_end.c -- the rate-class solver's clocks, ends and inactive-link
 * bounds: what a solve round's new rates change. See netagg.h. */
#include "sim/netagg_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A class with at most this many flows bounds its links' loads flow by
 * flow when its rate moves; a larger one adds its rise to P. */
#define AGG_SMALL 8

/* ---- a class's end heap (its members with an end, by done_key) ---- */

static void cheap_set(netagg *a, struct netagg_class *c, size_t i, size_t f)
{
    c->heap[i] = f;
    a->flow[f].hpos = i;
}

static void cheap_up(netagg *a, struct netagg_class *c, size_t i)
{
    size_t f = c->heap[i];
    double k = a->flow[f].done_key;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (a->flow[c->heap[p]].done_key <= k)
            break;
        cheap_set(a, c, i, c->heap[p]);
        i = p;
    }
    cheap_set(a, c, i, f);
}

static void cheap_down(netagg *a, struct netagg_class *c, size_t i)
{
    size_t f = c->heap[i];
    double k = a->flow[f].done_key;
    for (;;) {
        size_t j = 2 * i + 1;
        if (j >= c->n_heap)
            break;
        if (j + 1 < c->n_heap && a->flow[c->heap[j + 1]].done_key < a->flow[c->heap[j]].done_key)
            j++;
        if (a->flow[c->heap[j]].done_key >= k)
            break;
        cheap_set(a, c, i, c->heap[j]);
        i = j;
    }
    cheap_set(a, c, i, f);
}

static int ends_list(netagg *a, size_t cl)
{
    struct netagg_class *c = &a->cls[cl];
    if (c->listed)
        return 0;
    if (netsolve_grow(&a->ends_dirty, &a->ends_dirty_cap, a->n_ends_dirty + 1,
                      sizeof *a->ends_dirty) != 0)
        return -1;
    c->listed = 1;
    a->ends_dirty[a->n_ends_dirty++] = cl;
    return 0;
}

int agg_end_insert(netagg *a, size_t f)
{
    struct netagg_flow *fl = &a->flow[f];
    fl->hpos = SIZE_MAX;
    if (!(fl->left < INFINITY)) {
        fl->done_key = INFINITY;
        return 0;
    }
    fl->done_key = fl->tag + (fl->left - fl->base);
    struct netagg_class *c = &a->cls[fl->cls];
    if (netsolve_grow(&c->heap, &c->heap_cap, c->n_heap + 1, sizeof *c->heap) != 0)
        return -1;
    c->heap[c->n_heap++] = f;
    cheap_up(a, c, c->n_heap - 1);
    return fl->hpos == 0 ? ends_list(a, fl->cls) : 0;
}

void agg_end_remove(netagg *a, size_t f)
{
    struct netagg_flow *fl = &a->flow[f];
    size_t i = fl->hpos;
    if (i == SIZE_MAX)
        return;
    struct netagg_class *c = &a->cls[fl->cls];
    fl->hpos = SIZE_MAX;
    size_t last = c->heap[--c->n_heap];
    if (i < c->n_heap) {
        cheap_set(a, c, i, last);
        cheap_up(a, c, i);
        cheap_down(a, c, a->flow[last].hpos);
    }
    if (i == 0 && ends_list(a, fl->cls) != 0)
        a->full = 1; /* out of memory: a full solve lists every class */
}

/* ---- the heap of classes' next ends ---- */

static int end_before(const struct netagg_end *x, const struct netagg_end *y)
{
    return x->t_s < y->t_s || (x->t_s == y->t_s && x->cls < y->cls);
}

static void ends_down(netagg *a, size_t i)
{
    for (;;) {
        size_t j = 2 * i + 1;
        if (j >= a->n_ends)
            return;
        if (j + 1 < a->n_ends && end_before(&a->ends[j + 1], &a->ends[j]))
            j++;
        if (!end_before(&a->ends[j], &a->ends[i]))
            return;
        struct netagg_end t = a->ends[i];
        a->ends[i] = a->ends[j];
        a->ends[j] = t;
        i = j;
    }
}

static int end_valid(const netagg *a, const struct netagg_end *e)
{
    const struct netagg_class *c = &a->cls[e->cls];
    return c->live && c->version == e->version;
}

static int ends_push(netagg *a, double t_s, size_t cl)
{
    if (a->n_ends == a->ends_cap) {
        size_t n = 0; /* drop the stale entries first */
        for (size_t i = 0; i < a->n_ends; i++)
            if (end_valid(a, &a->ends[i]))
                a->ends[n++] = a->ends[i];
        a->n_ends = n;
        for (size_t i = n / 2; i-- > 0;)
            ends_down(a, i);
        if (2 * n >= a->ends_cap &&
            netsolve_grow(&a->ends, &a->ends_cap, a->ends_cap + 1, sizeof *a->ends) != 0)
            return -1;
    }
    size_t i = a->n_ends++;
    a->ends[i] = (struct netagg_end){t_s, cl, a->cls[cl].version};
    while (i > 0 && end_before(&a->ends[i], &a->ends[(i - 1) / 2])) {
        struct netagg_end t = a->ends[i];
        a->ends[i] = a->ends[(i - 1) / 2];
        a->ends[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
    return 0;
}

/* When class c's first end comes at its rate (INFINITY: none). */
static double class_next_end(const netagg *a, const struct netagg_class *c)
{
    if (c->n_heap == 0 || !(c->rate > 0) || !(c->rate < INFINITY))
        return INFINITY;
    double d = (a->flow[c->heap[0]].done_key - c->v) / c->rate;
    return c->t_s + (d > 0 ? d : 0);
}

int agg_ends_refresh(netagg *a, double now_s)
{
    (void)now_s;
    for (size_t i = 0; i < a->n_ends_dirty; i++) {
        size_t cl = a->ends_dirty[i];
        struct netagg_class *c = &a->cls[cl];
        c->listed = 0;
        if (!c->live)
            continue;
        c->version = ++a->n_versions;
        double t = class_next_end(a, c);
        if (t < INFINITY && ends_push(a, t, cl) != 0)
            return -1;
    }
    a->n_ends_dirty = 0;
    return 0;
}

double netagg_next_done(netagg *a)
{
    if (agg_ends_refresh(a, 0) != 0)
        return -INFINITY; /* out of memory: the caller's next solve fails too */
    while (a->n_ends > 0 && !end_valid(a, &a->ends[0])) {
        a->ends[0] = a->ends[--a->n_ends];
        ends_down(a, 0);
    }
    return a->n_ends > 0 ? a->ends[0].t_s : INFINITY;
}

size_t netagg_due(netagg *a, double t_s, size_t *out)
{
    size_t n = 0;
    while (netagg_next_done(a) <= t_s) {
        size_t cl = a->ends[0].cls;
        struct netagg_class *c = &a->cls[cl];
        c->version = ++a->n_versions; /* this entry is spent */
        while (c->n_heap > 0 && class_next_end(a, c) <= t_s) {
            size_t f = c->heap[0];
            agg_end_remove(a, f);
            out[n++] = f;
        }
        if (ends_list(a, cl) != 0)
            a->full = 1;
    }
    return n;
}

/* ---- inactive links' bounds ---- */

/* Puts e at slot i of lheap[0..n_lheap) and sifts it down. */
static void lheap_down(netagg *a, size_t i, struct netagg_lkey e)
{
    size_t n = a->n_lheap;
    for (;;) {
        size_t j = 2 * i + 1;
        if (j >= n)
            break;
        if (j + 1 < n && a->lheap[j + 1].thr < a->lheap[j].thr)
            j++;
        if (a->lheap[j].thr >= e.thr)
            break;
        a->lheap[i] = a->lheap[j];
        i = j;
    }
    a->lheap[i] = e;
}

static int lheap_push(netagg *a, double thr, size_t l)
{
    if (a->n_lheap == a->lheap_cap) {
        size_t n = 0; /* stale entries out first */
        for (size_t i = 0; i < a->n_lheap; i++) {
            const struct netagg_link *lk = &a->links[a->lheap[i].l];
            if (!lk->active && lk->hkey == a->lheap[i].thr)
                a->lheap[n++] = a->lheap[i];
        }
        a->n_lheap = n;
        for (size_t i = n / 2; i-- > 0;) /* re-heapify */
            lheap_down(a, i, a->lheap[i]);
        if (2 * n >= a->lheap_cap &&
            netsolve_grow(&a->lheap, &a->lheap_cap, a->lheap_cap + 1, sizeof *a->lheap) != 0)
            return -1;
    }
    size_t i = a->n_lheap++;
    while (i > 0 && a->lheap[(i - 1) / 2].thr > thr) {
        a->lheap[i] = a->lheap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    a->lheap[i].thr = thr;
    a->lheap[i].l = l;
    return 0;
}

static void lheap_pop(netagg *a)
{
    struct netagg_lkey last = a->lheap[--a->n_lheap];
    if (a->n_lheap > 0)
        lheap_down(a, 0, last);
}

static int check_push(netagg *a, size_t l)
{
    if (netsolve_grow(&a->check, &a->check_cap, a->n_check + 1, sizeof *a->check) != 0)
        return -1;
    a->check[a->n_check++] = l;
    return 0;
}

/* Link l's threshold: the P at which its bound reaches its capacity.
 * Listed for a sum when reached; else its heap entry's key stays at or
 * below it (a lower key only brings the sum early: the pop compares). */
static int thr_set(netagg *a, size_t l)
{
    struct netagg_link *lk = &a->links[l];
    lk->thr = lk->n > 0 ? lk->p0 + (a->link_cap[l] - lk->bound) / (double)lk->n : INFINITY;
    if (!(lk->thr > a->P))
        return check_push(a, l);
    if (lk->thr < lk->hkey) {
        lk->hkey = lk->thr;
        return lheap_push(a, lk->thr, l);
    }
    return 0;
}

int agg_bound_reset(netagg *a, size_t l, double load)
{
    struct netagg_link *lk = &a->links[l];
    lk->bound = load;
    lk->p0 = a->P;
    return thr_set(a, l);
}

/* Flow f's rate rose (or fell: d < 0) by d: its inactive links' bounds. */
static int bound_flow(netagg *a, size_t f, double d)
{
    const struct netagg_flow *fl = &a->flow[f];
    for (size_t h = 0; h < fl->n_hops; h++) {
        size_t l = (size_t)fl->hops[h];
        if (a->links[l].active || (d < 0 && !isfinite(d)))
            continue;
        a->links[l].bound += d;
        if (thr_set(a, l) != 0)
            return -1;
    }
    return 0;
}

double agg_link_load(const netagg *a, size_t l)
{
    const struct netagg_link *lk = &a->links[l];
    double load = 0;
    for (size_t i = 0; i < lk->n; i++)
        load += a->cls[a->flow[lk->f[i]].cls].rate;
    return load;
}

/* The same, leaving out flows with no rate limit yet (no active link). */
static double finite_load(const netagg *a, size_t l)
{
    const struct netagg_link *lk = &a->links[l];
    double load = 0;
    for (size_t i = 0; i < lk->n; i++) {
        double r = a->cls[a->flow[lk->f[i]].cls].rate;
        if (r < INFINITY)
            load += r;
    }
    return load;
}

/* A flow with no active link and no cap has no rate limit: one of its
 * links has to turn on. Any is exact; the one its others' flows fill the
 * most is the likeliest to bind it (a rack-local flow: its host port,
 * not its VF), and turning on just that one spares the others' flows a
 * move to a new class (the rest are summed again next round). */
static size_t tightest_hop(const netagg *a, size_t f)
{
    const struct netagg_flow *fl = &a->flow[f];
    size_t best = SIZE_MAX;
    double best_u = -1;
    for (size_t h = 0; h < fl->n_hops; h++) {
        size_t l = (size_t)fl->hops[h];
        if (a->links[l].active == 2)
            return l; /* already chosen for another such flow */
        double c = a->link_cap[l];
        double u = c > 0 ? finite_load(a, l) / c : INFINITY;
        if (u > best_u) {
            best_u = u;
            best = l;
        }
    }
    return best;
}

int agg_moved_push(netagg *a, size_t f, double r)
{
    if (netsolve_grow(&a->moved, &a->moved_cap, a->n_moved + 1, sizeof *a->moved) != 0)
        return -1;
    if (a->flow[f].moved) {
        /* moved twice before a solve: the rate it had first counts */
        for (size_t i = a->n_moved; i-- > 0;)
            if (a->moved[i].f == f)
                return 0;
    }
    a->moved[a->n_moved++] = (struct netagg_moved){f, r};
    a->flow[f].moved = 1;
    return 0;
}

void agg_moved_forget(netagg *a, size_t f)
{
    if (!a->flow[f].moved)
        return;
    for (size_t i = a->n_moved; i-- > 0;)
        if (a->moved[i].f == f)
            a->moved[i].r = 0;
}

int agg_apply_rates(netagg *a, const size_t *changed, size_t n, double now_s)
{
    for (size_t i = 0; i < n; i++) {
        size_t cl = changed[i];
        struct netagg_class *c = &a->cls[cl];
        double r = a->set.rate[cl];
        if (r == c->rate && !c->born)
            continue;
        double d = r - c->rate;
        c->v = agg_clock(c, now_s);
        c->t_s = now_s;
        c->rate = r;
        if (ends_list(a, cl) != 0)
            return -1;
        if (c->born) {
            c->born = 0; /* its flows are all in moved */
            continue;
        }
        if (d > 0 && c->n > AGG_SMALL && d < INFINITY && c->rate - d < INFINITY) {
            if (d > a->P_round)
                a->P_round = d;
            continue;
        }
        if (!(d > 0))
            continue; /* a fall: the bounds stay upper bounds */
        for (size_t k = 0; k < c->n; k++)
            if (!a->flow[c->members[k]].moved && bound_flow(a, c->members[k], d) != 0)
                return -1;
    }
    for (size_t i = 0; i < a->n_moved; i++) {
        size_t f = a->moved[i].f;
        a->flow[f].moved = 0;
        if (a->flow[f].cls == SIZE_MAX)
            continue; /* left again */
        struct netagg_class *c = &a->cls[a->flow[f].cls];
        c->born = 0;
        double d = c->rate - a->moved[i].r;
        if (bound_flow(a, f, d > 0 ? d : 0) != 0)
            return -1;
    }
    a->n_moved = 0;
    return 0;
}

int agg_check_all(netagg *a)
{
    for (size_t l = 0; l < a->n_links; l++)
        if (!a->links[l].active && a->links[l].n > 0 && check_push(a, l) != 0)
            return -1;
    return 0;
}

/* Link l to turn on after this round's decisions. */
static int on_push(netagg *a, size_t l)
{
    if (a->links[l].active)
        return 0;
    if (netsolve_grow(&a->onl, &a->onl_cap, a->n_onl + 1, sizeof *a->onl) != 0)
        return -1;
    a->links[l].active = 2; /* chosen: counts as active in the keys made below */
    a->onl[a->n_onl++] = l;
    return 0;
}

int agg_check_links(netagg *a, double now_s)
{
    a->P += a->P_round;
    a->P_round = 0;
    while (a->n_lheap > 0 && a->lheap[0].thr <= a->P) {
        size_t l = a->lheap[0].l;
        struct netagg_link *lk = &a->links[l];
        int current = !lk->active && lk->hkey == a->lheap[0].thr;
        lheap_pop(a);
        if (!current)
            continue; /* stale */
        lk->hkey = INFINITY;
        if (!(lk->thr > a->P)) {
            if (check_push(a, l) != 0)
                return -1;
        } else if (lk->thr < INFINITY) { /* its threshold rose since */
            lk->hkey = lk->thr;
            if (lheap_push(a, lk->thr, l) != 0)
                return -1;
        }
    }
    /* Decide every listed link on this round's rates first: turning one on
     * re-keys its flows into classes not solved yet. A link whose load is
     * infinite (flows with no limit yet) is decided through those flows:
     * each turns on its tightest link; the others are summed again next
     * round, when those flows have a rate. */
    size_t n = a->n_check, n_inf = 0;
    a->n_onl = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = a->check[i];
        struct netagg_link *lk = &a->links[l];
        if (lk->active)
            continue; /* listed twice */
        double load = agg_link_load(a, l);
        a->n_sums++;
        if (isinf(load)) {
            a->check[n_inf++] = l; /* n_inf <= i: entries before i are read */
            continue;
        }
        /* Over capacity, or close to it: turn it on (a link that binds
         * nobody changes no rate in the solve, so this is exact either
         * way; the sweep turns it off again below 1 - NETAGG_ROOM). */
        if (!(load < (1 - NETAGG_ROOM / 2) * a->link_cap[l])) {
            if (on_push(a, l) != 0)
                return -1;
        } else if (agg_bound_reset(a, l, load) != 0) {
            return -1;
        }
    }
    for (size_t i = 0; i < n_inf; i++) {
        const struct netagg_link *lk = &a->links[a->check[i]];
        for (size_t k = 0; k < lk->n; k++) {
            size_t f = lk->f[k];
            if (a->cls[a->flow[f].cls].rate < INFINITY)
                continue;
            size_t t = tightest_hop(a, f);
            if (t != SIZE_MAX && on_push(a, t) != 0)
                return -1;
        }
    }
    size_t keep = 0; /* the infinite ones not chosen: next round */
    for (size_t i = 0; i < n_inf; i++)
        if (!a->links[a->check[i]].active)
            a->check[keep++] = a->check[i];
    a->n_check = keep;
    for (size_t i = 0; i < a->n_onl; i++) {
        size_t l = a->onl[i];
        a->links[l].active = 0;
        if (agg_link_on(a, l, now_s) != 0)
            return -1;
    }
    return (int)a->n_onl;
}
