/* iotlb_random.c -- the hit rate of the random access pattern (iotlb.h):
 * every lookup draws one of the working set's P pages uniformly and
 * independently (the independent reference model).
 *
 * Closed form. Under LRU a set that has seen d distinct pages holds the
 * min(d, ways) most recent of them, and under uniform draws those are a
 * uniformly random subset of its n_j pages; a lookup that lands in the set
 * hits with probability cached / n_j. In the steady state (no flushes) a
 * set holds min(n_j, ways) pages, so
 *
 *     hit = sum_j (n_j / P) x min(n_j, ways) / n_j = sum_j min(n_j, ways) / P
 *
 * (fully associative, C entries, P > C pages: C / P). With a flush every F
 * lookups each epoch starts empty: the cached count of a set is a Markov
 * chain (a lookup lands in the set with probability n_j / P and, while the
 * set is not full, raises the count on a miss), whose expected hits over
 * the F lookups are summed exactly (dp_epoch_hits). Sets come in two sizes
 * (q and q + 1 pages), so two chains cover every geometry.
 *
 * The Monte Carlo reference runs the draws through iotlb_access(). */
#include "iommu/iotlb.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#define MAX_PAGES 1099511627776.0   /* 2^40, as MAX_SLOTS in iotlb.c */

typedef struct rgeom {
    double pages, sets, q, r;   /* r sets hold q + 1 pages, sets - r hold q */
} rgeom;

static bool rgeom_init(rgeom *g, double ws, double page, int entries, int ways)
{
    if (!(ws >= IOTLB_SLOT_BYTES) || !(page >= IOTLB_SLOT_BYTES) || entries < 1 || ways < 1 ||
        ways > entries || entries % ways)
        return false;
    double slots = fmin(floor(ws / IOTLB_SLOT_BYTES), MAX_PAGES);
    double per_page = fmin(floor(page / IOTLB_SLOT_BYTES), slots);
    g->pages = ceil(slots / per_page);
    g->sets = (double)(entries / ways);
    g->q = floor(g->pages / g->sets);
    g->r = g->pages - g->q * g->sets;
    return true;
}

/* Expected hits in one set of n pages and `ways` ways over F lookups of
 * the whole cache, starting empty; p = n / P. State d = pages cached. */
static double dp_epoch_hits(double n, int ways, double p, long F)
{
    if (n <= 0 || F <= 0)
        return 0;
    long dmax = (long)fmin(fmin((double)ways, n), (double)F);
    double *pi = calloc((size_t)dmax + 1, sizeof *pi);
    if (!pi)
        return NAN;
    pi[0] = 1.0;
    double hits = 0;
    for (long t = 0; t < F; t++) {
        long top = t < dmax ? t : dmax;   /* d <= t after t lookups */
        for (long d = top; d >= 0; d--) {
            double hit = (double)d / n;
            hits += pi[d] * p * hit;
            if (d < dmax) {
                double up = pi[d] * p * (1.0 - hit);
                pi[d] -= up;
                pi[d + 1] += up;
            }
        }
    }
    free(pi);
    return hits;
}

double iotlb_random_hit_rate(double ws, double page, int entries, int ways, long flush_every)
{
    rgeom g;
    if (!rgeom_init(&g, ws, page, entries, ways))
        return -1.0;
    double n0 = g.q, n1 = g.q + 1, s0 = g.sets - g.r, s1 = g.r;
    if (flush_every <= 0)
        return (s0 * fmin(n0, ways) + s1 * fmin(n1, ways)) / g.pages;
    double h = 0;
    if (s0 > 0)
        h += s0 * dp_epoch_hits(n0, ways, n0 / g.pages, flush_every);
    if (s1 > 0)
        h += s1 * dp_epoch_hits(n1, ways, n1 / g.pages, flush_every);
    return isnan(h) ? -1.0 : h / (double)flush_every;
}

/* xorshift64* seeded by splitmix64: the reference's own stream. */
static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t xorshift64s(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dULL;
}

double iotlb_random_hit_rate_lru(double ws, double page, int entries, int ways,
                                 long flush_every, uint64_t seed, uint64_t accesses)
{
    rgeom g;
    if (!rgeom_init(&g, ws, page, entries, ways) || accesses == 0)
        return -1.0;
    iotlb *t = iotlb_new(entries, ways);
    if (!t)
        return -1.0;
    uint64_t s = splitmix64(seed) | 1, pages = (uint64_t)g.pages, hits = 0;
    /* without flushes, warm up for 20 x entries lookups first */
    uint64_t warm = flush_every > 0 ? 0 : 20ULL * (uint64_t)entries;
    for (uint64_t k = 0; k < warm + accesses; k++) {
        if (flush_every > 0 && k % (uint64_t)flush_every == 0)
            iotlb_flush(t);
        uint64_t pg = (uint64_t)((double)(xorshift64s(&s) >> 11) * 0x1p-53 * (double)pages);
        int hit = iotlb_access(t, pg < pages ? pg : pages - 1);
        if (k >= warm)
            hits += (uint64_t)hit;
    }
    iotlb_free(t);
    return (double)hits / (double)accesses;
}
