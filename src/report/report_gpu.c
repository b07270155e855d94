/* report_gpu.c -- the GPU figure's data (rgpu.h). */
#include "report/rgpu.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/rh5.h"

void rp_gpu_free(gpu_fig_data *d)
{
    rp_free_strings(d->label, d->n);
    free(d->c50);
    free(d->c99);
    free(d->s50);
    free(d->s99);
    free(d->util);
    free(d->done);
    memset(d, 0, sizeof(*d));
}

/* One table's rows (0 when it is missing or empty) and the open dataset. */
static size_t open_table(hid_t file, const char *path, hid_t *d)
{
    *d = H5Dopen2(file, path, H5P_DEFAULT);
    if (*d < 0)
        return 0;
    hssize_t rows = rp_dataset_elements(*d);
    return rows > 0 ? (size_t)rows : 0;
}

/* The GPUs' names (owned, n_gpus of them), or NULL. */
static char **read_gpu_names(hid_t file, size_t *n_gpus)
{
    hid_t d;
    *n_gpus = open_table(file, "/gpus", &d);
    char **names = *n_gpus ? rp_read_string_field(d, "name", *n_gpus) : NULL;
    if (d >= 0)
        H5Dclose(d);
    return names;
}

/* /gpu_instances: labels, utilisation, and where each GPU's rows start
 * (first[g], rows of GPU g are consecutive as the writer puts them). */
static int read_instances(hid_t file, char **gpus, size_t n_gpus, gpu_fig_data *out,
                          size_t *first, size_t *count)
{
    hid_t d;
    size_t n = open_table(file, "/gpu_instances", &d);
    double *gi = n ? rp_read_number_field(d, "gpu", n) : NULL;
    char **name = gi ? rp_read_string_field(d, "name", n) : NULL;
    out->util = name ? rp_read_number_field(d, "utilisation", n) : NULL;
    if (d >= 0)
        H5Dclose(d);
    out->label = out->util ? rp_alloc_array(n, sizeof(char *)) : NULL;
    int rc = out->label ? 0 : -1;
    out->n = out->label ? n : 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        double g = gi[i];
        if (!(g >= 0 && g < (double)n_gpus) || (i > 0 && g < gi[i - 1])) {
            rc = -1; /* not the writer's order: no figure rather than a wrong one */
            break;
        }
        size_t k = (size_t)g;
        if (count[k]++ == 0)
            first[k] = i;
        out->label[i] = rp_path_join(gpus[k], name[i]); /* "gpu/instance" */
        rc = out->label[i] ? 0 : -1;
    }
    free(gi);
    rp_free_strings(name, name ? n : 0);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank quantile of n sorted values (NaN when n is 0). */
static double rank_q(const double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    size_t k = (size_t)ceil(q * (double)n);
    return v[k > 0 ? k - 1 : 0];
}

/* The finished jobs of every instance, as (row, completion, slowdown)
 * grouped by instance row, then their percentiles. */
typedef struct job_pt {
    size_t row;
    double c, s;
} job_pt;

static int cmp_row(const void *a, const void *b)
{
    const job_pt *x = a, *y = b;
    return (x->row > y->row) - (x->row < y->row);
}

static void percentiles(gpu_fig_data *out, job_pt *p, size_t m, double *tmp)
{
    qsort(p, m, sizeof *p, cmp_row);
    for (size_t i = 0, j; i < m; i = j) {
        for (j = i; j < m && p[j].row == p[i].row; j++)
            tmp[j - i] = p[j].c;
        size_t k = j - i, r = p[i].row;
        qsort(tmp, k, sizeof *tmp, cmp_double);
        out->c50[r] = rank_q(tmp, k, 0.5);
        out->c99[r] = rank_q(tmp, k, 0.99);
        for (size_t x = i; x < j; x++)
            tmp[x - i] = p[x].s;
        qsort(tmp, k, sizeof *tmp, cmp_double);
        out->s50[r] = rank_q(tmp, k, 0.5);
        out->s99[r] = rank_q(tmp, k, 0.99);
        out->done[r] = k;
    }
}

static int read_jobs(hid_t file, gpu_fig_data *out, const size_t *first, const size_t *count,
                     size_t n_gpus)
{
    hid_t d;
    size_t n = open_table(file, "/gpu_jobs", &d);
    double *g = n ? rp_read_number_field(d, "gpu", n) : NULL;
    double *in = g ? rp_read_number_field(d, "instance", n) : NULL;
    double *c = in ? rp_read_number_field(d, "completion_s", n) : NULL;
    double *s = c ? rp_read_number_field(d, "slowdown", n) : NULL;
    if (d >= 0)
        H5Dclose(d);
    job_pt *p = s ? rp_alloc_array(n, sizeof *p) : NULL;
    double *tmp = p ? rp_alloc_array(n, sizeof *tmp) : NULL;
    int rc = tmp || n == 0 ? 0 : -1;
    size_t m = 0;
    for (size_t j = 0; tmp && j < n; j++) {
        if (!isfinite(c[j]) || !isfinite(s[j]))
            continue; /* cut by the end of the run */
        if (!(g[j] >= 0 && g[j] < (double)n_gpus) ||
            !(in[j] >= 0 && in[j] < (double)count[(size_t)g[j]])) {
            out->skipped++;
            continue;
        }
        p[m++] = (job_pt){first[(size_t)g[j]] + (size_t)in[j], c[j], s[j]};
    }
    if (tmp)
        percentiles(out, p, m, tmp);
    free(g);
    free(in);
    free(c);
    free(s);
    free(p);
    free(tmp);
    return rc;
}

static int alloc_stats(gpu_fig_data *out)
{
    size_t n = out->n;
    out->c50 = rp_alloc_array(n, sizeof(double));
    out->c99 = rp_alloc_array(n, sizeof(double));
    out->s50 = rp_alloc_array(n, sizeof(double));
    out->s99 = rp_alloc_array(n, sizeof(double));
    out->done = rp_alloc_array(n, sizeof(size_t));
    if (!out->c50 || !out->c99 || !out->s50 || !out->s99 || !out->done)
        return -1;
    for (size_t i = 0; i < n; i++)
        out->c50[i] = out->c99[i] = out->s50[i] = out->s99[i] = NAN;
    return 0;
}

int rp_read_gpu(hid_t file, gpu_fig_data *out)
{
    memset(out, 0, sizeof(*out));
    size_t n_gpus = 0;
    char **gpus = read_gpu_names(file, &n_gpus);
    size_t *first = gpus ? rp_alloc_array(n_gpus, sizeof(size_t)) : NULL;
    size_t *count = first ? rp_alloc_array(n_gpus, sizeof(size_t)) : NULL;
    int rc = count ? read_instances(file, gpus, n_gpus, out, first, count) : -1;
    if (rc == 0 && out->n > 0)
        rc = alloc_stats(out);
    if (rc == 0 && out->n > 0)
        rc = read_jobs(file, out, first, count, n_gpus);
    rp_free_strings(gpus, gpus ? n_gpus : 0);
    free(first);
    free(count);
    if (rc != 0 || out->n == 0) {
        rp_gpu_free(out);
        return -1;
    }
    return 0;
}

int rp_export_gpu(const char *dir, const gpu_fig_data *d, size_t *n_drawn, errbuf *e)
{
    FILE *f = rp_open_out(dir, "gpu_jobs.dat", e);
    if (f == NULL)
        return -1;
    fputs("# instance completion_p50_s completion_p99_s slowdown_p50 slowdown_p99 "
          "utilisation jobs_done (finished jobs; nearest-rank percentiles)\n", f);
    size_t k = d->n < RP_GPU_MAX_INSTANCES ? d->n : RP_GPU_MAX_INSTANCES;
    for (size_t i = 0; i < k; i++) {
        rp_put_token(f, d->label[i]);
        fprintf(f, " %.9g %.9g %.9g %.9g %.9g %zu\n", d->c50[i], d->c99[i], d->s50[i],
                d->s99[i], d->util[i], d->done[i]);
    }
    *n_drawn = k;
    return rp_close_out(f, "gpu_jobs.dat", e);
}
