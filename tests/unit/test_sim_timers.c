/* test_sim_timers.c -- the engine's timer heap (src/sim/timers.h): times
 * in order, equal times first-in first-out, growth past its first
 * allocation, and what runs_due leaves for later. No SimGrid needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "sim/timers.h"

#define LOG_MAX 2048

/* What the callbacks saw, in call order. */
typedef struct run_log {
    size_t n;
    int id[LOG_MAX];
    double time_s[LOG_MAX];
} run_log;

static run_log g_log;
static double g_now;

static void record(sim_ctx *c, void *arg)
{
    (void)c;
    g_log.time_s[g_log.n] = g_now;
    g_log.id[g_log.n++] = (int)(intptr_t)arg;
}

static int setup(void **state)
{
    (void)state;
    memset(&g_log, 0, sizeof g_log);
    g_now = 0;
    return 0;
}

static void test_empty(void **state)
{
    (void)state;
    sim_ctx c = {0};
    assert_true(isinf(timers_next(&c)));
    timers_run_due(&c, 1e9);
    assert_int_equal(g_log.n, 0);
    timers_free(&c);
}

/* Scheduled out of order, run in time order. */
static void test_time_order(void **state)
{
    (void)state;
    sim_ctx c = {0};
    const double t[] = {5, 1, 4, 2, 3, 0.5};
    for (int i = 0; i < 6; i++)
        assert_int_equal(sim_schedule(&c, t[i], record, (void *)(intptr_t)i), 0);
    assert_true(timers_next(&c) == 0.5);
    timers_run_due(&c, 10);
    const int want[] = {5, 1, 3, 4, 2, 0};
    assert_int_equal(g_log.n, 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(g_log.id[i], want[i]);
    assert_int_equal(c.n_timers, 0);
    timers_free(&c);
}

/* Equal times run in insertion order, also interleaved with others. */
static void test_fifo_ties(void **state)
{
    (void)state;
    sim_ctx c = {0};
    for (int i = 0; i < 40; i++)
        assert_int_equal(sim_schedule(&c, (i % 2) ? 7.0 : 3.0, record, (void *)(intptr_t)i), 0);
    timers_run_due(&c, 10);
    assert_int_equal(g_log.n, 40);
    /* first the 20 even ids at 3 s in order, then the 20 odd ones at 7 s */
    for (int k = 0; k < 20; k++) {
        assert_int_equal(g_log.id[k], 2 * k);
        assert_int_equal(g_log.id[20 + k], 2 * k + 1);
    }
    timers_free(&c);
}

/* Only what is due runs; the rest stays, the earliest first. */
static void test_runs_only_due(void **state)
{
    (void)state;
    sim_ctx c = {0};
    sim_schedule(&c, 2.0, record, (void *)(intptr_t)2);
    sim_schedule(&c, 1.0, record, (void *)(intptr_t)1);
    sim_schedule(&c, 3.0, record, (void *)(intptr_t)3);
    timers_run_due(&c, 2.0);
    assert_int_equal(g_log.n, 2);
    assert_int_equal(g_log.id[0], 1);
    assert_int_equal(g_log.id[1], 2);
    assert_int_equal(c.n_timers, 1);
    assert_true(timers_next(&c) == 3.0);
    timers_free(&c);
    assert_int_equal(c.n_timers, 0);
    assert_null(c.timers);
}

/* A callback that schedules a timer already due: it runs in the same call,
 * after the ones queued before it at that time. */
static void reschedule(sim_ctx *c, void *arg)
{
    record(c, arg);
    if ((intptr_t)arg == 100)
        sim_schedule(c, 1.0, record, (void *)(intptr_t)101);
}

static void test_callback_schedules_due(void **state)
{
    (void)state;
    sim_ctx c = {0};
    sim_schedule(&c, 1.0, reschedule, (void *)(intptr_t)100);
    sim_schedule(&c, 1.0, record, (void *)(intptr_t)102);
    timers_run_due(&c, 1.0);
    assert_int_equal(g_log.n, 3);
    assert_int_equal(g_log.id[0], 100);
    assert_int_equal(g_log.id[1], 102);
    assert_int_equal(g_log.id[2], 101);
    timers_free(&c);
}

/* A failed run stops running timers. */
static void fail_run(sim_ctx *c, void *arg)
{
    record(c, arg);
    c->failed = 1;
}

static void test_stops_on_failure(void **state)
{
    (void)state;
    sim_ctx c = {0};
    sim_schedule(&c, 1.0, fail_run, (void *)(intptr_t)1);
    sim_schedule(&c, 2.0, record, (void *)(intptr_t)2);
    timers_run_due(&c, 5.0);
    assert_int_equal(g_log.n, 1);
    assert_int_equal(c.n_timers, 1);
    timers_free(&c);
}

/* Far past the first allocation (32), pseudo-random times: every timer
 * runs once, in nondecreasing time, ties by insertion. */
static void test_growth(void **state)
{
    (void)state;
    sim_ctx c = {0};
    uint64_t x = 88172645463325252ull;
    const int n = 1500;
    for (int i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double t = (double)(x % 200); /* many ties */
        assert_int_equal(sim_schedule(&c, t, record, (void *)(intptr_t)i), 0);
    }
    assert_true(c.timers_cap >= (size_t)n);
    double prev_t = -1;
    int prev_id = -1;
    int seen[1500] = {0};
    while (c.n_timers) {
        double t = timers_next(&c);
        assert_true(t >= prev_t);
        size_t before = g_log.n;
        timers_run_due(&c, t);
        for (size_t k = before; k < g_log.n; k++) {
            int id = g_log.id[k];
            if (t == prev_t || k > before)
                assert_true(id > prev_id);
            seen[id]++;
            prev_id = id;
        }
        prev_t = t;
        g_log.n = 0;
    }
    for (int i = 0; i < n; i++)
        assert_int_equal(seen[i], 1);
    timers_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_empty, setup),
        cmocka_unit_test_setup(test_time_order, setup),
        cmocka_unit_test_setup(test_fifo_ties, setup),
        cmocka_unit_test_setup(test_runs_only_due, setup),
        cmocka_unit_test_setup(test_callback_schedules_due, setup),
        cmocka_unit_test_setup(test_stops_on_failure, setup),
        cmocka_unit_test_setup(test_growth, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
