/* rlat.h -- internal to src/report: the latency histograms of a results
 * file (schema 3: /flow_latency_hist, /vf_latency_hist and their counts,
 * docs/results.md "Latency histograms") read back, checked, and turned
 * into the figures' data: the per-flow latency CDF and the per-VF latency
 * percentiles. Every value comes from util/lhist.h on the stored bins, so
 * the figures agree with /flows and /vfs exactly.
 * Ownership: an rp_hists owns its arrays; rp_hists_free releases them.
 */
#ifndef SRIOV_REPORT_RLAT_H
#define SRIOV_REPORT_RLAT_H

#include <hdf5.h>
#include <stddef.h>

#include "util/errbuf.h"
#include "util/lhist.h"

typedef struct rp_hists {
    size_t n;               /* histograms: one per /flows or /vfs row */
    lhist *h;               /* [n]; their counts point into `counts` */
    double *counts;         /* all the stored counts */
    size_t n_nonempty;      /* of them, with packets */
} rp_hists;

/* Reads /<what>_latency_hist, which must have n_rows rows, and
 * /<what>_latency_counts (what: "flow" or "vf"). 0 when read and sound, 1
 * when the file has no such table (written before schema 3), -1 when it
 * is there but malformed or unreadable: rp_damage() then says why. */
int rp_read_hists(hid_t file, const char *what, size_t n_rows, rp_hists *out);
void rp_hists_free(rp_hists *h);

/* dir/latency_cdf.dat: the CDF of at most max flows, those with the
 * highest p99, one block per flow (blocks two blank lines apart): header
 * "latency_s <name>", then (latency s, fraction of packets at or below) at
 * the start of the law and at every non-empty bin's upper edge (the last
 * one at max_s). *n_drawn: blocks written. */
int rp_export_hist_cdf(const char *dir, const rp_hists *h, char *const *names,
                       size_t max, size_t *n_drawn, errbuf *e);

/* dir/NAME: "name p50_s p99_s p999_s" of at most max histograms with
 * packets, highest p99 first (the latency_percentiles.gp format).
 * *n_drawn: lines written. */
int rp_export_hist_percentiles(const char *dir, const char *name, const rp_hists *h,
                               char *const *names, size_t max, size_t *n_drawn,
                               errbuf *e);

#endif
