/* test_qos_hosts.c -- the QoS planner with host caps (qos_allocate_grouped,
 * alloc.h): a multi-host adapter's port shared max-min with floors under the
 * port and each host's host_max_rate (docs/multi-host.md). Closed forms,
 * tolerance 1e-9 relative (exact maths). Rates in Gb/s via GBPS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "qos/alloc.h"

#define GBPS(x) ((x) * 1e9 / 8.0)
#define INF INFINITY

static void near(double got, double want)
{
    if (!(fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want))))
        fail_msg("got %.12g, want %.12g", got, want);
}

/* Host A capped at 50 (4 VFs x 25), host B uncapped (1 VF x 25, no
 * minimum), port 100: the cap binds below the port, A's VFs 12.5 each, B
 * its 25; a limit binds (1). */
static void test_cap_below_port(void **state)
{
    (void)state;
    qos_claim v[5] = {{GBPS(25), 0, INF}, {GBPS(25), 0, INF}, {GBPS(25), 0, INF},
                      {GBPS(25), 0, INF}, {GBPS(25), 0, INF}};
    qos_member m[5] = {{0, 1}, {0, 1}, {0, 1}, {0, 1}, {-1, 1}};
    qos_group g[1] = {{.cap_Bps = GBPS(50)}};
    double a[5];
    assert_int_equal(qos_allocate_grouped(v, m, 5, GBPS(100), g, 1, a), 1);
    for (int i = 0; i < 4; i++)
        near(a[i], GBPS(12.5));
    near(a[4], GBPS(25));
    assert_int_equal(g[0].overcommitted, 0);
}

/* The case (tests/e2e/scenarios/mh_hostcap_min.yaml): A capped at
 * 50 with 4 VFs x 25 and a VF of 10 switched to B by the eSwitch (charge 0:
 * never crosses the cap); B's guaranteed VF (min 5, wants 25); port 98.684
 * (100 Gb/s of 1500 B frames). Floors 5; steps: the local VF stops at 10,
 * A's at 12.5 (cap full), B's goes on to its 25. The host-unaware planner
 * (qos_allocate) gives B's VF 5 + 16.7 = 21.7 because it plans A's VFs
 * 16.7 each, which the cap never lets them use. */
static void test_guarantee_beside_capped_host(void **state)
{
    (void)state;
    double port = GBPS(100 * 1500.0 / 1520.0);
    qos_claim v[6] = {{GBPS(25), 0, INF}, {GBPS(25), 0, INF}, {GBPS(25), 0, INF},
                      {GBPS(25), 0, INF}, {GBPS(10), 0, INF}, {GBPS(25), GBPS(5), INF}};
    qos_member m[6] = {{0, 1}, {0, 1}, {0, 1}, {0, 1}, {0, 0}, {-1, 1}};
    qos_group g[1] = {{.cap_Bps = GBPS(50)}};
    double a[6], old[6];
    assert_int_equal(qos_allocate_grouped(v, m, 6, port, g, 1, a), 1);
    for (int i = 0; i < 4; i++)
        near(a[i], GBPS(12.5));
    near(a[4], GBPS(10));
    near(a[5], GBPS(25));
    qos_allocate(v, 6, port, old);
    near(old[5], GBPS(5) + (port - GBPS(15)) / 5);
    assert_true(old[5] < GBPS(22));
}

/* A guaranteed VF on the capped host: A capped at 50, a1 min 20 of 25, a2..a4
 * 25 each; B 25: a1 reaches its 25 after 5 of equal steps, the others share
 * what is left of the cap: (50 - 25) / 3; B its 25; port 100 not full. */
static void test_guarantee_on_capped_host(void **state)
{
    (void)state;
    qos_claim v[5] = {{GBPS(25), GBPS(20), INF}, {GBPS(25), 0, INF}, {GBPS(25), 0, INF},
                      {GBPS(25), 0, INF}, {GBPS(25), 0, INF}};
    qos_member m[5] = {{0, 1}, {0, 1}, {0, 1}, {0, 1}, {-1, 1}};
    qos_group g[1] = {{.cap_Bps = GBPS(50)}};
    double a[5];
    assert_int_equal(qos_allocate_grouped(v, m, 5, GBPS(100), g, 1, a), 1);
    near(a[0], GBPS(25));
    for (int i = 1; i < 4; i++)
        near(a[i], GBPS(25.0 / 3));
    near(a[4], GBPS(25));
}

/* Both limits bind, elastic VFs: A capped at 50 (a1 min 20, a2), B
 * uncapped (b1 min 10, b2), port 100. Floors 30; steps of 15 fill A
 * (a1 35, a2 15), then B's two share the port's last 10: b1 30, b2 20. */
static void test_cap_then_port(void **state)
{
    (void)state;
    qos_claim v[4] = {{INF, GBPS(20), INF}, {INF, 0, INF}, {INF, GBPS(10), INF}, {INF, 0, INF}};
    qos_member m[4] = {{0, 1}, {0, 1}, {-1, 1}, {-1, 1}};
    qos_group g[1] = {{.cap_Bps = GBPS(50)}};
    double a[4];
    assert_int_equal(qos_allocate_grouped(v, m, 4, GBPS(100), g, 1, a), 1);
    near(a[0], GBPS(35));
    near(a[1], GBPS(15));
    near(a[2], GBPS(30));
    near(a[3], GBPS(20));
    near(a[0] + a[1] + a[2] + a[3], GBPS(100));
}

/* Two hosts with different caps and one uncapped, all elastic: A at 30
 * (a1 min 10, a2), B at 50 (b1, b2), C (c1), port 100. Floors 10; steps of
 * 10 fill A (a1 20, a2 10); the port's last 70 goes to b1, b2, c1 equally
 * (23.3 each: B's 46.7 stays under its 50). Then the same with B at 40:
 * B fills first (20 each), C takes the rest (30). */
static void test_two_caps(void **state)
{
    (void)state;
    qos_claim v[5] = {{INF, GBPS(10), INF}, {INF, 0, INF}, {INF, 0, INF}, {INF, 0, INF},
                      {INF, 0, INF}};
    qos_member m[5] = {{0, 1}, {0, 1}, {1, 1}, {1, 1}, {-1, 1}};
    qos_group g[2] = {{.cap_Bps = GBPS(30)}, {.cap_Bps = GBPS(50)}};
    double a[5];
    assert_int_equal(qos_allocate_grouped(v, m, 5, GBPS(100), g, 2, a), 1);
    near(a[0], GBPS(20));
    near(a[1], GBPS(10));
    for (int i = 2; i < 5; i++)
        near(a[i], GBPS(70.0 / 3));
    g[1].cap_Bps = GBPS(40);
    assert_int_equal(qos_allocate_grouped(v, m, 5, GBPS(100), g, 2, a), 1);
    near(a[0], GBPS(20));
    near(a[1], GBPS(10));
    near(a[2], GBPS(20));
    near(a[3], GBPS(20));
    near(a[4], GBPS(30));
}

/* Wants that fit under every cap and the port: each its want, not
 * contended (0), as qos_allocate. */
static void test_uncontended(void **state)
{
    (void)state;
    qos_claim v[3] = {{GBPS(10), GBPS(5), INF}, {GBPS(10), 0, INF}, {GBPS(20), 0, GBPS(30)}};
    qos_member m[3] = {{0, 1}, {0, 1}, {-1, 1}};
    qos_group g[1] = {{.cap_Bps = GBPS(50)}};
    double a[3];
    assert_int_equal(qos_allocate_grouped(v, m, 3, GBPS(100), g, 1, a), 0);
    near(a[0], GBPS(10));
    near(a[1], GBPS(10));
    near(a[2], GBPS(20));
}

/* A VF whose flows half cross the cap (charge 0.5: half its bytes switched
 * locally): A capped at 10 with a1 (charge 0.5) and a2 (charge 1), both
 * elastic, B's b1 min 1 elastic, port 100. Steps: A fills when
 * 1.5 x step = 10, a1 = a2 = 20/3; b1 the rest, 100 - 40/3. */
static void test_partial_charge(void **state)
{
    (void)state;
    qos_claim v[3] = {{INF, 0, INF}, {INF, 0, INF}, {INF, GBPS(1), INF}};
    qos_member m[3] = {{0, 0.5}, {0, 1}, {-1, 1}};
    qos_group g[1] = {{.cap_Bps = GBPS(10)}};
    double a[3];
    assert_int_equal(qos_allocate_grouped(v, m, 3, GBPS(100), g, 1, a), 1);
    near(a[0], GBPS(20.0 / 3));
    near(a[1], GBPS(20.0 / 3));
    near(a[2], GBPS(100 - 40.0 / 3));
}

/* A host's minimums above its cap (a live migration can bring that at run
 * time; refused at load otherwise): scaled down in proportion to the cap,
 * flagged; the other host's VF takes the rest of the port. */
static void test_host_overcommitted(void **state)
{
    (void)state;
    qos_claim v[3] = {{INF, GBPS(8), INF}, {INF, GBPS(8), INF}, {INF, 0, INF}};
    qos_member m[3] = {{0, 1}, {0, 1}, {-1, 1}};
    qos_group g[1] = {{.cap_Bps = GBPS(10)}};
    double a[3];
    assert_int_equal(qos_allocate_grouped(v, m, 3, GBPS(100), g, 1, a), 1);
    near(a[0], GBPS(5));
    near(a[1], GBPS(5));
    near(a[2], GBPS(90));
    assert_int_equal(g[0].overcommitted, 1);
}

/* Without a capped member the result is qos_allocate's (the cases of
 * test_qos.c, and minimums above the port). */
static void test_no_group_is_plain(void **state)
{
    (void)state;
    const qos_claim cases[4][3] = {
        {{GBPS(25), GBPS(10), INF}, {GBPS(25), GBPS(5), INF}, {GBPS(25), 0, INF}},
        {{0, GBPS(10), INF}, {GBPS(25), GBPS(5), INF}, {GBPS(25), 0, INF}},
        {{GBPS(2), GBPS(1), INF}, {INF, 0, GBPS(6)}, {INF, GBPS(4), INF}},
        {{INF, GBPS(15), INF}, {INF, GBPS(15), INF}, {GBPS(1), 0, INF}},
    };
    qos_member m[3] = {{-1, 1}, {0, 0}, {-1, 1}};   /* charge 0: not capped */
    qos_group g[1] = {{.cap_Bps = GBPS(1)}};
    for (int k = 0; k < 4; k++) {
        double a[3], b[3];
        int ca = qos_allocate_grouped(cases[k], m, 3, GBPS(25), g, 1, a);
        int cb = qos_allocate(cases[k], 3, GBPS(25), b);
        assert_int_equal(ca, cb);
        for (int i = 0; i < 3; i++)
            near(a[i], b[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cap_below_port),
        cmocka_unit_test(test_guarantee_beside_capped_host),
        cmocka_unit_test(test_guarantee_on_capped_host),
        cmocka_unit_test(test_cap_then_port),
        cmocka_unit_test(test_two_caps),
        cmocka_unit_test(test_uncontended),
        cmocka_unit_test(test_partial_charge),
        cmocka_unit_test(test_host_overcommitted),
        cmocka_unit_test(test_no_group_is_plain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
