/* report_compare.c -- `sriov-sim report A.h5 B.h5 ... -o DIR`: the same
 * quantities of several runs side by side (see report.h, report_compare).
 *
 * A planner's usual question is "what did this change do" (capped vs
 * uncapped, kernel vs DPDK, 8 vs 16 tenants): one series per run in every
 * figure, and a table of differences against the first run, instead of a
 * sweep or a script. Runs are matched by flow and link name; a flow or
 * link a run lacks is NaN there (drawn as a gap, "-" in the table).
 *
 * Like report.c it reads only the documented layout (docs/results.md) with
 * the tolerant readers of rh5.h; user strings (flow, link and run names)
 * reach gnuplot only as data-file tokens (rp_put_token) and index.md only
 * escaped.
 */
#include "report/report.h"
#include "report/rcheck.h"
#include "report/rh5.h"
#include "report/rplot.h"
#include "util/textesc.h"

#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Per-flow time series drawn at most (flow x run lines): beyond this the
 * figure is unreadable; the flows with the highest mean rate are kept. */
#define CMP_MAX_SERIES 24

/* What one run contributes. */
typedef struct cmp_run {
    char *label;                /* file name without .h5, or parent/name */
    size_t n_flows;
    char **flow;
    double *delivered_bytes, *offered_bytes, *dropped_bytes, *start_s, *end_s, *p99_s;
    size_t n_links;
    char **link;
    double *peak_util;
    matrix time, rate;          /* /timeseries: time_s, flow_throughput_bps */
    bool have_series;
} cmp_run;

static void cmp_run_free(cmp_run *r)
{
    free(r->label);
    rp_free_strings(r->flow, r->n_flows);
    free(r->delivered_bytes);
    free(r->offered_bytes);
    free(r->dropped_bytes);
    free(r->start_s);
    free(r->end_s);
    free(r->p99_s);
    rp_free_strings(r->link, r->n_links);
    free(r->peak_util);
    rp_matrix_free(&r->time);
    rp_matrix_free(&r->rate);
}

static hssize_t table_rows(hid_t file, const char *path, hid_t *d)
{
    *d = H5Dopen2(file, path, H5P_DEFAULT);
    if (*d < 0)
        return -1;
    hssize_t n = rp_dataset_elements(*d);
    if (n < 0)
        H5Dclose(*d);
    return n;
}

static int read_flows(hid_t file, cmp_run *r)
{
    hid_t d;
    hssize_t n = table_rows(file, "/flows", &d);
    if (n < 0)
        return -1;
    r->n_flows = (size_t)n;
    r->flow = rp_read_string_field(d, "name", r->n_flows);
    r->delivered_bytes = rp_read_number_field(d, "delivered_bytes", r->n_flows);
    r->offered_bytes = rp_read_number_field(d, "offered_bytes", r->n_flows);
    r->dropped_bytes = rp_read_number_field(d, "dropped_bytes", r->n_flows);
    r->start_s = rp_read_number_field(d, "start_s", r->n_flows);
    r->end_s = rp_read_number_field(d, "end_s", r->n_flows);
    r->p99_s = rp_read_number_field(d, "latency_p99_s", r->n_flows);
    H5Dclose(d);
    return r->flow && r->delivered_bytes && r->start_s && r->end_s ? 0 : -1;
}

static void read_links(hid_t file, cmp_run *r)
{
    hid_t d;
    hssize_t n = table_rows(file, "/links", &d);
    if (n < 0)
        return;
    r->n_links = (size_t)n;
    r->link = rp_read_string_field(d, "name", r->n_links);
    r->peak_util = rp_read_number_field(d, "peak_utilisation", r->n_links);
    H5Dclose(d);
    if (!r->link || !r->peak_util) {
        rp_free_strings(r->link, r->n_links);
        free(r->peak_util);
        r->link = NULL, r->peak_util = NULL, r->n_links = 0;
    }
}

/* What the comparison reads of an open file: 0, or -1 without /flows. */
static int read_open_run(hid_t file, cmp_run *r)
{
    int rc = read_flows(file, r);
    read_links(file, r);
    r->have_series = rp_read_numeric(file, "/timeseries/time_s", 1, &r->time) == 0 &&
                     rp_read_numeric(file, "/timeseries/flow_throughput_bps", 2, &r->rate) == 0 &&
                     r->rate.rows == r->time.rows && r->rate.cols == r->n_flows;
    return rc;
}

int rp_check_compare(hid_t file)
{
    cmp_run r;
    memset(&r, 0, sizeof r);
    rp_damage_clear();
    read_open_run(file, &r);
    cmp_run_free(&r);
    return rp_damage()[0] ? -1 : 0;
}

/* "dir/x.h5" -> "x"; the caller makes labels unique. */
static char *base_label(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n > 3 && strcmp(b + n - 3, ".h5") == 0)
        n -= 3;
    char *s = rp_alloc_array(n + 1, 1);
    memcpy(s, b, n);
    return s;
}

static int read_run(const char *path, cmp_run *r, errbuf *e)
{
    memset(r, 0, sizeof *r);
    r->label = base_label(path);
    rp_damage_clear();
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) {
        errbuf_set(e, "cannot open %s as an HDF5 results file", path);
        return -1;
    }
    int rc = read_open_run(file, r);
    H5Fclose(file);
    if (rp_damage()[0]) {
        errbuf_set(e, "%s is damaged: %s", path, rp_damage());
        return -1;
    }
    if (rc != 0)
        errbuf_set(e, "%s has no /flows table (is it a results file of sriov-sim run?)", path);
    return rc;
}

static bool label_taken(const cmp_run *runs, size_t n, size_t self)
{
    for (size_t j = 0; j < n; j++)
        if (j != self && strcmp(runs[j].label, runs[self].label) == 0)
            return true;
    return false;
}

static void set_label(cmp_run *r, const char *text)
{
    free(r->label);
    size_t n = strlen(text);
    r->label = rp_alloc_array(n + 1, 1);
    memcpy(r->label, text, n + 1);
}

/* Two runs with the same file name (a/out.h5, b/out.h5) become "a/out" and
 * "b/out"; names still equal get "#1", "#2" ... by position. */
static void unique_labels(cmp_run *runs, size_t n, char *const *paths)
{
    bool dup[REPORT_MAX_COMPARE];
    for (size_t i = 0; i < n; i++)
        dup[i] = label_taken(runs, n, i);
    for (size_t i = 0; i < n; i++) {
        if (!dup[i])
            continue;
        const char *p = paths[i], *base = strrchr(p, '/');
        const char *parent = base;
        while (parent && parent > p && parent[-1] != '/')
            parent--;
        char buf[600];
        if (base && parent)
            snprintf(buf, sizeof buf, "%.*s/%s", (int)(base - parent < 200 ? base - parent : 200),
                     parent, runs[i].label);
        else
            snprintf(buf, sizeof buf, "%s", runs[i].label);
        set_label(&runs[i], buf);
    }
    for (size_t i = 0; i < n; i++)
        dup[i] = label_taken(runs, n, i);
    for (size_t i = 0; i < n; i++) {
        if (!dup[i])
            continue;
        char buf[600];
        snprintf(buf, sizeof buf, "%.500s#%zu", runs[i].label, i + 1);
        set_label(&runs[i], buf);
    }
}

/* ---- matching by name ---------------------------------------------------- */

static long find_name(char **names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (long)i;
    return -1;
}

/* Every flow name of every run, first-seen order (pointers into runs). */
static const char **all_flows(const cmp_run *runs, size_t n_runs, size_t *n_out)
{
    size_t cap = 0;
    for (size_t r = 0; r < n_runs; r++)
        cap += runs[r].n_flows;
    const char **out = rp_alloc_array(cap ? cap : 1, sizeof *out);
    size_t n = 0;
    for (size_t r = 0; r < n_runs; r++)
        for (size_t i = 0; i < runs[r].n_flows; i++) {
            bool seen = false;
            for (size_t k = 0; k < n && !seen; k++)
                seen = strcmp(out[k], runs[r].flow[i]) == 0;
            if (!seen)
                out[n++] = runs[r].flow[i];
        }
    *n_out = n;
    return out;
}

/* Mean delivered rate over the flow's active time, bit/s (NaN: absent). */
static double delivered_bps(const cmp_run *r, long i)
{
    if (i < 0)
        return NAN;
    double t = r->end_s[i] - r->start_s[i];
    return t > 0 ? r->delivered_bytes[i] * 8.0 / t : NAN;
}

static double drop_pct(const cmp_run *r, long i)
{
    if (i < 0 || !r->offered_bytes || !r->dropped_bytes || !(r->offered_bytes[i] > 0))
        return NAN;
    return 100.0 * r->dropped_bytes[i] / r->offered_bytes[i];
}

static double p99_s(const cmp_run *r, long i)
{
    return i < 0 || !r->p99_s ? NAN : r->p99_s[i];
}

typedef double (*flow_metric)(const cmp_run *r, long i);

/* ---- data files ----------------------------------------------------------- */

static void put_header(FILE *f, const char *first, const cmp_run *runs, size_t n_runs)
{
    fputs(first, f);
    for (size_t r = 0; r < n_runs; r++) {
        fputc(' ', f);
        rp_put_token(f, runs[r].label);
    }
    fputc('\n', f);
}

/* name then one value per run, one line per flow. */
static int export_flow_metric(const char *dir, const char *file, const char *comment,
                              const cmp_run *runs, size_t n_runs, const char **flows,
                              size_t n_flows, flow_metric m, errbuf *e)
{
    FILE *f = rp_open_out(dir, file, e);
    if (f == NULL)
        return -1;
    fprintf(f, "# %s\n", comment);
    put_header(f, "flow", runs, n_runs);
    for (size_t k = 0; k < n_flows; k++) {
        rp_put_token(f, flows[k]);
        for (size_t r = 0; r < n_runs; r++)
            fprintf(f, " %.9g", m(&runs[r], find_name(runs[r].flow, runs[r].n_flows, flows[k])));
        fputc('\n', f);
    }
    return rp_close_out(f, file, e);
}

/* The links with the highest peak in any run (at most REPORT_TOP_LINKS,
 * busiest first), their peak per run. */
static int export_links(const char *dir, const cmp_run *runs, size_t n_runs, size_t *n_shown,
                        errbuf *e)
{
    size_t cap = 0, n = 0;
    for (size_t r = 0; r < n_runs; r++)
        cap += runs[r].n_links;
    const char **name = rp_alloc_array(cap ? cap : 1, sizeof *name);
    double *peak = rp_alloc_array(cap ? cap : 1, sizeof *peak);
    for (size_t r = 0; r < n_runs; r++)
        for (size_t i = 0; i < runs[r].n_links; i++) {
            double p = isfinite(runs[r].peak_util[i]) ? runs[r].peak_util[i] : 0;
            size_t k = 0;
            while (k < n && strcmp(name[k], runs[r].link[i]) != 0)
                k++;
            if (k == n)
                name[n++] = runs[r].link[i];
            peak[k] = fmax(peak[k], p);
        }
    for (size_t a = 1; a < n; a++)              /* busiest first, stable */
        for (size_t b = a; b > 0 && peak[b] > peak[b - 1]; b--) {
            const char *t = name[b]; name[b] = name[b - 1]; name[b - 1] = t;
            double v = peak[b]; peak[b] = peak[b - 1]; peak[b - 1] = v;
        }
    while (n > 0 && !(peak[n - 1] > 0))
        n--;
    *n_shown = n < REPORT_TOP_LINKS ? n : REPORT_TOP_LINKS;
    FILE *f = rp_open_out(dir, "compare_links.dat", e);
    if (f != NULL) {
        fputs("# peak utilisation (fraction) of the links busiest in any run\n", f);
        put_header(f, "link", runs, n_runs);
        for (size_t k = 0; k < *n_shown; k++) {
            rp_put_token(f, name[k]);
            for (size_t r = 0; r < n_runs; r++) {
                long i = find_name(runs[r].link, runs[r].n_links, name[k]);
                fprintf(f, " %.9g", i < 0 ? NAN : runs[r].peak_util[i]);
            }
            fputc('\n', f);
        }
    }
    free(name), free(peak);
    return f == NULL ? -1 : rp_close_out(f, "compare_links.dat", e);
}

/* Blocks "time_s flow@run" per (flow, run), flow-major, for the flows with
 * the highest mean rate; *n_series blocks, *n_runs_drawn per flow. */
static int export_series(const char *dir, const cmp_run *runs, size_t n_runs,
                         const char **flows, size_t n_flows, size_t *n_series, errbuf *e)
{
    size_t max_flows = CMP_MAX_SERIES / n_runs;
    double *score = rp_alloc_array(n_flows, sizeof *score);
    size_t *order = rp_alloc_array(n_flows, sizeof *order);
    for (size_t k = 0; k < n_flows; k++) {
        order[k] = k;
        for (size_t r = 0; r < n_runs; r++) {
            double v = delivered_bps(&runs[r], find_name(runs[r].flow, runs[r].n_flows, flows[k]));
            score[k] = fmax(score[k], isfinite(v) ? v : 0);
        }
    }
    for (size_t a = 1; a < n_flows; a++)        /* insertion sort, stable */
        for (size_t b = a; b > 0 && score[order[b]] > score[order[b - 1]]; b--) {
            size_t t = order[b]; order[b] = order[b - 1]; order[b - 1] = t;
        }
    FILE *f = rp_open_out(dir, "compare_throughput.dat", e);
    if (f == NULL) {
        free(score), free(order);
        return -1;
    }
    fputs("# per (flow, run) block: time_s, throughput bit/s; blocks separated by two blank lines\n", f);
    size_t blocks = 0;
    for (size_t j = 0; j < n_flows && j < max_flows; j++)
        for (size_t r = 0; r < n_runs; r++) {
            const cmp_run *run = &runs[r];
            long i = find_name(run->flow, run->n_flows, flows[order[j]]);
            fputs("time_s ", f);
            rp_put_token(f, flows[order[j]]);
            fputc('@', f);
            rp_put_token(f, run->label);
            fputc('\n', f);
            for (size_t t = 0; run->have_series && i >= 0 && t < run->time.rows; t++)
                fprintf(f, "%.9g %.9g\n", run->time.v[t], run->rate.v[t * run->rate.cols + (size_t)i]);
            if (!run->have_series || i < 0)
                fputs("0 NaN\n", f);           /* keeps the block, and its colour */
            fputs("\n\n", f);
            blocks++;
        }
    free(score), free(order);
    *n_series = blocks;
    return rp_close_out(f, "compare_throughput.dat", e);
}

/* ---- index.md with the table of differences ------------------------------ */

/* A table cell: text escaped for markdown ('|' would end the cell). */
static void put_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if ((unsigned char)*s < 0x20 || *s == 0x7f)
            fputc('_', f);
        else
            fputc(*s, f);
    }
}

static void put_value(FILE *f, double v, double base, const char *fmt)
{
    if (!isfinite(v)) {
        fputs(" - |", f);
        return;
    }
    fputc(' ', f);
    fprintf(f, fmt, v);
    double rel = isfinite(base) && base != 0 ? 100.0 * (v - base) / fabs(base) : NAN;
    if (isfinite(rel) && fabs(rel) >= 0.05)
        fprintf(f, " (%+.1f %%)", rel);
    else if (isfinite(rel))
        fputs(" (same)", f);
    fputs(" |", f);
}

static void diff_rows(FILE *f, const cmp_run *runs, size_t n_runs, const char **flows,
                       size_t n_flows, const char *metric, flow_metric m, double scale,
                       const char *fmt)
{
    for (size_t k = 0; k < n_flows; k++) {
        fputs("| ", f);
        put_cell(f, flows[k]);
        fprintf(f, " | %s |", metric);
        double base = NAN;
        for (size_t r = 0; r < n_runs; r++) {
            double v = m(&runs[r], find_name(runs[r].flow, runs[r].n_flows, flows[k])) * scale;
            if (r == 0)
                base = v;
            put_value(f, v, r == 0 ? NAN : base, fmt);
        }
        fputc('\n', f);
    }
}

static int write_index(const char *dir, const cmp_run *runs, size_t n_runs, const char **flows,
                       size_t n_flows, const figure_entry *figs, size_t n_figs,
                       const char *templates, errbuf *e)
{
    FILE *f = rp_open_out(dir, "index.md", e);
    if (f == NULL)
        return -1;
    fputs("# Comparison of runs\n\nRuns, in order (the first is the reference of the "
          "differences):\n\n", f);
    for (size_t r = 0; r < n_runs; r++) {
        fprintf(f, "%zu. `", r + 1);
        put_cell(f, runs[r].label);
        fputs("`\n", f);
    }
    fputs("\n## Differences\n\nPer flow: mean delivered rate over its active time (Gbit/s), "
          "drops (% of offered bytes) and p99 one-way latency (us); in brackets the change "
          "against the first run. `-`: the run has no such flow or no such figure.\n\n| flow | metric |", f);
    for (size_t r = 0; r < n_runs; r++) {
        fputc(' ', f);
        put_cell(f, runs[r].label);
        fputs(" |", f);
    }
    fputs("\n|---|---|", f);
    for (size_t r = 0; r < n_runs; r++)
        fputs("---|", f);
    fputc('\n', f);
    diff_rows(f, runs, n_runs, flows, n_flows, "delivered Gbit/s", delivered_bps, 1e-9, "%.3f");
    diff_rows(f, runs, n_runs, flows, n_flows, "drop %", drop_pct, 1, "%.2f");
    diff_rows(f, runs, n_runs, flows, n_flows, "p99 us", p99_s, 1e6, "%.2f");
    fputc('\n', f);
    for (size_t i = 0; i < n_figs; i++)
        rp_index_figure(f, &figs[i], templates);
    fputs("gnuplot's messages are in `gnuplot.log`.\n", f);
    return rp_close_out(f, "index.md", e);
}

/* ---- the comparison ------------------------------------------------------- */

enum { N_CMP_FIGURES = 4 };

static int draw_all(const plot_env *env, const cmp_run *runs, size_t n_runs, const char **flows,
                    size_t n_flows, figure_entry figs[N_CMP_FIGURES], errbuf *e)
{
    const char *dir = env->out_dir;
    size_t n_links = 0, n_series = 0;
    char runs_extra[64];
    snprintf(runs_extra, sizeof runs_extra, "nruns=%zu", n_runs);
    static const char rate_extra[] = "ylabel='Mean delivered rate (Gbit/s)'; scale=1e-9";
    static const char p99_extra[] = "ylabel='p99 one-way latency (us, log scale)'; scale=1e6; logy=1";
    static const char link_extra[] = "ylabel='Peak utilisation (%)'; scale=100; xname='Link'";
    bool any_p99 = false;
    for (size_t r = 0; r < n_runs; r++)
        for (size_t i = 0; runs[r].p99_s && i < runs[r].n_flows; i++)
            any_p99 |= isfinite(runs[r].p99_s[i]) && runs[r].p99_s[i] > 0;
    figs[0] = (figure_entry){"compare_rate", "Mean delivered rate per flow", true, NULL,
                             "compare_bars", rate_extra};
    figs[1] = (figure_entry){"compare_p99", "p99 latency per flow", any_p99,
                             any_p99 ? NULL : "no run has latency percentiles", "compare_bars",
                             p99_extra};
    figs[2] = (figure_entry){"compare_links", "Peak link utilisation (links busiest in any run)",
                             true, NULL, "compare_bars", link_extra};
    figs[3] = (figure_entry){"compare_throughput", "Throughput over time, one line per flow and run",
                             true, "Colour: flow; dash pattern: run (solid = the first run).",
                             "compare_series", runs_extra};
    if (export_flow_metric(dir, "compare_rate.dat", "mean delivered rate, bit/s", runs, n_runs,
                           flows, n_flows, delivered_bps, e) ||
        rp_draw(env, "compare_bars", "compare_rate", "Mean delivered rate per flow", n_runs,
                rate_extra, e))
        return -1;
    if (any_p99 && (export_flow_metric(dir, "compare_p99.dat", "p99 one-way latency, s", runs,
                                       n_runs, flows, n_flows, p99_s, e) ||
                    rp_draw(env, "compare_bars", "compare_p99", "p99 latency per flow", n_runs,
                            p99_extra, e)))
        return -1;
    if (export_links(dir, runs, n_runs, &n_links, e))
        return -1;
    figs[2].drawn = n_links > 0;
    if (n_links == 0)
        figs[2].note = "no run has a link with a utilisation above 0";
    else if (rp_draw(env, "compare_bars", "compare_links", "Peak link utilisation", n_runs,
                     link_extra, e))
        return -1;
    if (export_series(dir, runs, n_runs, flows, n_flows, &n_series, e) ||
        rp_draw(env, "compare_series", "compare_throughput",
                "Throughput per flow and run", n_series, runs_extra, e))
        return -1;
    return 0;
}

int report_compare(char *const *h5_paths, size_t n, const char *out_dir, char *err,
                   size_t errlen)
{
    errbuf e = {err, errlen};
    errbuf_set(&e, "%s", "");
    if (n < 2 || n > REPORT_MAX_COMPARE) {
        errbuf_set(&e, "compare takes 2 to %d results files, not %zu", REPORT_MAX_COMPARE, n);
        return -1;
    }
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    cmp_run runs[REPORT_MAX_COMPARE];
    memset(runs, 0, sizeof runs);
    int rc = 0;
    size_t got = 0;
    for (; got < n && rc == 0; got++)
        rc = read_run(h5_paths[got], &runs[got], &e);
    char *gnuplot = NULL, *templates = NULL, *log_path = NULL;
    int logfd = -1;
    size_t n_flows = 0;
    const char **flows = NULL;
    if (rc == 0) {
        unique_labels(runs, n, h5_paths);
        flows = all_flows(runs, n, &n_flows);
        gnuplot = rp_find_on_path("gnuplot");
        if (gnuplot == NULL) {
            errbuf_set(&e, "gnuplot not found on PATH (install gnuplot-nox)");
            rc = -1;
        }
    }
    if (rc == 0 && ((templates = rp_templates_dir(&e)) == NULL || rp_make_dir(out_dir, &e) != 0 ||
                    (logfd = rp_open_log(out_dir, &log_path, &e)) < 0))
        rc = -1;
    figure_entry figs[N_CMP_FIGURES];
    if (rc == 0) {
        plot_env env = {gnuplot, templates, out_dir, logfd};
        rc = draw_all(&env, runs, n, flows, n_flows, figs, &e);
    }
    if (rc == 0)
        rc = write_index(out_dir, runs, n, flows, n_flows, figs, N_CMP_FIGURES, templates, &e);
    if (logfd >= 0)
        close(logfd);
    free(log_path), free(templates), free(gnuplot);
    free(flows);
    for (size_t r = 0; r < got; r++)
        cmp_run_free(&runs[r]);
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    return rc;
}
