/* report_sweep.c -- `sriov-sim report SWEEP_DIR`: headline metrics of a
 * sweep (SWEEP_DIR/summary.h5, layout: src/sweep/summary.h) against the
 * swept parameters, drawn with scripts/report/sweep_metric.gp.
 *
 * x is the first parameter unless --x names another; every combination of
 * the other parameters (or of those --series names; the rest are then
 * averaged over) is one line; repetitions are averaged; failed points are
 * left out (a gap). Axes are in scaled units (Gbit/s, MB, us); a rate cap
 * of 0 is the category "uncapped", not x = 0.
 * Only the file layout is shared with src/sweep, not its code.
 */
#include <fcntl.h>
#include <hdf5.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/rcheck.h"
#include "report/report.h"
#include "report/rh5.h"
#include "report/rplot.h"
#include "util/textesc.h"

/* The sweep figures: four always, the workloads' slowdown (the last) when
 * some point has generated flows. */
#define N_METRICS 5
#define METRIC_SLOWDOWN 4

/* What the figures need from summary.h5. */
typedef struct sweep_table {
    size_t n;                   /* points */
    size_t n_params;
    char **params;              /* [n_params] paths */
    char **units;               /* [n_params] "bit/s" ... "" */
    char ***labels;             /* [n_params][n] */
    double **values;            /* [n_params][n] base units or NaN */
    char **status;              /* [n] */
    double *metric[N_METRICS];  /* [n] p99_max_s, delivered_bps, min_flow_bps, drop_fraction,
                                 * p99_slowdown (NULL in summaries before issue 18) */
    double target_s;
} sweep_table;

static const struct {
    const char *field, *figure, *title, *ylabel;
    double scale;
} metrics[N_METRICS] = {
    {"p99_max_s", "sweep_p99", "Worst per-flow p99 latency", "p99 one-way latency, worst flow (us)", 1e6},
    {"delivered_bps", "sweep_throughput", "Total delivered throughput",
     "Delivered throughput, all flows (Gbit/s)", 1e-9},
    {"min_flow_bps", "sweep_min_flow", "Lowest per-flow throughput",
     "Throughput of the slowest flow (Gbit/s)", 1e-9},
    {"drop_fraction", "sweep_drops", "Dropped traffic", "Dropped / offered bytes (%)", 100},
    {"p99_slowdown", "sweep_slowdown", "p99 flow completion slowdown (worst workload)",
     "p99 FCT slowdown (FCT / ideal FCT)", 1},
};

static void table_free(sweep_table *t)
{
    for (size_t p = 0; p < t->n_params; p++) {
        if (t->labels)
            rp_free_strings(t->labels[p], t->n);
        if (t->values)
            free(t->values[p]);
    }
    free(t->labels);
    free(t->values);
    rp_free_strings(t->params, t->n_params);
    rp_free_strings(t->units, t->n_params);
    rp_free_strings(t->status, t->n);
    for (int m = 0; m < N_METRICS; m++)
        free(t->metric[m]);
    memset(t, 0, sizeof(*t));
}

static size_t attr_length(hid_t obj, const char *name)
{
    if (H5Aexists(obj, name) <= 0)
        return 0;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    hid_t sp = a < 0 ? -1 : H5Aget_space(a);
    hssize_t n = sp < 0 ? 0 : H5Sget_simple_extent_npoints(sp);
    if (sp >= 0)
        H5Sclose(sp);
    if (a >= 0)
        H5Aclose(a);
    return n > 0 ? (size_t)n : 0;
}

static double read_double_attr(hid_t obj, const char *name)
{
    double v = NAN;
    if (H5Aexists(obj, name) <= 0)
        return v;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a >= 0 && H5Aread(a, H5T_NATIVE_DOUBLE, &v) < 0)
        v = NAN;
    if (a >= 0)
        H5Aclose(a);
    return v;
}

static int read_params(hid_t d, sweep_table *t)
{
    t->n_params = attr_length(d, "params");
    if (t->n_params == 0)
        return 0;
    t->params = rp_read_string_attr(d, "params", t->n_params);
    t->units = rp_read_string_attr(d, "param_units", t->n_params);
    t->labels = rp_alloc_array(t->n_params, sizeof(char **));
    t->values = rp_alloc_array(t->n_params, sizeof(double *));
    if (!t->params || !t->units || !t->labels || !t->values)
        return -1;
    for (size_t p = 0; p < t->n_params; p++) {
        char field[600];
        snprintf(field, sizeof(field), "%s.value", t->params[p]);
        t->labels[p] = rp_read_string_field(d, t->params[p], t->n);
        t->values[p] = rp_read_number_field(d, field, t->n);
        if (!t->labels[p] || !t->values[p])
            return -1;
    }
    return 0;
}

static int read_table(hid_t d, sweep_table *t)
{
    hssize_t n = rp_dataset_elements(d);     /* bounded: rh5.h */
    if (n < 0)
        return -1;
    t->n = (size_t)n;
    t->target_s = read_double_attr(d, "p99_target_s");
    t->status = rp_read_string_field(d, "status", t->n);
    for (int m = 0; m < METRIC_SLOWDOWN; m++)
        if ((t->metric[m] = rp_read_number_field(d, metrics[m].field, t->n)) == NULL)
            return -1;
    /* optional: older summaries have no such field */
    t->metric[METRIC_SLOWDOWN] = rp_read_number_field(d, metrics[METRIC_SLOWDOWN].field, t->n);
    return t->status ? read_params(d, t) : -1;
}

int rp_check_summary(hid_t file)
{
    sweep_table t;
    memset(&t, 0, sizeof(t));
    rp_damage_clear();
    hid_t d = H5Dopen2(file, "/points", H5P_DEFAULT);
    if (d >= 0) {
        read_table(d, &t);
        H5Dclose(d);
    }
    table_free(&t);
    return rp_damage()[0] ? -1 : 0;
}

static int load_table(const char *dir, sweep_table *t, errbuf *e)
{
    memset(t, 0, sizeof(*t));
    rp_damage_clear();
    char *path = rp_path_join(dir, "summary.h5");
    hid_t f = path ? H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT) : -1;
    hid_t d = f < 0 ? -1 : H5Dopen2(f, "/points", H5P_DEFAULT);
    int rc = d < 0 ? -1 : read_table(d, t);
    if (d >= 0)
        H5Dclose(d);
    if (f >= 0)
        H5Fclose(f);
    if (rp_damage()[0])
        errbuf_set(e, "%s is damaged: %s", path ? path : dir, rp_damage());
    else if (rc != 0)
        errbuf_set(e, "cannot read the /points table of %s (run `sriov-sim sweep` first)",
                   path ? path : dir);
    free(path);
    return rp_damage()[0] ? -1 : rc;
}

/* ---- the axes the user chose ------------------------------------------------ */

/* The parameter named `name` ("path" or "$label"; a label may be given
 * without its '$'), or n_params. */
static size_t find_param(const sweep_table *t, const char *name)
{
    for (size_t p = 0; p < t->n_params; p++) {
        const char *have = t->params[p];
        if (strcmp(have, name) == 0 || (have[0] == '$' && strcmp(have + 1, name) == 0))
            return p;
    }
    return t->n_params;
}

static void list_params(const sweep_table *t, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t p = 0; p < t->n_params; p++)
        snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", p ? ", " : "",
                 t->params[p][0] == '$' ? t->params[p] + 1 : t->params[p]);
}

/* Moves the chosen x parameter to column 0 (the rest keep their order). */
static int put_x_first(sweep_table *t, const char *x, errbuf *e)
{
    size_t p = find_param(t, x);
    if (p == t->n_params) {
        char names[1024];
        list_params(t, names, sizeof names);
        errbuf_set(e, "--x %s: the sweep has no such parameter (it has: %s)", x, names);
        return -1;
    }
    for (; p > 0; p--) {
        char *s = t->params[p]; t->params[p] = t->params[p - 1]; t->params[p - 1] = s;
        s = t->units[p]; t->units[p] = t->units[p - 1]; t->units[p - 1] = s;
        char **l = t->labels[p]; t->labels[p] = t->labels[p - 1]; t->labels[p - 1] = l;
        double *v = t->values[p]; t->values[p] = t->values[p - 1]; t->values[p - 1] = v;
    }
    return 0;
}

/* in_series[p] for p >= 1 from a comma-separated list; every name must be
 * a parameter other than x. */
static int parse_series(const sweep_table *t, const char *list, bool *in_series, errbuf *e)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        size_t p = find_param(t, tok);
        if (p == 0 || p == t->n_params) {
            char names[1024];
            list_params(t, names, sizeof names);
            errbuf_set(e, "--series %s: %s (the sweep's parameters: %s)", tok,
                       p == 0 ? "it is the x parameter" : "no such parameter", names);
            return -1;
        }
        in_series[p] = true;
    }
    return 0;
}

/* ---- grouping --------------------------------------------------------------- */

/* Distinct strings in first-appearance order; ids[i] is row i's index. */
typedef struct distinct {
    char **names;
    double *sort_key;
    size_t n;
    size_t *ids;                /* [rows] */
} distinct;

static void distinct_free(distinct *g)
{
    rp_free_strings(g->names, g->n);
    free(g->sort_key);
    free(g->ids);
}

static size_t distinct_add(distinct *g, const char *name, double key)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->names[i], name) == 0)
            return i;
    g->names[g->n] = strdup(name ? name : "");
    g->sort_key[g->n] = key;
    return g->n++;
}

/* Whether parameter p only follows the x parameter (zipped with it): the
 * same x value always comes with the same p value. Such a parameter would
 * split every x into its own line, so it does not name a series. */
static bool follows_x(const sweep_table *t, size_t p)
{
    for (size_t r = 0; r < t->n; r++)
        for (size_t q = r + 1; q < t->n; q++)
            if (strcmp(t->labels[0][r], t->labels[0][q]) == 0 &&
                strcmp(t->labels[p][r], t->labels[p][q]) != 0)
                return false;
    return true;
}

/* The label of row r for the series: "path=value, ..." of the parameters
 * after the first that vary independently of it; "all" when none do. */
static char *series_name(const sweep_table *t, const bool *in_series, size_t r)
{
    size_t len = 8;
    for (size_t p = 1; p < t->n_params; p++)
        len += strlen(t->params[p]) + strlen(t->labels[p][r]) + 3;
    char *s = calloc(len, 1);
    for (size_t p = 1; s && p < t->n_params; p++)
        if (in_series[p])
            snprintf(s + strlen(s), len - strlen(s), "%s%s=%s", s[0] ? ", " : "",
                     t->params[p][0] == '$' ? t->params[p] + 1 : t->params[p],
                     t->labels[p][r]);
    if (s && s[0] == '\0')
        strcpy(s, "all");
    return s;
}

static int group(const sweep_table *t, const char *series, distinct *xs, distinct *ser,
                 errbuf *e)
{
    size_t n = t->n ? t->n : 1;
    xs->names = rp_alloc_array(n, sizeof(char *));
    xs->sort_key = rp_alloc_array(n, sizeof(double));
    xs->ids = rp_alloc_array(n, sizeof(size_t));
    ser->names = rp_alloc_array(n, sizeof(char *));
    ser->sort_key = rp_alloc_array(n, sizeof(double));
    ser->ids = rp_alloc_array(n, sizeof(size_t));
    bool *in_series = rp_alloc_array(t->n_params, sizeof(bool));
    if (!xs->names || !xs->sort_key || !xs->ids || !ser->names || !ser->sort_key ||
        !ser->ids || !in_series) {
        free(in_series);
        return -1;
    }
    if (series && parse_series(t, series, in_series, e) != 0) {
        free(in_series);
        return -1;
    }
    for (size_t p = 1; !series && p < t->n_params; p++)
        in_series[p] = !follows_x(t, p);
    for (size_t r = 0; r < t->n; r++) {
        char idbuf[32];
        snprintf(idbuf, sizeof(idbuf), "%zu", r);
        const char *xl = t->n_params ? t->labels[0][r] : idbuf;
        xs->ids[r] = distinct_add(xs, xl, t->n_params ? t->values[0][r] : (double)r);
        char *sn = series_name(t, in_series, r);
        if (sn == NULL)
            break;
        ser->ids[r] = distinct_add(ser, sn, (double)r);
        free(sn);
    }
    free(in_series);
    return 0;
}

/* Order of the x values: by numeric value when all are numbers. */
static void sort_x(const distinct *xs, bool numeric, size_t *order)
{
    for (size_t i = 0; i < xs->n; i++)
        order[i] = i;
    for (size_t i = 1; numeric && i < xs->n; i++)
        for (size_t j = i; j > 0 && xs->sort_key[order[j]] < xs->sort_key[order[j - 1]]; j--) {
            size_t tmp = order[j];
            order[j] = order[j - 1];
            order[j - 1] = tmp;
        }
}

/* ---- export and draw ----------------------------------------------------------- */

typedef struct x_axis {
    bool categorical;           /* x drawn as labels, evenly spaced */
    bool sort_numeric;          /* x values in numeric order */
    double scale;               /* base unit -> shown unit */
    const char *zero_label;     /* what x = 0 means, e.g. "uncapped"; or NULL */
    char label[600];
} x_axis;

/* A shown unit for values up to `top` in base unit `unit`: "Gbit/s" for
 * rates of Gb/s, "MB" for sizes in the millions, "us" for microseconds.
 * A size axis in raw bytes read -500000 .. 2.5e+06 (issue 19 item 8). */
static const char *scaled_unit(const char *unit, double top, double *scale)
{
    static const struct { const char *unit, *shown; double at, scale; } steps[] = {
        {"bit/s", "Gbit/s", 1e9, 1e-9}, {"bit/s", "Mbit/s", 1e6, 1e-6}, {"bit/s", "kbit/s", 1e3, 1e-3},
        {"B", "GB", 1e9, 1e-9}, {"B", "MB", 1e6, 1e-6}, {"B", "kB", 1e3, 1e-3},
        {"Hz", "GHz", 1e9, 1e-9}, {"Hz", "MHz", 1e6, 1e-6},
        {"s", "s", 1, 1}, {"s", "ms", 1e-3, 1e3}, {"s", "us", 1e-6, 1e6}, {"s", "ns", 0, 1e9},
    };
    *scale = 1;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (strcmp(unit, steps[i].unit) == 0 && top >= steps[i].at) {
            *scale = steps[i].scale;
            return steps[i].shown;
        }
    return unit;
}

/* What 0 means for a parameter, by the key its path ends in: a rate cap
 * of 0 is no cap (docs/scenario.md), not a rate of zero. */
static const char *zero_meaning(const char *path)
{
    static const struct { const char *key, *label; } keys[] = {
        {"max_rate", "uncapped"}, {"min_rate", "none"}, {"burst", "unlimited"},
    };
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        size_t k = strlen(keys[i].key);
        if (n >= k && strcmp(path + n - k, keys[i].key) == 0 && (n == k || path[n - k - 1] == '.'))
            return keys[i].label;
    }
    return NULL;
}

static void choose_x_axis(const sweep_table *t, x_axis *ax)
{
    const char *unit = t->n_params ? t->units[0] : "1";
    const char *name = t->n_params ? t->params[0] : "point";
    if (name[0] == '$')
        name++;     /* a label column: "$tenants" reads "tenants" */
    ax->categorical = unit[0] == '\0';
    ax->sort_numeric = !ax->categorical;
    ax->zero_label = NULL;
    double top = 0;
    bool has_zero = false;
    for (size_t r = 0; t->n_params && r < t->n; r++) {
        double v = t->values[0][r];
        if (isfinite(v))
            top = fmax(top, fabs(v));
        has_zero |= v == 0;
    }
    const char *shown = scaled_unit(unit, top, &ax->scale);
    if (!ax->categorical && has_zero && (ax->zero_label = zero_meaning(name)) != NULL)
        ax->categorical = true;     /* "uncapped" is a category, not x = 0 */
    if (strcmp(unit, "1") == 0 || unit[0] == '\0')
        shown = NULL;
    if (shown)
        snprintf(ax->label, sizeof(ax->label), "%s (%s)", name, shown);
    else
        snprintf(ax->label, sizeof(ax->label), "%s", name);
}

/* Mean over the ok rows of (x, series), NaN if none. */
static double cell_mean(const sweep_table *t, const double *v, const distinct *xs,
                        const distinct *ser, size_t x, size_t s)
{
    double sum = 0;
    size_t n = 0;
    for (size_t r = 0; r < t->n; r++)
        if (xs->ids[r] == x && ser->ids[r] == s && strcmp(t->status[r], "ok") == 0 &&
            isfinite(v[r])) {
            sum += v[r];
            n++;
        }
    return n ? sum / (double)n : NAN;
}

static int export_metric(const char *dir, const sweep_table *t, int m, const distinct *xs,
                         const distinct *ser, const x_axis *ax, errbuf *e)
{
    char name[64];
    snprintf(name, sizeof(name), "%s.dat", metrics[m].figure);
    FILE *f = rp_open_out(dir, name, e);
    if (f == NULL)
        return -1;
    size_t *order = rp_alloc_array(xs->n, sizeof(size_t));
    sort_x(xs, ax->sort_numeric, order);
    fprintf(f, "# %s (%s) vs %s; mean over repetitions, NaN: no ok point\n",
            metrics[m].title, metrics[m].ylabel, ax->label);
    const char *xname = t->n_params ? t->params[0] : "point";
    rp_put_token(f, xname[0] == '$' ? xname + 1 : xname);
    for (size_t s = 0; s < ser->n; s++) {
        fputc(' ', f);
        rp_put_token(f, ser->names[s]);
    }
    fputc('\n', f);
    for (size_t i = 0; order && i < xs->n; i++) {
        size_t x = order[i];
        if (ax->categorical && ax->zero_label && xs->sort_key[x] == 0)
            rp_put_token(f, ax->zero_label);
        else if (ax->categorical && ax->sort_numeric)
            fprintf(f, "%.6g", xs->sort_key[x] * ax->scale);   /* in the axis's unit */
        else if (ax->categorical)
            rp_put_token(f, xs->names[x]);
        else
            fprintf(f, "%.12g", xs->sort_key[x] * ax->scale);
        for (size_t s = 0; s < ser->n; s++) {
            double v = cell_mean(t, t->metric[m], xs, ser, x, s);
            if (isfinite(v))
                fprintf(f, " %.12g", v * metrics[m].scale);
            else
                fputs(" NaN", f);
        }
        fputc('\n', f);
    }
    free(order);
    return rp_close_out(f, name, e);
}

/* The gnuplot assignments after the common ones. */
static void metric_extra(const sweep_table *t, int m, const x_axis *ax, char *buf,
                         size_t size)
{
    char tail[64] = "NaN";
    if (m == 0 && isfinite(t->target_s))
        snprintf(tail, sizeof(tail), "%.12g", t->target_s * 1e6);
    /* The axis label holds a parameter path and unit from summary.h5:
     * quoted, never pasted in (a quote in it ran gnuplot code). */
    snprintf(buf, size, "xlabel=");
    rp_put_quoted(buf, size, ax->label);
    strncat(buf, "; ylabel=", size - strlen(buf) - 1);
    rp_put_quoted(buf, size, metrics[m].ylabel);
    char num[256];
    snprintf(num, sizeof(num), "; xcat=%d; target=%s; targetlabel='p99 target'",
             ax->categorical ? 1 : 0, tail);
    strncat(buf, num, size - strlen(buf) - 1);
}

typedef struct sweep_figs {
    figure_entry figs[N_METRICS];
    char extra[N_METRICS][1400];
    char title[N_METRICS][700];
    int n_figs;
} sweep_figs;

/* Whether metric m has a number at some point: the slowdown only exists
 * with workloads, the flow metrics only with /flows rows (a sweep of a
 * workload alone has none, and gnuplot cannot draw an empty figure). */
static bool metric_present(const sweep_table *t, int m)
{
    for (size_t r = 0; t->metric[m] && r < t->n; r++)
        if (isfinite(t->metric[m][r]))
            return true;
    return false;
}

/* The longest series name: long ones (a grid plus a zip) no longer fit a
 * key beside the plot, which gnuplot then dropped; they go below it. */
static size_t longest(const distinct *ser)
{
    size_t n = 0;
    for (size_t i = 0; i < ser->n; i++)
        n = strlen(ser->names[i]) > n ? strlen(ser->names[i]) : n;
    return n;
}

static int draw_metrics(const plot_env *env, const sweep_table *t, const char *series,
                        sweep_figs *sf, errbuf *e)
{
    distinct xs = {0}, ser = {0};
    x_axis ax;
    choose_x_axis(t, &ax);
    int rc = group(t, series, &xs, &ser, e);
    sf->n_figs = 0;
    for (int m = 0; rc == 0 && m < N_METRICS; m++) {
        if (!metric_present(t, m))
            continue;
        metric_extra(t, m, &ax, sf->extra[m], sizeof(sf->extra[m]));
        snprintf(sf->extra[m] + strlen(sf->extra[m]), sizeof(sf->extra[m]) - strlen(sf->extra[m]),
                 "; keylen=%zu", longest(&ser));
        snprintf(sf->title[m], sizeof(sf->title[m]), "%s vs %s", metrics[m].title, ax.label);
        sf->figs[sf->n_figs++] = (figure_entry){metrics[m].figure, sf->title[m], true, NULL,
                                                "sweep_metric", sf->extra[m]};
        rc = export_metric(env->out_dir, t, m, &xs, &ser, &ax, e);
        if (rc == 0)
            rc = rp_draw(env, "sweep_metric", metrics[m].figure, sf->title[m], ser.n,
                         sf->extra[m], e);
    }
    distinct_free(&xs);
    distinct_free(&ser);
    return rc;
}

static int write_sweep_index(const char *out_dir, const char *sweep_dir, const sweep_table *t,
                             const sweep_figs *sf, const char *templates, errbuf *e)
{
    FILE *f = rp_open_out(out_dir, "index.md", e);
    if (f == NULL)
        return -1;
    size_t ok = 0;
    for (size_t r = 0; r < t->n; r++)
        ok += strcmp(t->status[r], "ok") == 0;
    /* the directory and the parameter names may hold newlines (textesc.h) */
    fputs("# sriov-sim sweep report: ", f);
    text_put_escaped(f, sweep_dir);
    fprintf(f, "\n\n%zu points, %zu ok, %zu not ok (left out of the figures; see `",
            t->n, ok, t->n - ok);
    text_put_escaped(f, sweep_dir);
    fputs("/index.tsv`).\n", f);
    fprintf(f, "Parameters:");
    for (size_t p = 0; p < t->n_params; p++) {
        fprintf(f, "%s `", p ? "," : "");
        text_put_escaped(f, t->params[p]);
        fputc('`', f);
    }
    fprintf(f, "%s. Each line is one combination of the parameters after the first; "
               "repetitions are averaged.\n\n", t->n_params ? "" : " none");
    for (int m = 0; m < sf->n_figs; m++)
        rp_index_figure(f, &sf->figs[m], templates);
    fputs("gnuplot's messages are in `gnuplot.log`.\n", f);
    return rp_close_out(f, "index.md", e);
}

int report_write_sweep(const char *sweep_dir, const char *out_dir, const report_sweep_opts *o,
                       char *err, size_t errlen)
{
    static const report_sweep_opts none = {NULL, NULL};
    if (o == NULL)
        o = &none;
    errbuf e = {err, errlen};
    errbuf_set(&e, "%s", "");
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    sweep_table t;
    sweep_figs *sf = calloc(1, sizeof(*sf));
    char *gnuplot = NULL, *templates = NULL, *log_path = NULL;
    int logfd = -1;
    int rc = sf && load_table(sweep_dir, &t, &e) == 0 ? 0 : -1;
    bool bad_option = false;
    if (rc == 0 && o->x && put_x_first(&t, o->x, &e) != 0)
        rc = -1, bad_option = true;
    if (rc == 0 && (gnuplot = rp_find_on_path("gnuplot")) == NULL) {
        errbuf_set(&e, "gnuplot not found on PATH (install gnuplot-nox)");
        rc = -1;
    }
    if (rc == 0 && ((templates = rp_templates_dir(&e)) == NULL || rp_make_dir(out_dir, &e) != 0))
        rc = -1;
    if (rc == 0 && (logfd = rp_open_log(out_dir, &log_path, &e)) < 0)
        rc = -1;
    if (rc == 0) {
        plot_env env = {gnuplot, templates, out_dir, logfd};
        rc = draw_metrics(&env, &t, o->series, sf, &e);
        bad_option = rc != 0 && strncmp(err, "--series ", 9) == 0;
    }
    if (rc == 0)
        rc = write_sweep_index(out_dir, sweep_dir, &t, sf, templates, &e);
    if (logfd >= 0)
        close(logfd);
    free(log_path);
    free(templates);
    free(gnuplot);
    if (sf)
        table_free(&t);
    free(sf);
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    return bad_option ? -2 : rc;
}
