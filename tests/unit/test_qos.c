/* test_qos.c -- the QoS closed forms: min/max sharing of a port (alloc.h)
 * and the token bucket (bucket.h). Tolerance 1e-9 relative (exact maths). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "qos/alloc.h"
#include "qos/bucket.h"

#define GBPS(x) ((x) * 1e9 / 8.0)

static void near(double got, double want)
{
    if (!(fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want))))
        fail_msg("got %.12g, want %.12g", got, want);
}

/* Issue 6: minimums 10/5/0 Gb/s on 25 Gb/s, all at line rate: each gets its
 * minimum, the 10 Gb/s left is shared equally (3.33 each), total 25. */
static void test_three_minimums(void **state)
{
    (void)state;
    qos_claim v[3] = {{GBPS(25), GBPS(10), INFINITY},
                      {GBPS(25), GBPS(5), INFINITY},
                      {GBPS(25), 0, INFINITY}};
    double a[3];
    assert_int_equal(qos_allocate(v, 3, GBPS(25), a), 1);
    near(a[0], GBPS(10 + 10.0 / 3));
    near(a[1], GBPS(5 + 10.0 / 3));
    near(a[2], GBPS(10.0 / 3));
    near(a[0] + a[1] + a[2], GBPS(25));
}

/* The first stops (wants nothing): its guarantee is reused. */
static void test_idle_reused(void **state)
{
    (void)state;
    qos_claim v[3] = {{0, GBPS(10), INFINITY},
                      {GBPS(25), GBPS(5), INFINITY},
                      {GBPS(25), 0, INFINITY}};
    double a[3];
    assert_int_equal(qos_allocate(v, 3, GBPS(25), a), 1);
    near(a[0], 0);
    near(a[1], GBPS(15));
    near(a[2], GBPS(10));
}

/* Water filling stops at each VF's want (demand or max). */
static void test_caps_and_demands(void **state)
{
    (void)state;
    qos_claim v[3] = {{GBPS(2), GBPS(1), INFINITY},
                      {INFINITY, 0, GBPS(6)},
                      {INFINITY, GBPS(4), INFINITY}};
    double a[3];
    assert_int_equal(qos_allocate(v, 3, GBPS(25), a), 1);
    near(a[0], GBPS(2));
    near(a[1], GBPS(6));
    near(a[2], GBPS(17));
}

/* Wants that fit: everyone gets what they want, not contended. */
static void test_uncontended(void **state)
{
    (void)state;
    qos_claim v[2] = {{GBPS(8), GBPS(10), INFINITY}, {GBPS(30), 0, GBPS(10)}};
    double a[2];
    assert_int_equal(qos_allocate(v, 2, GBPS(25), a), 0);
    near(a[0], GBPS(8));
    near(a[1], GBPS(10));
}

/* Over-committed minimums (15 + 15 on 25) scale down in proportion. */
static void test_overcommitted(void **state)
{
    (void)state;
    qos_claim v[2] = {{INFINITY, GBPS(15), INFINITY}, {INFINITY, GBPS(15), INFINITY}};
    double a[2];
    assert_int_equal(qos_allocate(v, 2, GBPS(25), a), 1);
    near(a[0], GBPS(12.5));
    near(a[1], GBPS(12.5));
}

/* A full bucket lets a VF send depth bytes above its rate, then the rate:
 * tokens = depth + rate * t - sent, clamped. */
static void test_bucket(void **state)
{
    (void)state;
    token_bucket b;
    tb_init(&b, 1e9, 1e6, 0.0, 0.0);
    near(tb_burst_s(&b, 3e9), 1e6 / 2e9);
    /* sending at 3e9 for the burst empties it exactly */
    double t = 1e6 / 2e9;
    tb_settle(&b, t, 3e9 * t);
    near(b.tokens_bytes, 0);
    near(tb_burst_s(&b, 3e9), 0);
    /* at the rate, tokens stay empty */
    tb_settle(&b, t + 1.0, 3e9 * t + 1e9);
    near(b.tokens_bytes, 0);
    /* idle 0.4 ms refills 0.4 MB; idle long refills only to depth */
    tb_settle(&b, t + 1.0004, 3e9 * t + 1e9);
    near(b.tokens_bytes, 0.4e6);
    tb_settle(&b, t + 5.0, 3e9 * t + 1e9);
    near(b.tokens_bytes, 1e6);
    /* no burst when the peak is not above the rate */
    near(tb_burst_s(&b, 1e9), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_minimums),
        cmocka_unit_test(test_idle_reused),
        cmocka_unit_test(test_caps_and_demands),
        cmocka_unit_test(test_uncontended),
        cmocka_unit_test(test_overcommitted),
        cmocka_unit_test(test_bucket),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
