/* test_sim_fluid.c -- fluid_classify (src/sim/fluid.h): which flows the
 * SimGrid solver must see, and the rates our own solver gives the others.
 * On the fixture's platform (sim_fixture.h): flows a->c and b->c share
 * link s (1000 B/s), d->e has pd (300 B/s) to itself. Rates are asserted
 * exactly: they are caps, capacities and their halves or differences. */
#define _DEFAULT_SOURCE /* mkstemps */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim/fluid.h"
#include "sim/ledger.h"
#include "sim/query.h"
#include "sim_fixture.h"

static simfx fx;

/* Two inelastic flows capped at cap_Bps on a->c and b->c, started. */
static void two_on_s(double cap_Bps, int fast_path)
{
    fx_init(&fx, GRAN_FLOW, fast_path);
    fx_flow(&fx, 0, FLOW_INELASTIC, FX_A, FX_C, cap_Bps, 0);
    fx_flow(&fx, 1, FLOW_INELASTIC, FX_B, FX_C, cap_Bps, 0);
    fx_start(&fx);
    flow_begin(&fx.c, 0);
    flow_begin(&fx.c, 1);
    fluid_classify(&fx.c);
}

static void assert_free_at(size_t f, double Bps)
{
    const flow_rt *fl = &fx.flows[f];
    assert_int_equal(fl->phase, FLOW_ACTIVE);
    assert_true(fl->free_running);
    assert_null(fl->xfer);
    assert_true(flow_free_rate(fl) == Bps);
}

static void assert_bound(size_t f)
{
    const flow_rt *fl = &fx.flows[f];
    assert_int_equal(fl->phase, FLOW_ACTIVE);
    assert_false(fl->free_running);
    assert_non_null(fl->xfer);
    size_t slot = 0;
    while (slot < sim_n_active(&fx.c) && sim_active_flow(&fx.c, slot) != f)
        slot++;
    assert_true(slot < fx.c.n_active);
}

/* 400 + 400 fit in 1000: both run free at their caps; no transfer. */
static void test_uncongested_free_at_cap(void **state)
{
    (void)state;
    two_on_s(400, 1);
    assert_free_at(0, 400);
    assert_free_at(1, 400);
    assert_int_equal(fx.c.n_active, 2);
    assert_int_equal(fx.c.n_bound, 0);
    fx_fini(&fx);
}

/* Demand equal to capacity binds nobody. */
static void test_exactly_full_stays_free(void **state)
{
    (void)state;
    two_on_s(500, 1);
    assert_free_at(0, 500);
    assert_free_at(1, 500);
    fx_fini(&fx);
}

/* s lowered below the demand: our solver shares it (300 each), no flow
 * goes to SimGrid; raised again, each has its cap. */
static void test_congested_link_shares(void **state)
{
    (void)state;
    two_on_s(400, 1);
    sim_set_dlink_Bps(&fx.c, FX_S, 600);
    fluid_classify(&fx.c);
    assert_free_at(0, 300);
    assert_free_at(1, 300);
    assert_int_equal(fx.c.n_bound, 0);
    sim_set_dlink_Bps(&fx.c, FX_S, 1000);
    fluid_classify(&fx.c);
    assert_free_at(0, 400);
    assert_free_at(1, 400);
    assert_int_equal(fx.c.n_bound, 0);
    fx_fini(&fx);
}

/* A flow alone on pd (300 B/s) below its cap (500) runs free at pd's
 * capacity: max-min gives a lone flow min(cap, capacity), and pd binds
 * nobody else. Its delivered bytes follow that rate. */
static void test_own_link_lowers_rate(void **state)
{
    (void)state;
    fx_init(&fx, GRAN_FLOW, 1);
    fx_flow(&fx, 0, FLOW_INELASTIC, FX_D, FX_E, 500, 0);
    fx_start(&fx);
    flow_begin(&fx.c, 0);
    fluid_classify(&fx.c);
    assert_free_at(0, 300);
    double t0 = simgrid_get_clock();
    fx_sleep(2.0);
    assert_true(fabs(flow_delivered_now(&fx.flows[0]) - 300 * (simgrid_get_clock() - t0)) < 1e-6);
    fx_fini(&fx);
}

/* An elastic flow takes what s leaves (1000 - 100); it ends when its
 * size is in, at the time our solver's rate gives (1e5 B at 900 B/s). */
static void test_elastic_takes_the_rest(void **state)
{
    (void)state;
    fx_init(&fx, GRAN_FLOW, 1);
    fx_flow(&fx, 0, FLOW_INELASTIC, FX_A, FX_C, 100, 0);
    fx_flow(&fx, 1, FLOW_ELASTIC, FX_B, FX_C, 0, 1e5);
    fx_start(&fx);
    flow_begin(&fx.c, 0);
    fluid_classify(&fx.c);
    assert_free_at(0, 100);
    double t0 = simgrid_get_clock();
    flow_begin(&fx.c, 1);
    fluid_classify(&fx.c);
    assert_free_at(0, 100);
    assert_free_at(1, 900);
    assert_int_equal(fx.c.n_bound, 0);
    assert_true(fabs(fx.c.drv->next_done_s(&fx.c) - (t0 + 1e5 / 900)) < 1e-9);
    fx_fini(&fx);
}

/* Another model's transfer pinned on a->c: uncapped, it makes every link
 * of its route congested; capped, its cap adds to their demand. */
static void test_pinned_links(void **state)
{
    (void)state;
    two_on_s(400, 1);
    sg_host_t a = fx.hosts[FX_A], c = fx.hosts[FX_C];
    fluid_pin_route(&fx.c, a, c, 0, +1);
    fluid_classify(&fx.c);
    assert_bound(0);
    assert_bound(1);
    fluid_pin_route(&fx.c, a, c, 0, -1);
    fluid_classify(&fx.c);
    assert_free_at(0, 400);
    fluid_pin_route(&fx.c, a, c, 100, +1); /* 400 + 400 + 100 fit in 1000 */
    fluid_classify(&fx.c);
    assert_free_at(0, 400);
    assert_free_at(1, 400);
    fluid_pin_route(&fx.c, a, c, 300, +1); /* + 300 do not */
    fluid_classify(&fx.c);
    assert_bound(0);
    assert_bound(1);
    fx_fini(&fx);
}

/* simulation.fast_path: false keeps every flow a transfer. */
static void test_fast_path_off(void **state)
{
    (void)state;
    two_on_s(100, 0);
    assert_bound(0);
    assert_bound(1);
    assert_int_equal(fx.c.n_bound, 2);
    fx_fini(&fx);
}

static int run_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uncongested_free_at_cap),
        cmocka_unit_test(test_exactly_full_stays_free),
        cmocka_unit_test(test_congested_link_shares),
        cmocka_unit_test(test_own_link_lowers_rate),
        cmocka_unit_test(test_elastic_takes_the_rest),
        cmocka_unit_test(test_pinned_links),
        cmocka_unit_test(test_fast_path_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

int main(int argc, char **argv)
{
    (void)argc;
    return fx_main(argv[0], run_group);
}
