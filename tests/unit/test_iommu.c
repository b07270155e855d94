/* test_iommu.c -- IOTLB reach, walk lengths and the walker queue. */
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

static void test_fits_hits(void **state)
{
    (void)state;
    /* 32 pages of 4 KiB in a 64-entry IOTLB: every access hits after warm-up */
    assert_true(iotlb_cyclic_hit_rate(32 * 4 * KiB, 4 * KiB, 64, 64, 0) >= 0.999);
    /* exactly the reach, 4-way set associative: pages spread evenly over sets */
    assert_true(iotlb_cyclic_hit_rate(64 * 4 * KiB, 4 * KiB, 64, 4, 0) >= 0.999);
}

static void test_twice_reach_thrashes(void **state)
{
    (void)state;
    /* twice the reach under LRU with cyclic access: every access misses */
    assert_true(iotlb_cyclic_hit_rate(128 * 4 * KiB, 4 * KiB, 64, 64, 0) <= 0.001);
    assert_true(iotlb_cyclic_hit_rate(128 * 4 * KiB, 4 * KiB, 64, 4, 0) <= 0.001);
    /* one entry more than the reach is enough to thrash LRU */
    assert_true(iotlb_cyclic_hit_rate(65 * 4 * KiB, 4 * KiB, 64, 64, 0) <= 0.001);
}

static void test_huge_pages_recover(void **state)
{
    (void)state;
    /* the same 512 KiB with 2 MiB pages: one entry covers it all */
    assert_true(iotlb_cyclic_hit_rate(128 * 4 * KiB, 2 * MiB, 64, 64, 0) >= 0.999);
    /* 8 MiB (2048 small pages, 32 x the reach) with 2 MiB pages: 4 entries */
    assert_true(iotlb_cyclic_hit_rate(8 * MiB, 2 * MiB, 64, 64, 0) >= 0.999);
    assert_true(iotlb_cyclic_hit_rate(8 * MiB, 4 * KiB, 64, 64, 0) <= 0.001);
    /* 1 GiB pages over 256 MiB: one entry */
    assert_true(iotlb_cyclic_hit_rate(256 * MiB, 1 * GiB, 64, 64, 0) >= 0.999);
}

static void test_lazy_flush(void **state)
{
    (void)state;
    /* a domain flush every 250 accesses over 32 resident pages: 32 cold
     * misses per 250 accesses */
    double hit = iotlb_cyclic_hit_rate(32 * 4 * KiB, 4 * KiB, 64, 64, 250);
    assert_true(fabs(hit - (1.0 - 32.0 / 250.0)) < 0.01);
}

static void test_memo(void **state)
{
    (void)state;
    iotlb_memo m = {0};
    double a = iotlb_memo_hit_rate(&m, IOTLB_CYCLIC, 8 * MiB, 4 * KiB, 64, 64, 0);
    double b = iotlb_memo_hit_rate(&m, IOTLB_CYCLIC, 8 * MiB, 4 * KiB, 64, 64, 0);
    assert_true(a == b);
    assert_int_equal(m.n, 1);
    iotlb_memo_hit_rate(&m, IOTLB_CYCLIC, 8 * MiB, 2 * MiB, 64, 64, 0);
    assert_int_equal(m.n, 2);
    iotlb_memo_free(&m);
    assert_null(iotlb_new(64, 3));
}

static void test_walk_refs(void **state)
{
    (void)state;
    assert_int_equal(iommu_walk_refs(4 * KiB, false, false), 4);
    assert_int_equal(iommu_walk_refs(2 * MiB, false, false), 3);
    assert_int_equal(iommu_walk_refs(GiB, false, false), 2);
    assert_int_equal(iommu_walk_refs(4 * KiB, true, false), 24);
    assert_int_equal(iommu_walk_refs(2 * MiB, true, false), 15);
    assert_int_equal(iommu_walk_refs(GiB, true, false), 8);
    assert_int_equal(iommu_walk_refs(4 * KiB, false, true), 1);
    assert_int_equal(iommu_walk_refs(4 * KiB, true, true), 3);
    iommu_config io = {.page_size_bytes = 4 * KiB, .mem_ref_latency_s = 80e-9, .walkers = 1};
    assert_true(fabs(iommu_walk_s(&io) - 320e-9) < 1e-15);
}

static void test_walker_queue(void **state)
{
    (void)state;
    /* M/M/1: P(wait) = rho; M/M/2 at a = 1: 1/3 */
    assert_true(fabs(iommu_erlang_c(1, 0.5) - 0.5) < 1e-12);
    assert_true(fabs(iommu_erlang_c(2, 1.0) - 1.0 / 3.0) < 1e-12);
    iommu_config io = {.page_size_bytes = 4 * KiB, .mem_ref_latency_s = 80e-9, .walkers = 1};
    double ws = 320e-9;
    /* M/M/1 sojourn: ws / (1 - rho) at rho = 0.5 */
    assert_true(fabs(iommu_mean_walk_s(&io, 0.5 / ws) - 2 * ws) < 1e-15);
    assert_true(iommu_mean_walk_s(&io, 0) == ws);
    /* grows with load and stays finite at saturation */
    io.walkers = 7;
    double t1 = iommu_mean_walk_s(&io, 3.0 / ws), t2 = iommu_mean_walk_s(&io, 6.0 / ws);
    assert_true(t1 > ws && t2 > t1 && isfinite(iommu_mean_walk_s(&io, 100.0 / ws)));
}

static void test_packet_cost(void **state)
{
    (void)state;
    iommu_config io = {.page_size_bytes = 4 * KiB, .iotlb_entries = 64, .iotlb_ways = 64,
                       .mem_ref_latency_s = 80e-9, .walkers = 7,
                       .invalidation_latency_s = 1e-6};
    iotlb_memo m = {0};
    /* DPDK, 8 MiB working set, 4 KiB pages: one walk per 64 B packet */
    iommu_pkt_cost k = iommu_packet_cost(&io, &m, 8 * MiB, IOTLB_CYCLIC, true, 64);
    assert_true(k.translations == 1 && k.misses > 0.999 && k.invalidations == 0);
    /* 9000 B packets touch three slots */
    k = iommu_packet_cost(&io, &m, 8 * MiB, IOTLB_CYCLIC, true, 9000);
    assert_true(k.translations == 3);
    /* strict kernel driver: every buffer misses, one invalidation each */
    io.strict = true;
    k = iommu_packet_cost(&io, &m, 64 * KiB, IOTLB_CYCLIC, false, 64);
    assert_true(k.misses == 1 && k.invalidations == 1);
    assert_true(fabs(iommu_packet_busy_s(&io, &k) - (320e-9 + 1e-6)) < 1e-15);
    /* 2 MiB pages, DPDK: no walks */
    io.strict = false;
    io.page_size_bytes = 2 * MiB;
    k = iommu_packet_cost(&io, &m, 8 * MiB, IOTLB_CYCLIC, true, 64);
    assert_true(k.misses < 0.001);
    iotlb_memo_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fits_hits),         cmocka_unit_test(test_twice_reach_thrashes),
        cmocka_unit_test(test_huge_pages_recover), cmocka_unit_test(test_lazy_flush),
        cmocka_unit_test(test_memo),              cmocka_unit_test(test_walk_refs),
        cmocka_unit_test(test_walker_queue),      cmocka_unit_test(test_packet_cost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
