/* report.c -- results file -> plain-text data -> gnuplot figures + index.md
 * (file list and template contract: see report.h).
 *
 * Three stages, each a section below: read what the figures need from the
 * HDF5 file (tolerating missing pieces), export it as gnuplot-friendly
 * text, then run one gnuplot process per figure and format. The data stays
 * in the file's units (bit/s, fractions, bytes); the templates convert to
 * Gbit/s, % and GB, so users editing a template see the raw data.
 */
#include "report/report.h"
#include "report/rcheck.h"
#include "report/rdata.h"
#include "report/rh5.h"
#include "report/rmig.h"
#include "report/rplot.h"
#include "report/rlat.h"
#include "report/rvf.h"
#include "report/rwl.h"
#include "util/textesc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Above this many flows the legend would hide the plot: the template
 * drops it and the index says so. */
#define MAX_LEGEND_ENTRIES 24
#define N_FIGURES 13


static void delivery_free(delivery *dv)
{
    rp_free_strings(dv->names, dv->n);
    free(dv->offered_bytes);
    free(dv->delivered_bytes);
    free(dv->remaining_bytes);
    free(dv->p50_s);
    free(dv->p99_s);
    free(dv->p999_s);
    memset(dv, 0, sizeof(*dv));
}

static int read_delivery(hid_t file, delivery *dv)
{
    memset(dv, 0, sizeof(*dv));
    hid_t d = H5Dopen2(file, "/flows", H5P_DEFAULT);
    if (d < 0)
        return -1;
    hssize_t rows = rp_dataset_elements(d);
    if (rows < 0) {
        H5Dclose(d);
        return -1;
    }
    hid_t sp = H5Dget_space(d);
    dv->n = (size_t)rows;
    dv->names = rp_read_string_field(d, "name", dv->n);
    dv->offered_bytes = rp_read_number_field(d, "offered_bytes", dv->n);
    dv->delivered_bytes = rp_read_number_field(d, "delivered_bytes", dv->n);
    dv->remaining_bytes = rp_read_number_field(d, "remaining_bytes", dv->n);
    dv->p50_s = rp_read_number_field(d, "latency_p50_s", dv->n);
    dv->p99_s = rp_read_number_field(d, "latency_p99_s", dv->n);
    dv->p999_s = rp_read_number_field(d, "latency_p999_s", dv->n);
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    if (!dv->names || !dv->offered_bytes || !dv->delivered_bytes) {
        delivery_free(dv);
        return -1;
    }
    return 0;
}


/* ---- what the figures need ---------------------------------------------- */


static void report_data_free(report_data *rd)
{
    free(rd->scenario_name);
    rp_matrix_free(&rd->time);
    rp_matrix_free(&rd->flows);
    delivery_free(&rd->delivery);
    rp_matrix_free(&rd->links);
    rp_matrix_free(&rd->vfs);
    rp_matrix_free(&rd->cpu);
    rp_matrix_free(&rd->vmcpu);
    rp_matrix_free(&rd->streams);
    free(rd->is_pcie);
    rp_mig_phases_free(&rd->mig);
    free(rd->mig_extra);
    rp_wl_fct_free(&rd->wl);
    free(rd->wl_names);
    rp_gpu_free(&rd->gpu);
    rp_hists_free(&rd->flow_hist);
    rp_free_strings(rd->vf_labels, rd->vf_hist.n);
    rp_hists_free(&rd->vf_hist);
}


/* A series is plottable when it has columns and one row per time sample. */
static bool plottable(const report_data *rd, const matrix *m)
{
    return rd->have_time && m->cols > 0 && m->rows > 0 &&
           m->rows == rd->time.rows;
}

/* ... and a "top N" figure needs a column that is not idle throughout. */
static bool any_active(const matrix *m)
{
    for (size_t c = 0; c < m->cols; c++)
        if (rp_column_peak(m, c) > 0)
            return true;
    return false;
}

/* Which columns of the link series are PCIe directions, from the kind
 * field of /links (one row per column, same order). */
static void read_pcie_links(hid_t file, report_data *rd)
{
    hid_t d = H5Dopen2(file, "/links", H5P_DEFAULT);
    if (d < 0)
        return;
    size_t n = rd->links.cols;
    hid_t sp = H5Dget_space(d);
    bool same = sp >= 0 && rp_dataset_elements(d) == (hssize_t)n;
    char **kind = same ? rp_read_string_field(d, "kind", n) : NULL;
    rd->is_pcie = kind ? rp_alloc_array(n, sizeof(bool)) : NULL;
    for (size_t c = 0; rd->is_pcie && c < n; c++) {
        rd->is_pcie[c] = strcmp(kind[c], "pcie_up") == 0 ||
                         strcmp(kind[c], "pcie_down") == 0;
        rd->n_pcie += rd->is_pcie[c] && rp_column_peak(&rd->links, c) > 0;
    }
    rp_free_strings(kind, kind ? n : 0);
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
}

/* The latency histograms (schema 3), one per /flows and per /vfs row; a
 * malformed one marks the file damaged (rp_damage). */
static void load_hists(hid_t file, report_data *rd)
{
    if (rd->have_delivery)
        (void)rp_read_hists(file, "flow", rd->delivery.n, &rd->flow_hist);
    size_t n_vfs = 0;
    char **labels = rp_vf_labels(file, &n_vfs);
    if (labels && rp_read_hists(file, "vf", n_vfs, &rd->vf_hist) == 0) {
        rd->vf_labels = labels;
        return;
    }
    rp_free_strings(labels, n_vfs);
}

/* The optional pieces: CPU series, PCIe links, migration phases. */
static void load_optional(hid_t file, report_data *rd)
{
    rd->have_cpu = rp_read_numeric(file, "/timeseries/host_cpu_utilisation", 2,
                                   &rd->cpu) == 0 &&
                   plottable(rd, &rd->cpu) && any_active(&rd->cpu);
    rd->have_vmcpu = rp_read_numeric(file, "/timeseries/vm_vcpu_network", 2, &rd->vmcpu) == 0 &&
                     plottable(rd, &rd->vmcpu) && any_active(&rd->vmcpu);
    if (rd->have_links)
        read_pcie_links(file, rd);
    rd->have_streams = rp_read_numeric(file, "/timeseries/transfer_throughput_bps", 2,
                                       &rd->streams) == 0 &&
                       plottable(rd, &rd->streams);
    double run_end_s = rd->have_time && rd->time.rows
                           ? rd->time.v[rd->time.rows - 1] : 0;
    rd->have_mig = rd->have_flows &&
                   rp_read_mig_phases(file, run_end_s, &rd->mig) == 0 &&
                   rd->mig.n > 0;
    if (rd->have_mig)
        rd->mig_extra = rp_mig_zoom_extra(&rd->mig, "migration_phases.dat");
    rd->have_wl = rp_read_wl_fct(file, &rd->wl) == 0;
    rd->have_gpu = rp_read_gpu(file, &rd->gpu) == 0;
    load_hists(file, rd);
}

/* Everything the figures need from an open results file (0), or -1 when
 * reading it showed the file damaged (rp_damage() says how). */
static int read_report_data(hid_t file, report_data *rd)
{
    memset(rd, 0, sizeof(*rd));
    rp_damage_clear();
    rd->scenario_name = rp_read_scalar_string_attr(file, "/meta", "scenario_name");
    rd->have_time = rp_read_numeric(file, "/timeseries/time_s", 1, &rd->time) == 0;
    rd->have_flows = rp_read_numeric(file, "/timeseries/flow_throughput_bps", 2,
                                  &rd->flows) == 0 &&
                     plottable(rd, &rd->flows);
    rd->have_links = rp_read_numeric(file, "/timeseries/link_utilisation", 2,
                                  &rd->links) == 0 &&
                     plottable(rd, &rd->links) && any_active(&rd->links);
    rd->have_vfs = rp_read_numeric(file, "/timeseries/vf_throughput_bps", 2,
                                   &rd->vfs) == 0 &&
                   plottable(rd, &rd->vfs) && any_active(&rd->vfs);
    if (rd->have_vfs)
        rp_label_vfs(file, &rd->vfs);
    rd->have_delivery = read_delivery(file, &rd->delivery) == 0 &&
                        rd->delivery.n > 0;
    load_optional(file, rd);
    for (size_t i = 0; rd->have_delivery && rd->delivery.p99_s &&
                       rd->delivery.p50_s && rd->delivery.p999_s && i < rd->delivery.n;
         i++)
        rd->n_latency += isfinite(rd->delivery.p99_s[i]);
    return rp_damage()[0] ? -1 : 0;
}

int rp_check_results(hid_t file)
{
    report_data rd;
    int rc = read_report_data(file, &rd);
    report_data_free(&rd);
    return rc;
}

static int load_report_data(const char *h5_path, report_data *rd, errbuf *e)
{
    memset(rd, 0, sizeof(*rd));
    hid_t file = H5Fopen(h5_path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) {
        errbuf_set(e, "cannot open %s as an HDF5 results file", h5_path);
        return -1;
    }
    long long schema;
    if (rp_schema_version(file, &schema) != 0 || schema < 1 || schema > RP_SCHEMA_VERSION_MAX) {
        if (schema < 0)
            errbuf_set(e, "%s: /meta@schema_version is not one integer; not a results file "
                       "this sriov-sim can read", h5_path);
        else
            errbuf_set(e, "%s has results schema version %lld, which this sriov-sim (" SRIOV_VERSION
                       ", schema 1 to %d) does not know; fix: report it with the sriov-sim that "
                       "wrote it (its /meta@tool_version), or re-run the scenario with this one",
                       h5_path, schema, RP_SCHEMA_VERSION_MAX);
        H5Fclose(file);
        return -1;
    }
    if (read_report_data(file, rd) != 0) {
        errbuf_set(e, "%s is damaged: %s", h5_path, rp_damage());
        H5Fclose(file);
        return -1;
    }
    if (H5Fclose(file) < 0) {
        errbuf_set(e, "cannot close %s", h5_path);
        return -1;
    }
    return 0;
}



static int write_index(const char *out_dir, const char *h5_path,
                       const report_data *rd, const figure_entry *figs,
                       size_t n, const char *templates, errbuf *e)
{
    FILE *f = rp_open_out(out_dir, "index.md", e);
    if (f == NULL)
        return -1;
    /* scenario_name comes from the results file: a newline in it would
     * start a heading of its own (textesc.h) */
    fputs("# sriov-sim report: ", f);
    text_put_escaped(f, rd->scenario_name ? rd->scenario_name : "(unnamed)");
    fputs("\n\nResults file: `", f);
    text_put_escaped(f, h5_path);
    fputs("`\n\n", f);
    for (size_t i = 0; i < n; i++)
        rp_index_figure(f, &figs[i], templates);
    fputs("gnuplot's messages are in `gnuplot.log`.\n", f);
    return rp_close_out(f, "index.md", e);
}

/* ---- the report ------------------------------------------------------------------ */


static int draw(const plot_env *env, const char *figure, const char *title,
                size_t n_series, errbuf *e)
{
    return rp_draw(env, NULL, figure, title, n_series, NULL, e);
}

static const char *const mig_extra = "phasefile='migration_phases.dat'";
/* The shared link template's default title says "Link". */
static const char *const pcie_extra = "title='PCIe utilisation (top link directions by peak)'";

/* figs[6..9] and [11]: PCIe, host CPU, migration, workload and vCPU
 * figures, drawn when the file has their data. */
static void describe_optional(const report_data *rd, figure_entry figs[N_FIGURES])
{
    bool pcie = rd->n_pcie > 0;
    figs[6] = (figure_entry){"pcie_utilisation", "PCIe utilisation", pcie,
                             pcie ? "Only the PCIe link directions with the highest "
                                    "peak utilisation are drawn (see pcie_utilisation.dat)."
                                  : "the file has no PCIe link (/links kind pcie_up or "
                                    "pcie_down) with a utilisation series",
                             "link_utilisation", pcie ? pcie_extra : NULL};
    figs[7] = (figure_entry){"host_cpu_utilisation", "Host CPU utilisation (software datapath)",
                             rd->have_cpu,
                             rd->have_cpu ? "Percent of all the host's cores used by the "
                                            "software datapath (vhost, PMDs); only the hosts "
                                            "with the highest peak are drawn."
                                          : "the file has no /timeseries/host_cpu_utilisation "
                                            "(no virtio NIC in the scenario)",
                             NULL, NULL};
    figs[8] = (figure_entry){"migration_timeline", "Live-migration timeline", rd->have_mig,
                             rd->have_mig ? "Phases from /migrations (and the mig_* events) "
                                            "in migration_phases.dat, shaded behind the "
                                            "throughput of every flow and of each "
                                            "migration stream (its pre-copy rounds, "
                                            "which share links with the flows); below it, "
                                            "each downtime zoomed (rmig.h)."
                                          : "the file has no migration (no /migrations "
                                            "table) or no flow throughput series",
                             NULL, !rd->have_mig ? NULL : rd->mig_extra ? rd->mig_extra : mig_extra};
    figs[9] = (figure_entry){"workload_slowdown", "Workload FCT slowdown by flow size",
                             rd->have_wl,
                             rd->have_wl ? "p99 (solid) and p50 (dashed) slowdown per "
                                           "flow-size bucket from /workload_fct; flows still "
                                           "running at the end are in no bucket (see its "
                                           "unfinished column)."
                                         : "the file has no /workload_fct (no workload, or "
                                           "none of its flows completed)",
                             NULL, rd->wl_names};
    figs[12] = (figure_entry){"gpu_jobs", "GPU jobs per instance", rd->have_gpu,
                              rd->have_gpu ? "Per GPU instance (at most 40, in file order): p50 "
                                             "and p99 of its finished jobs' completion time and "
                                             "slowdown (completion / the job alone on its "
                                             "share), and its utilisation; from /gpu_jobs and "
                                             "/gpu_instances. Jobs the run cut are not counted."
                                           : "the file has no GPU tables (no gpus: section)",
                              NULL, NULL};
    figs[11] = (figure_entry){"vm_vcpu_network", "vCPU use per VM (network)", rd->have_vmcpu,
                              rd->have_vmcpu ? "Percent of each VM's vCPUs busy with its NICs' "
                                               "queues (NAPI or DPDK lcores; VM exits are host "
                                               "time, not counted); only the VMs with the "
                                               "highest peak are drawn. Compute use is in "
                                               "/timeseries/vm_vcpu_compute."
                                             : "the file has no busy /timeseries/vm_vcpu_network "
                                               "(no NIC with key guest)",
                              NULL, NULL};
}

static void describe_figures(const report_data *rd, figure_entry figs[N_FIGURES])
{
    static const char *no_series = "the file has no samples or no columns";
    static const char *no_latency = "no flow has latency percentiles";
    bool lat = rd->n_latency > 0;
    figs[0] = (figure_entry){"flow_throughput", "Throughput per flow",
                             rd->have_flows, rd->have_flows ? NULL : no_series, NULL, NULL};
    figs[1] = (figure_entry){"vf_throughput", "Throughput per VF",
                             rd->have_vfs, rd->have_vfs ? NULL : no_series, NULL, NULL};
    figs[2] = (figure_entry){"link_utilisation", "Link utilisation (PCIe, ports, fabric)",
                             rd->have_links, rd->have_links ? NULL : no_series, NULL, NULL};
    figs[3] = (figure_entry){"flow_delivery", "Offered vs delivered per flow",
                             rd->have_delivery,
                             rd->have_delivery ? NULL : "the file has no flows", NULL, NULL};
    figs[4] = (figure_entry){"latency_percentiles", "Latency percentiles per flow",
                             lat, lat ? NULL : no_latency, NULL, NULL};
    bool cdf = rd->flow_hist.n_nonempty > 0, vf = rd->vf_hist.n_nonempty > 0;
    figs[5] = (figure_entry){"latency_cdf", "Latency CDF per flow", cdf,
                             cdf ? "From each flow's stored histogram (2 % log bins, "
                                   "/flow_latency_hist); at most 24 flows, those with the "
                                   "highest p99; log x axis when the latencies span over 20x."
                                 : "the file has no flow latency histogram with packets "
                                   "(none measured, or written before schema 3)", NULL, NULL};
    figs[10] = (figure_entry){"vf_latency", "Latency percentiles per VF", vf,
                              vf ? "p50, p99 and p99.9 of the packets each VF sends, from its "
                                   "histogram (/vf_latency_hist: the sum of its flows'); at "
                                   "most 40 VFs, those with the highest p99."
                                 : "the file has no VF latency histogram with packets",
                              "latency_percentiles", vf ? "xlabel='VF'" : NULL};
    describe_optional(rd, figs);
    if (rd->have_flows && rd->flows.cols > MAX_LEGEND_ENTRIES)
        figs[0].note = "Legend omitted: too many flows to label.";
    if (rd->have_vfs)
        figs[1].note = "Only the VFs with the highest peak are drawn (see vf_throughput.dat).";
    if (rd->have_links)
        figs[2].note = "Only the links with the highest peak utilisation "
                       "are drawn (see link_utilisation.dat).";
}

/* PCIe, host CPU and migration figures, when the file has their data. */
static int draw_optional(const plot_env *env, const report_data *rd, errbuf *e)
{
    const char *dir = env->out_dir;
    size_t n_pcie = 0, n_hosts = 0;
    if (rd->n_pcie > 0 &&
        (rp_export_pcie(dir, rd, &n_pcie, e) ||
         rp_draw(env, "link_utilisation", "pcie_utilisation",
                 "PCIe utilisation (top link directions by peak)", n_pcie, pcie_extra, e)))
        return -1;
    if (rd->have_cpu &&
        (rp_export_cpu(dir, rd, &n_hosts, e) ||
         draw(env, "host_cpu_utilisation",
              "Host CPU utilisation, software datapath (top hosts by peak)", n_hosts, e)))
        return -1;
    size_t n_vms = 0;
    if (rd->have_vmcpu &&
        (rp_export_vmcpu(dir, rd, &n_vms, e) ||
         draw(env, "vm_vcpu_network", "vCPU use per VM, network (top VMs by peak)", n_vms, e)))
        return -1;
    if (rd->have_mig &&
        (rp_export_mig_timeline(dir, rd, e) ||
         rp_export_mig_phases(dir, "migration_phases.dat", &rd->mig, e) ||
         rp_draw(env, NULL, "migration_timeline",
                 "Live migration: throughput per flow and stream, and phases",
                 rd->flows.cols + (rd->have_streams ? rd->streams.cols : 0),
                 rd->mig_extra ? rd->mig_extra : mig_extra, e)))
        return -1;
    return 0;
}

/* The workloads' slowdown figure, when the file has /workload_fct; its
 * names assignment is kept in rd for the index's redraw line. */
static int draw_workloads(const plot_env *env, report_data *rd, errbuf *e)
{
    if (!rd->have_wl)
        return 0;
    if (rp_export_wl_fct(env->out_dir, &rd->wl, &rd->wl_names, e) != 0)
        return -1;
    return rp_draw(env, NULL, "workload_slowdown", "FCT slowdown by flow size",
                   rd->wl.n_workloads, rd->wl_names, e);
}

/* The GPU figure, when the file has the GPU tables. */
static int draw_gpu(const plot_env *env, const report_data *rd, errbuf *e)
{
    size_t n = 0;
    if (!rd->have_gpu)
        return 0;
    if (rp_export_gpu(env->out_dir, &rd->gpu, &n, e) != 0)
        return -1;
    return draw(env, "gpu_jobs", "GPU jobs per instance: completion, slowdown, utilisation", n, e);
}

/* The histograms' figures: per-flow CDF, per-VF percentiles. */
static int draw_latency(const plot_env *env, const report_data *rd, errbuf *e)
{
    size_t n = 0;
    if (rd->flow_hist.n_nonempty > 0 &&
        (rp_export_hist_cdf(env->out_dir, &rd->flow_hist, rd->delivery.names,
                            MAX_LEGEND_ENTRIES, &n, e) ||
         draw(env, "latency_cdf", "Latency CDF per flow (from its histogram)", n, e)))
        return -1;
    if (rd->vf_hist.n_nonempty > 0 &&
        (rp_export_hist_percentiles(env->out_dir, "vf_latency.dat", &rd->vf_hist,
                                    rd->vf_labels, 40, &n, e) ||
         rp_draw(env, "latency_percentiles", "vf_latency",
                 "Latency percentiles per VF (p99 ranked)", n, "xlabel='VF'", e)))
        return -1;
    return 0;
}

/* Export and draw every figure whose data is there; fill figs. */
static int draw_all(const plot_env *env, report_data *rd,
                    figure_entry figs[N_FIGURES], errbuf *e)
{
    size_t n_links = 0, n_vfs = 0;
    if (draw_workloads(env, rd, e) != 0)
        return -1;
    describe_figures(rd, figs);
    const char *dir = env->out_dir;
    if ((rd->have_flows &&
         (rp_export_flows(dir, "flow_throughput.dat", rd, e) ||
          draw(env, "flow_throughput", "Throughput per flow", rd->flows.cols, e))) ||
        (rd->have_vfs &&
         (rp_export_vfs(dir, rd, &n_vfs, e) ||
          draw(env, "vf_throughput", "Throughput per VF (top VFs by peak)", n_vfs, e))) ||
        (rd->have_links &&
         (rp_export_links(dir, rd, &n_links, e) ||
          draw(env, "link_utilisation", "Link utilisation (top links by peak)",
               n_links, e))) ||
        (rd->have_delivery &&
         (rp_export_delivery(dir, &rd->delivery, e) ||
          draw(env, "flow_delivery", "Offered vs delivered per flow",
               rd->delivery.n, e))))
        return -1;
    if (rd->n_latency > 0 &&
        (rp_export_percentiles(dir, &rd->delivery, e) ||
         draw(env, "latency_percentiles", "Latency percentiles per flow", rd->n_latency, e)))
        return -1;
    if (draw_latency(env, rd, e) != 0 || draw_gpu(env, rd, e) != 0)
        return -1;
    return draw_optional(env, rd, e);
}

/* Everything that needs cleaning up, in one place. */
typedef struct report_run {
    report_data data;
    char *gnuplot;
    char *templates;
    char *log_path;
    int logfd;
} report_run;

static int prepare(report_run *rr, const char *h5_path, const char *out_dir,
                   errbuf *e)
{
    if (load_report_data(h5_path, &rr->data, e) != 0)
        return -1;
    rr->gnuplot = rp_find_on_path("gnuplot");
    if (rr->gnuplot == NULL) {
        errbuf_set(e, "gnuplot not found on PATH (install gnuplot-nox)");
        return -1;
    }
    if ((rr->templates = rp_templates_dir(e)) == NULL || rp_make_dir(out_dir, e) != 0)
        return -1;
    rr->logfd = rp_open_log(out_dir, &rr->log_path, e);
    return rr->logfd < 0 ? -1 : 0;
}

int report_write(const char *h5_path, const char *out_dir, char *err,
                 size_t errlen)
{
    errbuf e = {err, errlen};
    errbuf_set(&e, "%s", "");
    if (h5_path == NULL || out_dir == NULL || out_dir[0] == '\0') {
        errbuf_set(&e, "report_write: no results file or no output directory");
        return -1;
    }
    /* Missing pieces are expected; report our own messages instead of
     * HDF5's stack dumps, and restore the caller's handler after. */
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    report_run rr;
    memset(&rr, 0, sizeof(rr));
    rr.logfd = -1;
    figure_entry figs[N_FIGURES];
    int rc = prepare(&rr, h5_path, out_dir, &e);
    if (rc == 0) {
        plot_env env = {rr.gnuplot, rr.templates, out_dir, rr.logfd};
        rc = draw_all(&env, &rr.data, figs, &e);
    }
    if (rc == 0)
        rc = write_index(out_dir, h5_path, &rr.data, figs, N_FIGURES, rr.templates, &e);

    if (rr.logfd >= 0)
        close(rr.logfd);
    free(rr.log_path);
    free(rr.templates);
    free(rr.gnuplot);
    report_data_free(&rr.data);
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    return rc;
}
