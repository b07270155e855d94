/* rdata.h -- internal to src/report: what the results-file report reads
 * from the HDF5 file (report.c) and how each figure's data is exported as
 * gnuplot text (report_export.c). The data stays in the file's units
 * (bit/s, fractions, bytes); the templates convert.
 * Ownership: report_data owns everything it points to (report.c frees it).
 */
#ifndef SRIOV_REPORT_RDATA_H
#define SRIOV_REPORT_RDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "report/report.h"
#include "report/rgpu.h"
#include "report/rh5.h"
#include "report/rlat.h"
#include "report/rmig.h"
#include "report/rplot.h"
#include "report/rwl.h"

/* Per flow: what was offered and what arrived, from /flows. */
typedef struct delivery {
    size_t n;
    char **names;
    double *offered_bytes;
    double *delivered_bytes;
    double *remaining_bytes;    /* elastic: still to move; NaN inelastic;
                                   NULL in schema 1 files */
    double *p50_s, *p99_s, *p999_s;     /* per-flow latency percentiles */
} delivery;

typedef struct report_data {
    char *scenario_name;    /* may be NULL */
    matrix time;            /* [n_samples x 1] */
    matrix flows;           /* flow_throughput_bps */
    matrix links;           /* link_utilisation */
    matrix vfs;             /* vf_throughput_bps */
    matrix cpu;             /* host_cpu_utilisation, when virtio NICs exist */
    matrix vmcpu;           /* vm_vcpu_network, when a NIC has key guest */
    matrix streams;         /* transfer_throughput_bps: migration streams */
    bool *is_pcie;          /* [links.cols]: /links kind pcie_up|pcie_down */
    size_t n_pcie;          /* of them, not idle throughout */
    delivery delivery;
    mig_phases mig;         /* from /migrations and the mig_* events */
    char *mig_extra;        /* its figure's assignments: phases, zoomed panels */
    wl_fct_data wl;         /* /workload_fct (rwl.h) */
    gpu_fig_data gpu;       /* /gpus, /gpu_instances, /gpu_jobs (rgpu.h) */
    char *wl_names;         /* its figure's names='...' assignment */
    size_t n_latency;       /* flows with a finite p99 */
    rp_hists flow_hist;     /* /flow_latency_hist (rlat.h), n 0 when absent */
    rp_hists vf_hist;       /* /vf_latency_hist */
    char **vf_labels;       /* [vf_hist.n] */
    bool have_time, have_flows, have_links, have_delivery, have_vfs;
    bool have_cpu, have_mig, have_streams, have_wl, have_vmcpu, have_gpu;
} report_data;

/* The largest value of column c of m (0 when it never rises above 0). */
double rp_column_peak(const matrix *m, size_t c);

/* Each writes one figure's .dat file into dir (names as the figures'). The
 * top-N exporters put in *n_shown the columns they kept (highest peak
 * first; never a column idle throughout). */
int rp_export_delivery(const char *dir, const delivery *dv, errbuf *e);
int rp_export_mig_timeline(const char *dir, const report_data *rd, errbuf *e);
int rp_export_flows(const char *dir, const char *name, const report_data *rd, errbuf *e);
int rp_export_links(const char *dir, const report_data *rd, size_t *n_shown, errbuf *e);
int rp_export_vfs(const char *dir, const report_data *rd, size_t *n_shown, errbuf *e);
int rp_export_pcie(const char *dir, const report_data *rd, size_t *n_shown, errbuf *e);
int rp_export_cpu(const char *dir, const report_data *rd, size_t *n_shown, errbuf *e);
int rp_export_vmcpu(const char *dir, const report_data *rd, size_t *n_shown, errbuf *e);
/* One line per flow with a finite p99: name p50_s p99_s p999_s. */
int rp_export_percentiles(const char *dir, const delivery *dv, errbuf *e);

#endif
