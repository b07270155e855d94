/* test_iommu_edges.c -- the IOTLB's LRU and flush one access at a time, the
 * refusals of bad geometries and inputs, the cap on measured accesses, and
 * the Erlang C and packet-cost edge cases (iotlb.h, iommu.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "iommu/iommu.h"

#define KiB 1024.0
#define MiB 1048576.0
#define GiB 1073741824.0

/* One set of two ways: the least recently used page is the one evicted. */
static void test_lru_order(void **state)
{
    (void)state;
    iotlb *t = iotlb_new(2, 2);
    assert_non_null(t);
    assert_int_equal(iotlb_access(t, 1), 0);
    assert_int_equal(iotlb_access(t, 2), 0);
    assert_int_equal(iotlb_access(t, 1), 1);    /* 2 is now the oldest */
    assert_int_equal(iotlb_access(t, 3), 0);    /* evicts 2 */
    assert_int_equal(iotlb_access(t, 1), 1);
    assert_int_equal(iotlb_access(t, 2), 0);    /* evicts 3 */
    assert_int_equal(iotlb_access(t, 3), 0);
    /* a flush empties every way */
    iotlb_flush(t);
    assert_int_equal(iotlb_access(t, 2), 0);
    iotlb_free(t);
    iotlb_free(NULL);
}

static void test_bad_geometry(void **state)
{
    (void)state;
    assert_null(iotlb_new(0, 1));
    assert_null(iotlb_new(64, 0));
    assert_null(iotlb_new(4, 8));               /* more ways than entries */
    assert_null(iotlb_new(64, 3));              /* not a multiple */
    /* the hit rate of a bad geometry or a sub-slot size is -1 */
    assert_true(iotlb_cyclic_hit_rate(8 * MiB, 4 * KiB, 64, 3, 0) == -1.0);
    assert_true(iotlb_cyclic_hit_rate(1 * KiB, 4 * KiB, 64, 64, 0) == -1.0);
    assert_true(iotlb_cyclic_hit_rate(8 * MiB, 1 * KiB, 64, 64, 0) == -1.0);
    /* issue 20 item 15: 1e300 B overflowed a long (UB); now clamped
     * (iotlb.c: the measured window lies in the first sweep) to a rate */
    double h1 = iotlb_cyclic_hit_rate(1e300, 4 * KiB, 64, 64, 0);
    double h2 = iotlb_cyclic_hit_rate(8 * MiB, 1e300, 64, 64, 0);
    assert_true(h1 >= 0.0 && h1 <= 1.0);
    assert_true(h2 >= 0.0 && h2 <= 1.0);
    /* and is not memoised */
    iotlb_memo m = {0};
    assert_true(iotlb_memo_hit_rate(&m, IOTLB_CYCLIC, 8 * MiB, 4 * KiB, 64, 3, 0) == -1.0);
    assert_int_equal(m.n, 0);
    iotlb_memo_free(&m);
}

/* 16 GiB in 2 MiB pages: 8192 pages, 128 x the reach, so each page misses
 * at its first slot every cycle and its other 511 slots hit. The cycle is
 * 4,194,304 slots; warm-up and the measured window (two cycles) are both
 * capped at 4,000,000 accesses, in which 7812 pages start. */
static void test_measured_cap(void **state)
{
    (void)state;
    double hit = iotlb_cyclic_hit_rate(16 * GiB, 2 * MiB, 64, 4, 0);
    assert_true(fabs(hit - (1.0 - 7812.0 / 4e6)) < 1e-12);
}

static void test_erlang_c_edges(void **state)
{
    (void)state;
    assert_true(iommu_erlang_c(4, 0.0) == 0.0);     /* no load: no wait */
    assert_true(iommu_erlang_c(4, 4.0) == 1.0);     /* saturated: every walk waits */
    assert_true(iommu_erlang_c(4, 9.0) == 1.0);
    /* one server: P(wait) = rho */
    assert_true(fabs(iommu_erlang_c(1, 0.3) - 0.3) < 1e-12);
}

static void test_packet_cost_edges(void **state)
{
    (void)state;
    iommu_config io = {.page_size_bytes = 4 * KiB, .iotlb_entries = 64, .iotlb_ways = 64,
                       .mem_ref_latency_s = 80e-9, .walkers = 7,
                       .invalidation_latency_s = 1e-6};
    iotlb_memo m = {0};
    /* an empty packet still takes one translation */
    iommu_pkt_cost k = iommu_packet_cost(&io, &m, 8 * MiB, IOTLB_CYCLIC, true, 0);
    assert_true(k.translations == 1);
    /* a working set below one slot has no hit rate: counted as all misses */
    k = iommu_packet_cost(&io, &m, 1 * KiB, IOTLB_CYCLIC, true, 64);
    assert_true(k.translations == 1 && k.misses == 1);
    iotlb_memo_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lru_order),
        cmocka_unit_test(test_bad_geometry),
        cmocka_unit_test(test_measured_cap),
        cmocka_unit_test(test_erlang_c_edges),
        cmocka_unit_test(test_packet_cost_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
