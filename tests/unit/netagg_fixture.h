/* netagg_fixture.h -- what the rate-class solver's unit tests share
 * (test_netagg.c, test_netagg_random.c): the netagg and netsolve a test
 * has open, freed by the group's teardown when an assertion leaves the
 * test early, so that ASan and valgrind report the failure, not leaks.
 * Header-only (static functions): each test file is its own executable. */
#ifndef SRIOV_TEST_NETAGG_FIXTURE_H
#define SRIOV_TEST_NETAGG_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim/netagg.h"
#include "sim/netsolve.h"

static netagg *open_agg;
static netsolve *open_ns;

static inline void agg_open(netagg *a, size_t n_links, size_t n_flows)
{
    assert_int_equal(netagg_init(a, n_links, n_flows), 0);
    open_agg = a;
}

static inline void agg_close(netagg *a)
{
    netagg_free(a);
    open_agg = NULL;
}

static inline int teardown(void **state)
{
    (void)state;
    if (open_agg)
        netagg_free(open_agg);
    if (open_ns)
        netsolve_free(open_ns);
    open_agg = NULL;
    open_ns = NULL;
    return 0;
}

#endif
