/* test_iotlb_closed_form.c -- the IOTLB hit rate in closed form
 * (iotlb_cyclic_hit_rate) against the LRU run it replaces
 * (iotlb_cyclic_hit_rate_lru), bit for bit, over small caches and every
 * kind of pattern (fitting, thrashing, mixed sets, partial last page, pages
 * wider than the working set, flushes mid-run, the capped warm-up); against
 * hand-computed stack-distance values (Mattson et al. 1970); and its cost
 * and robustness at the limits (issue 20 items 7 and 15). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <time.h>

#include "iommu/iotlb.h"

#define KiB 1024.0
#define MiB 1048576.0
#define GiB 1073741824.0

/* Both modes, bit for bit; prints the case that differs. */
static void check_same(double ws, double page, int entries, int ways, long flush)
{
    double closed = iotlb_cyclic_hit_rate(ws, page, entries, ways, flush);
    double lru = iotlb_cyclic_hit_rate_lru(ws, page, entries, ways, flush);
    if (closed != lru)
        fprintf(stderr, "ws %.0f page %.0f entries %d ways %d flush %ld: closed %.17g lru %.17g\n",
                ws, page, entries, ways, flush, closed, lru);
    assert_true(closed == lru);
}

/* Geometries of 1..12 entries, working sets of 1..40 slots (some sets fit,
 * some thrash, some are empty), pages of 1, 3 and 4 slots (a partial last
 * page, a page wider than the working set) and flushes never, every access,
 * mid-run and rarely. */
static void test_small_caches_agree(void **state)
{
    (void)state;
    static const int entries[] = {1, 2, 3, 4, 6, 8, 12};
    static const int slots[] = {1, 2, 3, 5, 7, 8, 9, 12, 13, 16, 17, 24, 25, 31, 40};
    static const double pages[] = {4 * KiB, 12 * KiB, 16 * KiB};
    static const long flushes[] = {0, 1, 5, 7, 250, 1000};
    for (size_t e = 0; e < sizeof entries / sizeof *entries; e++)
        for (int ways = 1; ways <= entries[e]; ways++) {
            if (entries[e] % ways)
                continue;
            for (size_t s = 0; s < sizeof slots / sizeof *slots; s++)
                for (size_t p = 0; p < sizeof pages / sizeof *pages; p++)
                    for (size_t f = 0; f < sizeof flushes / sizeof *flushes; f++)
                        check_same(slots[s] * 4 * KiB, pages[p], entries[e], ways, flushes[f]);
        }
}

/* The shapes the model uses: 64 entries, 4 KiB / 2 MiB pages, the lazy
 * flush of 250 x translations, working sets around the reach. */
static void test_model_sizes_agree(void **state)
{
    (void)state;
    static const double ws[] = {32 * 4 * KiB, 64 * 4 * KiB, 65 * 4 * KiB, 72 * 4 * KiB,
                                300 * 4 * KiB, 8 * MiB, 8 * MiB + 4 * KiB, 129 * MiB + 8 * KiB};
    static const int ways[] = {1, 4, 16, 64};
    static const long flushes[] = {0, 250, 500, 1000};
    for (size_t i = 0; i < sizeof ws / sizeof *ws; i++)
        for (size_t w = 0; w < sizeof ways / sizeof *ways; w++)
            for (size_t f = 0; f < sizeof flushes / sizeof *flushes; f++) {
                check_same(ws[i], 4 * KiB, 64, ways[w], flushes[f]);
                check_same(ws[i], 2 * MiB, 64, ways[w], flushes[f]);
            }
    /* a page wider than the working set; 1 GiB pages */
    check_same(256 * MiB, 1 * GiB, 64, 64, 250);
}

/* Working sets beyond the 4 M-access warm-up: the window falls in the
 * first sweep and counts cold misses too. */
static void test_capped_warmup_agrees(void **state)
{
    (void)state;
    check_same(16 * GiB, 2 * MiB, 64, 4, 0);
    check_same(16 * GiB + 12 * KiB, 2 * MiB, 64, 4, 1000);
    check_same(40 * GiB, 1 * GiB, 64, 4, 0);        /* 40 pages fit, first sweep */
    check_same(40 * GiB, 1 * GiB, 64, 4, 300007);
}

/* Hand-computed with LRU stack distances: in a cyclic sweep each page is
 * re-referenced at stack distance n (the pages of its set), so it hits iff
 * n <= ways; the other accesses of a page's run hit (distance 1). */
static void test_textbook_values(void **state)
{
    (void)state;
    /* 128 pages of 2 MiB in 64 fully associative entries: 1 miss per page
     * per sweep of 65536 accesses; the window is exactly two sweeps. */
    assert_true(iotlb_cyclic_hit_rate(256 * MiB, 2 * MiB, 64, 64, 0) == 511.0 / 512.0);
    /* 64 pages in 64 entries: distance 64 <= 64, all hit */
    assert_true(iotlb_cyclic_hit_rate(64 * 4 * KiB, 4 * KiB, 64, 64, 0) == 1.0);
    /* 72 pages of 4 KiB, 16 sets of 4 ways: sets 0-7 hold 5 pages (thrash),
     * 8-15 hold 4 (fit), so 40 of 72 accesses per sweep miss. The window of
     * 4 x 64 x 512 = 131072 accesses is 1820 sweeps + 32 slots (pages 0-31,
     * 16 of them thrashing): 72816 misses. Steady state 32/72 = 0.4444. */
    assert_true(iotlb_cyclic_hit_rate(72 * 4 * KiB, 4 * KiB, 64, 4, 0) ==
                (131072.0 - 72816.0) / 131072.0);
    /* one page more than the reach, fully associative: every access misses */
    assert_true(iotlb_cyclic_hit_rate(65 * 4 * KiB, 4 * KiB, 64, 64, 0) == 0.0);
}

/* The documented maximum, 1 M entries fully associative, took ~35 min in
 * the LRU run; the closed form takes microseconds (bound: 1 s of CPU for
 * all of these). */
static void test_max_entries_is_fast(void **state)
{
    (void)state;
    clock_t t0 = clock();
    assert_true(iotlb_cyclic_hit_rate(8 * MiB, 4 * KiB, 1 << 20, 1 << 20, 0) == 1.0);
    /* a flush every 250 accesses of distinct 4 KiB pages: all first touches */
    assert_true(iotlb_cyclic_hit_rate(8 * MiB, 4 * KiB, 1 << 20, 1 << 20, 250) == 0.0);
    /* 2 MiB pages: one miss per flush, one more where a page starts */
    double h = iotlb_cyclic_hit_rate(8 * MiB, 2 * MiB, 1 << 20, 1 << 20, 250);
    assert_true(h > 1.0 - 2.0 / 250.0 && h < 1.0 - 1.0 / 250.0);
    assert_true(iotlb_cyclic_hit_rate(8 * GiB, 4 * KiB, 1 << 20, 1 << 20, 0) < 0.01);
    assert_true(iotlb_cyclic_hit_rate(8 * MiB, 2 * MiB, 1 << 20, 1, 0) == 1.0);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
}

/* Item 15: 1e300 B of working set overflowed a long. Now it is 2^40 slots
 * (any larger set measures the same first sweep), and NaN or infinity
 * inputs give -1 or a rate in [0, 1], never undefined behaviour. */
static void test_huge_working_sets(void **state)
{
    (void)state;
    double huge = iotlb_cyclic_hit_rate(1e300, 4 * KiB, 64, 64, 250);
    assert_true(huge >= 0.0 && huge <= 1.0);
    assert_true(huge == iotlb_cyclic_hit_rate(4096.0 * 1099511627776.0, 4 * KiB, 64, 64, 250));
    assert_true(iotlb_cyclic_hit_rate(1e300, 1 * GiB, 64, 64, 0) ==
                iotlb_cyclic_hit_rate(64 * GiB, 1 * GiB, 64, 64, 0));
    assert_true(iotlb_cyclic_hit_rate(1e300, 1e300, 64, 64, 0) == 1.0);  /* one page */
    assert_true(iotlb_cyclic_hit_rate(INFINITY, 4 * KiB, 64, 64, 0) >= 0.0);
    assert_true(iotlb_cyclic_hit_rate(NAN, 4 * KiB, 64, 64, 0) == -1.0);
    assert_true(iotlb_cyclic_hit_rate(8 * MiB, NAN, 64, 64, 0) == -1.0);
    assert_true(iotlb_cyclic_hit_rate_lru(NAN, 4 * KiB, 64, 64, 0) == -1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_caches_agree),
        cmocka_unit_test(test_model_sizes_agree),
        cmocka_unit_test(test_capped_warmup_agrees),
        cmocka_unit_test(test_textbook_values),
        cmocka_unit_test(test_max_entries_is_fast),
        cmocka_unit_test(test_huge_working_sets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
