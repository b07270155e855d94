/* test_netagg_random.c -- the rate-class solver (src/sim/netagg.h) against a
 * reference kept here per flow: after every solve each flow's rate must be
 * the one netsolve_run (a full per-flow progressive filling) gives on the
 * same flows and links, to 1e-9 relative; between solves the bytes a flow
 * moved must be the integral of its reference rate (advanced at
 * piecewise-constant reference rates), to 1e-9 relative + 1e-6 bytes; the
 * next end must be the earliest reference end (1e-9 relative) and
 * netagg_due must list exactly the flows whose reference end has come.
 *
 * Instances: random links and routes; a fat-tree-like pod (racks of hosts,
 * 4 spines, 4:1 oversubscribed uplinks) whose population swings up and
 * down, so host links and fabric links go in and out of saturation (links
 * turning active and back, the sweep every NETAGG_SWEEP solves); and ties
 * (equal capacities, symmetric routes, equal sizes at equal times), where
 * classes merge and ends coincide. Event sequences: adds and removes,
 * sometimes several before a solve, sometimes a capacity change
 * (netagg_invalidate), links down to capacity 0 and back, flow ends as
 * they come. All seeded (xorshift). Closed forms and the minimal cases of
 * bugs found here: test_netagg.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netagg_fixture.h"

#include "xorshift.h"

static void reseed(uint64_t s)
{
    rng = 88172645463325252ull ^ (s * 0x9E3779B97F4A7C15ull);
    if (!rng)
        rng = 1;
}



/* a x 10^(k u), u uniform: sizes over k decades. */
static double log_unif(double a, double decades)
{
    return a * pow(10.0, decades * unif());
}

#define MAXL 160
#define MAXF 400
#define MAXH 8
#define REL 1e-9

enum kind { RANDOM, FATTREE, TIES, CORE };

typedef struct world {
    enum kind kind;
    size_t n_links, n_ids, n_room;
    double capbuf[2][MAXL];
    int cur;                /* capbuf[cur]: the capacities of the last solve */
    int hops[MAXF][MAXH];
    size_t n_hops[MAXF];
    double cap[MAXF], left[MAXF];
    unsigned char on[MAXF], fresh[MAXF];
    double r[MAXF];         /* reference rate since t_s (0 before its first solve) */
    double moved[MAXF];     /* reference bytes moved at t_s */
    double t_s;             /* the reference's time */
    size_t racks, hosts, spines; /* FATTREE */
    double p_add;           /* chance that a change adds (the population swings) */
    netagg a;
    netsolve ns;
    /* what the run went through, so that the test can say it exercised it */
    size_t n_solves, n_ends, n_removes, n_invalidates, n_batches, n_inf, n_capped0;
    size_t n_on, n_off;     /* links the netagg turned on and off (its counters) */
    size_t n_down;          /* links set to capacity 0 */
} world;

/* |x - ref| within rel relative plus abs; INFINITY only equals INFINITY. */
static int near(double x, double ref, double rel, double abs)
{
    if (isinf(ref) || isinf(x))
        return x == ref;
    return fabs(x - ref) <= rel * fabs(ref) + abs;
}

static void fail_at(const world *w, const char *what, size_t f, double got, double want)
{
    print_error("%s: flow %zu (kind %d, t %.17g): got %.17g want %.17g\n", what, f,
                (int)w->kind, w->t_s, got, want);
    fail();
}

/* ---- instances ---------------------------------------------------------- */

static void links_random(world *w)
{
    w->n_links = 5 + pick(56);
    for (size_t l = 0; l < w->n_links; l++)
        w->capbuf[0][l] = unif() < 0.2 ? 1e4 : 1 + 99 * unif();
}

static void links_fattree(world *w)
{
    w->racks = 4 + pick(3);
    w->hosts = 4 + pick(5);
    w->spines = 4;
    size_t n = w->racks * w->hosts;
    w->n_links = 2 * n + 2 * w->racks * w->spines;
    double host = 10, up = (double)w->hosts * host / ((double)w->spines * 4); /* 4:1 */
    for (size_t l = 0; l < w->n_links; l++)
        w->capbuf[0][l] = l < 2 * n ? host : up;
}

/* CORE: access links 0..n_a-1, then a few core links. */
static void links_core(world *w)
{
    w->racks = 8 + pick(9); /* access links */
    w->n_links = w->racks + 2 + pick(3);
    for (size_t l = 0; l < w->n_links; l++)
        w->capbuf[0][l] = l < w->racks ? 10 + 20 * unif() : 50 + 50 * unif();
}

static void links_ties(world *w)
{
    w->n_links = 6;
    for (size_t l = 0; l < w->n_links; l++)
        w->capbuf[0][l] = 12;
}

static void route_random(world *w, size_t f)
{
    size_t k = 1 + pick(6);
    for (size_t h = 0; h < k; h++)
        w->hops[f][h] = (int)pick(w->n_links);
    if (unif() < 0.1) { /* a link crossed twice */
        w->hops[f][k] = w->hops[f][pick(k)];
        k++;
    }
    w->n_hops[f] = k;
    w->cap[f] = unif() < 0.3 ? 0.5 + 20 * unif() : INFINITY;
    w->left[f] = unif() < 0.15 ? INFINITY : log_unif(0.5, 3);
    if (unif() < 0.01) /* nothing left to move: it ends at its first solve */
        w->left[f] = 0;
}

/* Host links 0..n-1 up, n..2n-1 down; then rack r to spine s up, spine s
 * to rack r down. A rack-local flow crosses its two host links only. */
static void route_fattree(world *w, size_t f)
{
    size_t n = w->racks * w->hosts, src = pick(n), dst = pick(n);
    size_t rs = src / w->hosts, rd = dst / w->hosts, s = pick(w->spines);
    int *hp = w->hops[f];
    size_t k = 0;
    if (unif() < 0.3) /* rack-local: fills host ports */
        dst = rs * w->hosts + pick(w->hosts), rd = rs;
    hp[k++] = (int)src;
    if (rs != rd) {
        hp[k++] = (int)(2 * n + rs * w->spines + s);
        hp[k++] = (int)(2 * n + w->racks * w->spines + rd * w->spines + s);
    }
    hp[k++] = (int)(n + dst);
    w->n_hops[f] = k;
    w->cap[f] = unif() < 0.3 ? 0.5 + 7.5 * unif() : INFINITY;
    w->left[f] = unif() < 0.1 ? INFINITY : log_unif(0.5, 2.5);
}

/* Most flows cross an access link and a core link. While the access
 * links are inactive a core link's flows are one class (its key is the
 * core link alone) of tens of flows, so its rate rises reach the access
 * links' bounds through P (netagg.h), not flow by flow. */
static void route_core(world *w, size_t f)
{
    static const double caps[] = {2, 5};
    size_t n_core = w->n_links - w->racks;
    double u = unif();
    size_t k = 0;
    if (u < 0.9)
        w->hops[f][k++] = (int)pick(w->racks);
    if (u > 0.1)
        w->hops[f][k++] = (int)(w->racks + pick(n_core));
    w->n_hops[f] = k;
    w->cap[f] = unif() < 0.2 ? caps[pick(2)] : INFINITY;
    w->left[f] = unif() < 0.1 ? INFINITY : log_unif(1, 2.5);
}

/* Few routes, two of them mirror images of others on equal links, one
 * crossing a link twice; caps and sizes from short lists. */
static void route_ties(world *w, size_t f)
{
    static const int r[][3] = {{0, -1, -1}, {0, 1, -1}, {1, 0, -1}, {2, 3, -1},
                               {4, 5, -1},  {3, 2, -1}, {5, 4, -1}, {0, 0, 1}};
    static const double caps[] = {INFINITY, INFINITY, 2, 3};
    static const double sizes[] = {6, 12, 24, INFINITY};
    size_t i = pick(sizeof r / sizeof r[0]), k = 0;
    while (k < 3 && r[i][k] >= 0) {
        w->hops[f][k] = r[i][k];
        k++;
    }
    w->n_hops[f] = k;
    w->cap[f] = caps[pick(4)];
    w->left[f] = sizes[pick(4)];
}

static void new_route(world *w, size_t f)
{
    double u = unif();
    if (u < 0.02) { /* no link, no cap: unlimited; never ends */
        w->n_hops[f] = 0;
        w->cap[f] = INFINITY;
        w->left[f] = INFINITY;
        w->n_inf++;
        return;
    }
    if (u < 0.04) { /* no link, a cap: rate = cap */
        w->n_hops[f] = 0;
        w->cap[f] = 3;
        w->left[f] = unif() < 0.5 ? 7.5 : INFINITY;
        w->n_capped0++;
        return;
    }
    if (w->kind == RANDOM)
        route_random(w, f);
    else if (w->kind == FATTREE)
        route_fattree(w, f);
    else if (w->kind == CORE)
        route_core(w, f);
    else
        route_ties(w, f);
}

/* ---- the reference ------------------------------------------------------ */

static double ref_moved(const world *w, size_t f, double t)
{
    return w->r[f] == 0 ? w->moved[f] : w->moved[f] + w->r[f] * (t - w->t_s);
}

static double ref_end(const world *w, size_t f)
{
    if (isinf(w->left[f]) || w->r[f] <= 0 || isinf(w->r[f]))
        return INFINITY;
    return w->t_s + (w->left[f] - w->moved[f]) / w->r[f];
}

/* Reference time to t (no solve in between). */
static void advance(world *w, double t)
{
    for (size_t f = 0; f < w->n_ids; f++)
        if (w->on[f] && !isinf(w->r[f]))
            w->moved[f] = ref_moved(w, f, t);
    w->t_s = t;
}

static void check_moved(const world *w, double t)
{
    for (size_t f = 0; f < w->n_ids; f++) {
        if (!w->on[f] || isinf(w->r[f]))
            continue;
        double want = ref_moved(w, f, t), got = netagg_moved(&w->a, f, t);
        if (!near(got, want, REL, 1e-6))
            fail_at(w, "netagg_moved", f, got, want);
    }
}

static void check_has(const world *w)
{
    for (size_t f = 0; f < w->n_room; f++)
        if (!netagg_has(&w->a, f) != !w->on[f])
            fail_at(w, "netagg_has", f, netagg_has(&w->a, f), w->on[f]);
}

static void ref_solve(world *w, double *rate)
{
    static netsolve_flow fl[MAXF];
    static double r[MAXF];
    size_t idx[MAXF], m = 0;
    for (size_t f = 0; f < w->n_ids; f++)
        if (w->on[f]) {
            fl[m] = (netsolve_flow){.hops = w->hops[f], .n_hops = w->n_hops[f], .cap = w->cap[f]};
            idx[m++] = f;
        }
    assert_int_equal(netsolve_run(&w->ns, w->n_links, w->capbuf[w->cur], m, fl, r), 0);
    for (size_t i = 0; i < m; i++)
        rate[idx[i]] = r[i];
}

static void solve(world *w, double now)
{
    static double rate[MAXF];
    assert_int_equal(netagg_solve(&w->a, w->capbuf[w->cur], now), 0);
    w->n_solves++;
    ref_solve(w, rate);
    for (size_t f = 0; f < w->n_ids; f++) {
        if (!w->on[f])
            continue;
        double got = netagg_rate(&w->a, f);
        /* 1e-12 absolute: a rate the filling leaves at a rounding
         * residue of a full link (capacities here are 1 to 1e4). */
        if (!near(got, rate[f], REL, 1e-12))
            fail_at(w, "netagg_rate", f, got, rate[f]);
        w->r[f] = rate[f];
        w->fresh[f] = 0;
    }
}

static void add(world *w, size_t f, double now)
{
    new_route(w, f);
    assert_int_equal(netagg_add(&w->a, f, w->hops[f], w->n_hops[f], w->cap[f], w->left[f], now), 0);
    w->on[f] = 1;
    w->fresh[f] = 1;
    w->r[f] = 0;
    w->moved[f] = 0;
    assert_true(netagg_has(&w->a, f));
}

static void drop(world *w, size_t f, double now)
{
    double want = ref_moved(w, f, now), got = netagg_remove(&w->a, f, now);
    if (!isinf(w->r[f]) && !near(got, want, REL, 1e-6))
        fail_at(w, "netagg_remove", f, got, want);
    w->on[f] = 0;
    w->n_removes++;
    assert_false(netagg_has(&w->a, f));
    /* Out: a second remove moves nothing. */
    assert_true(netagg_remove(&w->a, f, now) == 0);
}

/* The earliest reference end, against netagg_next_done. */
static double check_next_done(world *w)
{
    double want = INFINITY;
    for (size_t f = 0; f < w->n_ids; f++)
        if (w->on[f] && ref_end(w, f) < want)
            want = ref_end(w, f);
    double got = netagg_next_done(&w->a);
    if (!near(got, want, REL, 1e-12))
        fail_at(w, "netagg_next_done", SIZE_MAX, got, want);
    return got;
}

/* At t = netagg_next_done: netagg_due(t) lists the flows whose reference
 * end is at or before t, each once. Within tol of t either way is a tie
 * broken by rounding (two classes' clocks reaching the same end an ulp
 * apart): such a flow may come now or at the next end, ulps later (the
 * next netagg_next_done is checked against the reference). Each listed
 * flow is removed and has moved its bytes. */
static void take_ends(world *w, double t)
{
    static size_t out[MAXF];
    unsigned char listed[MAXF] = {0};
    double tol = REL * (1 + t);
    size_t n = netagg_due(&w->a, t, out);
    assert_true(n >= 1); /* the flow that set next_done */
    for (size_t i = 0; i < n; i++) {
        size_t f = out[i];
        assert_true(f < w->n_ids && w->on[f] && !listed[f]);
        listed[f] = 1;
        if (ref_end(w, f) > t + tol)
            fail_at(w, "netagg_due listed a flow not done", f, t, ref_end(w, f));
    }
    for (size_t f = 0; f < w->n_ids; f++)
        if (w->on[f] && !listed[f] && ref_end(w, f) <= t - tol)
            fail_at(w, "netagg_due left out a flow done", f, t, ref_end(w, f));
    for (size_t i = 0; i < n; i++) {
        size_t f = out[i];
        double got = netagg_remove(&w->a, f, t);
        if (!near(got, w->left[f], REL, 1e-6))
            fail_at(w, "bytes of an ended flow", f, got, w->left[f]);
        w->on[f] = 0;
        w->n_ends++;
    }
    /* All at once: nothing else ends at or before t. */
    assert_int_equal(netagg_due(&w->a, t, out), 0);
}

/* A new set of capacities in the other buffer (netagg keeps a pointer to
 * the last solve's until the next one). Now and then a link goes down
 * (capacity 0: its flows stop, their ends go to INFINITY) and comes back. */
static void change_caps(world *w)
{
    int nxt = !w->cur;
    for (size_t l = 0; l < w->n_links; l++) {
        double c = w->capbuf[w->cur][l];
        if (c == 0 && unif() < 0.5)
            c = w->capbuf[0][l];
        else if (unif() < 0.3)
            c = w->kind == TIES ? (unif() < 0.5 ? 12 : 6) : c * (0.5 + 1.5 * unif());
        if (w->kind != TIES && unif() < 0.03) {
            c = 0;
            w->n_down++;
        }
        w->capbuf[nxt][l] = c;
    }
    w->cur = nxt;
    netagg_invalidate(&w->a);
    w->n_invalidates++;
}

/* One change: flow f out if in, else in. */
static void toggle(world *w, double now)
{
    size_t f = pick(w->n_room);
    int want_add = unif() < w->p_add;
    for (size_t tries = 0; tries < 8 && (w->on[f] != 0) == want_add; tries++)
        f = pick(w->n_room);
    if (w->on[f])
        drop(w, f, now);
    else
        add(w, f, now);
}

/* Time to the next change: ties on a grid of exact binary fractions. */
static double next_gap(const world *w)
{
    if (w->kind == TIES)
        return 0.25 * (double)(1 + pick(4));
    return unif() < 0.1 ? 0.001 * unif() : 0.3 * unif();
}

static void world_init(world *w, enum kind kind, size_t n_ids)
{
    memset(w, 0, sizeof *w);
    w->kind = kind;
    w->n_ids = n_ids;
    w->n_room = n_ids / 2; /* netagg_reserve grows it later */
    if (kind == RANDOM)
        links_random(w);
    else if (kind == FATTREE)
        links_fattree(w);
    else if (kind == CORE)
        links_core(w);
    else
        links_ties(w);
    w->p_add = 0.5;
    agg_open(&w->a, w->n_links, w->n_room);
    open_ns = &w->ns;
}

static void world_free(world *w)
{
    for (size_t f = 0; f < w->n_ids; f++)
        if (w->on[f])
            drop(w, f, w->t_s);
    assert_true(netagg_next_done(&w->a) == INFINITY);
    w->n_on = w->a.n_on;
    w->n_off = w->a.n_off;
    agg_close(&w->a);
    netsolve_free(&w->ns);
    open_ns = NULL;
}

/* One seeded run of steps events: ends as they come, changes in between. */
static void run(world *w, double t0, size_t steps)
{
    double now = t0;
    w->t_s = t0;
    for (size_t f = 0; f < w->n_room / 2; f++)
        add(w, f, now);
    solve(w, now);
    check_moved(w, now);
    for (size_t step = 0; step < steps; step++) {
        if (step == steps / 4) {
            assert_int_equal(netagg_reserve(&w->a, w->n_ids), 0);
            w->n_room = w->n_ids;
        }
        if ((w->kind == FATTREE || w->kind == CORE) && step % 50 == 0) /* fill, then drain */
            w->p_add = step % 100 ? 0.15 : 0.9;
        double done = check_next_done(w);
        double t = now + next_gap(w);
        int is_end = done <= t;
        if (is_end)
            t = done;
        check_moved(w, now + (t - now) * unif());
        advance(w, t);
        if (is_end)
            take_ends(w, t);
        if (!is_end || unif() < 0.3) {
            size_t k = unif() < 0.25 ? 2 + pick(5) : 1;
            if ((w->kind == FATTREE || w->kind == CORE) && w->p_add > 0.5) /* a burst of arrivals */
                k += pick(6);
            w->n_batches += k > 1;
            for (size_t i = 0; i < k; i++)
                toggle(w, t);
            if (unif() < 0.05)
                change_caps(w);
            check_moved(w, t); /* after changes, before the solve */
        }
        check_has(w);
        solve(w, t);
        check_moved(w, t);
        now = t;
    }
}

static void run_seeds(enum kind kind, size_t seeds, size_t steps, size_t n_ids)
{
    static world w;
    size_t ends = 0, sv = 0, inv = 0, batches = 0, inf = 0, capped0 = 0, on = 0, off = 0, down = 0;
    for (size_t s = 0; s < seeds; s++) {
        reseed(1000 * (uint64_t)kind + s);
        world_init(&w, kind, n_ids);
        run(&w, s % 3 == 2 ? 100.0 : 0.0, steps);
        ends += w.n_ends;
        sv += w.n_solves;
        inv += w.n_invalidates;
        batches += w.n_batches;
        inf += w.n_inf;
        capped0 += w.n_capped0;
        down += w.n_down;
        world_free(&w);
        on += w.n_on;
        off += w.n_off;
    }
    /* The runs went through what they are meant to check. */
    assert_true(ends > 10 * seeds);
    assert_true(inv > 0 && batches > 0 && inf > 0 && capped0 > 0);
    assert_true(kind == TIES || down > 0);
    assert_true(sv > seeds * NETAGG_SWEEP);
    /* Links went active and back (the sweep), many times a run. */
    assert_true(on > 10 * seeds && off > 10 * seeds);
}

static void test_random_sequences(void **state)
{
    (void)state;
    run_seeds(RANDOM, 20, 300, 200);
}

static void test_fattree_sequences(void **state)
{
    (void)state;
    run_seeds(FATTREE, 6, 400, 400);
}

static void test_core_sequences(void **state)
{
    (void)state;
    run_seeds(CORE, 8, 400, 400);
}

static void test_tie_sequences(void **state)
{
    (void)state;
    run_seeds(TIES, 16, 300, 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_random_sequences, teardown),
        cmocka_unit_test_teardown(test_fattree_sequences, teardown),
        cmocka_unit_test_teardown(test_core_sequences, teardown),
        cmocka_unit_test_teardown(test_tie_sequences, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
