/* results_hist.c -- latency histograms as results tables; see
 * results_hist.h. */
#include "metrics/results_hist.h"

#include <string.h>

static const results_column hist_cols[] = {
    RESULTS_I32(lat_hist_row, first_bin, "index"),
    RESULTS_I32(lat_hist_row, n_bins, "count"),
    RESULTS_I64(lat_hist_row, offset, "index"),
    RESULTS_F64(lat_hist_row, packets, "packets"),
    RESULTS_F64(lat_hist_row, latency_sum_s, "s"),
    RESULTS_F64(lat_hist_row, min_s, "s"),
    RESULTS_F64(lat_hist_row, max_s, "s"),
};

static const results_column count_cols[] = {
    RESULTS_F64(lat_count_row, packets, "packets"),
};

static const results_schema flow_hist = RESULTS_SCHEMA("flow_latency_hist", lat_hist_row, hist_cols);
static const results_schema flow_counts = RESULTS_SCHEMA("flow_latency_counts", lat_count_row, count_cols);
static const results_schema vf_hist = RESULTS_SCHEMA("vf_latency_hist", lat_hist_row, hist_cols);
static const results_schema vf_counts = RESULTS_SCHEMA("vf_latency_counts", lat_count_row, count_cols);

int results_add_hists(results_registry *reg, const char *what, const lhist *h, size_t n)
{
    int vf = strcmp(what, "vf") == 0;
    size_t n_counts = 0;
    for (size_t i = 0; i < n; i++)
        n_counts += h[i].n;
    lat_hist_row *rows = results_table_add(reg, vf ? &vf_hist : &flow_hist, n);
    lat_count_row *cnt = results_table_add(reg, vf ? &vf_counts : &flow_counts, n_counts);
    if ((n && !rows) || (n_counts && !cnt))
        return -1;
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        rows[i] = (lat_hist_row){h[i].n ? h[i].first : 0, (int32_t)h[i].n, (int64_t)off,
                                 h[i].total, h[i].sum_s, h[i].min_s, h[i].max_s};
        for (uint32_t j = 0; j < h[i].n; j++)
            cnt[off + j].packets = h[i].counts[j];
        off += h[i].n;
    }
    return 0;
}
