/* test_mmpp.c -- the MMPP(2)/M/1 wait (metrics/mmpp.h) against its closed
 * forms (equal rates: M/M/1; very slow switching: the quasi-static mixture
 * of M/M/1 laws; very fast switching: M/M/1 at the mean rate) and against
 * a seeded Monte Carlo of the queue's workload (Lindley recursion, 4e6
 * arrivals) at a switching rate between the two limits. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "metrics/mmpp.h"

static double ccdf(const mmpp_wait *w, double t) {
    return w->c[0] * exp(-t / w->theta[0]) + w->c[1] * exp(-t / w->theta[1]);
}

static void near(double got, double want, double rel) {
    if (!(fabs(got - want) <= rel * fabs(want))) {
        print_error("got %.9g want %.9g (rel %.2g)\n", got, want, rel);
        fail();
    }
}

/* M/M/1: P(W > t) = rho e^{-mu (1 - rho) t}, both classes. */
static void equal_rates_is_mm1(void **state) {
    (void)state;
    mmpp_wait s, o;
    assert_int_equal(mmpp2_m1_wait(0.6, 0.6, 0.3, 0.7, 1.0, &s, &o), 0);
    for (int i = 0; i < 2; i++) {
        const mmpp_wait *w = i ? &o : &s;
        near(w->p_wait, 0.6, 1e-9);
        near(w->mean, 0.6 / 0.4, 1e-9);
        near(ccdf(w, 5.0), 0.6 * exp(-0.4 * 5.0), 1e-9);
    }
}

/* Switching 1e6 times slower than service: each phase its own M/M/1. */
static void slow_switching_is_quasi_static(void **state) {
    (void)state;
    mmpp_wait s, o;
    double ron = 0.7, roff = 0.2, a = 1e-6, b = 1e-6;
    assert_int_equal(mmpp2_m1_wait(ron, roff, a, b, 1.0, &s, &o), 0);
    near(s.p_wait, ron, 1e-3);
    near(s.mean, ron / (1 - ron), 1e-3);
    near(o.p_wait, 0.5 * (ron + roff), 1e-3);
    near(o.mean, 0.5 * (ron / (1 - ron) + roff / (1 - roff)), 1e-3);
    near(ccdf(&o, 10), 0.5 * (ron * exp(-(1 - ron) * 10) + roff * exp(-(1 - roff) * 10)), 1e-3);
}

/* Switching 1e4 times faster than service: M/M/1 at the mean load. */
static void fast_switching_is_mean_mm1(void **state) {
    (void)state;
    mmpp_wait s, o;
    assert_int_equal(mmpp2_m1_wait(0.9, 0.1, 1e4, 1e4, 1.0, &s, &o), 0);
    for (int i = 0; i < 2; i++) {
        const mmpp_wait *w = i ? &o : &s;
        near(w->p_wait, 0.5, 1e-3);
        near(w->mean, 1.0, 1e-3);
    }
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static double expo(double mean) {
    rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
    double u = ((rng * 2685821657736338717ULL >> 11) + 0.5) / 9007199254740992.0;
    return -mean * log(u);
}

/* On periods of 20 services at load 0.85, off at 0.2: neither limit. */
static void monte_carlo(void **state) {
    (void)state;
    double lon = 0.85, loff = 0.2, a = 0.05, b = 0.05, mu = 1;
    mmpp_wait s, o;
    assert_int_equal(mmpp2_m1_wait(lon, loff, a, b, mu, &s, &o), 0);
    double v = 0, sw = expo(1 / a); /* workload, time to next switch */
    int on = 1;
    double ns = 0, ss = 0, sp = 0, s8 = 0, no = 0, so = 0, op = 0, o8 = 0;
    for (long n = 0; n < 4000000;) {
        double lam = on ? lon : loff, t = expo(1 / lam);
        if (t > sw) {                  /* phase switch first */
            v = fmax(0, v - sw);
            on = !on;
            sw = expo(1 / (on ? a : b));
            continue;
        }
        sw -= t;
        v = fmax(0, v - t);
        n++;
        if (on) ns++, ss += v, sp += v > 0, s8 += v > 8;
        if (!on || expo(1) < -log(1 - loff / lon)) /* background: P = loff/lon */
            no++, so += v, op += v > 0, o8 += v > 8;
        v += expo(1 / mu);
    }
    near(s.p_wait, sp / ns, 0.01);
    near(s.mean, ss / ns, 0.02);
    near(ccdf(&s, 8), s8 / ns, 0.03);
    near(o.p_wait, op / no, 0.01);
    near(o.mean, so / no, 0.02);
    near(ccdf(&o, 8), o8 / no, 0.03);
}

static void bad_input(void **state) {
    (void)state;
    mmpp_wait s;
    assert_int_not_equal(mmpp2_m1_wait(1.5, 0.6, 1, 1, 1, &s, NULL), 0); /* unstable */
    assert_int_not_equal(mmpp2_m1_wait(0.5, 0.1, 0, 1, 1, &s, NULL), 0);
    assert_int_not_equal(mmpp2_m1_wait(NAN, 0.1, 1, 1, 1, &s, NULL), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(equal_rates_is_mm1),
        cmocka_unit_test(slow_switching_is_quasi_static),
        cmocka_unit_test(fast_switching_is_mean_mm1),
        cmocka_unit_test(monte_carlo),
        cmocka_unit_test(bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
