/* rwl.h -- internal to src/report: the workloads' p99 slowdown against
 * flow size, from /workload_fct (docs/results.md), as the
 * datacentre-transport literature draws it (HPCC, Parsimon): one line per
 * workload, x the flow-size bucket, y the slowdown (log-log).
 * Ownership: wl_fct_data owns its arrays. Units: bytes, slowdown 1.
 */
#ifndef SRIOV_REPORT_RWL_H
#define SRIOV_REPORT_RWL_H

#include <hdf5.h>
#include <stddef.h>

#include "report/rplot.h"

typedef struct wl_fct_data {
    size_t n;
    char **workload;
    double *lo, *hi, *flows, *p50, *p99, *p999;
    size_t n_workloads;         /* distinct names, in order of appearance */
} wl_fct_data;

/* 0, or -1 when the file has no readable /workload_fct (no figure). */
int rp_read_wl_fct(hid_t file, wl_fct_data *out);
void rp_wl_fct_free(wl_fct_data *d);
/* workload_slowdown.dat: per workload a block (two blank lines between),
 * one line per bucket: size_bytes (the bucket's geometric middle), p50,
 * p99, p99.9 slowdown, flows; *names (owned) the gnuplot assignment
 * "names='a b ...'" naming the blocks in order. */
int rp_export_wl_fct(const char *dir, const wl_fct_data *d, char **names, errbuf *e);

#endif
