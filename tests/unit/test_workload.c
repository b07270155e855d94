#define _GNU_SOURCE /* mkstemps */
/* test_workload.c -- workloads: the flow-size laws (a Kolmogorov-Smirnov
 * statistic of the shipped distributions within its critical value, the
 * mean), the start-up term and ideal FCT against hand-worked closed forms,
 * the slowdown histogram's quantiles, the loader's FILE:LINE:COL errors
 * and the /meta/resolved round trip of a workloads section. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/load.h"
#include "scenario/resolved.h"
#include "scenario/wl_load.h"
#include "util/rng.h"
#include "workload/wl_fct.h"

static const char *source_dir(void)
{
    const char *env = getenv("SRIOV_SOURCE_DIR");
    return env ? env : SRIOV_SOURCE_DIR;
}

static void path_in(char *buf, size_t len, const char *rel)
{
    snprintf(buf, len, "%s/%s", source_dir(), rel);
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ---- size laws ----------------------------------------------------------- */

/* n draws through wl_cdf_sample (the generator's path), sorted, against the
 * law's CDF: D = sup |F_n - F|. Sizes are whole bytes, so F is compared
 * just below and at each distinct value. The critical value at 1 % is
 * 1.628 / sqrt(n) (Smirnov's asymptotic law). */
static double ks_statistic(const wl_cdf *c, size_t n, uint64_t seed)
{
    double *x = malloc(n * sizeof *x);
    uint64_t s = seed, rng = rng_splitmix64(&s);
    for (size_t i = 0; i < n; i++)
        x[i] = wl_cdf_sample(c, rng_uniform(&rng));
    qsort(x, n, sizeof *x, dbl_cmp);
    double d = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && x[j] == x[i])
            j++;
        /* rounding to whole bytes: the law's mass on (x - 0.5, x + 0.5] */
        double lo = wl_cdf_at(c, x[i] - 0.5), hi = wl_cdf_at(c, x[i] + 0.5);
        d = fmax(d, fabs((double)i / (double)n - lo));
        d = fmax(d, fabs((double)j / (double)n - hi));
        i = j;
    }
    free(x);
    return d;
}

static void check_dist(const char *name, double mean_bytes)
{
    char path[4096], rel[128];
    snprintf(rel, sizeof rel, "models/workloads/%s.cdf", name);
    path_in(path, sizeof path, rel);
    wl_cdf c;
    diag d;
    diag_init(&d, NULL);
    assert_int_equal(wl_cdf_read(path, &c, &d), 0);
    assert_true(fabs(c.mean_bytes - mean_bytes) < 0.01 * mean_bytes);
    size_t n = 200000;
    double ks = ks_statistic(&c, n, 42);
    print_message("%s: KS D = %.5f, critical 1%% = %.5f\n", name, ks, 1.628 / sqrt((double)n));
    assert_true(ks < 1.628 / sqrt((double)n));
    free(c.size_bytes);
    free(c.p);
}

static void test_shipped_laws(void **state)
{
    (void)state;
    check_dist("websearch", 1.71125e6);
    check_dist("datamining", 5.0365e6);
    check_dist("hadoop", 120420.75);
}

/* A sampler that ignored the interpolation (always the upper point) must
 * fail the same statistic: the test can tell. */
static void test_ks_detects_a_wrong_law(void **state)
{
    (void)state;
    double xs[] = {0, 10000, 30000000}, ps[] = {0, 0.5, 1};
    double xw[] = {0, 20000, 30000000};
    wl_cdf right = {xs, ps, 3, 0}, wrong = {xw, ps, 3, 0};
    size_t n = 50000;
    double *x = malloc(n * sizeof *x);
    uint64_t s = 1, rng = rng_splitmix64(&s);
    for (size_t i = 0; i < n; i++)
        x[i] = wl_cdf_sample(&wrong, rng_uniform(&rng));
    qsort(x, n, sizeof *x, dbl_cmp);
    double d = 0;
    for (size_t i = 0; i < n; i++)
        d = fmax(d, fabs((double)(i + 1) / (double)n - wl_cdf_at(&right, x[i])));
    free(x);
    assert_true(d > 1.628 / sqrt((double)n));
}

static void test_cdf_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *expect;
    } cases[] = {
        {"0 0\n10 0.5\n5 1\n", "cdf:3:1: error: sizes must strictly increase"},
        {"0 0\n10 0.5\n20 0.4\n30 1\n", "cdf:3:1: error: probability decreases"},
        {"0 0\n10 50\n", "cdf:2:1: error: probability outside [0, 1]"},
        {"0 0\n10 0.5\n", "error: the last probability is not 1"},
        {"# only\n1 1\n", "error: a CDF needs at least 2 points"},
        {"0 0\n10 x\n", "cdf:2:4: error: expected a cumulative probability"},
        {"0 0\n-1 1\n", "cdf:2:1: error: expected a size in bytes"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[] = "/tmp/wl-test-XXXXXX.cdf";
        int fd = mkstemps(path, 4);
        assert_true(fd >= 0);
        FILE *f = fdopen(fd, "w");
        fputs(cases[i].text, f);
        fclose(f);
        FILE *out = tmpfile();
        diag d;
        diag_init(&d, out);
        wl_cdf c;
        assert_int_equal(wl_cdf_read(path, &c, &d), -1);
        char text[1024] = "";
        rewind(out);
        text[fread(text, 1, sizeof text - 1, out)] = '\0';
        fclose(out);
        unlink(path);
        if (!strstr(text, cases[i].expect))
            fail_msg("case %zu: '%s' lacks '%s'", i, text, cases[i].expect);
    }
}

/* ---- FCT arithmetic -------------------------------------------------------- */

static void test_startup_closed_form(void **state)
{
    (void)state;
    /* 25 Gb/s = 3.125e9 B/s, RTT 10 us: rate x RTT = 31,250 B; w0 = 10 x
     * 1460 = 14,600 B; k = ceil(log2(2.14)) = 2 rounds, S = 3 w0 = 43,800 B.
     * Slow start to rate x RTT (no early exit: exit_bytes 0). */
    double r = 3.125e9, rtt = 10e-6, w0 = 14600;
    /* 1 MB > S: k RTT - S / rate = 20 us - 14.016 us */
    assert_true(fabs(wl_startup_s(1e6, r, rtt, w0, 0) - (20e-6 - 43800 / r)) < 1e-15);
    /* 10 kB fits the first window: nothing lost */
    assert_true(wl_startup_s(10000, r, rtt, w0, 0) == 0);
    /* 20 kB ends in round 2: 1 RTT - w0 / rate */
    assert_true(fabs(wl_startup_s(20000, r, rtt, w0, 0) - (10e-6 - w0 / r)) < 1e-15);
    /* exactly S: ends in round 2 too (w0 (2^2 - 1) = S) */
    assert_true(fabs(wl_startup_s(43800, r, rtt, w0, 0) - (10e-6 - w0 / r)) < 1e-15);
    /* a window that covers rate x RTT, or no window: 0 */
    assert_true(wl_startup_s(1e6, r, rtt, 40000, 0) == 0);
    assert_true(wl_startup_s(1e6, r, rtt, 0, 0) == 0);
    /* ideal = size / rate + one way + the term; 1518-byte segments: the
     * early exit at 16 x 1518 = 24,288 B: windows 14,600, 29,200 (the
     * first at or above it), then 30,660 < 31,250, 32,193: k = 3 rounds,
     * S = 74,460 B */
    double ideal = wl_ideal_fct_s(1e6, r, 5e-6, rtt, w0, 1518);
    assert_true(fabs(ideal - (1e6 / r + 5e-6 + 30e-6 - 74460 / r)) < 1e-15);
    /* a flow moved alone at that rate reports the same FCT: slowdown 1 */
    assert_true(fabs(wl_fct_s(1e6, 1e6 / r, 5e-6, rtt, w0, 1518, 0) / ideal - 1) < 1e-12);
    /* half the rate: a longer transfer, a smaller start-up loss */
    double slow = wl_fct_s(1e6, 2e6 / r, 5e-6, rtt, w0, 1518, 0);
    assert_true(slow > 1.9 * ideal && slow < 2.0 * ideal);
}

/* Slow start's early exit (CUBIC's HyStart under a 2 ms RTT, wl_fct.h):
 * doubling up to the first round at or above 16 segments, then 5 % a
 * round until the window covers rate x RTT. */
static void test_startup_early_exit(void **state)
{
    (void)state;
    double seg = 1058, w0 = 10 * seg, r = 1.25e9, rtt = 87e-6;
    /* the exit window: 16 segments under 2 ms, none above; none for
     * slow_start: classic (segment 0) */
    assert_true(wl_ss_exit_bytes(87e-6, seg) == 16 * seg);
    assert_true(wl_ss_exit_bytes(2e-3, seg) == 0);
    assert_true(wl_ss_exit_bytes(0, seg) == 0);
    assert_true(wl_ss_exit_bytes(87e-6, 0) == 0);
    /* 10 Gb/s behind an 87 us RTT (a receiver's busy uplink delaying the
     * ACKs): rate x RTT = 108,750 B = 102.8 segments. Windows 10, 20, then
     * 20 x 1.05^i up to the first >= 102.8: 1.05^i >= 5.14, i = 34
     * (1.05^33 = 5.003, 1.05^34 = 5.253). Below rate x RTT: 10 and
     * 20 x 1.05^0..33, k = 35 rounds, S = 10 + 20 (1.05^34 - 1) / 0.05
     * segments. */
    double S = (10 + 20 * (pow(1.05, 34) - 1) / 0.05) * seg;
    double lost = wl_startup_s(10e6, r, rtt, w0, 16 * seg);
    assert_true(fabs(lost - (35 * rtt - S / r)) < 1e-12);
    /* 1.60 ms: ns-3's TcpCubic lost 1.6-2.0 ms there (docs/granularity.md) */
    assert_true(lost > 1.55e-3 && lost < 1.65e-3);
    /* without the exit: 10, 20, 40, 80 segments, S = 150, k = 4 */
    assert_true(fabs(wl_startup_s(10e6, r, rtt, w0, 0) - (4 * rtt - 150 * seg / r)) < 1e-12);
    /* a flow that ends during the slow growth: 1 MB = 945.2 segments;
     * 10 + 20 (1.05^j - 1) / 0.05 >= 945.2 first at j = 25 (1.05^24 =
     * 3.225: 899.0; 1.05^25 = 3.386: 964.5): it ends in round 26 after
     * 26 RTT, having sent 10 + 20 (1.05^24 - 1) / 0.05 segments before */
    double before = (10 + 20 * (pow(1.05, 24) - 1) / 0.05) * seg;
    assert_true(fabs(wl_startup_s(1e6, r, rtt, w0, 16 * seg) - (25 * rtt - before / r)) < 1e-12);
    /* a first window of 16 segments or more: one doubling before the exit
     * is seen (the next round's first ACK): 16, 32, then 33.6 ... */
    double w16 = 16 * seg;
    double sum = w16 + 32 * seg, w = 32 * seg * 1.05;
    int k = 2;
    for (; w < r * rtt; w *= 1.05, k++)
        sum += w;
    assert_true(fabs(wl_startup_s(1e7, r, rtt, w16, 16 * seg) - (k * rtt - sum / r)) < 1e-12);
    /* a path whose rate x RTT is under the exit window: as before */
    assert_true(wl_startup_s(1e6, r, 4e-6, w0, 16 * seg) == 0);
}

/* The standing queue of n long TCP flows at a drop-tail port (wl_fct.h):
 * buffer B, bandwidth-delay product P. Windows sum to P + Q; a loss at
 * Q = B halves one flow's window, (P + B) / n, so Q swings from
 * B - (P + B) / (2n) to B. */
static void test_standing_queue_closed_form(void **state)
{
    (void)state;
    double B = 100e3, P = 5e3;
    /* nobody else on the port: no queue */
    assert_true(wl_standing_queue_bytes(B, P, 0) == 0);
    /* one flow: from (B - P) / 2 = 47.5 kB to B, mean 73.75 kB */
    assert_true(fabs(wl_standing_queue_bytes(B, P, 1) - 73750) < 1e-9);
    /* four: from B - 105 kB / 8 = 86.875 kB to B, mean 93.4375 kB */
    assert_true(fabs(wl_standing_queue_bytes(B, P, 4) - 93437.5) < 1e-9);
    /* many flows: the queue stays full (Appenzeller et al. 2004) */
    assert_true(fabs(wl_standing_queue_bytes(B, P, 1e6) / B - 1) < 1e-6);
    /* a buffer smaller than the BDP: the minimum clamps at an empty queue */
    assert_true(fabs(wl_standing_queue_bytes(1e3, 9e3, 1) - 500) < 1e-9);
    /* in a flow's FCT: the queue met at its start delays its pipeline
     * once and lengthens each start-up round trip. 10 Gb/s, 1.25e9 B/s:
     * a 1 MB flow at half the rate, base RTT 4 us, w0 10 kB; 80 us of
     * queue: RTT 84 us, share x RTT = 52.5 kB, k = 3 rounds, S = 70 kB:
     * loses 3 x 84 us - 70 kB / 625 MB/s = 140 us. */
    double r = 0.625e9, fct = wl_fct_s(1e6, 1e6 / r, 2e-6, 4e-6, 1e4, 0, 80e-6);
    assert_true(fabs(fct - (1e6 / r + 2e-6 + 80e-6 + 3 * 84e-6 - 7e4 / r)) < 1e-15);
    /* with 1000-byte segments the exit at 16 kB: windows 10, 20, 21,
     * 22.05, 23.15, 24.31, 25.53, 26.80, 28.14, 29.55, 31.03 (x 1.05^i)
     * ... up to the first >= 52.5 kB: 20 x 1.05^i >= 52.5 at i = 20
     * (1.05^19 = 2.527, 1.05^20 = 2.653): k = 21 rounds */
    double S = 1e4 + 2e4 * (pow(1.05, 20) - 1) / 0.05;
    fct = wl_fct_s(1e6, 1e6 / r, 2e-6, 4e-6, 1e4, 1000, 80e-6);
    assert_true(fabs(fct - (1e6 / r + 2e-6 + 80e-6 + 21 * 84e-6 - S / r)) < 1e-12);
}

/* Header overhead: each segment of at most MSS payload bytes is a frame
 * with 58 B of TCP, IPv4 and Ethernet headers and FCS. */
static void test_wire_bytes(void **state)
{
    (void)state;
    /* 1 MB in 1460-byte segments: ceil(684.93) = 685 frames */
    assert_true(wl_wire_bytes(1e6, 1460) == 1e6 + 685 * 58.0);
    /* exactly one full segment: the 1518-byte frame of a 1500-byte MTU */
    assert_true(wl_wire_bytes(1460, 1460) == 1518);
    /* one byte: one frame */
    assert_true(wl_wire_bytes(1, 1460) == 59);
    assert_true(wl_wire_bytes(0, 1460) == 0);
    /* a large flow's goodput at 10 Gb/s, 20 B of preamble and gap per frame:
     * 1460 / 1538 of the line (9.493 Gb/s) */
    double frames = wl_wire_bytes(1460e6, 1460) / 1518;
    double wire_s = frames * 1538 * 8 / 10e9;
    assert_true(fabs(1460e6 * 8 / wire_s / 1e9 - 9.4928) < 1e-4);
}

static void test_buckets(void **state)
{
    (void)state;
    assert_int_equal(wl_bucket_of(50), 0);
    assert_int_equal(wl_bucket_of(100), 1);
    assert_int_equal(wl_bucket_of(999), 2);
    assert_int_equal(wl_bucket_of(1000), 3);
    assert_int_equal(wl_bucket_of(1e6), 9);
    assert_int_equal(wl_bucket_of(1e12), WL_N_BUCKETS - 1);
    for (int b = 1; b < WL_N_BUCKETS - 1; b++) {
        assert_int_equal(wl_bucket_of(wl_bucket_lo(b) * 1.0001), b);
        assert_int_equal(wl_bucket_of(wl_bucket_hi(b) * 0.9999), b);
    }
}

static void test_hist_quantiles(void **state)
{
    (void)state;
    wl_hist h = {0};
    /* 1..1000 uniformly: the q-quantile is 1000 q, to 0.25 % */
    for (int i = 1; i <= 100000; i++)
        assert_int_equal(wl_hist_add(&h, 1 + 999.0 * (i - 0.5) / 100000), 0);
    double q[] = {0.5, 0.99, 0.999};
    for (size_t i = 0; i < 3; i++) {
        double want = 1 + 999.0 * q[i];
        assert_true(fabs(wl_hist_quantile(&h, q[i]) / want - 1) < 0.0026);
    }
    wl_hist_free(&h);
    wl_hist one = {0};
    wl_hist_add(&one, 1.0);
    assert_true(wl_hist_quantile(&one, 0.99) == 1.0);
    wl_hist_free(&one);
}

/* ---- loader ------------------------------------------------------------------- */

#define HEAD                                                                              \
    "name: w\nsimulation: { duration: 1s }\n"                                             \
    "fabric: { racks: [{ name: r1, hosts: [h1] }, { name: r2, hosts: [h2] }] }\n"        \
    "hosts:\n  - { name: h1, tags: [t], adapters: [{ name: nic0, model: intel-e810, num_vfs: 2 }] }\n" \
    "  - { name: h2, adapters: [{ name: nic0, model: intel-e810, num_vfs: 2 }] }\n"        \
    "vms:\n  - { name: a, host: h1, nics: [{ name: eth0, adapter: nic0 }] }\n"             \
    "  - { name: b, host: h2, tags: [u], nics: [{ name: eth0, adapter: nic0 }] }\n"

static int load(const char *yaml, scenario_config *cfg, char *text, size_t len)
{
    char models[4096];
    path_in(models, sizeof models, "models");
    FILE *f = tmpfile();
    diag d;
    diag_init(&d, f);
    int rc = scenario_load_text(yaml, strlen(yaml), "t.yaml", models, cfg, &d);
    rewind(f);
    text[fread(text, 1, len - 1, f)] = '\0';
    fclose(f);
    return rc;
}

static void test_loader_errors(void **state)
{
    (void)state;
    static const struct {
        const char *wl, *expect;
    } cases[] = {
        {"  - { name: x, from: { hosts: \"z*\" }, to: { vms: b }, size: 1MB, load: 0.1 }\n",
         "t.yaml:11:31: error: 'z*' matches no host"},
        {"  - { name: x, from: { hosts: h1, vms: a }, to: { vms: b }, size: 1MB, load: 0.1 }\n",
         "t.yaml:11:22: error: a selector names exactly one of racks, hosts, vms, nics"},
        {"  - { name: x, from: { vms: a }, to: { vms: b }, load: 0.1 }\n",
         "t.yaml:11:5: error: workload 'x' needs exactly one of 'size', 'size_dist', 'size_cdf'"},
        {"  - { name: x, from: { vms: a }, to: { vms: b }, size_dist: nope, load: 0.1 }\n",
         "t.yaml:11:61: error: no flow-size distribution 'nope'"},
        {"  - { name: x, from: { vms: a }, to: { vms: b }, size_cdf: ../x.cdf, load: 0.1 }\n",
         "t.yaml:11:60: error: size_cdf '../x.cdf' must be a relative path without '..'"},
        {"  - { name: x, from: { vms: a }, to: { vms: b }, size: 1MB, load: 0.1, flow_rate: 1Hz }\n",
         "error: workload 'x' needs exactly one of 'load', 'flow_rate'"},
        {"  - { name: x, from: { vms: a }, to: { vms: a }, size: 1MB, load: 0.1 }\n",
         "error: workload 'x' sends only to itself"},
        {"  - { name: x, from: { vms: a }, to: { vms: b }, pattern: incast, fan_in: 2, size: 1MB, "
         "load: 0.1 }\n",
         "error: fan_in 2 is more than the 1 senders"},
        {"  - { name: x, from: { vms: a, tag: u }, to: { vms: b }, size: 1MB, load: 0.1 }\n",
         "t.yaml:11:22: error: the selector picks no VM NIC"},
        {"  - { name: x, from: { vms: a }, to: { vms: b }, size: 1MB, load: 0.1, stop: 2s }\n",
         "error: workload 'x' window [0s, 2s) is empty or past the end (1s)"},
        {"  - { name: x, from: { vms: a }, to: { vms: b }, size: 1MB, load: 0.1, colour: red }\n",
         "error: unknown key 'colour'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[2048], text[2048];
        snprintf(yaml, sizeof yaml, HEAD "workloads:\n%s", cases[i].wl);
        scenario_config cfg;
        assert_int_equal(load(yaml, &cfg, text, sizeof text), -1);
        if (!strstr(text, cases[i].expect))
            fail_msg("case %zu: '%s' lacks '%s'", i, text, cases[i].expect);
    }
}

static void test_selectors_and_round_trip(void **state)
{
    (void)state;
    const char *yaml = HEAD "workloads:\n"
        "  - { name: x, from: { racks: \"r*\" }, to: { nics: [\"b.eth*\"], tag: u }, "
        "pattern: uniform, rack_local: 0.25, size_dist: hadoop, load: 0.3, start: 0.1s, "
        "rate_cap: 5Gbps, initial_window: 4, mss: 9000B, max_flows: 77 }\n"
        "  - { name: y, from: { hosts: h1, tag: t }, to: { vms: [a, b] }, pattern: incast, "
        "fan_in: 1, size: 4kB, flow_rate: 2.5kHz, record_flows: false }\n";
    scenario_config first, second;
    char text[2048];
    if (load(yaml, &first, text, sizeof text) != 0)
        fail_msg("%s", text);
    assert_int_equal(first.n_workloads, 2);
    const workload_config *x = &first.workloads[0], *y = &first.workloads[1];
    assert_int_equal(x->n_senders, 2);
    assert_int_equal(x->n_receivers, 1);
    assert_int_equal(x->receivers[0].vm_idx, 1);
    assert_int_equal(y->n_senders, 1);
    assert_int_equal(y->senders[0].vm_idx, 0);
    char *resolved = config_to_yaml(&first);
    if (load(resolved, &second, text, sizeof text) != 0)
        fail_msg("resolved does not load: %s\n%s", text, resolved);
    assert_int_equal(second.n_workloads, 2);
    for (size_t k = 0; k < 2; k++) {
        const workload_config *a = &first.workloads[k], *b = &second.workloads[k];
        assert_string_equal(a->name, b->name);
        assert_int_equal(a->n_senders, b->n_senders);
        assert_int_equal(a->n_receivers, b->n_receivers);
        assert_int_equal(a->pattern, b->pattern);
        assert_true(a->rack_local == b->rack_local && a->fan_in == b->fan_in);
        assert_int_equal(a->size_kind, b->size_kind);
        assert_true(wl_mean_size_bytes(a) == wl_mean_size_bytes(b));
        assert_true(a->load == b->load && a->flow_rate_hz == b->flow_rate_hz);
        assert_true(a->start_s == b->start_s && a->stop_s == b->stop_s);
        assert_true(a->rate_cap_bps == b->rate_cap_bps && a->mss_bytes == b->mss_bytes);
        assert_true(a->initial_window == b->initial_window && a->max_flows == b->max_flows);
        assert_true(a->record_flows == b->record_flows);
    }
    free(resolved);
    config_free(&first);
    config_free(&second);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_laws),
        cmocka_unit_test(test_ks_detects_a_wrong_law),
        cmocka_unit_test(test_cdf_errors),
        cmocka_unit_test(test_startup_closed_form),
        cmocka_unit_test(test_startup_early_exit),
        cmocka_unit_test(test_standing_queue_closed_form),
        cmocka_unit_test(test_wire_bytes),
        cmocka_unit_test(test_buckets),
        cmocka_unit_test(test_hist_quantiles),
        cmocka_unit_test(test_loader_errors),
        cmocka_unit_test(test_selectors_and_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
