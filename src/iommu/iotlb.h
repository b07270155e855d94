/* iotlb.h -- a set-associative LRU IOTLB, and the steady-state hit rate of
 * the access pattern a VF's packet stream makes (docs/pcie-iommu.md).
 *
 * Access model (cyclic, the default; the random one is below): a VF's rings and packet buffers span a
 * working set of W bytes, one 4 KiB buffer slot per packet, used cyclically
 * (slot k of packet k mod W/4KiB, as a ring of page-sized buffers is
 * recycled). Each access looks up the page holding its slot: with 2 MiB or
 * 1 GiB pages, 512 or 262144 consecutive slots share one entry. Optionally
 * the whole IOTLB is flushed every flush_every accesses (Linux lazy
 * invalidation: one domain flush per 250 unmaps).
 *
 * Sets are indexed by page number mod n_sets (entries / ways). LRU within
 * a set. Units: bytes. Ownership: iotlb_new/iotlb_free.
 */
#ifndef SRIOV_IOTLB_H
#define SRIOV_IOTLB_H

#include <stddef.h>
#include <stdint.h>

#define IOTLB_SLOT_BYTES 4096.0

typedef struct iotlb iotlb;

/* entries >= 1, 1 <= ways <= entries, entries a multiple of ways. NULL
 * on a bad geometry or out of memory. */
iotlb *iotlb_new(int entries, int ways);
void iotlb_free(iotlb *t);
/* Looks page up, inserting it as most recent on a miss. 1 hit, 0 miss. */
int iotlb_access(iotlb *t, uint64_t page);
void iotlb_flush(iotlb *t);

/* Steady-state hit rate of the cyclic pattern above, as an LRU run would
 * measure it: one warm-up sweep (at most 4 M accesses), then counts over at
 * least two sweeps (and at least 4 x entries x 512 accesses, at most 4 M).
 * flush_every 0 = never. -1 on a bad input (a bad geometry, a working set
 * or page below 4 KiB, NaN).
 *
 * iotlb_cyclic_hit_rate counts the misses in closed form (LRU stack
 * distances per set, docs/pcie-iommu.md): O(1) without flushes, O(4 M /
 * flush_every) with them, whatever the entries and ways; it returns
 * exactly (bit for bit) what iotlb_cyclic_hit_rate_lru measures by running
 * the accesses through iotlb_access, at O(accesses x ways): 35 min for
 * 1 M fully associative entries (issue 20 item 7). The _lru one is the
 * reference the closed form is tested against (tests/unit/test_iotlb_*.c). */
double iotlb_cyclic_hit_rate(double working_set_bytes, double page_bytes, int entries,
                             int ways, long flush_every);
double iotlb_cyclic_hit_rate_lru(double working_set_bytes, double page_bytes, int entries,
                                 int ways, long flush_every);

/* The random pattern: each lookup draws one of the P = ceil(W / page)
 * pages uniformly and independently (a DMA address anywhere in the working
 * set; pcie-bench's random-window DMAs). Steady-state LRU hit rate in
 * closed form, per set min(n_j, ways) / n_j: sum_j min(n_j, ways) / P
 * (fully associative: C / P when P > C). With flush_every > 0 each epoch of
 * flush_every lookups starts empty and the rate is the epoch's expected
 * hits / flush_every, summed exactly over the fill-up (a Markov chain per
 * set size), O(flush_every x min(ways, flush_every)). -1 on a bad input
 * (as iotlb_cyclic_hit_rate). iotlb_random_hit_rate_lru is the Monte Carlo
 * reference: `accesses` seeded draws through iotlb_access (after 20 x
 * entries warm-up lookups when there are no flushes; with flushes counting
 * from the first, so pass a multiple of flush_every). */
double iotlb_random_hit_rate(double working_set_bytes, double page_bytes, int entries,
                             int ways, long flush_every);
double iotlb_random_hit_rate_lru(double working_set_bytes, double page_bytes, int entries,
                                 int ways, long flush_every, uint64_t seed, uint64_t accesses);

/* Access patterns (the VM NIC key buffer_access). */
typedef enum iotlb_pattern { IOTLB_CYCLIC = 0, IOTLB_RANDOM = 1 } iotlb_pattern;

/* A small memo of hit rates keyed by every input, so thousands of VFs with
 * one configuration simulate once. Owned by the caller. */
typedef struct iotlb_memo_entry {
    double ws, page;
    int entries, ways;
    long flush_every;
    iotlb_pattern pattern;
    double hit_rate;
} iotlb_memo_entry;

typedef struct iotlb_memo {
    iotlb_memo_entry *e;
    size_t n, cap;
} iotlb_memo;

double iotlb_memo_hit_rate(iotlb_memo *m, iotlb_pattern pattern, double working_set_bytes,
                           double page_bytes, int entries, int ways, long flush_every);
void iotlb_memo_free(iotlb_memo *m);

#endif
