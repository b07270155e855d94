/* iotlb.c -- see iotlb.h. */
#include "iommu/iotlb.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

struct iotlb {
    int sets, ways;
    uint64_t *tag;      /* [set * ways + way], page number + 1; 0 = empty */
    uint64_t *stamp;    /* last use, for LRU */
    uint64_t clock;
};

iotlb *iotlb_new(int entries, int ways)
{
    if (entries < 1 || ways < 1 || ways > entries || entries % ways)
        return NULL;
    iotlb *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->sets = entries / ways;
    t->ways = ways;
    t->tag = calloc((size_t)entries, sizeof *t->tag);
    t->stamp = calloc((size_t)entries, sizeof *t->stamp);
    if (!t->tag || !t->stamp) {
        iotlb_free(t);
        return NULL;
    }
    return t;
}

void iotlb_free(iotlb *t)
{
    if (!t)
        return;
    free(t->tag);
    free(t->stamp);
    free(t);
}

void iotlb_flush(iotlb *t)
{
    for (int i = 0; i < t->sets * t->ways; i++)
        t->tag[i] = t->stamp[i] = 0;
}

int iotlb_access(iotlb *t, uint64_t page)
{
    size_t base = (size_t)(page % (uint64_t)t->sets) * (size_t)t->ways;
    uint64_t *tag = t->tag + base, *stamp = t->stamp + base;
    t->clock++;
    int victim = 0;
    for (int w = 0; w < t->ways; w++) {
        if (tag[w] == page + 1) {
            stamp[w] = t->clock;
            return 1;
        }
        /* an empty way (stamp reset by a flush) is the oldest of all */
        if (stamp[w] < stamp[victim])
            victim = w;
    }
    tag[victim] = page + 1;
    stamp[victim] = t->clock;
    return 0;
}

#define MAX_MEASURED_ACCESSES 4000000ULL

/* Beyond 2^40 slots (4 EiB) every measured access lies in the first sweep
 * (warm-up + window = 8 M accesses), where a larger working set changes
 * nothing; clamping there keeps every product below 2^63 (issue 20 item 15:
 * 1e300 B overflowed a long). */
#define MAX_SLOTS (1ULL << 40)

/* The pattern and the geometry, in integers. Page j holds slots
 * [j*per_page, min((j+1)*per_page, slots)); set s = j mod sets holds
 * n_s = q + (s < r) pages (q = pages / sets, r = pages mod sets). */
typedef struct cyclic {
    uint64_t slots, per_page, pages, sets;
    uint64_t thrash_sets;   /* sets [0, thrash_sets) hold more pages than ways */
    uint64_t warm, measured;
    uint64_t flush_every;   /* 0 = never */
} cyclic;

/* Fills c from the inputs; false on a bad input (the same refusals as
 * iotlb_new, and NaN). */
static bool cyclic_init(cyclic *c, double ws, double page, int entries, int ways,
                        long flush_every)
{
    if (!(ws >= IOTLB_SLOT_BYTES) || !(page >= IOTLB_SLOT_BYTES) || entries < 1 || ways < 1 ||
        ways > entries || entries % ways)
        return false;
    double slots = floor(ws / IOTLB_SLOT_BYTES), per_page = floor(page / IOTLB_SLOT_BYTES);
    c->slots = slots >= (double)MAX_SLOTS ? MAX_SLOTS : (uint64_t)slots;
    /* a page wider than the working set is one page, as wide as it */
    c->per_page = per_page >= (double)c->slots ? c->slots : (uint64_t)per_page;
    c->pages = (c->slots + c->per_page - 1) / c->per_page;
    c->sets = (uint64_t)(entries / ways);
    uint64_t q = c->pages / c->sets, w = (uint64_t)ways;
    c->thrash_sets = q > w ? c->sets : q == w ? c->pages % c->sets : 0;
    /* one warm-up sweep, then at least two sweeps and 4 x entries x 512 */
    c->measured = 2 * c->slots;
    if (c->measured < 4ULL * (uint64_t)entries * 512)
        c->measured = 4ULL * (uint64_t)entries * 512;
    if (c->measured > MAX_MEASURED_ACCESSES)
        c->measured = MAX_MEASURED_ACCESSES;
    c->warm = c->slots < MAX_MEASURED_ACCESSES ? c->slots : MAX_MEASURED_ACCESSES;
    c->flush_every = flush_every > 0 ? (uint64_t)flush_every : 0;
    return true;
}

/* Pages in [0, n) whose set thrashes. */
static uint64_t thrash_pages_below(const cyclic *c, uint64_t n)
{
    uint64_t rem = n % c->sets;
    return n / c->sets * c->thrash_sets + (rem < c->thrash_sets ? rem : c->thrash_sets);
}

/* Accesses k in [0, x) that start a page's run (slot k mod slots is the
 * page's first), all of them or only those of thrashing pages. */
static uint64_t starts_below(const cyclic *c, uint64_t x, bool thrash_only)
{
    uint64_t sweeps = x / c->slots, rem = x % c->slots;
    uint64_t n = (rem + c->per_page - 1) / c->per_page;  /* pages starting before rem */
    if (thrash_only)
        return sweeps * thrash_pages_below(c, c->pages) + thrash_pages_below(c, n);
    return sweeps * c->pages + n;
}

static uint64_t starts_in(const cyclic *c, uint64_t x, uint64_t y, bool thrash_only)
{
    return starts_below(c, y, thrash_only) - starts_below(c, x, thrash_only);
}

/* Misses among accesses [x, y), all after the flush (or start) at r and
 * before the next. Per set, LRU over a cyclic sweep of its n_s pages
 * re-references each page at stack distance n_s (Mattson et al. 1970):
 *  - a thrashing set (n_s > ways) misses at every run start;
 *  - a fitting set misses only at a page's first access since r: its run
 *    start in the first sweep after r;
 *  - the access at r itself misses, also in the middle of a run, and its
 *    page's own next run start (within that sweep) is then no first access.
 * Every other access repeats the page just used: a hit. */
static uint64_t misses_in_epoch(const cyclic *c, uint64_t r, uint64_t x, uint64_t y)
{
    uint64_t m = starts_in(c, x, y, true);
    uint64_t hi = y < r + c->slots ? y : r + c->slots;
    uint64_t rs = r % c->slots, p0 = rs / c->per_page;
    bool mid_run = rs % c->per_page != 0;
    if (x < hi) {
        m += starts_in(c, x, hi, false) - starts_in(c, x, hi, true);
        uint64_t p0_next = r - rs + p0 * c->per_page + c->slots;
        bool p0_fits = p0 % c->sets >= c->thrash_sets;
        if (mid_run && p0_fits && p0_next >= x && p0_next < hi)
            m--;
    }
    if (mid_run && x == r)
        m++;
    return m;
}

double iotlb_cyclic_hit_rate(double working_set_bytes, double page_bytes, int entries,
                             int ways, long flush_every)
{
    cyclic c;
    if (!cyclic_init(&c, working_set_bytes, page_bytes, entries, ways, flush_every))
        return -1.0;
    uint64_t k0 = c.warm, k1 = c.warm + c.measured, misses = 0;
    if (!c.flush_every) {
        misses = misses_in_epoch(&c, 0, k0, k1);
    } else {
        /* at most MAX_MEASURED_ACCESSES / flush_every + 1 epochs */
        for (uint64_t r = k0 / c.flush_every * c.flush_every; r < k1; r += c.flush_every) {
            uint64_t x = r > k0 ? r : k0, y = r + c.flush_every < k1 ? r + c.flush_every : k1;
            misses += misses_in_epoch(&c, r, x, y);
        }
    }
    return (double)(c.measured - misses) / (double)c.measured;
}

double iotlb_cyclic_hit_rate_lru(double working_set_bytes, double page_bytes, int entries,
                                 int ways, long flush_every)
{
    cyclic c;
    if (!cyclic_init(&c, working_set_bytes, page_bytes, entries, ways, flush_every))
        return -1.0;
    iotlb *t = iotlb_new(entries, ways);
    if (!t)
        return -1.0;
    uint64_t hits = 0;
    for (uint64_t k = 0; k < c.warm + c.measured; k++) {
        if (c.flush_every && k % c.flush_every == 0)
            iotlb_flush(t);
        int hit = iotlb_access(t, (k % c.slots) / c.per_page);
        if (k >= c.warm)
            hits += (uint64_t)hit;
    }
    iotlb_free(t);
    return (double)hits / (double)c.measured;
}

double iotlb_memo_hit_rate(iotlb_memo *m, iotlb_pattern pattern, double ws, double page,
                           int entries, int ways, long flush_every)
{
    for (size_t i = 0; i < m->n; i++) {
        const iotlb_memo_entry *e = &m->e[i];
        if (e->ws == ws && e->page == page && e->entries == entries && e->ways == ways &&
            e->flush_every == flush_every && e->pattern == pattern)
            return e->hit_rate;
    }
    double rate = pattern == IOTLB_RANDOM
                      ? iotlb_random_hit_rate(ws, page, entries, ways, flush_every)
                      : iotlb_cyclic_hit_rate(ws, page, entries, ways, flush_every);
    if (rate < 0)
        return rate;
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 8;
        iotlb_memo_entry *e = realloc(m->e, cap * sizeof *e);
        if (!e)
            return rate;
        m->e = e;
        m->cap = cap;
    }
    m->e[m->n++] = (iotlb_memo_entry){ws, page, entries, ways, flush_every, pattern, rate};
    return rate;
}

void iotlb_memo_free(iotlb_memo *m)
{
    free(m->e);
    m->e = NULL;
    m->n = m->cap = 0;
}
