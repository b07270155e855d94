/* report_workload.c -- the workload slowdown figure's data (rwl.h). */
#include "report/rwl.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report/rh5.h"

void rp_wl_fct_free(wl_fct_data *d)
{
    rp_free_strings(d->workload, d->n);
    free(d->lo);
    free(d->hi);
    free(d->flows);
    free(d->p50);
    free(d->p99);
    free(d->p999);
    memset(d, 0, sizeof(*d));
}

int rp_read_wl_fct(hid_t file, wl_fct_data *out)
{
    memset(out, 0, sizeof(*out));
    hid_t d = H5Dopen2(file, "/workload_fct", H5P_DEFAULT);
    if (d < 0)
        return -1;
    hssize_t rows = rp_dataset_elements(d);
    size_t n = rows < 0 ? 0 : (size_t)rows;
    out->n = n;
    out->workload = rp_read_string_field(d, "workload", n);
    out->lo = rp_read_number_field(d, "size_lo_bytes", n);
    out->hi = rp_read_number_field(d, "size_hi_bytes", n);
    out->flows = rp_read_number_field(d, "flows", n);
    out->p50 = rp_read_number_field(d, "p50_slowdown", n);
    out->p99 = rp_read_number_field(d, "p99_slowdown", n);
    out->p999 = rp_read_number_field(d, "p999_slowdown", n);
    H5Dclose(d);
    if (rows <= 0 || !out->workload || !out->lo || !out->hi || !out->flows || !out->p50 ||
        !out->p99 || !out->p999) {
        rp_wl_fct_free(out);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(out->workload[i], out->workload[j]) == 0;
        out->n_workloads += !seen;
    }
    return 0;
}

/* Where a bucket is drawn: its geometric middle (the first starts at 0,
 * the last has no end: half a decade inside the finite edge). */
static double bucket_x(double lo, double hi)
{
    if (!(lo > 0))
        return hi / sqrt(10);
    if (!isfinite(hi))
        return lo * sqrt(10);
    return sqrt(lo * hi);
}

int rp_export_wl_fct(const char *dir, const wl_fct_data *d, char **names, errbuf *e)
{
    FILE *f = rp_open_out(dir, "workload_slowdown.dat", e);
    if (f == NULL)
        return -1;
    size_t cap = 16;
    for (size_t i = 0; i < d->n; i++)
        cap += 2 * strlen(d->workload[i]) + 2;
    char *list = calloc(cap, 1), *quoted = calloc(cap + 16, 1);
    if (!list || !quoted) {
        free(list);
        free(quoted);
        fclose(f);
        errbuf_set(e, "out of memory");
        return -1;
    }
    fputs("# p50, p99, p99.9 slowdown by flow-size bucket, one block per workload:\n"
          "# size_bytes p50 p99 p999 flows\n", f);
    size_t blocks = 0;
    for (size_t i = 0; i < d->n; i++) {
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = strcmp(d->workload[i], d->workload[j]) != 0;
        if (!first)
            continue;
        if (blocks++)
            fputs("\n\n", f);
        strcat(list, blocks > 1 ? " " : "");
        strcat(list, d->workload[i]); /* loader names: letters, digits, - _ */
        for (size_t k = i; k < d->n; k++)
            if (strcmp(d->workload[k], d->workload[i]) == 0 && d->flows[k] > 0)
                fprintf(f, "%.9g %.9g %.9g %.9g %.0f\n", bucket_x(d->lo[k], d->hi[k]), d->p50[k],
                        d->p99[k], d->p999[k], d->flows[k]);
    }
    strcpy(quoted, "names=");
    rp_put_quoted(quoted, cap + 16, list);
    free(list);
    *names = quoted;
    return rp_close_out(f, "workload_slowdown.dat", e);
}
