/* test_netsolve.c -- our max-min solver (src/sim/netsolve.h) on closed
 * forms and on random instances. A random instance's answer is checked by
 * the characterisation of max-min fairness (Bertsekas & Gallager, Data
 * Networks, 2nd ed., sec. 6.5.2), not by a second copy of the algorithm:
 * rates are feasible (no link over its capacity) and every flow either has
 * its cap or crosses a saturated link on which no flow has a higher rate.
 * Only the max-min allocation satisfies both. And the incremental solve
 * after departures and arrivals (netsolve_set) must equal a full solve, to
 * 1e-9, and solve less than everything where it can. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "sim/netsolve.h"

#include "xorshift.h"



static void solve(size_t n_links, const double *cap, size_t n, const netsolve_flow *fl, double *rate)
{
    netsolve ns = {0};
    assert_int_equal(netsolve_run(&ns, n_links, cap, n, fl, rate), 0);
    netsolve_free(&ns);
}

/* Two flows on one link share it; a third, capped below the share, keeps
 * its cap and leaves the rest to the others. */
static void test_closed_forms(void **state)
{
    (void)state;
    const double cap[2] = {1000, 300};
    static const int l0[] = {0}, l01[] = {0, 1};
    netsolve_flow fl[3] = {{l0, 1, INFINITY, 1}, {l01, 2, INFINITY, 1}, {l0, 1, 100, 1}};
    double r[3];
    solve(2, cap, 3, fl, r);
    /* f2 capped at 100; f1 limited by link 1 only at 300 > the share of
     * link 0 (900 / 2 = 450): link 1 saturates first at 300. */
    assert_true(r[2] == 100);
    assert_true(fabs(r[1] - 300) < 1e-9);
    assert_true(fabs(r[0] - 600) < 1e-9);
    /* Parking lot: a long flow over links 0 and 1 against one short flow
     * on each: link 1 (300) gives 150 each first, then link 0 leaves the
     * short flow there 1000 - 150. */
    netsolve_flow pk[3] = {{l01, 2, INFINITY, 1}, {l0, 1, INFINITY, 1}, {l01 + 1, 1, INFINITY, 1}};
    solve(2, cap, 3, pk, r);
    assert_true(fabs(r[0] - 150) < 1e-9 && fabs(r[2] - 150) < 1e-9 && fabs(r[1] - 850) < 1e-9);
    /* A flow with no link and no cap is unlimited; a zero-capacity link
     * stops its flows. */
    const double zero[1] = {0};
    netsolve_flow z[2] = {{l0, 0, INFINITY, 1}, {l0, 1, INFINITY, 1}};
    solve(1, zero, 2, z, r);
    assert_true(isinf(r[0]) && r[1] == 0);
}

#define NL 40
#define NF 400

typedef struct inst {
    double cap[NL];
    int hops[NF][6];
    netsolve_flow fl[NF];
} inst;

static void random_instance(inst *in, size_t n)
{
    for (size_t l = 0; l < NL; l++)
        in->cap[l] = unif() < 0.2 ? 1e9 : 1 + 99 * unif();
    for (size_t f = 0; f < n; f++) {
        size_t k = 1 + pick(6);
        for (size_t h = 0; h < k; h++) {
            int l;
            int dup;
            do { /* distinct links on a route */
                l = (int)pick(NL);
                dup = 0;
                for (size_t j = 0; j < h; j++)
                    dup |= in->hops[f][j] == l;
            } while (dup);
            in->hops[f][h] = l;
        }
        in->fl[f] = (netsolve_flow){in->hops[f], k, unif() < 0.3 ? 0.5 + 20 * unif() : INFINITY, 1};
    }
}

/* The characterisation of max-min (file comment), to 1e-9 relative. */
static void assert_max_min(const inst *in, size_t n, const unsigned char *on, const double *r)
{
    double load[NL] = {0}, top[NL] = {0};
    for (size_t f = 0; f < n; f++) {
        if (!on[f])
            continue;
        for (size_t h = 0; h < in->fl[f].n_hops; h++) {
            load[in->fl[f].hops[h]] += r[f];
            if (r[f] > top[in->fl[f].hops[h]])
                top[in->fl[f].hops[h]] = r[f];
        }
    }
    for (size_t l = 0; l < NL; l++)
        assert_true(load[l] <= in->cap[l] * (1 + 1e-9));
    for (size_t f = 0; f < n; f++) {
        if (!on[f])
            continue;
        if (in->fl[f].n_hops == 0 && isinf(in->fl[f].cap)) {
            assert_true(isinf(r[f])); /* no link, no cap: unlimited */
            continue;
        }
        assert_true(r[f] >= 0 && r[f] <= in->fl[f].cap * (1 + 1e-12));
        int ok = fabs(r[f] - in->fl[f].cap) <= 1e-9 * in->fl[f].cap;
        for (size_t h = 0; h < in->fl[f].n_hops && !ok; h++) {
            int l = in->fl[f].hops[h];
            ok = load[l] >= in->cap[l] * (1 - 1e-9) && r[f] >= top[l] * (1 - 1e-9);
        }
        assert_true(ok);
    }
}

static void test_random_instances(void **state)
{
    (void)state;
    static inst in;
    double r[NF];
    unsigned char on[NF];
    for (size_t f = 0; f < NF; f++)
        on[f] = 1;
    for (int trial = 0; trial < 200; trial++) {
        size_t n = 1 + pick(NF);
        random_instance(&in, n);
        /* Every other trial, some flows cross no link (capped or not): the
         * solve stops once every flow is frozen (netsolve.c), which must
         * still count the capped ones. */
        for (size_t f = 0; f < n && trial % 2; f++)
            if (unif() < 0.1)
                in.fl[f].n_hops = 0;
        solve(NL, in.cap, n, in.fl, r);
        assert_max_min(&in, n, on, r);
    }
}

/* Flows leave a few at a time; after each departure the incremental solve
 * gives every remaining flow the rate a full solve gives, to 1e-9. */
static void test_departures_match_full_solve(void **state)
{
    (void)state;
    static inst in;
    double full[NF];
    unsigned char on[NF];
    static netsolve_flow left[NF];
    size_t idx[NF];
    for (int trial = 0; trial < 20; trial++) {
        size_t n = 50 + pick(NF - 50);
        random_instance(&in, n);
        netsolve_set s;
        assert_int_equal(netsolve_set_init(&s, NL, n), 0);
        for (size_t f = 0; f < n; f++) {
            netsolve_set_add(&s, f, in.fl[f].hops, in.fl[f].n_hops, in.fl[f].cap);
            on[f] = 1;
        }
        size_t ch;
        assert_int_equal(netsolve_set_solve(&s, in.cap, &ch), 0);
        assert_int_equal(ch, n);
        size_t partial = 0;
        for (size_t gone = 0; gone + 1 < n;) {
            for (size_t k = 1 + pick(3); k > 0 && gone + 1 < n; k--) {
                size_t f;
                do
                    f = pick(n);
                while (!on[f]);
                on[f] = 0;
                gone++;
                netsolve_set_remove(&s, f);
            }
            assert_int_equal(netsolve_set_solve(&s, in.cap, &ch), 0);
            partial += ch < n - gone;
            size_t m = 0;
            for (size_t f = 0; f < n; f++)
                if (on[f]) {
                    left[m] = in.fl[f];
                    idx[m++] = f;
                }
            solve(NL, in.cap, m, left, full);
            for (size_t i = 0; i < m; i++)
                assert_true(fabs(s.rate[idx[i]] - full[i]) <= 1e-9 * full[i] + 1e-12);
            assert_max_min(&in, n, on, s.rate);
        }
        assert_true(partial > 0); /* it did solve less than everything */
        netsolve_set_free(&s);
    }
}

/* The flows in (on[]) solved from scratch, compared with the set's rates
 * to 1e-9 relative, and the characterisation checked. */
static void assert_like_full_solve(const inst *in, size_t n, const unsigned char *on,
                                   const netsolve_set *s)
{
    static netsolve_flow left[NF];
    static double full[NF];
    size_t idx[NF], m = 0;
    for (size_t f = 0; f < n; f++)
        if (on[f]) {
            left[m] = in->fl[f];
            idx[m++] = f;
        }
    solve(NL, in->cap, m, left, full);
    for (size_t i = 0; i < m; i++)
        assert_true(fabs(s->rate[idx[i]] - full[i]) <= 1e-9 * full[i] + 1e-12);
    assert_max_min(in, n, on, s->rate);
}

/* Flows arrive and leave in batches of one to four (both kinds mixed),
 * some crossing a link twice, with a solve after each batch: every flow in
 * gets the rate a full solve gives, to 1e-9; and some solves after an
 * arrival solved fewer flows than are in (the threshold and the group of
 * netsolve.h; before them an arrival solved everything). */
static void test_arrivals_match_full_solve(void **state)
{
    (void)state;
    static inst in;
    unsigned char on[NF];
    size_t partial_arrivals = 0, arrival_solves = 0;
    for (int trial = 0; trial < 40; trial++) {
        size_t n = 20 + pick(NF - 20);
        random_instance(&in, n);
        if (trial % 2) /* sparse: most links roomy, the groups small */
            for (size_t l = 0; l < NL; l++)
                in.cap[l] = unif() < 0.7 ? 1e9 : 1 + 99 * unif();
        for (size_t f = 0; f < n; f++)
            if (in.fl[f].n_hops < 6 && unif() < 0.1)
                in.hops[f][in.fl[f].n_hops++] = in.hops[f][0];
        netsolve_set s;
        assert_int_equal(netsolve_set_init(&s, NL, n / 2), 0);
        assert_int_equal(netsolve_set_reserve(&s, n), 0);
        size_t n_in = 0;
        for (size_t f = 0; f < n; f++) {
            on[f] = unif() < 0.5;
            if (on[f]) {
                assert_int_equal(netsolve_set_add(&s, f, in.fl[f].hops, in.fl[f].n_hops, in.fl[f].cap), 0);
                n_in++;
            }
        }
        size_t ch;
        assert_int_equal(netsolve_set_solve(&s, in.cap, &ch), 0);
        assert_int_equal(ch, n_in);
        for (int step = 0; step < 60; step++) {
            int arrived = 0;
            for (size_t k = 1 + pick(4); k > 0; k--) {
                size_t f = pick(n);
                if (on[f]) {
                    netsolve_set_remove(&s, f);
                    n_in--;
                } else {
                    assert_int_equal(netsolve_set_add(&s, f, in.fl[f].hops, in.fl[f].n_hops, in.fl[f].cap), 0);
                    n_in++;
                    arrived = 1;
                }
                on[f] = !on[f];
            }
            assert_int_equal(netsolve_set_solve(&s, in.cap, &ch), 0);
            if (arrived) {
                arrival_solves++;
                partial_arrivals += ch < n_in;
            }
            assert_like_full_solve(&in, n, on, &s);
        }
        netsolve_set_free(&s);
    }
    assert_true(partial_arrivals * 4 > arrival_solves); /* a quarter at least */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closed_forms),
        cmocka_unit_test(test_random_instances),
        cmocka_unit_test(test_departures_match_full_solve),
        cmocka_unit_test(test_arrivals_match_full_solve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
