/* h5_series.c -- /timeseries: the time axis, the engine's three series
 * (columns named after the flow, VF and link tables' rows) and every
 * series in the results registry (see h5.h for the layout). */
#include "output/h5_write.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Target chunk size for the 2-D series, in elements (64 KiB of float64):
 * large enough for deflate to work well, small enough that reading one
 * column of a long run does not decompress the whole file. */
#define SERIES_CHUNK_ELEMS 8192
#define SERIES_CHUNK_MAX_COLS 256
#define DEFLATE_LEVEL 4

/* A 2-D series to write: values row-major [rows x cols]. */
typedef struct series_out {
    const char *name;
    const double *values;
    size_t rows, cols;
    const char *units;
    const char *const *columns;  /* [cols] */
} series_out;

/* Chunked + shuffle + deflate when there is data; HDF5 rejects 0-sized
 * chunk dimensions, so an empty series stays contiguous. */
static hid_t series_dcpl(size_t rows, size_t cols)
{
    hid_t dcpl = h5_untimed_plist(H5P_DATASET_CREATE);
    if (dcpl < 0 || rows == 0 || cols == 0)
        return dcpl;
    hsize_t ccols = cols < SERIES_CHUNK_MAX_COLS ? cols : SERIES_CHUNK_MAX_COLS;
    hsize_t crows = SERIES_CHUNK_ELEMS / ccols;
    if (crows > rows)
        crows = rows;
    hsize_t chunk[2] = {crows, ccols};
    bool ok = H5Pset_chunk(dcpl, 2, chunk) >= 0;
    if (ok && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0)
        ok = H5Pset_shuffle(dcpl) >= 0 && H5Pset_deflate(dcpl, DEFLATE_LEVEL) >= 0;
    if (!ok) {
        H5Pclose(dcpl);
        return -1;
    }
    return dcpl;
}

static int write_series(hid_t group, const series_out *so, errbuf *e)
{
    if (so->rows * so->cols > 0 && so->values == NULL) {
        errbuf_set(e, "/timeseries/%s: no values", so->name);
        return -1;
    }
    hsize_t dims[2] = {so->rows, so->cols};
    hid_t s = H5Screate_simple(2, dims, NULL);
    hid_t dcpl = series_dcpl(so->rows, so->cols);
    hid_t d = (s < 0 || dcpl < 0)
                  ? -1
                  : H5Dcreate2(group, so->name, H5T_IEEE_F64LE, s, H5P_DEFAULT,
                               dcpl, H5P_DEFAULT);
    int rc = -1;
    if (d < 0 || (so->rows * so->cols > 0 &&
                  H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                           so->values) < 0))
        h5_set_h5_err(e, so->name);
    else if (h5_attr_string(d, "units", so->units, e) == 0 &&
             h5_attr_strings(d, "columns", so->columns, so->cols, e) == 0)
        rc = 0;
    if (d >= 0)
        H5Dclose(d);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (s >= 0)
        H5Sclose(s);
    return rc;
}

static int write_time_axis(hid_t group, const run_results *r, errbuf *e)
{
    if (r->n_samples > 0 && r->time_s == NULL) {
        errbuf_set(e, "/timeseries/time_s: %zu samples but no times", r->n_samples);
        return -1;
    }
    hid_t d = h5_create_rows(group, "time_s", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                          r->n_samples, r->time_s);
    if (d < 0) {
        h5_set_h5_err(e, "time_s");
        return -1;
    }
    int rc = h5_attr_string(d, "units", "s", e);
    H5Dclose(d);
    return rc;
}

/* Column names of the three series; all strings borrowed from r except
 * vf_owned (the composed "host.adapter.vfN" names). */
typedef struct column_names {
    const char **flows;
    const char **vfs;
    const char **links;
    char **vf_owned;
    size_t n_vfs;
} column_names;

static void column_names_free(column_names *cn)
{
    for (size_t i = 0; cn->vf_owned && i < cn->n_vfs; i++)
        free(cn->vf_owned[i]);
    free(cn->vf_owned);
    free(cn->flows);
    free(cn->vfs);
    free(cn->links);
}

static char *vf_column_name(const vf_result *v)
{
    const char *host = v->host ? v->host : "";
    const char *adapter = v->adapter ? v->adapter : "";
    size_t n = strlen(host) + strlen(adapter) + 32;
    char *s = malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s.%s.vf%d", host, adapter, (int)v->vf);
    return s;
}

/* calloc(n ? n : 1): a 0-column series still gets a valid pointer. */
static void *alloc_array(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

static int column_names_make(column_names *cn, const run_results *r, errbuf *e)
{
    memset(cn, 0, sizeof(*cn));
    cn->flows = alloc_array(r->n_flows, sizeof(char *));
    cn->vfs = alloc_array(r->n_vfs, sizeof(char *));
    cn->links = alloc_array(r->n_links, sizeof(char *));
    cn->vf_owned = alloc_array(r->n_vfs, sizeof(char *));
    cn->n_vfs = r->n_vfs;
    bool ok = cn->flows && cn->vfs && cn->links && cn->vf_owned;
    for (size_t i = 0; ok && i < r->n_flows; i++)
        cn->flows[i] = r->flows[i].name ? r->flows[i].name : "";
    for (size_t i = 0; ok && i < r->n_links; i++)
        cn->links[i] = r->links[i].name ? r->links[i].name : "";
    for (size_t i = 0; ok && i < r->n_vfs; i++) {
        cn->vf_owned[i] = vf_column_name(&r->vfs[i]);
        cn->vfs[i] = cn->vf_owned[i];
        ok = cn->vf_owned[i] != NULL;
    }
    if (!ok)
        errbuf_set(e, "out of memory");
    return ok ? 0 : -1;
}

/* A series must have one column per table row (or no samples at all). */
static int check_series(const char *name, const series *s, size_t n_samples,
                        size_t expected_cols, errbuf *e)
{
    if (n_samples > 0 && s->n_cols != expected_cols) {
        errbuf_set(e, "/timeseries/%s: %zu columns, expected %zu", name, s->n_cols,
                expected_cols);
        return -1;
    }
    return 0;
}

static int write_all_series(hid_t group, const run_results *r,
                            const column_names *cn, errbuf *e)
{
    const size_t n = r->n_samples;
    const series_out out[] = {
        {"flow_throughput_bps", r->flow_throughput_bps.values, n, r->n_flows,
         "bit/s", cn->flows},
        {"vf_throughput_bps", r->vf_throughput_bps.values, n, r->n_vfs,
         "bit/s", cn->vfs},
        {"link_utilisation", r->link_utilisation.values, n, r->n_links, "1",
         cn->links},
    };
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++)
        if (write_series(group, &out[i], e) != 0)
            return -1;
    /* The models' series (host_cpu_utilisation: runs with a software
     * datapath), those with columns. */
    for (size_t i = 0; i < r->reg.n_series; i++) {
        const results_series *rs = &r->reg.series[i];
        const series_out so = {rs->name, rs->values, n, rs->n_cols, rs->units,
                               (const char *const *)rs->columns};
        if (rs->n_cols > 0 && write_series(group, &so, e) != 0)
            return -1;
    }
    return 0;
}

int h5_write_timeseries(hid_t file, const run_results *r, errbuf *e)
{
    if (check_series("flow_throughput_bps", &r->flow_throughput_bps,
                     r->n_samples, r->n_flows, e) ||
        check_series("vf_throughput_bps", &r->vf_throughput_bps, r->n_samples,
                     r->n_vfs, e) ||
        check_series("link_utilisation", &r->link_utilisation, r->n_samples,
                     r->n_links, e))
        return -1;
    column_names cn;
    int rc = column_names_make(&cn, r, e);
    hid_t g = rc == 0 ? h5_make_group(file, "timeseries", e) : -1;
    if (g < 0)
        rc = -1;
    if (rc == 0)
        rc = write_time_axis(g, r, e);
    if (rc == 0)
        rc = write_all_series(g, r, &cn, e);
    if (g >= 0)
        H5Gclose(g);
    column_names_free(&cn);
    return rc;
}
