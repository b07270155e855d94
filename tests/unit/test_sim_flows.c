/* test_sim_flows.c -- a flow's state machine through the public calls
 * (src/sim/flows.h): start, pause, resume, rebind, cap and stop, their
 * no-op cases, and the bytes each keeps, on the fluid driver (fast path
 * off: every active flow holds a transfer) and the burst driver. Platform
 * and context: sim_fixture.h. Byte counts are SimGrid's max-min rates x
 * time on links of fixed capacity, checked to 1e-6 B. */
#define _DEFAULT_SOURCE /* mkstemps */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim_fixture.h"

static simfx fx;

static void near(double got, double want)
{
    if (!(fabs(got - want) <= 1e-6))
        fail_msg("got %.12g, want %.12g", got, want);
}

/* One flow a->c of the given kind on the fluid driver, fast path off. */
static flow_rt *one_flow(flow_kind_t kind, double rate_Bps, double size_bytes)
{
    fx_init(&fx, GRAN_FLOW, 0);
    fx_flow(&fx, 0, kind, FX_A, FX_C, rate_Bps, size_bytes);
    fx_start(&fx);
    return &fx.flows[0];
}

/* PENDING -> ACTIVE with a transfer, listed, models told once, a re-plan
 * requested; a second start is a no-op. */
static void test_begin(void **state)
{
    (void)state;
    flow_rt *fl = one_flow(FLOW_INELASTIC, 100, 0);
    assert_int_equal(fl->phase, FLOW_PENDING);
    flow_begin(&fx.c, 0);
    assert_int_equal(fl->phase, FLOW_ACTIVE);
    assert_non_null(fl->xfer);
    assert_int_equal(fx.c.n_active, 1);
    assert_int_equal(fx.c.n_bound, 1);
    assert_int_equal(fx.c.n_waitable, 0); /* inelastic: ends by its stop */
    assert_int_equal(fx.started[0], 1);
    assert_int_equal(fx.c.replan_dirty, 1);
    assert_true(fl->start_s == simgrid_get_clock());
    near(fl->offered_bytes, 100 * (fl->stop_s - fl->start_s));
    shim_xfer *x = fl->xfer;
    flow_begin(&fx.c, 0);
    assert_ptr_equal(fl->xfer, x);
    assert_int_equal(fx.started[0], 1);
    fx_fini(&fx);
}

/* Calls that need another phase do nothing on a pending flow. */
static void test_pending_noops(void **state)
{
    (void)state;
    flow_rt *fl = one_flow(FLOW_INELASTIC, 100, 0);
    flow_pause(&fx.c, 0);
    flow_resume(&fx.c, 0);
    flow_end(&fx.c, 0);
    assert_int_equal(fl->phase, FLOW_PENDING);
    assert_null(fl->xfer);
    assert_int_equal(fx.c.n_active, 0);
    assert_true(isnan(fl->end_s));
    fx_fini(&fx);
}

/* ACTIVE -> PAUSED drops the transfer and keeps what it moved; a second
 * pause is a no-op; nothing moves while paused; resume starts a new
 * transfer; a resume when active is a no-op. */
static void test_pause_resume(void **state)
{
    (void)state;
    flow_rt *fl = one_flow(FLOW_INELASTIC, 100, 0);
    flow_begin(&fx.c, 0);
    fx_sleep(2.0);
    near(flow_delivered_now(fl), 200);
    flow_pause(&fx.c, 0);
    assert_int_equal(fl->phase, FLOW_PAUSED);
    assert_null(fl->xfer);
    assert_int_equal(fx.c.n_active, 0);
    assert_int_equal(fx.c.n_bound, 0);
    near(fl->delivered_bytes, 200);
    flow_pause(&fx.c, 0);
    assert_int_equal(fl->phase, FLOW_PAUSED);
    fx_sleep(1.0);
    near(flow_delivered_now(fl), 200);
    flow_resume(&fx.c, 0);
    assert_int_equal(fl->phase, FLOW_ACTIVE);
    assert_non_null(fl->xfer);
    assert_int_equal(fx.c.n_active, 1);
    shim_xfer *x = fl->xfer;
    flow_resume(&fx.c, 0);
    assert_ptr_equal(fl->xfer, x);
    fx_sleep(1.0);
    near(flow_delivered_now(fl), 300);
    fx_fini(&fx);
}

/* A paused inelastic flow resumed at or after its stop is done at its
 * stop, without a transfer. */
static void test_resume_past_stop(void **state)
{
    (void)state;
    flow_rt *fl = one_flow(FLOW_INELASTIC, 100, 0);
    flow_begin(&fx.c, 0);
    flow_pause(&fx.c, 0);
    fx_sleep(1.0);
    fl->stop_s = simgrid_get_clock() - 0.5;
    flow_resume(&fx.c, 0);
    assert_int_equal(fl->phase, FLOW_DONE);
    assert_true(fl->end_s == fl->stop_s);
    assert_null(fl->xfer);
    fx_fini(&fx);
}

/* Stop: ACTIVE -> DONE at now with its bytes; a second stop is a no-op.
 * A paused flow stops too. */
static void test_end(void **state)
{
    (void)state;
    flow_rt *fl = one_flow(FLOW_INELASTIC, 100, 0);
    flow_begin(&fx.c, 0);
    fx_sleep(2.0);
    double t = simgrid_get_clock();
    flow_end(&fx.c, 0);
    assert_int_equal(fl->phase, FLOW_DONE);
    assert_true(fl->end_s == t);
    assert_null(fl->xfer);
    assert_int_equal(fx.c.n_active, 0);
    near(fl->delivered_bytes, 200);
    assert_true(isnan(fl->completion_s)); /* stopped, not completed */
    fx_sleep(1.0);
    flow_end(&fx.c, 0);
    assert_true(fl->end_s == t);
    fx_fini(&fx);

    fl = one_flow(FLOW_INELASTIC, 100, 0);
    flow_begin(&fx.c, 0);
    flow_pause(&fx.c, 0);
    flow_end(&fx.c, 0);
    assert_int_equal(fl->phase, FLOW_DONE);
    fx_fini(&fx);
}

/* An elastic flow of 1000 B alone on s (1000 B/s, capped at 100 B/s):
 * 2 s, a 1 s pause, then its transfer finishes 8 s later; completion is
 * end - start (11 s; no propagation latency here). */
static void test_elastic_completes(void **state)
{
    (void)state;
    flow_rt *fl = one_flow(FLOW_ELASTIC, 100, 1000);
    flow_begin(&fx.c, 0);
    assert_int_equal(fx.c.n_waitable, 1);
    double t0 = simgrid_get_clock();
    fx_sleep(2.0);
    flow_pause(&fx.c, 0);
    fx_sleep(1.0);
    flow_resume(&fx.c, 0);
    near(fl->xfer_bytes, 800);
    assert_int_equal(shim_xfer_wait_any_for(&fl->xfer, 1, 100.0), 0);
    near(simgrid_get_clock() - t0, 11.0);
    flow_completed(&fx.c, 0);
    assert_int_equal(fl->phase, FLOW_DONE);
    near(fl->delivered_bytes, 1000);
    near(fl->completion_s, 11.0);
    assert_int_equal(fx.c.n_active, 0);
    assert_int_equal(fx.c.n_waitable, 0);
    fx_fini(&fx);
}

/* Rebind moves an active flow to d->e: same phase, the new route, a new
 * transfer, its bytes kept. A paused flow moves and stays paused. */
static void test_rebind(void **state)
{
    (void)state;
    flow_rt *fl = one_flow(FLOW_INELASTIC, 100, 0);
    flow_begin(&fx.c, 0);
    fx_sleep(1.0);
    assert_int_equal(flow_rebind(&fx.c, 0, FX_D, FX_E), 0);
    assert_int_equal(fl->phase, FLOW_ACTIVE);
    assert_int_equal(fl->src_ep, FX_D);
    assert_int_equal(fl->n_hops, 1);
    assert_int_equal(fl->hops[0], FX_PD);
    assert_non_null(fl->xfer);
    assert_int_equal(fx.c.n_active, 1);
    near(fl->delivered_bytes, 100);
    fx_sleep(1.0);
    near(flow_delivered_now(fl), 200);

    flow_pause(&fx.c, 0);
    assert_int_equal(flow_rebind(&fx.c, 0, FX_A, FX_C), 0);
    assert_int_equal(fl->phase, FLOW_PAUSED);
    assert_null(fl->xfer);
    assert_int_equal(fl->n_hops, 2);
    assert_int_equal(fl->hops[1], FX_S);
    fx_fini(&fx);
}

/* A new cap restarts the running transfer at it; the same cap is a no-op. */
static void test_set_cap(void **state)
{
    (void)state;
    flow_rt *fl = one_flow(FLOW_INELASTIC, 100, 0);
    flow_begin(&fx.c, 0);
    fx_sleep(1.0);
    flow_set_cap(&fx.c, 0, 50);
    assert_true(fl->rate_cap_Bps == 50);
    near(fl->delivered_bytes, 100);
    shim_xfer *x = fl->xfer;
    flow_set_cap(&fx.c, 0, 50);
    assert_ptr_equal(fl->xfer, x);
    fx_sleep(2.0);
    near(flow_delivered_now(fl), 200);
    fx_fini(&fx);
}

/* The burst driver: an elastic flow of 1000 B moves as bursts of 4 x 100
 * B, each a transfer the controller waits on; pause keeps the interrupted
 * burst's bytes, resume sends the rest, stop ends it. */
static void test_burst_driver(void **state)
{
    (void)state;
    fx_init(&fx, GRAN_BURST, 1);
    fx_flow(&fx, 0, FLOW_ELASTIC, FX_A, FX_C, 100, 1000);
    fx_start(&fx);
    flow_rt *fl = &fx.flows[0];
    flow_begin(&fx.c, 0);
    assert_int_equal(fl->phase, FLOW_ACTIVE);
    near(fl->xfer_bytes, 400);
    assert_int_equal(fx.c.n_waitable, 1);
    assert_int_equal(shim_xfer_wait_any_for(&fl->xfer, 1, 100.0), 0);
    flow_completed(&fx.c, 0);
    assert_int_equal(fl->phase, FLOW_ACTIVE);
    near(fl->delivered_bytes, 400);
    near(fl->xfer_bytes, 400);
    fx_sleep(1.0);
    flow_pause(&fx.c, 0);
    assert_int_equal(fl->phase, FLOW_PAUSED);
    assert_null(fl->xfer);
    near(fl->delivered_bytes, 500);
    flow_resume(&fx.c, 0);
    assert_int_equal(fl->phase, FLOW_ACTIVE);
    near(fl->xfer_bytes, 300); /* the rest of the interrupted burst */
    flow_end(&fx.c, 0);
    assert_int_equal(fl->phase, FLOW_DONE);
    assert_null(fl->xfer);
    assert_int_equal(fx.c.n_active, 0);
    fx_fini(&fx);
}

static int run_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_begin),
        cmocka_unit_test(test_pending_noops),
        cmocka_unit_test(test_pause_resume),
        cmocka_unit_test(test_resume_past_stop),
        cmocka_unit_test(test_end),
        cmocka_unit_test(test_elastic_completes),
        cmocka_unit_test(test_rebind),
        cmocka_unit_test(test_set_cap),
        cmocka_unit_test(test_burst_driver),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

int main(int argc, char **argv)
{
    (void)argc;
    return fx_main(argv[0], run_group);
}
