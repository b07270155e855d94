/* test_iotlb_random.c -- the random access pattern's IOTLB hit rate
 * (iotlb_random_hit_rate, docs/pcie-iommu.md) against hand-computed closed
 * forms (C / P fully associative; per set ways / n_j) and against a Monte
 * Carlo run of the real set-associative LRU (iotlb_random_hit_rate_lru),
 * with and without the lazy flush (issue 15, IOMMU item a). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "iommu/iommu.h"
#include "iommu/iotlb.h"

#define KiB 1024.0
#define MiB 1048576.0

/* pcie-bench's window sweep on a 64-entry IOTLB, 4 KiB pages: the hit
 * rate falls gradually past the reach, C / P, not to 0 as the cyclic
 * sweep's does. */
static void test_closed_form(void **state)
{
    (void)state;
    assert_true(iotlb_random_hit_rate(256 * KiB, 4 * KiB, 64, 64, 0) == 1.0);
    assert_true(fabs(iotlb_random_hit_rate(512 * KiB, 4 * KiB, 64, 64, 0) - 0.5) < 1e-15);
    assert_true(fabs(iotlb_random_hit_rate(64 * MiB, 4 * KiB, 64, 64, 0) - 64.0 / 16384) < 1e-15);
    assert_true(iotlb_cyclic_hit_rate(512 * KiB, 4 * KiB, 64, 64, 0) == 0.0);
    /* 16 sets of 4 ways, 72 pages: 8 sets of 5 pages, 8 of 4:
     * (8 x 4 + 8 x 4) / 72 */
    assert_true(fabs(iotlb_random_hit_rate(72 * 4 * KiB, 4 * KiB, 64, 4, 0) - 64.0 / 72) < 1e-15);
    /* 2 MiB pages: 8 MiB is 4 pages, all cached */
    assert_true(iotlb_random_hit_rate(8 * MiB, 2 * MiB, 64, 64, 0) == 1.0);
    /* a flush every lookup: never a hit; bad inputs refused */
    assert_true(iotlb_random_hit_rate(8 * MiB, 4 * KiB, 64, 64, 1) == 0.0);
    assert_true(iotlb_random_hit_rate(8 * MiB, 4 * KiB, 64, 3, 0) == -1.0);
    assert_true(iotlb_random_hit_rate(1 * KiB, 4 * KiB, 64, 64, 0) == -1.0);
    assert_true(iotlb_random_hit_rate(NAN, 4 * KiB, 64, 64, 0) == -1.0);
}

/* Epochs of 2 lookups on a 1-entry cache over 2 pages: the second lookup
 * hits with probability 1/2, so 1/4 of the lookups hit. */
static void test_flush_by_hand(void **state)
{
    (void)state;
    assert_true(fabs(iotlb_random_hit_rate(8 * KiB, 4 * KiB, 1, 1, 2) - 0.25) < 1e-15);
    /* 3 pages, 4 entries, epochs of 3: lookup 1 misses, lookup 2 hits with
     * probability 1/3, lookup 3 with E[d]/3 where E[d] = 1 + 2/3 pages are
     * cached: 5/9. (0 + 1/3 + 5/9) / 3 = 8/27 */
    assert_true(fabs(iotlb_random_hit_rate(12 * KiB, 4 * KiB, 4, 4, 3) - 8.0 / 27) < 1e-15);
}

typedef struct mc_case {
    double ws, page;
    int entries, ways;
    long flush;
} mc_case;

/* The closed form within 4 standard errors of the LRU run (200 000 draws:
 * sigma = sqrt(h (1 - h) / n) <= 0.0011, plus the draws' correlation
 * through the cache state, covered by the margin). */
static void test_against_monte_carlo(void **state)
{
    (void)state;
    static const mc_case cases[] = {
        {512 * KiB, 4 * KiB, 64, 64, 0},     {1 * MiB, 4 * KiB, 64, 64, 0},
        {64 * MiB, 4 * KiB, 64, 64, 0},      {300 * KiB, 4 * KiB, 64, 4, 0},
        {200 * KiB, 4 * KiB, 64, 8, 0},      {8 * MiB, 4 * KiB, 64, 64, 250},
        {512 * KiB, 4 * KiB, 64, 64, 250},   {320 * KiB, 4 * KiB, 64, 4, 250},
        {40 * MiB, 2 * MiB, 16, 4, 0},       {96 * KiB, 4 * KiB, 32, 2, 50},
        {256 * KiB, 4 * KiB, 64, 64, 250},   {12 * KiB, 4 * KiB, 4, 4, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const mc_case *k = &cases[i];
        double closed = iotlb_random_hit_rate(k->ws, k->page, k->entries, k->ways, k->flush);
        uint64_t n = 200000;
        if (k->flush > 0)
            n = n / (uint64_t)k->flush * (uint64_t)k->flush;
        double mc = iotlb_random_hit_rate_lru(k->ws, k->page, k->entries, k->ways, k->flush,
                                              1000 + i, n);
        double sigma = sqrt(fmax(closed * (1 - closed), 1e-6) / (double)n);
        if (fabs(closed - mc) > 4 * sigma + 1e-4)
            fprintf(stderr, "case %zu: closed %.6f monte carlo %.6f (sigma %.6f)\n", i, closed,
                    mc, sigma);
        assert_true(fabs(closed - mc) <= 4 * sigma + 1e-4);
    }
}

/* The per-packet cost follows the pattern: a DPDK VF over 512 KiB of
 * buffers walks every packet cyclically, half of them at random. */
static void test_packet_cost(void **state)
{
    (void)state;
    iommu_config io = {.enabled = true, .page_size_bytes = 4 * KiB, .iotlb_entries = 64,
                       .iotlb_ways = 64, .walkers = 5, .mem_ref_latency_s = 56.5e-9};
    iotlb_memo m = {0};
    iommu_pkt_cost c = iommu_packet_cost(&io, &m, 512 * KiB, IOTLB_CYCLIC, true, 64);
    iommu_pkt_cost r = iommu_packet_cost(&io, &m, 512 * KiB, IOTLB_RANDOM, true, 64);
    assert_true(c.misses == 1.0);
    assert_true(fabs(r.misses - 0.5) < 1e-15);
    assert_int_equal(m.n, 2);
    iotlb_memo_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closed_form),
        cmocka_unit_test(test_flush_by_hand),
        cmocka_unit_test(test_against_monte_carlo),
        cmocka_unit_test(test_packet_cost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
