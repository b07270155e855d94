/* iotlb.c -- see iotlb.h. */
#include "iommu/iotlb.h"

#include <math.h>
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

#define MAX_MEASURED_ACCESSES 4000000L

double iotlb_cyclic_hit_rate(double working_set_bytes, double page_bytes, int entries,
                             int ways, long flush_every)
{
    if (working_set_bytes < IOTLB_SLOT_BYTES || page_bytes < IOTLB_SLOT_BYTES)
        return -1.0;
    iotlb *t = iotlb_new(entries, ways);
    if (!t)
        return -1.0;
    /* The loader bounds sizes to 1 PiB (units_range); past 2^62 slots the
     * conversion to long (and 2 * slots) would overflow: refuse, never UB. */
    if (!(working_set_bytes / IOTLB_SLOT_BYTES < 0x1p62) ||
        !(page_bytes / IOTLB_SLOT_BYTES < 0x1p62))
        return -1.0;
    long slots = (long)floor(working_set_bytes / IOTLB_SLOT_BYTES);
    long per_page = (long)(page_bytes / IOTLB_SLOT_BYTES);
    long measured = 2 * slots;
    if (measured < 4L * entries * 512)
        measured = 4L * entries * 512;
    if (measured > MAX_MEASURED_ACCESSES)
        measured = MAX_MEASURED_ACCESSES;
    long warm = slots < MAX_MEASURED_ACCESSES ? slots : MAX_MEASURED_ACCESSES;
    long hits = 0;
    for (long k = 0; k < warm + measured; k++) {
        if (flush_every > 0 && k % flush_every == 0)
            iotlb_flush(t);
        int hit = iotlb_access(t, (uint64_t)((k % slots) / per_page));
        if (k >= warm)
            hits += hit;
    }
    iotlb_free(t);
    return (double)hits / (double)measured;
}

double iotlb_memo_hit_rate(iotlb_memo *m, double ws, double page, int entries, int ways,
                           long flush_every)
{
    for (size_t i = 0; i < m->n; i++) {
        const iotlb_memo_entry *e = &m->e[i];
        if (e->ws == ws && e->page == page && e->entries == entries && e->ways == ways &&
            e->flush_every == flush_every)
            return e->hit_rate;
    }
    double rate = iotlb_cyclic_hit_rate(ws, page, entries, ways, flush_every);
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
    m->e[m->n++] = (iotlb_memo_entry){ws, page, entries, ways, flush_every, rate};
    return rate;
}

void iotlb_memo_free(iotlb_memo *m)
{
    free(m->e);
    m->e = NULL;
    m->n = m->cap = 0;
}
