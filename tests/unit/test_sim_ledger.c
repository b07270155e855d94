/* test_sim_ledger.c -- the journalled active list (src/sim/ledger.c):
 * after any sequence of starts and stops (a flow stopped and started again
 * before a read, many changes between reads, one change) the list read
 * through query.h is the sorted set of active flows, as the eager list it
 * replaced kept it; and the SRIOV_CHECK_INCREMENTAL check fails a run
 * whose driver forgot to journal a change. No SimGrid: the ledger's list
 * calls touch no transfer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim/ledger.h"
#include "sim/query.h"

#define N 600

static flow_rt flows[N];
static size_t active[N], pend[N];
static unsigned char listing[N];
static sim_ctx ctx;

static sim_ctx *fresh(void)
{
    memset(&ctx, 0, sizeof ctx);
    memset(flows, 0, sizeof flows);
    memset(listing, 0, sizeof listing);
    ctx.flows = flows;
    ctx.n_flows = N;
    ctx.active = active;
    ctx.listing = listing;
    ctx.pend = pend;
    ctx.check_incremental = 1;
    return &ctx;
}

/* A flow starting free (fluid.h) or stopping, as the fluid driver does. */
static void start(sim_ctx *c, size_t f)
{
    c->flows[f].free_running = 1;
    ledger_add(c, f);
}

static void stop(sim_ctx *c, size_t f)
{
    c->flows[f].free_running = 0;
    ledger_remove(c, f);
}

static void assert_list(sim_ctx *c, const unsigned char *on)
{
    size_t k = 0;
    for (size_t f = 0; f < N; f++)
        if (on[f]) {
            assert_true(k < sim_n_active(c));
            assert_int_equal(sim_active_flow(c, k), f);
            k++;
        }
    assert_int_equal(sim_n_active(c), k);
    assert_int_equal(c->failed, 0);
}

/* Random batches of 0 to 40 changes (stops and restarts of one flow in
 * the same batch included) between reads, 2,000 rounds. */
static void test_random_batches(void **state)
{
    (void)state;
    sim_ctx *c = fresh();
    unsigned char on[N] = {0};
    srand(7);
    for (int round = 0; round < 2000; round++) {
        int changes = rand() % 41;
        for (int i = 0; i < changes; i++) {
            size_t f = (size_t)rand() % N;
            if (on[f])
                stop(c, f);
            else
                start(c, f);
            on[f] = !on[f];
        }
        assert_list(c, on);
    }
}

/* One change between reads (the tail-move path), at the front, the back
 * and the middle. */
static void test_single_changes(void **state)
{
    (void)state;
    sim_ctx *c = fresh();
    unsigned char on[N] = {0};
    const size_t order[] = {300, 0, N - 1, 150, 450, 1, N - 2};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        start(c, order[i]);
        on[order[i]] = 1;
        assert_list(c, on);
    }
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        stop(c, order[i]);
        on[order[i]] = 0;
        assert_list(c, on);
    }
}

/* Stopped and started again before a read: listed once, in place. */
static void test_stop_start_same_batch(void **state)
{
    (void)state;
    sim_ctx *c = fresh();
    unsigned char on[N] = {0};
    for (size_t f = 10; f < 20; f++) {
        start(c, f);
        on[f] = 1;
    }
    assert_list(c, on);
    stop(c, 15);
    start(c, 15);
    start(c, 5);
    on[5] = 1;
    assert_list(c, on);
}

/* A driver that lets a flow run free without listing it (a missed
 * journal entry): the check fails the run at the next read. */
static void test_check_catches_missed_add(void **state)
{
    (void)state;
    sim_ctx *c = fresh();
    start(c, 3);
    start(c, 9);
    (void)sim_n_active(c);
    assert_int_equal(c->failed, 0);
    c->flows[7].free_running = 1; /* started, never journalled */
    start(c, 11);
    (void)sim_n_active(c);
    assert_int_equal(c->failed, 1);
    assert_non_null(strstr(c->error, "active list"));
}

/* And one that unlists a flow still running. */
static void test_check_catches_missed_remove(void **state)
{
    (void)state;
    sim_ctx *c = fresh();
    start(c, 3);
    start(c, 9);
    start(c, 12);
    (void)sim_n_active(c);
    c->flows[9].free_running = 0; /* stopped, never journalled */
    stop(c, 12);
    (void)sim_n_active(c);
    assert_int_equal(c->failed, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_batches),
        cmocka_unit_test(test_single_changes),
        cmocka_unit_test(test_stop_start_same_batch),
        cmocka_unit_test(test_check_catches_missed_add),
        cmocka_unit_test(test_check_catches_missed_remove),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
