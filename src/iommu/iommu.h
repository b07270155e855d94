/* iommu.h -- IOMMU translation cost: page-walk length, walk time, the
 * shared walker's queueing, and the per-packet translation work of a VF
 * (docs/pcie-iommu.md has every parameter with its source).
 *
 *   levels(page)   = 4 (4 KiB), 3 (2 MiB), 2 (1 GiB)        x86-64 paging
 *   refs           = levels                                  native walk
 *                  = (levels + 1)^2 - 1                      nested (2-D) walk,
 *                    guest and host with the same page size: 24 for 4K/4K
 *                    (Bhargava et al., ASPLOS 2008)
 *                  with a page-walk cache (upper levels hit): 1 native, 3 nested
 *   walk_s         = refs x mem_ref_latency_s
 *   walker         = c = walkers concurrent walks, service walk_s: an M/M/c
 *                    queue; mean time per walk = walk_s + W_q with
 *                    W_q = ErlangC(c, a) x walk_s / (c - a), a = lambda x walk_s
 *                    (lambda: walks per second). a is capped at 0.99 c: the
 *                    fluid solver already caps throughput at the walker's
 *                    capacity, and real devices bound outstanding requests.
 *
 * Per packet of sz bytes a VF translates ceil(sz / 4 KiB) buffer slots
 * (iotlb.h). Unmaps: the kernel driver unmaps each buffer after use (one
 * per packet); DPDK over VFIO maps its memory once (none). Strict mode
 * invalidates each unmapped page (the next use misses) and queues one
 * invalidation per packet; lazy mode (Linux default) flushes the domain
 * once per 250 unmaps. An invalidation occupies the IOMMU for
 * invalidation_latency_s, counted as walker work.
 *
 * Units: bytes, seconds. Pure functions except the memo (iotlb.h).
 */
#ifndef SRIOV_IOMMU_H
#define SRIOV_IOMMU_H

#include "iommu/iotlb.h"
#include "scenario/config.h"

#define IOMMU_LAZY_FLUSH_UNMAPS 250   /* Linux lazy IOTLB flush (docs/references.md) */

int iommu_walk_refs(double page_bytes, bool nested, bool pwc);
double iommu_walk_s(const iommu_config *io);
/* Erlang C: probability that a walk waits, c servers, offered load a < c. */
double iommu_erlang_c(int c, double a);
/* Mean time per walk (s) at walks_per_s walks arriving per second. */
double iommu_mean_walk_s(const iommu_config *io, double walks_per_s);

/* What one packet costs a VF's translation domain. */
typedef struct iommu_pkt_cost {
    double translations;    /* IOTLB lookups */
    double misses;          /* page walks */
    double invalidations;   /* queued invalidations (strict: 1, lazy: 1/250) */
} iommu_pkt_cost;

/* dpdk: the VF's driver maps buffers once (no unmaps). pattern: how the
 * buffers' DMAs walk the working set (iotlb.h). memo may be shared. */
iommu_pkt_cost iommu_packet_cost(const iommu_config *io, iotlb_memo *memo,
                                 double working_set_bytes, iotlb_pattern pattern, bool dpdk,
                                 double sz);
/* Seconds of walker capacity one packet uses (sum over servers). */
double iommu_packet_busy_s(const iommu_config *io, const iommu_pkt_cost *k);

#endif
