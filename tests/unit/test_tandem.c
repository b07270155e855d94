/* test_tandem.c -- the size-mix tandem wait law (metrics/tandem.h) against
 * a Monte Carlo of the exact sample-path recursion (Poisson arrivals into
 * an M/G/1 hop, then a store-and-forward hop r times its service time),
 * and its closed-form limits (one size: zero). The Monte Carlo is seeded
 * and deterministic (2e6 packets); the law is exact, so the tolerance,
 * 0.5 %, is the Monte Carlo's noise (measured agreement: 4 digits). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "metrics/tandem.h"

/* IMIX 7:4:1 of 64, 576, 1500 B frames plus 20 B of preamble and gap, at
 * 25 Gb/s (s). */
#define WIRE(b) (8.0 * ((b) + 20.0) / 25e9)
static const double imix_s[3] = {WIRE(64), WIRE(576), WIRE(1500)};
static const double imix_w[3] = {7, 4, 1};

static uint64_t rng_state;
static double unif(void) {          /* xorshift64*, (0, 1) */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return ((rng_state * 2685821657736338717ULL >> 11) + 0.5) / 9007199254740992.0;
}

typedef struct mc { double p_wait, mean, ccdf[4]; } mc;

/* n packets: Poisson arrivals at load rho into hop 1 (service s), hop 2
 * serves the same packet in r s, store-and-forward, FIFO. */
static mc monte_carlo_only(const double *s, const double *w, size_t k, double rho,
                           double r, const double *t, long n, double only) {
    double ws = 0, es = 0;
    for (size_t i = 0; i < k; i++) ws += w[i], es += w[i] * s[i];
    es /= ws;
    double lambda = rho / es, a = 0, d1 = 0, d2 = 0, counted = 0;
    mc m = {0};
    rng_state = 0x9E3779B97F4A7C15ULL;
    for (long i = 0; i < n; i++) {
        a += -log(unif()) / lambda;
        double u = unif() * ws, si = s[k - 1];
        for (size_t j = 0; j < k; j++) {
            if (u < w[j]) { si = s[j]; break; }
            u -= w[j];
        }
        d1 = fmax(a, d1) + si;
        double start = fmax(d1, d2), w2 = start - d1;
        d2 = start + r * si;
        if (only > 0 && si != only) continue;
        counted++;
        m.p_wait += w2 > 0;
        m.mean += w2;
        for (int q = 0; q < 4; q++) m.ccdf[q] += w2 > t[q];
    }
    m.p_wait /= counted;
    m.mean /= counted;
    for (int q = 0; q < 4; q++) m.ccdf[q] /= counted;
    return m;
}

static mc monte_carlo(const double *s, const double *w, size_t k, double rho,
                      double r, const double *t, long n) {
    return monte_carlo_only(s, w, k, rho, r, t, n, 0);
}

static lat_tandem_law law;

static void check(const double *s, const double *w, size_t k, double rho,
                  double tol_p, double tol_mean) {
    assert_int_equal(lat_tandem_law_build(s, w, k, rho, &law), 0);
    double t[4] = {20e-9, 50e-9, 100e-9, 200e-9};
    mc m = monte_carlo(s, w, k, rho, 1, t, 2000000);
    printf("rho %.2f: P(W>0) law %.4f mc %.4f, mean law %.3f mc %.3f ns",
           rho, law.p_wait, m.p_wait, law.mean_s * 1e9, m.mean * 1e9);
    for (int q = 0; q < 4; q++)
        printf(", P(W>%g ns) %.4f/%.4f", t[q] * 1e9, lat_tandem_ccdf(&law, t[q]),
               m.ccdf[q]);
    printf("\n");
    assert_true(fabs(law.p_wait - m.p_wait) <= tol_p * m.p_wait);
    assert_true(fabs(law.mean_s - m.mean) <= tol_mean * m.mean);
    for (int q = 0; q < 4; q++)
        assert_true(fabs(lat_tandem_ccdf(&law, t[q]) - m.ccdf[q]) <= tol_p * m.ccdf[q]);
    /* P(W > 0) agrees with the ccdf at 0+ */
    assert_true(fabs(lat_tandem_ccdf(&law, 0) - law.p_wait) <= 1e-9);
}

static void imix_equal_rate(void **state) {
    (void)state;
    check(imix_s, imix_w, 3, 0.3, 0.005, 0.005);
    check(imix_s, imix_w, 3, 0.5, 0.005, 0.005);
    check(imix_s, imix_w, 3, 0.8, 0.005, 0.005);
}

static void two_sizes(void **state) {
    (void)state;
    static const double s[2] = {WIRE(64), WIRE(1500)}, w[2] = {1, 1};
    check(s, w, 2, 0.5, 0.005, 0.005);
    check(s, w, 2, 0.9, 0.005, 0.005);
}

/* A 64 B flow beside a 1500 B flow on the same two ports: the law built
 * from the hop's mix, read for each flow's own sizes (PASTA). The 1500 B
 * flow, the largest packets, never waits; the 64 B flow does. */
static void own_flow_in_mix(void **state) {
    (void)state;
    static const double s[2] = {WIRE(64), WIRE(1500)}, w[2] = {3, 1};
    double t[4] = {20e-9, 50e-9, 100e-9, 200e-9}, p, m;
    assert_int_equal(lat_tandem_law_build(s, w, 2, 0.7, &law), 0);
    mc small = monte_carlo_only(s, w, 2, 0.7, 1, t, 2000000, s[0]);
    assert_int_equal(lat_tandem_flow(&law, s, (const double[]){1, 0}, 2, &p, &m), 0);
    printf("64 B flow beside 1500 B at 0.7: P(W>0) law %.4f mc %.4f, mean law %.3f mc %.3f ns\n",
           p, small.p_wait, m * 1e9, small.mean * 1e9);
    assert_true(fabs(p - small.p_wait) <= 0.005 * small.p_wait);
    assert_true(fabs(m - small.mean) <= 0.005 * small.mean);
    assert_int_equal(lat_tandem_flow(&law, s + 1, w, 1, &p, &m), 0);
    assert_true(p == 0 && m == 0);
    /* the whole mix read back equals the law's own figures */
    assert_int_equal(lat_tandem_flow(&law, s, w, 2, &p, &m), 0);
    assert_true(fabs(p - law.p_wait) <= 1e-12 && fabs(m - law.mean_s) <= 1e-12 * law.mean_s);
}

/* One size at an equal rate never waits (Reich 1957); nor does a feed so
 * slow that r * max(s) <= min(s); nor an idle upstream hop. */
static void zero_cases(void **state) {
    (void)state;
    static const double one[1] = {WIRE(1500)}, w1[1] = {1};
    assert_int_equal(lat_tandem_law_build(one, w1, 1, 0.9, &law), 0);
    assert_true(law.p_wait == 0 && law.mean_s == 0);
    assert_true(lat_tandem_ccdf(&law, 0) == 0);
    assert_int_equal(lat_tandem_law_build(imix_s, imix_w, 3, 0, &law), 0);
    assert_true(law.p_wait == 0 && law.mean_s == 0);
}

static void bad_args(void **state) {
    (void)state;
    assert_int_equal(lat_tandem_law_build(imix_s, imix_w, 0, 0.5, &law), -EINVAL);
    assert_int_equal(lat_tandem_law_build(imix_s, imix_w, 3, NAN, &law), -EINVAL);
    static const double neg[2] = {-1, 1e-7}, w[2] = {1, 1}, w0[2] = {0, 0};
    assert_int_equal(lat_tandem_law_build(neg, w, 2, 0.5, &law), -EINVAL);
    assert_int_equal(lat_tandem_law_build(imix_s, w0, 2, 0.5, &law), -EINVAL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zero_cases),
        cmocka_unit_test(bad_args),
        cmocka_unit_test(imix_equal_rate),
        cmocka_unit_test(two_sizes),
        cmocka_unit_test(own_flow_in_mix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
