/* test_netagg.c -- the rate-class solver (src/sim/netagg.h) on closed
 * forms worked by hand (rates, bytes at those rates, ends, netagg_due,
 * netagg_has, netagg_remove of a flow that is out), the minimal cases of
 * the bugs the random sequences found (test_netagg_random.c), and the
 * header's promise that a flow's rate is 0 until the next solve. */
#include <math.h>
#include <stddef.h>

#include "netagg_fixture.h"

/* Closed forms: two flows share a link; a capped one keeps its cap; a flow
 * with no link and no cap is unlimited, one with a cap has it; bytes and
 * ends at the rates; netagg_has and netagg_remove of a flow that is out. */
static void test_closed_forms(void **state)
{
    (void)state;
    static const int l0[] = {0}, l01[] = {0, 1};
    double cap[2] = {10, 4};
    static netagg a;
    size_t out[8];
    agg_open(&a, 2, 8);
    assert_false(netagg_has(&a, 3));
    assert_true(netagg_remove(&a, 3, 0) == 0); /* never in */
    assert_true(netagg_next_done(&a) == INFINITY);
    assert_int_equal(netagg_add(&a, 0, l0, 1, INFINITY, 30, 0), 0);
    assert_int_equal(netagg_add(&a, 1, l01, 2, INFINITY, INFINITY, 0), 0);
    assert_int_equal(netagg_add(&a, 2, l0, 0, INFINITY, INFINITY, 0), 0); /* no link */
    assert_int_equal(netagg_add(&a, 3, l0, 0, 2.5, 5, 0), 0);             /* no link, cap */
    assert_true(netagg_has(&a, 0) && netagg_has(&a, 3) && !netagg_has(&a, 4));
    assert_int_equal(netagg_solve(&a, cap, 0), 0);
    /* link 1 gives flow 1 4; link 0 gives flow 0 the other 6. */
    assert_true(fabs(netagg_rate(&a, 0) - 6) < 1e-12);
    assert_true(fabs(netagg_rate(&a, 1) - 4) < 1e-12);
    assert_true(isinf(netagg_rate(&a, 2)));
    assert_true(netagg_rate(&a, 3) == 2.5);
    /* flow 3 ends at 5 / 2.5 = 2 s, flow 0 at 30 / 6 = 5 s */
    assert_true(fabs(netagg_next_done(&a) - 2) < 1e-12);
    assert_true(fabs(netagg_moved(&a, 0, 1) - 6) < 1e-12);
    assert_int_equal(netagg_due(&a, 1.5, out), 0);
    assert_int_equal(netagg_due(&a, 2, out), 1);
    assert_int_equal(out[0], 3);
    assert_true(fabs(netagg_remove(&a, 3, 2) - 5) < 1e-12);
    assert_false(netagg_has(&a, 3));
    assert_true(netagg_remove(&a, 3, 2) == 0); /* already out */
    assert_int_equal(netagg_solve(&a, cap, 2), 0);
    assert_true(fabs(netagg_next_done(&a) - 5) < 1e-12);
    /* Flow 1 leaves at 3 s having moved 12; flow 0 gets all of link 0
     * and moves its last 30 - 18 = 12 at 10: ends at 4.2 s. */
    assert_true(fabs(netagg_remove(&a, 1, 3) - 12) < 1e-12);
    assert_int_equal(netagg_solve(&a, cap, 3), 0);
    assert_true(fabs(netagg_rate(&a, 0) - 10) < 1e-12);
    assert_true(fabs(netagg_next_done(&a) - 4.2) < 1e-12);
    assert_true(fabs(netagg_moved(&a, 0, 4) - 28) < 1e-12);
    assert_int_equal(netagg_due(&a, 4.2, out), 1);
    assert_int_equal(out[0], 0);
    assert_true(fabs(netagg_remove(&a, 0, 4.2) - 30) < 1e-12);
    netagg_remove(&a, 2, 4.2);
    assert_int_equal(netagg_solve(&a, cap, 4.2), 0);
    assert_true(netagg_next_done(&a) == INFINITY);
    agg_close(&a);
}

/* One flow over a wide link and a narrow one: on the first solve every
 * link is inactive, the flow's class (no key) gets INFINITY, so both links
 * are summed and must turn on; its rate is the narrow link's 1 (found on
 * fa59236: 10. Link 1 was summed in the same pass right after link 0
 * turned on, when the flow, rekeyed by it into a new class, had that
 * class's rate 0, so link 1 stayed inactive with a bound of 0). */
static void test_link_summed_after_another_turned_on(void **state)
{
    (void)state;
    static const int l01[] = {0, 1};
    double cap[2] = {10, 1};
    static netagg a;
    agg_open(&a, 2, 1);
    assert_int_equal(netagg_add(&a, 0, l01, 2, INFINITY, INFINITY, 0), 0);
    assert_int_equal(netagg_solve(&a, cap, 0), 0);
    assert_true(fabs(netagg_rate(&a, 0) - 1) < 1e-12);
    agg_close(&a);
}

/* A flow joins a class whose rate falls in that solve: flow 1 joins
 * flow 0's class (key: link 0, the only active link) and also crosses the
 * inactive link 1 (capacity 1). Max-min: 9 and 1 (found on fa59236: 5 and
 * 5, link 1 at 5 > 1 left inactive: the class's fall of 5 was taken off
 * link 1's bound for every member, the new flow included, whose rate was
 * never in the bound; its join then added 5 - 0, so the bound stayed 0). */
static void test_join_while_class_falls(void **state)
{
    (void)state;
    static const int l0[] = {0}, l01[] = {0, 1};
    double cap[2] = {10, 1};
    static netagg a;
    agg_open(&a, 2, 2);
    assert_int_equal(netagg_add(&a, 0, l0, 1, INFINITY, INFINITY, 0), 0);
    assert_int_equal(netagg_solve(&a, cap, 0), 0);
    assert_true(netagg_rate(&a, 0) == 10);
    assert_int_equal(netagg_add(&a, 1, l01, 2, INFINITY, INFINITY, 1), 0);
    assert_int_equal(netagg_solve(&a, cap, 1), 0);
    assert_true(fabs(netagg_rate(&a, 0) - 9) < 1e-12);
    assert_true(fabs(netagg_rate(&a, 1) - 1) < 1e-12);
    agg_close(&a);
}

/* A flow joining a class that has a rate, solved at the same instant
 * (netagg.h: solve before time moves): both share from then on, and the
 * first keeps what it moved before. */
static void test_join_then_share(void **state)
{
    (void)state;
    static const int l0[] = {0};
    double cap[1] = {10};
    static netagg a;
    agg_open(&a, 1, 4);
    assert_int_equal(netagg_add(&a, 0, l0, 1, INFINITY, INFINITY, 0), 0);
    assert_int_equal(netagg_solve(&a, cap, 0), 0);
    assert_true(netagg_rate(&a, 0) == 10);
    assert_int_equal(netagg_add(&a, 1, l0, 1, INFINITY, INFINITY, 1), 0);
    assert_true(fabs(netagg_moved(&a, 1, 1)) < 1e-12);
    assert_int_equal(netagg_solve(&a, cap, 1), 0);
    assert_true(netagg_rate(&a, 1) == 5 && netagg_rate(&a, 0) == 5);
    assert_true(fabs(netagg_moved(&a, 1, 3) - 10) < 1e-12);
    assert_true(fabs(netagg_moved(&a, 0, 3) - 20) < 1e-12);
    assert_true(fabs(netagg_remove(&a, 0, 3) - 20) < 1e-12);
    agg_close(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_closed_forms, teardown),
        cmocka_unit_test_teardown(test_link_summed_after_another_turned_on, teardown),
        cmocka_unit_test_teardown(test_join_while_class_falls, teardown),
        cmocka_unit_test_teardown(test_join_then_share, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
