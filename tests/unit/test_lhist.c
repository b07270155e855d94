/* test_lhist.c -- the log-bucketed latency histogram (util/lhist.h): its
 * relative error bound, merging, point masses, empty histograms, the
 * checks a reader relies on; and the flow model's histogram
 * (metrics/latency.h) against the law it bins. Deterministic: a seeded
 * xorshift, so a failure is a regression, never noise. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "metrics/latency.h"
#include "util/lhist.h"
#include "util/rng.h"

/* A latency log-uniform on [10 ns, 10 s]. */
static double draw(uint64_t *rng)
{
    return 1e-8 * pow(1e9, rng_uniform(rng));
}

/* Every value lands in the bin whose edges hold it, and the bin's
 * geometric middle is within 1 % of it (the layout's promise). */
static void test_bins_hold_values(void **state)
{
    (void)state;
    uint64_t rng = 17;
    for (int i = 0; i < 200000; i++) {
        double x = draw(&rng);
        int b = lhist_bin(x);
        assert_true(b >= 1 && b <= LHIST_LOG_BINS);
        assert_true(lhist_lo_s(b) <= x && x < lhist_hi_s(b));
        double mid = sqrt(lhist_lo_s(b) * lhist_hi_s(b));
        assert_true(fabs(mid - x) <= 0.01 * x);
    }
    /* Edges are exact both ways, and the ends go to under/overflow. */
    for (int b = 1; b < LHIST_BINS - 1; b += 37) {
        assert_int_equal(lhist_bin(lhist_lo_s(b)), b);
        assert_int_equal(lhist_bin(nextafter(lhist_lo_s(b), 0)), b - 1);
    }
    assert_int_equal(lhist_bin(0), 0);
    assert_int_equal(lhist_bin(5e-10), 0);
    assert_int_equal(lhist_bin(11.0), LHIST_BINS - 1);
    assert_true(lhist_hi_s(LHIST_BINS - 2) > 10.0);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Percentiles of 100,000 random values (log-uniform, then a lognormal
 * cluster) within 2 % (one bin) of the sample's own. */
static void test_quantile_relative_error(void **state)
{
    (void)state;
    enum { N = 100000 };
    double *v = malloc(N * sizeof *v);
    assert_non_null(v);
    for (int law = 0; law < 2; law++) {
        uint64_t rng = 99 + law;
        lhist h;
        lhist_init(&h);
        for (int i = 0; i < N; i++) {
            double u1 = rng_uniform(&rng), u2 = rng_uniform(&rng);
            v[i] = law == 0 ? draw(&rng)
                            : 5e-6 * exp(0.3 * sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2));
            assert_int_equal(lhist_add(&h, v[i], 1), 0);
        }
        qsort(v, N, sizeof *v, cmp_d);
        const double ps[] = {0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1};
        for (size_t k = 0; k < sizeof ps / sizeof *ps; k++) {
            size_t idx = (size_t)ceil(ps[k] * N);
            double want = v[idx ? idx - 1 : 0];
            double got = lhist_quantile(&h, ps[k]);
            assert_true(fabs(got - want) <= 0.02 * want);
        }
        assert_true(lhist_quantile(&h, 0) == v[0]);
        assert_true(lhist_quantile(&h, 1) == v[N - 1]);
        lhist_free(&h);
    }
    free(v);
}

/* merge(h(A), h(B)) is h(A then B): same bins, totals, sums, min, max. */
static void test_merge_is_concatenation(void **state)
{
    (void)state;
    uint64_t rng = 5;
    lhist a, b, ab;
    lhist_init(&a);
    lhist_init(&b);
    lhist_init(&ab);
    for (int i = 0; i < 5000; i++) {
        double x = i < 2500 ? 1e-6 * (1 + rng_uniform(&rng)) : draw(&rng);
        double w = 1 + 3 * rng_uniform(&rng);
        assert_int_equal(lhist_add(i % 3 ? &a : &b, x, w), 0);
        assert_int_equal(lhist_add(&ab, x, w), 0);
    }
    lhist m;
    lhist_init(&m);
    assert_int_equal(lhist_merge(&m, &b), 0);  /* into an empty one */
    assert_int_equal(lhist_merge(&m, &a), 0);
    assert_int_equal(m.first, ab.first);
    assert_int_equal(m.n, ab.n);
    for (uint32_t i = 0; i < m.n; i++)
        assert_true(fabs(m.counts[i] - ab.counts[i]) <= 1e-12 * ab.counts[i]);
    assert_true(fabs(m.total - ab.total) <= 1e-12 * ab.total);
    assert_true(fabs(m.sum_s - ab.sum_s) <= 1e-12 * ab.sum_s);
    assert_true(m.min_s == ab.min_s && m.max_s == ab.max_s);
    const double ps[] = {0.5, 0.99, 0.999};
    for (int k = 0; k < 3; k++)
        assert_true(fabs(lhist_quantile(&m, ps[k]) - lhist_quantile(&ab, ps[k])) <=
                    1e-12 * lhist_quantile(&ab, ps[k]));
    /* An empty histogram merged in changes nothing. */
    lhist e;
    lhist_init(&e);
    assert_int_equal(lhist_merge(&m, &e), 0);
    assert_int_equal(m.n, ab.n);
    lhist_free(&a);
    lhist_free(&b);
    lhist_free(&ab);
    lhist_free(&m);
}

/* A point mass: every percentile is the point itself, exactly. */
static void test_point_mass(void **state)
{
    (void)state;
    const double xs[] = {3.7e-9, 1e-6, 4.2e-5, 0.125, 3.0};
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        lhist h;
        lhist_init(&h);
        assert_int_equal(lhist_add(&h, xs[i], 1234.5), 0);
        assert_int_equal(h.n, 1);
        for (double p = 0; p <= 1; p += 0.125)
            assert_true(lhist_quantile(&h, p) == xs[i]);
        assert_true(lhist_mean(&h) == xs[i]);
        lhist_free(&h);
    }
}

/* Empty: NaN, never 0. */
static void test_empty_is_nan(void **state)
{
    (void)state;
    lhist h;
    lhist_init(&h);
    assert_true(isnan(lhist_quantile(&h, 0.5)));
    assert_true(isnan(lhist_mean(&h)));
    assert_int_equal(lhist_add(&h, 1e-6, 0), 0);  /* zero weight: still empty */
    assert_true(isnan(lhist_quantile(&h, 0.99)));
    assert_int_equal(lhist_check(0, 0, NULL, 0, NAN, NAN, NULL), 0);
    assert_int_equal(lhist_add(&h, -1, 1), -EINVAL);
    assert_int_equal(lhist_add(&h, NAN, 1), -EINVAL);
    assert_int_equal(lhist_add(&h, 1e-6, -1), -EINVAL);
    assert_true(isnan(lhist_quantile(&h, 1.5)));
    lhist_free(&h);
}

/* What a reader refuses. */
static void test_check_refuses(void **state)
{
    (void)state;
    lhist h;
    lhist_init(&h);
    assert_int_equal(lhist_add(&h, 2e-6, 3), 0);
    assert_int_equal(lhist_add(&h, 9e-6, 1), 0);
    const char *why;
    assert_int_equal(lhist_check(h.first, h.n, h.counts, h.total, h.min_s, h.max_s, &why), 0);
    assert_int_equal(lhist_check(-1, h.n, h.counts, h.total, h.min_s, h.max_s, &why), -EINVAL);
    assert_int_equal(lhist_check(LHIST_BINS - 2, h.n, h.counts, h.total, h.min_s, h.max_s, &why),
                     -EINVAL);
    assert_int_equal(lhist_check(h.first, -3, h.counts, h.total, h.min_s, h.max_s, &why), -EINVAL);
    assert_int_equal(lhist_check(h.first, h.n, h.counts, h.total + 1, h.min_s, h.max_s, &why),
                     -EINVAL);
    assert_int_equal(lhist_check(h.first, h.n, h.counts, h.total, 1e-3, h.max_s, &why), -EINVAL);
    assert_int_equal(lhist_check(h.first, h.n, h.counts, h.total, h.min_s, 1.0, &why), -EINVAL);
    assert_int_equal(lhist_check(h.first, h.n, h.counts, h.total, NAN, h.max_s, &why), -EINVAL);
    h.counts[0] = -1;
    assert_int_equal(lhist_check(h.first, h.n, h.counts, h.total, h.min_s, h.max_s, &why), -EINVAL);
    h.counts[0] = NAN;
    assert_int_equal(lhist_check(h.first, h.n, h.counts, h.total, h.min_s, h.max_s, &why), -EINVAL);
    lhist_free(&h);
}

/* The flow model's histogram: its packets are the packets added, its
 * mean the model's exact mean, its percentiles the ones lat_acc_stats
 * reports, and for one hop at load 0.8 (1500 B packets) its CDF at bin edges is the
 * closed form P(T <= t) = 1 - rho exp(-(t - base)/theta) to 1e-3. */
static void test_flow_model_hist(void **state)
{
    (void)state;
    const double cap_bps = 10e9, rho = 0.8;
    pkt_size one = {1500, 1};
    lat_hop hop = {cap_bps, 1e-6, rho, INFINITY, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    lat_acc acc;
    lat_acc_init(&acc);
    assert_int_equal(lat_acc_add(&acc, &hop, 1, &one, 1, ARRIVALS_POISSON, 2e-6, 1e5), 0);
    lhist h;
    lhist_init(&h);
    lat_stats st, st2;
    assert_int_equal(lat_acc_stats_hist(&acc, &one, 1, &st, &h), 0);
    assert_int_equal(lat_acc_stats(&acc, &one, 1, &st2), 0);
    assert_true(fabs(h.total - 1e5) <= 1e-9 * 1e5);
    assert_true(fabs(lhist_mean(&h) - st.mean_s) <= 1e-12 * st.mean_s);
    assert_true(lhist_quantile(&h, 0.5) == st.p50_s && st.p50_s == st2.p50_s);
    assert_true(lhist_quantile(&h, 0.99) == st.p99_s && st.p99_s == st2.p99_s);
    assert_true(lhist_quantile(&h, 0.999) == st.p999_s);
    double s = 8 * 1500 / cap_bps, base = 3e-6 + s, theta = s / (2 * (1 - rho)); /* M/D/1: E[S^2]/(2E[S](1-rho)) */
    double cum = 0;
    for (uint32_t i = 0; i < h.n; i++) {
        cum += h.counts[i] / h.total;
        double t = lhist_hi_s(h.first + (int)i);
        double want = t < base ? 0 : 1 - rho * exp(-(t - base) / theta);
        assert_true(fabs(cum - want) <= 1e-3);
    }
    assert_true(h.min_s == base);
    lhist_free(&h);
    lat_acc_free(&acc);
    /* No packets: empty histogram, NaN figures. */
    lat_acc_init(&acc);
    assert_int_equal(lat_acc_stats_hist(&acc, &one, 1, &st, &h), 0);
    assert_int_equal(h.n, 0);
    assert_true(isnan(st.p50_s) && isnan(st.mean_s));
    lhist_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bins_hold_values),
        cmocka_unit_test(test_quantile_relative_error),
        cmocka_unit_test(test_merge_is_concatenation),
        cmocka_unit_test(test_point_mass),
        cmocka_unit_test(test_empty_is_nan),
        cmocka_unit_test(test_check_refuses),
        cmocka_unit_test(test_flow_model_hist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
