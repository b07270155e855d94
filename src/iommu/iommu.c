/* iommu.c -- see iommu.h. */
#include "iommu/iommu.h"

#include <math.h>

#define IOMMU_MAX_LOAD 0.99

static int levels(double page_bytes)
{
    if (page_bytes >= 1073741824.0)
        return 2;
    if (page_bytes >= 2097152.0)
        return 3;
    return 4;
}

int iommu_walk_refs(double page_bytes, bool nested, bool pwc)
{
    int l = levels(page_bytes);
    if (pwc)
        return nested ? 3 : 1;
    return nested ? (l + 1) * (l + 1) - 1 : l;
}

double iommu_walk_s(const iommu_config *io)
{
    return iommu_walk_refs(io->page_size_bytes, io->nested, io->pwc) * io->mem_ref_latency_s;
}

/* Erlang C by the numerically stable Erlang B recurrence. */
double iommu_erlang_c(int c, double a)
{
    if (a <= 0)
        return 0.0;
    if (a >= c)
        return 1.0;
    double b = 1.0;
    for (int k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    double rho = a / c;
    return b / (1.0 - rho + rho * b);
}

double iommu_mean_walk_s(const iommu_config *io, double walks_per_s)
{
    double ws = iommu_walk_s(io);
    int c = io->walkers;
    double a = fmin(walks_per_s * ws, IOMMU_MAX_LOAD * c);
    if (a <= 0)
        return ws;
    return ws + iommu_erlang_c(c, a) * ws / (c - a);
}

iommu_pkt_cost iommu_packet_cost(const iommu_config *io, iotlb_memo *memo,
                                 double working_set_bytes, iotlb_pattern pattern, bool dpdk,
                                 double sz)
{
    iommu_pkt_cost k = {0, 0, 0};
    k.translations = ceil(sz / IOTLB_SLOT_BYTES);
    if (k.translations < 1)
        k.translations = 1;
    double hit;
    if (!dpdk && io->strict) {
        hit = 0.0;  /* every buffer was invalidated at its last unmap */
        k.invalidations = 1.0;
    } else {
        long flush_every = dpdk ? 0 : (long)(IOMMU_LAZY_FLUSH_UNMAPS * k.translations);
        hit = iotlb_memo_hit_rate(memo, pattern, working_set_bytes, io->page_size_bytes,
                                  io->iotlb_entries, io->iotlb_ways, flush_every);
        if (hit < 0)
            hit = 0.0;
        k.invalidations = dpdk ? 0.0 : 1.0 / IOMMU_LAZY_FLUSH_UNMAPS;
    }
    k.misses = k.translations * (1.0 - hit);
    return k;
}

double iommu_packet_busy_s(const iommu_config *io, const iommu_pkt_cost *k)
{
    return k->misses * iommu_walk_s(io) + k->invalidations * io->invalidation_latency_s;
}
