/* report_export.c -- the results-file report's series and tables as
 * gnuplot text, one .dat file per figure (rdata.h). */
#include "report/rdata.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* time_s then the chosen columns of m, one line per sample. */
static int export_series(const char *dir, const char *name, const char *what,
                         const matrix *time, const matrix *m,
                         const size_t *cols, size_t n_cols, errbuf *e)
{
    FILE *f = rp_open_out(dir, name, e);
    if (f == NULL)
        return -1;
    fprintf(f, "# %s; column 1 in s\ntime_s", what);
    for (size_t c = 0; c < n_cols; c++) {
        fputc(' ', f);
        rp_put_token(f, m->names[cols[c]]);
    }
    fputc('\n', f);
    for (size_t t = 0; t < m->rows; t++) {
        fprintf(f, "%.12g", time->v[t]);
        for (size_t c = 0; c < n_cols; c++)
            fprintf(f, " %.12g", m->v[t * m->cols + cols[c]]);
        fputc('\n', f);
    }
    return rp_close_out(f, name, e);
}

int rp_export_delivery(const char *dir, const delivery *dv, errbuf *e)
{
    FILE *f = rp_open_out(dir, "flow_delivery.dat", e);
    if (f == NULL)
        return -1;
    /* An elastic flow offers no rate and loses nothing: it shows what it
     * delivered and what it still had to move, not its size as an offer. */
    fputs("# flow offered_bytes delivered_bytes remaining_bytes (bytes; elastic flows: "
          "offered 0, remaining = still to move at the end)\n", f);
    for (size_t i = 0; i < dv->n; i++) {
        double left = dv->remaining_bytes ? dv->remaining_bytes[i] : NAN;
        int elastic = isfinite(left);
        rp_put_token(f, dv->names[i]);
        fprintf(f, " %.12g %.12g %.12g\n", elastic ? 0.0 : dv->offered_bytes[i],
                dv->delivered_bytes[i], elastic ? left : 0.0);
    }
    return rp_close_out(f, "flow_delivery.dat", e);
}

double rp_column_peak(const matrix *m, size_t c)
{
    double peak = 0;
    for (size_t t = 0; t < m->rows; t++)
        if (m->v[t * m->cols + c] > peak)
            peak = m->v[t * m->cols + c];
    return peak;
}

/* Indices of the (at most) k columns with the highest peak, highest first;
 * ties keep file order so the choice is deterministic. Selection sort: k
 * and the link count are small. Columns that stay at 0 (idle VFs, unused
 * links) are never chosen: they would take a slot from a busy one. Returns
 * how many were chosen (0 when every column is idle). */
static size_t top_columns_among(const matrix *m, const bool *allowed,
                                size_t *out, size_t k)
{
    double *peak = rp_alloc_array(m->cols, sizeof(double));
    bool *taken = rp_alloc_array(m->cols, sizeof(bool));
    size_t n = 0;
    for (size_t c = 0; peak && taken && c < m->cols; c++) {
        peak[c] = rp_column_peak(m, c);
        taken[c] = (allowed && !allowed[c]) || !(peak[c] > 0);
    }
    while (peak && taken && n < k) {
        size_t best = m->cols;
        for (size_t c = 0; c < m->cols; c++)
            if (!taken[c] && (best == m->cols || peak[c] > peak[best]))
                best = c;
        if (best == m->cols)
            break;
        taken[best] = true;
        out[n++] = best;
    }
    free(peak);
    free(taken);
    return n;
}

/* Every flow and then every model's stream (the migration rounds, which
 * share links with the flows) into migration_timeline.dat. */
int rp_export_mig_timeline(const char *dir, const report_data *rd, errbuf *e)
{
    static const char name[] = "migration_timeline.dat";
    const matrix *parts[2] = {&rd->flows, rd->have_streams ? &rd->streams : NULL};
    FILE *f = rp_open_out(dir, name, e);
    if (f == NULL)
        return -1;
    fputs("# throughput per flow, then per migration stream, in bit/s; column 1 in s\ntime_s", f);
    for (int p = 0; p < 2; p++)
        for (size_t c = 0; parts[p] && c < parts[p]->cols; c++) {
            fputc(' ', f);
            rp_put_token(f, parts[p]->names[c]);
        }
    fputc('\n', f);
    for (size_t t = 0; t < rd->time.rows; t++) {
        fprintf(f, "%.12g", rd->time.v[t]);
        for (int p = 0; p < 2; p++)
            for (size_t c = 0; parts[p] && c < parts[p]->cols; c++)
                fprintf(f, " %.12g", parts[p]->v[t * parts[p]->cols + c]);
        fputc('\n', f);
    }
    return rp_close_out(f, name, e);
}

/* Every flow into name (flow_throughput.dat). */
int rp_export_flows(const char *dir, const char *name,
                        const report_data *rd, errbuf *e)
{
    size_t *cols = rp_alloc_array(rd->flows.cols, sizeof(size_t));
    if (cols == NULL) {
        errbuf_set(e, "out of memory");
        return -1;
    }
    for (size_t c = 0; c < rd->flows.cols; c++)
        cols[c] = c;
    int rc = export_series(dir, name,
                           "throughput per flow in bit/s", &rd->time,
                           &rd->flows, cols, rd->flows.cols, e);
    free(cols);
    return rc;
}

/* The (at most k) columns of m (among allowed, NULL: all) with the
 * highest peak into name, over time. */
static int export_top(const char *dir, const char *name, const char *what, const report_data *rd,
                      const matrix *m, const bool *allowed, size_t k, size_t *n_shown, errbuf *e)
{
    enum { TOP_MAX = 16 };
    _Static_assert(REPORT_TOP_LINKS <= TOP_MAX && REPORT_TOP_VFS <= TOP_MAX &&
                   REPORT_TOP_HOSTS <= TOP_MAX, "export_top's array holds every top N");
    size_t top[TOP_MAX];
    *n_shown = top_columns_among(m, allowed, top, k);
    return export_series(dir, name, what, &rd->time, m, top, *n_shown, e);
}

int rp_export_links(const char *dir, const report_data *rd, size_t *n_shown, errbuf *e)
{
    return export_top(dir, "link_utilisation.dat",
                      "utilisation (fraction 0..1) of the links with the highest peak, "
                      "highest first",
                      rd, &rd->links, NULL, REPORT_TOP_LINKS, n_shown, e);
}

int rp_export_vfs(const char *dir, const report_data *rd, size_t *n_shown, errbuf *e)
{
    return export_top(dir, "vf_throughput.dat",
                      "throughput (tx + rx) in bit/s of the VFs with the highest peak, "
                      "highest first",
                      rd, &rd->vfs, NULL, REPORT_TOP_VFS, n_shown, e);
}

int rp_export_pcie(const char *dir, const report_data *rd, size_t *n_shown, errbuf *e)
{
    return export_top(dir, "pcie_utilisation.dat",
                      "utilisation (fraction 0..1) of the PCIe link directions (/links kind "
                      "pcie_up, pcie_down) with the highest peak, highest first",
                      rd, &rd->links, rd->is_pcie, REPORT_TOP_LINKS, n_shown, e);
}

int rp_export_cpu(const char *dir, const report_data *rd, size_t *n_shown, errbuf *e)
{
    return export_top(dir, "host_cpu_utilisation.dat",
                      "software-datapath CPU utilisation (fraction 0..1 of the host's cores) "
                      "of the hosts with the highest peak, highest first",
                      rd, &rd->cpu, NULL, REPORT_TOP_HOSTS, n_shown, e);
}

int rp_export_vmcpu(const char *dir, const report_data *rd, size_t *n_shown, errbuf *e)
{
    return export_top(dir, "vm_vcpu_network.dat",
                      "network vCPU use per VM (fraction 0..1 of the VM's vCPUs: its guest "
                      "queue threads) of the VMs with the highest peak, highest first",
                      rd, &rd->vmcpu, NULL, REPORT_TOP_HOSTS, n_shown, e);
}

/* One line per flow with a finite p99: name p50_s p99_s p999_s. */
int rp_export_percentiles(const char *dir, const delivery *dv, errbuf *e)
{
    FILE *f = rp_open_out(dir, "latency_percentiles.dat", e);
    if (f == NULL)
        return -1;
    fputs("# flow p50_s p99_s p999_s (one-way latency per packet, s)\n", f);
    for (size_t i = 0; i < dv->n; i++) {
        if (!isfinite(dv->p99_s[i]))
            continue;
        rp_put_token(f, dv->names[i]);
        fprintf(f, " %.12g %.12g %.12g\n", dv->p50_s[i], dv->p99_s[i], dv->p999_s[i]);
    }
    return rp_close_out(f, "latency_percentiles.dat", e);
}
