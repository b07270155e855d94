/* test_latency.c -- the analytic latency model against closed forms.
 * Tolerances are stated per test; the numerics are deterministic, so a
 * failure is a regression, never noise. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "metrics/latency.h"
#include "metrics/latency_feed.h"

#define GBPS 1e9

/* |got - want| <= tol * |want|, reporting the caller's line. */
#define assert_rel(got, want, tol) assert_rel_at(got, want, tol, __LINE__)

static void assert_rel_at(double got, double want, double tol, int line) {
    double err = fabs(got - want) / fmax(fabs(want), 1e-300);
    if (err > tol)
        fail_msg("line %d: got %.12g want %.12g (rel err %.3g > %.3g)", line,
                 got, want, err, tol);
}

static lat_hop hop(double gbps, double lat_s, double rho) {
    return (lat_hop){.capacity_bps = gbps * GBPS, .latency_s = lat_s,
                     .utilisation = rho};
}

/* A two-point size law with E[X^2] = 2 E[X]^2, as for an exponential:
 * then theta = E[S]/(1-rho) and the one-hop wait is M/M/1's. Mean 96 B. */
static const pkt_size expo_like[] = {{64, 0.9}, {384, 0.1}};

/* Smallest t with sum_k w_k P(W > t - c_k) <= 1 - p, W the wait with
 * P(W > x) = ccdf(x); bisection on a closed form. */
typedef double (*ccdf_fn)(double x, const void *ctx);

static double mix_tail(double t, const double *c, const double *w, int k,
                       ccdf_fn ccdf, const void *ctx) {
    double tail = 0;
    for (int i = 0; i < k; i++) tail += w[i] * (t < c[i] ? 1 : ccdf(t - c[i], ctx));
    return tail;
}

static double ref_quantile(double p, const double *c, const double *w, int k,
                           ccdf_fn ccdf, const void *ctx) {
    double lo = 0, hi = 1;
    while (mix_tail(hi, c, w, k, ccdf, ctx) > 1 - p) hi *= 2;
    for (int it = 0; it < 200; it++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) break;
        if (mix_tail(mid, c, w, k, ccdf, ctx) <= 1 - p) hi = mid; else lo = mid;
    }
    return hi;
}

static double wait_ccdf(double x, const void *ctx) {
    return lat_wait_ccdf(ctx, x);
}

/* One hop, one size: M/D/1. E[W] = rho S / (2 (1 - rho)), +-0.1 %. */
static void test_md1_mean(void **state) {
    (void)state;
    const pkt_size one[] = {{1500, 1}};
    const double rhos[] = {0.05, 0.3, 0.5, 0.8, 0.95};
    for (size_t i = 0; i < sizeof rhos / sizeof *rhos; i++) {
        lat_hop h = hop(10, 1e-6, rhos[i]);
        lat_stats st;
        assert_int_equal(latency_stats(&h, 1, one, 1, ARRIVALS_POISSON, 2e-6, &st), 0);
        double s = 1500 * 8 / (10 * GBPS);
        double w = rhos[i] * s / (2 * (1 - rhos[i]));
        assert_rel(st.mean_s - 2e-6 - 1e-6 - s, w, 1e-3);
    }
}

/* Exponential-like sizes, one hop: theta = E[S]/(1-rho) and
 * p99 of the wait = E[S]/(1-rho) ln(100 rho), +-1 %; the whole latency's
 * percentiles against a closed-form mixture over the two sizes, +-1 %. */
static void test_mm1_percentiles(void **state) {
    (void)state;
    const double rhos[] = {0.3, 0.6, 0.9};
    double m1, m2;
    assert_int_equal(lat_size_moments(expo_like, 2, &m1, &m2), 0);
    assert_rel(m2, 2 * m1 * m1, 1e-12);
    for (size_t i = 0; i < sizeof rhos / sizeof *rhos; i++) {
        double rho = rhos[i], cap = 25 * GBPS;
        lat_hop h = {.capacity_bps = cap, .latency_s = 0, .utilisation = rho};
        lat_wait w;
        assert_int_equal(lat_hop_wait(&h, m1, m2, &w), 0);
        double es = 8 * m1 / cap;
        assert_rel(w.theta_s, es / (1 - rho), 1e-12);
        assert_rel(lat_wait_quantile(&w, 0.99), es / (1 - rho) * log(100 * rho), 1e-2);

        lat_stats st;
        assert_int_equal(latency_stats(&h, 1, expo_like, 2, ARRIVALS_POISSON, 0, &st), 0);
        double c[2] = {8 * 64 / cap, 8 * 384 / cap}, wt[2] = {0.9, 0.1};
        assert_rel(st.p50_s, ref_quantile(0.5, c, wt, 2, wait_ccdf, &w), 1e-2);
        assert_rel(st.p99_s, ref_quantile(0.99, c, wt, 2, wait_ccdf, &w), 1e-2);
        assert_rel(st.p999_s, ref_quantile(0.999, c, wt, 2, wait_ccdf, &w), 1e-2);
    }
}

/* Light load: the median packet does not wait, so p50 is the smallest
 * size's base latency (the atom at 0 is exact in the law, the reported
 * p50 within the histogram's 2 % bin of it). */
static void test_atom_exact(void **state) {
    (void)state;
    lat_hop h = hop(25, 1e-6, 0.3);
    lat_stats st;
    assert_int_equal(latency_stats(&h, 1, expo_like, 2, ARRIVALS_POISSON, 0, &st), 0);
    double base = 1e-6 + 8.0 * 64 * (1 / (25 * GBPS));
    /* Within the stored histogram's 2 % bin (util/lhist.h), which holds
     * the atom and the start of the waits together. */
    assert_rel(st.p50_s, base, 2e-2);
}

/* No load: every statistic is fixed + prop + ser; they are bitwise equal
 * to each other and equal the closed form to rounding (1e-12). */
static void test_zero_load(void **state) {
    (void)state;
    const pkt_size one[] = {{1000, 1}};
    lat_hop h[3] = {hop(10, 1e-6, 0), hop(100, 2e-6, 0), hop(40, 5e-7, 0)};
    lat_stats st;
    assert_int_equal(latency_stats(h, 3, one, 1, ARRIVALS_CONSTANT, 3e-6, &st), 0);
    double want = 3e-6 + 3.5e-6 + 8000 / (10 * GBPS) + 8000 / (100 * GBPS) +
                  8000 / (40 * GBPS);
    assert_rel(st.mean_s, want, 1e-12);
    assert_true(st.p50_s == st.mean_s);
    assert_true(st.p99_s == st.mean_s);
    assert_true(st.p999_s == st.mean_s);
}

/* Two identical hops: the mean latency (and mean wait) doubles. */
static void test_two_hops_double(void **state) {
    (void)state;
    const pkt_size one[] = {{1500, 1}};
    lat_hop h[2] = {hop(25, 1e-6, 0.7), hop(25, 1e-6, 0.7)};
    lat_stats a, b;
    assert_int_equal(latency_stats(h, 1, one, 1, ARRIVALS_POISSON, 0, &a), 0);
    assert_int_equal(latency_stats(h, 2, one, 1, ARRIVALS_POISSON, 0, &b), 0);
    assert_rel(b.mean_s, 2 * a.mean_s, 1e-12);
}

/* n identical hops with exponential conditional waits: the sum's tail is a
 * binomial mixture of Erlangs. Checks the discretised convolution, +-1 %. */
typedef struct erlang_mix { int n; double rho, theta; } erlang_mix;

static double erlang_mix_ccdf(double x, const void *ctx) {
    const erlang_mix *e = ctx;
    double tail = 0, binom = 1;  /* C(n, m) */
    for (int m = 1; m <= e->n; m++) {
        binom = binom * (e->n - m + 1) / m;
        double y = x / e->theta, term = 1, erl = 0;  /* P(Erlang(m) > x) */
        for (int j = 0; j < m; j++) { erl += term; term *= y / (j + 1); }
        erl *= exp(-y);
        tail += binom * pow(e->rho, m) * pow(1 - e->rho, e->n - m) * erl;
    }
    return tail;
}

static void test_many_hops_convolution(void **state) {
    (void)state;
    const pkt_size one[] = {{1500, 1}};
    const int ns[] = {2, 8, 16};
    const double rhos[] = {0.2, 0.5, 0.9};
    for (size_t a = 0; a < 3; a++)
        for (size_t b = 0; b < 3; b++) {
            lat_hop h[LAT_MAX_HOPS];
            for (int i = 0; i < ns[a]; i++)
                h[i] = (lat_hop){.capacity_bps = 100 * GBPS, .utilisation = rhos[b],
                                 .buffer_bytes = INFINITY};
            lat_stats st;
            assert_int_equal(latency_stats(h, (size_t)ns[a], one, 1,
                                           ARRIVALS_POISSON, 0, &st), 0);
            lat_wait w;
            assert_int_equal(lat_hop_wait(&h[0], 1500, 1500.0 * 1500, &w), 0);
            erlang_mix e = {ns[a], rhos[b], w.theta_s};
            double c[1] = {ns[a] * 12000 / (100 * GBPS)}, wt[1] = {1};
            assert_rel(st.mean_s, c[0] + ns[a] * w.mean_s, 1e-12);
            assert_rel(st.p50_s, ref_quantile(0.5, c, wt, 1, erlang_mix_ccdf, &e), 1e-2);
            assert_rel(st.p99_s, ref_quantile(0.99, c, wt, 1, erlang_mix_ccdf, &e), 1e-2);
            assert_rel(st.p999_s, ref_quantile(0.999, c, wt, 1, erlang_mix_ccdf, &e), 1e-2);
        }
}

static void test_percentiles_monotone(void **state) {
    (void)state;
    const pkt_size imix[] = {{64, 7}, {576, 4}, {1500, 1}};
    for (int n = 1; n <= LAT_MAX_HOPS; n += 3)
        for (double rho = 0; rho <= 1.2; rho += 0.1) {
            lat_hop h[LAT_MAX_HOPS];
            for (int i = 0; i < n; i++)
                h[i] = hop(10 + 10 * i, 1e-7 * i, rho * (i % 2 ? 0.5 : 1));
            lat_stats st;
            assert_int_equal(latency_stats(h, (size_t)n, imix, 3,
                                           ARRIVALS_POISSON, 1e-6, &st), 0);
            assert_true(st.p50_s <= st.p99_s);
            assert_true(st.p99_s <= st.p999_s);
            assert_true(isfinite(st.p999_s) && st.p50_s >= 1e-6);
        }
}

/* IMIX (weights 7:4:1, not normalised): the mean is the weighted mean of
 * the serialisation plus the P-K wait with the mixture's moments. */
static void test_imix_mean(void **state) {
    (void)state;
    const pkt_size imix[] = {{64, 7}, {576, 4}, {1500, 1}};
    const pkt_size each[3][1] = {{{64, 1}}, {{576, 1}}, {{1500, 1}}};
    lat_hop h0 = hop(10, 1e-6, 0), h = hop(10, 1e-6, 0.6);
    lat_stats st, one;
    double ser = 0, m1 = 0, m2 = 0, weighted = 0;
    for (int i = 0; i < 3; i++) {
        double w = imix[i].weight / 12, s = 8 * imix[i].size_bytes / (10 * GBPS);
        ser += w * s;
        m1 += w * s;
        m2 += w * s * s;
        assert_int_equal(latency_stats(&h0, 1, each[i], 1, ARRIVALS_POISSON, 0, &one), 0);
        weighted += w * one.mean_s;
    }
    assert_int_equal(latency_stats(&h0, 1, imix, 3, ARRIVALS_POISSON, 0, &st), 0);
    assert_rel(st.mean_s, weighted, 1e-12);
    assert_int_equal(latency_stats(&h, 1, imix, 3, ARRIVALS_POISSON, 0, &st), 0);
    assert_rel(st.mean_s, 1e-6 + ser + 0.6 * m2 / (2 * m1 * 0.4), 1e-6);
}

/* Saturated hop: finite; with a buffer the wait is ~uniform on [0, cap]
 * (mean cap/2 +-0.1 %, p999 <= cap + base). Without a buffer, finite too. */
static void test_saturated(void **state) {
    (void)state;
    const pkt_size one[] = {{1500, 1}};
    const double rhos[] = {1.0, 1.5};
    for (int i = 0; i < 2; i++) {
        lat_hop h = hop(100, 0, rhos[i]);
        lat_stats st;
        assert_int_equal(latency_stats(&h, 1, one, 1, ARRIVALS_POISSON, 0, &st), 0);
        double ser = 12000 / (100 * GBPS), cap = 8 * LAT_DEFAULT_BUFFER_BYTES / (100 * GBPS);
        assert_true(isfinite(st.mean_s) && isfinite(st.p999_s));
        assert_rel(st.mean_s - ser, cap / 2, 1e-3);
        assert_rel(st.p50_s - ser, cap / 2, 1e-2);
        assert_true(st.p999_s <= ser + cap * (1 + 1e-9));
        h.buffer_bytes = INFINITY;
        assert_int_equal(latency_stats(&h, 1, one, 1, ARRIVALS_POISSON, 0, &st), 0);
        assert_true(isfinite(st.mean_s) && isfinite(st.p999_s));
    }
}

static void assert_stats_equal(const lat_stats *a, const lat_stats *b, double tol) {
    assert_rel(a->mean_s, b->mean_s, tol);
    assert_rel(a->p50_s, b->p50_s, tol);
    assert_rel(a->p99_s, b->p99_s, tol);
    assert_rel(a->p999_s, b->p999_s, tol);
}

/* One interval (any packet count): identical to latency_stats (1e-12). */
static void test_acc_one_interval(void **state) {
    (void)state;
    const pkt_size imix[] = {{64, 7}, {576, 4}, {1500, 1}};
    lat_hop h[4] = {hop(64, 2e-7, 0.4), hop(25, 1e-6, 0.8), hop(400, 1e-6, 0.2),
                    hop(25, 1e-6, 0.5)};
    lat_stats want, got;
    assert_int_equal(latency_stats(h, 4, imix, 3, ARRIVALS_POISSON, 1e-6, &want), 0);
    lat_acc acc;
    lat_acc_init(&acc);
    assert_int_equal(lat_acc_add(&acc, h, 4, imix, 3, ARRIVALS_POISSON, 1e-6, 12345), 0);
    assert_int_equal(lat_acc_stats(&acc, imix, 3, &got), 0);
    assert_stats_equal(&got, &want, 1e-12);
    /* The same interval repeated is still the same law. */
    for (int i = 0; i < 9; i++)
        assert_int_equal(lat_acc_add(&acc, h, 4, imix, 3, ARRIVALS_POISSON, 1e-6, 12345), 0);
    assert_int_equal(lat_acc_stats(&acc, imix, 3, &got), 0);
    assert_stats_equal(&got, &want, 1e-12);
    assert_true(sizeof(lat_acc) <= 2048);
    lat_acc_free(&acc);
}

/* Two intervals of equal packets at different loads: the mean is the
 * average of the two means (1e-12); percentiles lie between the two. */
static void test_acc_two_intervals(void **state) {
    (void)state;
    const pkt_size one[] = {{1500, 1}};
    lat_hop lo[3] = {hop(25, 1e-6, 0.2), hop(100, 1e-6, 0.1), hop(25, 1e-6, 0.3)};
    lat_hop hi[3] = {hop(25, 1e-6, 0.9), hop(100, 1e-6, 0.7), hop(25, 1e-6, 0.95)};
    lat_stats a, b, mix;
    assert_int_equal(latency_stats(lo, 3, one, 1, ARRIVALS_POISSON, 0, &a), 0);
    assert_int_equal(latency_stats(hi, 3, one, 1, ARRIVALS_POISSON, 0, &b), 0);
    lat_acc acc;
    lat_acc_init(&acc);
    assert_int_equal(lat_acc_add(&acc, lo, 3, one, 1, ARRIVALS_POISSON, 0, 1000), 0);
    assert_int_equal(lat_acc_add(&acc, hi, 3, one, 1, ARRIVALS_POISSON, 0, 1000), 0);
    assert_int_equal(lat_acc_stats(&acc, one, 1, &mix), 0);
    assert_rel(mix.mean_s, 0.5 * (a.mean_s + b.mean_s), 1e-12);
    assert_true(a.p99_s <= mix.p99_s && mix.p99_s <= b.p99_s);
    assert_true(a.p999_s <= mix.p999_s && mix.p999_s <= b.p999_s);
    lat_acc_free(&acc);
}

/* One hop, 200 intervals with loads spread over 0.05..0.95, far more
 * distinct laws than LAT_ACC_STATES: merging keeps the mean exact and the
 * percentiles within 5 % of the exact mixture (measured: see the doc). */
typedef struct interval_mix { const double *rho, *theta; int n; } interval_mix;

static double interval_mix_ccdf(double x, const void *ctx) {
    const interval_mix *m = ctx;
    double tail = 0;
    for (int j = 0; j < m->n; j++) tail += m->rho[j] * exp(-x / m->theta[j]);
    return tail / m->n;
}

static void test_acc_many_intervals(void **state) {
    (void)state;
    enum { N = 200 };
    const pkt_size one[] = {{1500, 1}};
    double rho[N], theta[N], mean = 0;
    lat_acc acc;
    lat_acc_init(&acc);
    for (int j = 0; j < N; j++) {
        lat_hop h = {.capacity_bps = 25 * GBPS, .utilisation = 0.05 + 0.9 * j / (N - 1),
                     .buffer_bytes = INFINITY};
        lat_wait w;
        assert_int_equal(lat_hop_wait(&h, 1500, 1500.0 * 1500, &w), 0);
        rho[j] = w.p_wait;
        theta[j] = w.theta_s;
        mean += w.mean_s / N;
        assert_int_equal(lat_acc_add(&acc, &h, 1, one, 1, ARRIVALS_POISSON, 0, 10), 0);
    }
    interval_mix im = {rho, theta, N};
    lat_stats st;
    assert_int_equal(lat_acc_stats(&acc, one, 1, &st), 0);
    double c[1] = {12000 / (25 * GBPS)}, wt[1] = {1};
    assert_rel(st.mean_s, c[0] + mean, 1e-12);
    assert_rel(st.p99_s, ref_quantile(0.99, c, wt, 1, interval_mix_ccdf, &im), 5e-2);
    assert_rel(st.p999_s, ref_quantile(0.999, c, wt, 1, interval_mix_ccdf, &im), 5e-2);
    lat_acc_free(&acc);
}

/* Correlated hops (issue 17): the sender's and the receiver's ports busy
 * together (both at 0.9) for a share of the packets, idle together for the
 * rest. The law is the mixture of the two route laws: with 60 % of the
 * packets idle, p50 is exactly the no-wait latency; with 10 % busy, the
 * mixture's p99.9 is the busy route's p99 (1 - 0.001/0.1 = 0.99). Mixing
 * each hop over time and convolving the hops as independent (the model
 * before) gave P(no wait) = 0.64^2 = 0.41 < 0.5, a p50 of a busy wait. */
static void test_acc_correlated_hops(void **state) {
    (void)state;
    const pkt_size one[] = {{1500, 1}};
    lat_hop busy[2] = {hop(25, 1e-6, 0.9), hop(25, 1e-6, 0.9)};
    lat_hop idle[2] = {hop(25, 1e-6, 0), hop(25, 1e-6, 0)};
    lat_stats b, i, mix;
    assert_int_equal(latency_stats(busy, 2, one, 1, ARRIVALS_POISSON, 0, &b), 0);
    assert_int_equal(latency_stats(idle, 2, one, 1, ARRIVALS_POISSON, 0, &i), 0);
    lat_acc acc;
    lat_acc_init(&acc);
    for (int k = 0; k < 10; k++)  /* interleaved: 40 % busy */
        assert_int_equal(lat_acc_add(&acc, k % 5 < 2 ? busy : idle, 2, one, 1,
                                     ARRIVALS_POISSON, 0, 100), 0);
    assert_int_equal(lat_acc_stats(&acc, one, 1, &mix), 0);
    assert_rel(mix.mean_s, 0.4 * b.mean_s + 0.6 * i.mean_s, 1e-12);
    /* Exact before the law was stored as a histogram; now within its
     * 2 % bin (util/lhist.h): the idle atom shares a bin with the start of
     * the busy law. */
    assert_rel(mix.p50_s, i.p50_s, 2e-2);
    lat_acc_free(&acc);
    lat_acc_init(&acc);
    for (int k = 0; k < 10; k++)  /* 10 % busy */
        assert_int_equal(lat_acc_add(&acc, k == 3 ? busy : idle, 2, one, 1,
                                     ARRIVALS_POISSON, 0, 100), 0);
    assert_int_equal(lat_acc_stats(&acc, one, 1, &mix), 0);
    assert_rel(mix.p999_s, b.p99_s, 2e-3);
    lat_acc_free(&acc);
}

/* More distinct route states than LAT_ACC_CLUSTERS: two hops that move
 * together through 40 loads (0.02..0.98) and 40 idle intervals. Merging
 * keeps the mean exact and p50 at the no-wait latency (the idle half never
 * merges with a busy state), and p99/p99.9 within 5 % of the exact mixture
 * of the 80 route laws, computed here with one lat_acc per interval. */
static double two_hop_mix_ccdf(double x, const void *ctx) {
    (void)ctx;
    double tail = 0;
    for (int j = 0; j < 40; j++) {
        double rho = 0.02 + 0.96 * j / 39, theta = 12000 / (25 * GBPS) / (2 * (1 - rho));
        double e = exp(-x / theta);
        tail += 2 * rho * (1 - rho) * e + rho * rho * (1 + x / theta) * e;
    }
    return tail / 80;
}

static void test_acc_many_route_states(void **state) {
    (void)state;
    enum { N = 40 };
    const pkt_size one[] = {{1500, 1}};
    lat_acc acc;
    lat_acc_init(&acc);
    lat_stats st, ref;
    double mean = 0;
    lat_hop idle[2] = {hop(25, 0, 0), hop(25, 0, 0)};
    for (int j = 0; j < N; j++) {
        double rho = 0.02 + 0.96 * j / (N - 1);
        lat_hop h[2] = {hop(25, 0, rho), hop(25, 0, rho)};
        h[0].buffer_bytes = h[1].buffer_bytes = INFINITY;
        assert_int_equal(lat_acc_add(&acc, h, 2, one, 1, ARRIVALS_POISSON, 0, 10), 0);
        assert_int_equal(lat_acc_add(&acc, idle, 2, one, 1, ARRIVALS_POISSON, 0, 10), 0);
        assert_int_equal(latency_stats(h, 2, one, 1, ARRIVALS_POISSON, 0, &ref), 0);
        mean += ref.mean_s / N;
    }
    assert_int_equal(lat_acc_stats(&acc, one, 1, &st), 0);
    lat_stats idle_st;
    assert_int_equal(latency_stats(idle, 2, one, 1, ARRIVALS_POISSON, 0, &idle_st), 0);
    assert_rel(st.mean_s, 0.5 * (mean + idle_st.mean_s), 1e-9);
    assert_rel(st.p50_s, idle_st.p50_s, 2e-2);  /* one lhist bin */
    /* The exact mixture: each busy state is two iid (atom 1-rho, then
     * exponential theta) waits, P(W > t) = 2 rho (1-rho) e^(-t/theta) +
     * rho^2 (1 + t/theta) e^(-t/theta); the idle half never waits. */
    double c[1] = {2 * 12000 / (25 * GBPS)}, wt[1] = {1};
    assert_rel(st.p99_s, ref_quantile(0.99, c, wt, 1, two_hop_mix_ccdf, NULL), 5e-2);
    assert_rel(st.p999_s, ref_quantile(0.999, c, wt, 1, two_hop_mix_ccdf, NULL), 5e-2);
    lat_acc_free(&acc);
}

/* Where queues form (latency_feed.h): the receiver's port after the
 * sender's port at the same rate cannot queue; the sender's port, fed by
 * two Poisson sources, can; a constant-rate source alone cannot, two whose
 * rates exceed the link can; a ToR crossbar is looked through; the
 * receiver's port fed by two senders' ports through the ToR can. */
static void test_feed_tandem_and_sources(void **state) {
    (void)state;
    enum { PORT_A = 0, TOR = 1, PORT_B = 2, PORT_C = 3, LINK_X = 4 };
    lat_feed *f = lat_feed_new(5);
    assert_non_null(f);
    const double G = 25e9 / 8;
    int r1[3] = {PORT_A, TOR, PORT_B};
    unsigned char tr[3] = {0, 1, 0};
    double cap[3] = {G, 1e12, G};
    lat_feed_flow(f, r1, tr, cap, 3, INFINITY, 0);
    lat_feed_flow(f, r1, tr, cap, 3, INFINITY, 1);
    assert_true(lat_feed_can_queue(f, PORT_A, G));
    assert_false(lat_feed_can_queue(f, PORT_B, G));
    assert_false(lat_feed_can_queue(f, PORT_B, 2 * G));
    assert_true(lat_feed_can_queue(f, PORT_B, 0.5 * G));   /* a slower port */
    int r2[3] = {PORT_C, TOR, PORT_B};                     /* a second sender */
    lat_feed_flow(f, r2, tr, cap, 3, INFINITY, 2);
    assert_true(lat_feed_can_queue(f, PORT_B, G));
    assert_true(lat_feed_can_queue(f, LINK_X, G));         /* no feeder known */

    lat_feed_reset(f);
    int r3[1] = {LINK_X};
    double c3[1] = {G};
    lat_feed_flow(f, r3, NULL, c3, 1, 0.4 * G, 7);         /* CBR alone */
    assert_false(lat_feed_can_queue(f, LINK_X, G));
    lat_feed_flow(f, r3, NULL, c3, 1, 0.4 * G, 7);         /* same flow again */
    assert_false(lat_feed_can_queue(f, LINK_X, G));
    lat_feed_flow(f, r3, NULL, c3, 1, 0.7 * G, 8);         /* 1.1 G in all */
    assert_true(lat_feed_can_queue(f, LINK_X, G));
    lat_feed_reset(f);
    for (size_t k = 0; k <= LAT_FEED_MAX; k++)             /* many, tiny */
        lat_feed_flow(f, r3, NULL, c3, 1, 1e-3 * G, k);
    assert_true(lat_feed_can_queue(f, LINK_X, G));
    /* A constant-rate flow through a fast PCIe link reaches the port still
     * spaced at its rate: the bounds settle in passes and the port cannot
     * queue; a Poisson source makes PCIe burst at its line rate, and the
     * port can queue. */
    int r4[2] = {PORT_A, PORT_B};
    double c4[2] = {8 * G, G};
    for (int poisson = 0; poisson < 2; poisson++) {
        lat_feed_reset(f);
        int passes = 0;
        do {
            lat_feed_pass(f);
            lat_feed_flow(f, r4, NULL, c4, 2, poisson ? INFINITY : 0.2 * G, 0);
            passes++;
        } while (lat_feed_settle(f) && passes < 10);
        assert_true(passes <= 3);
        assert_int_equal(lat_feed_can_queue(f, PORT_B, G), poisson);
    }
    lat_feed_free(f);
}

static void test_invalid(void **state) {
    (void)state;
    const pkt_size one[] = {{1500, 1}};
    const pkt_size bad[] = {{0, 1}};
    lat_hop h[LAT_MAX_HOPS + 1];
    for (int i = 0; i <= LAT_MAX_HOPS; i++) h[i] = hop(10, 0, 0.5);
    lat_stats st;
    assert_int_equal(latency_stats(h, LAT_MAX_HOPS + 1, one, 1, 0, 0, &st), -EINVAL);
    assert_int_equal(latency_stats(h, 1, one, 0, 0, 0, &st), -EINVAL);
    assert_int_equal(latency_stats(h, 1, bad, 1, 0, 0, &st), -EINVAL);
    assert_int_equal(latency_stats(h, 1, one, 1, 0, -1, &st), -EINVAL);
    h[0].utilisation = NAN;
    assert_int_equal(latency_stats(h, 1, one, 1, 0, 0, &st), -EINVAL);
    h[0] = hop(0, 0, 0.5);
    assert_int_equal(latency_stats(h, 1, one, 1, 0, 0, &st), -EINVAL);

    lat_acc acc;
    lat_acc_init(&acc);
    assert_int_equal(lat_acc_add(&acc, h + 1, 1, one, 1, 0, 0, -1), -EINVAL);
    assert_int_equal(lat_acc_stats(&acc, one, 1, &st), 0);
    assert_true(isnan(st.mean_s) && isnan(st.p50_s) && isnan(st.p999_s));
    lat_acc_free(&acc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_md1_mean),
        cmocka_unit_test(test_mm1_percentiles),
        cmocka_unit_test(test_atom_exact),
        cmocka_unit_test(test_zero_load),
        cmocka_unit_test(test_two_hops_double),
        cmocka_unit_test(test_many_hops_convolution),
        cmocka_unit_test(test_percentiles_monotone),
        cmocka_unit_test(test_imix_mean),
        cmocka_unit_test(test_saturated),
        cmocka_unit_test(test_acc_one_interval),
        cmocka_unit_test(test_acc_two_intervals),
        cmocka_unit_test(test_acc_many_intervals),
        cmocka_unit_test(test_acc_correlated_hops),
        cmocka_unit_test(test_acc_many_route_states),
        cmocka_unit_test(test_feed_tandem_and_sources),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
