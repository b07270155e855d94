/* report_latency.c -- the latency histograms read back and their figures'
 * data; see rlat.h. */
#include "report/rlat.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rh5.h"
#include "report/rplot.h"

void rp_hists_free(rp_hists *h)
{
    free(h->h);
    free(h->counts);
    memset(h, 0, sizeof *h);
}

/* Refuse the file: the reason goes to rp_damage(). */
static int damaged(rp_hists *out, const char *what, const char *why)
{
    char msg[200];
    snprintf(msg, sizeof msg, "/%s_latency_hist: %s", what, why);
    rp_set_damage(msg);
    rp_hists_free(out);
    return -1;
}

/* The n values of one column of a table, or NULL. */
static double *read_column(hid_t d, const char *field, size_t n)
{
    hid_t ft = H5Dget_type(d);
    bool has = ft >= 0 && H5Tget_class(ft) == H5T_COMPOUND && H5Tget_member_index(ft, field) >= 0;
    if (ft >= 0)
        H5Tclose(ft);
    return has ? rp_read_number_field(d, field, n) : NULL;
}

/* The counts table: *n values in *out (NULL and 0 when absent: every
 * histogram is then empty). -1 when unreadable. */
static int read_counts(hid_t file, const char *what, double **out, size_t *n)
{
    char path[64];
    snprintf(path, sizeof path, "/%s_latency_counts", what);
    *out = NULL;
    *n = 0;
    if (H5Lexists(file, path, H5P_DEFAULT) <= 0)
        return 0;
    hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    hssize_t m = d < 0 ? -1 : rp_dataset_elements(d);
    if (m > 0) {
        *out = read_column(d, "packets", (size_t)m);
        *n = (size_t)m;
    }
    if (d >= 0)
        H5Dclose(d);
    return m < 0 || (m > 0 && !*out) ? -1 : 0;
}

/* A stored integer column value: whole and inside [lo, hi]. */
static bool whole_in(double v, double lo, double hi)
{
    return v >= lo && v <= hi && v == floor(v);
}

/* Row i's histogram from the columns, checked against the counts. */
static const char *make_hist(const double *col[7], size_t i, double *counts, size_t n_counts,
                             lhist *h)
{
    double first = col[0][i], nb = col[1][i], off = col[2][i];
    if (!whole_in(first, 0, LHIST_BINS - 1) || !whole_in(nb, 0, LHIST_BINS) ||
        !whole_in(off, 0, (double)n_counts) || nb > (double)n_counts - off)
        return "a row's bins lie outside the layout or the counts";
    const char *why = NULL;
    double *c = nb > 0 ? counts + (size_t)off : NULL;
    if (lhist_check((int64_t)first, (int64_t)nb, c, col[3][i], col[5][i], col[6][i], &why) != 0)
        return why;
    if (!isfinite(col[4][i]) || col[4][i] < 0)
        return "latency_sum_s is negative or not finite";
    lhist_init(h);
    h->first = (int32_t)first;
    h->n = (uint32_t)nb;
    h->counts = c;
    h->total = col[3][i];
    h->sum_s = col[4][i];
    h->min_s = col[5][i];
    h->max_s = col[6][i];
    return NULL;
}

int rp_read_hists(hid_t file, const char *what, size_t n_rows, rp_hists *out)
{
    static const char *const names[7] = {"first_bin", "n_bins", "offset", "packets",
                                         "latency_sum_s", "min_s", "max_s"};
    char path[64];
    memset(out, 0, sizeof *out);
    snprintf(path, sizeof path, "/%s_latency_hist", what);
    if (H5Lexists(file, path, H5P_DEFAULT) <= 0)
        return 1;
    hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    hssize_t n = d < 0 ? -1 : rp_dataset_elements(d);
    double *col[7] = {0};
    bool ok = n >= 0 && (size_t)n == n_rows;
    for (int k = 0; ok && n > 0 && k < 7; k++)
        ok = (col[k] = read_column(d, names[k], (size_t)n)) != NULL;
    if (d >= 0)
        H5Dclose(d);
    size_t n_counts = 0;
    ok = ok && read_counts(file, what, &out->counts, &n_counts) == 0;
    const char *why = ok ? NULL : "missing columns, or not one row per table row";
    if (ok) {
        out->n = n_rows;
        out->h = rp_alloc_array(n_rows, sizeof *out->h);
        if (!out->h)
            why = "out of memory";
        for (size_t i = 0; !why && i < n_rows; i++) {
            why = make_hist((const double **)col, i, out->counts, n_counts, &out->h[i]);
            out->n_nonempty += !why && out->h[i].total > 0;
        }
    }
    for (int k = 0; k < 7; k++)
        free(col[k]);
    return why ? damaged(out, what, why) : 0;
}

/* Indices of the non-empty histograms, highest p99 first (ties by row),
 * at most max of them; *k how many. Owned. */
typedef struct ranked {
    double p99;
    size_t i;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->p99 != y->p99)
        return x->p99 < y->p99 ? 1 : -1;
    return (x->i > y->i) - (x->i < y->i);
}

static ranked *rank_by_p99(const rp_hists *h, size_t max, size_t *k)
{
    ranked *r = rp_alloc_array(h->n ? h->n : 1, sizeof *r);
    *k = 0;
    if (!r)
        return NULL;
    for (size_t i = 0; i < h->n; i++)
        if (h->h[i].total > 0)
            r[(*k)++] = (ranked){lhist_quantile(&h->h[i], 0.99), i};
    qsort(r, *k, sizeof *r, cmp_ranked);
    if (*k > max)
        *k = max;
    return r;
}

int rp_export_hist_cdf(const char *dir, const rp_hists *h, char *const *names,
                       size_t max, size_t *n_drawn, errbuf *e)
{
    size_t k;
    ranked *r = rank_by_p99(h, max, &k);
    FILE *f = r ? rp_open_out(dir, "latency_cdf.dat", e) : NULL;
    if (!f) {
        free(r);
        return -1;
    }
    fputs("# per-flow latency CDF from the stored histograms (util/lhist.h: 2 % log bins); "
          "latency in s\n", f);
    for (size_t j = 0; j < k; j++) {
        const lhist *x = &h->h[r[j].i];
        if (j)
            fputs("\n\n", f);
        fputs("latency_s ", f);
        rp_put_token(f, names[r[j].i]);
        fprintf(f, "\n%.12g 0\n", x->min_s);
        double cum = 0, sum = 0;
        for (uint32_t b = 0; b < x->n; b++)
            sum += x->counts[b];
        for (uint32_t b = 0; b < x->n; b++) {
            if (!(x->counts[b] > 0))
                continue;
            cum += x->counts[b];
            double edge = fmin(lhist_hi_s(x->first + (int)b), x->max_s);
            fprintf(f, "%.12g %.9g\n", edge, fmin(1.0, cum / sum));
        }
    }
    free(r);
    *n_drawn = k;
    return rp_close_out(f, "latency_cdf.dat", e);
}

int rp_export_hist_percentiles(const char *dir, const char *name, const rp_hists *h,
                               char *const *names, size_t max, size_t *n_drawn,
                               errbuf *e)
{
    size_t k;
    ranked *r = rank_by_p99(h, max, &k);
    FILE *f = r ? rp_open_out(dir, name, e) : NULL;
    if (!f) {
        free(r);
        return -1;
    }
    fputs("# name p50_s p99_s p999_s (one-way latency per packet, s, from the histograms; "
          "highest p99 first)\n", f);
    for (size_t j = 0; j < k; j++) {
        const lhist *x = &h->h[r[j].i];
        rp_put_token(f, names[r[j].i]);
        fprintf(f, " %.12g %.12g %.12g\n", lhist_quantile(x, 0.5), r[j].p99,
                lhist_quantile(x, 0.999));
    }
    free(r);
    *n_drawn = k;
    return rp_close_out(f, name, e);
}
