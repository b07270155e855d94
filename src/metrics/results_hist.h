/* results_hist.h -- latency histograms (util/lhist.h) as results tables.
 *
 * A set of histograms, one per row of a core table (/flows or /vfs, same
 * order), becomes two registry tables (docs/results.md, "Latency
 * histograms"):
 *   /<what>_latency_hist    one row per histogram: first_bin, n_bins,
 *                           offset (its first count's row in the counts
 *                           table), packets (sum of its counts),
 *                           latency_sum_s (packets x mean), min_s, max_s;
 *   /<what>_latency_counts  the held runs of bins, one after the other:
 *                           one column, packets.
 * Only each histogram's run from its first to its last non-empty bin is
 * stored, so a flow costs 40 bytes plus 8 per bin its law spans.
 *
 * Ownership: the rows belong to the registry (results_free); the lhists
 * stay the caller's. Units: seconds, packets.
 */
#ifndef SRIOV_RESULTS_HIST_H
#define SRIOV_RESULTS_HIST_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/results_table.h"
#include "util/lhist.h"

typedef struct lat_hist_row {
    int32_t first_bin;          /* layout bin of its first count */
    int32_t n_bins;             /* counts held (0: empty) */
    int64_t offset;             /* row of its first count */
    double packets;             /* sum of its counts */
    double latency_sum_s;       /* sum of packets x latency (mean = sum/packets) */
    double min_s;               /* NaN when empty */
    double max_s;
} lat_hist_row;

typedef struct lat_count_row {
    double packets;
} lat_count_row;

/* Adds /<what>_latency_hist with n rows and /<what>_latency_counts from
 * h[0..n); what is "flow" or "vf". 0, or -1 when out of memory. */
int results_add_hists(results_registry *reg, const char *what, const lhist *h, size_t n);

#endif
