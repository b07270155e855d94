/* metrics.c -- headline metrics of a results file (see metrics.h). */
#include "sweep/metrics.h"

#include <fnmatch.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The /flows columns we aggregate; HDF5 matches compound members by name,
 * so this struct reads any results file that has them, in any order. */
typedef struct flow_row {
    double offered_bytes, delivered_bytes, dropped_bytes;
    double start_s, end_s;
    double latency_p50_s, latency_p99_s, latency_p999_s;
} flow_row;

static hid_t flow_row_type(void)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(flow_row));
#define FIELD(f) H5Tinsert(t, #f, HOFFSET(flow_row, f), H5T_NATIVE_DOUBLE)
    FIELD(offered_bytes);
    FIELD(delivered_bytes);
    FIELD(dropped_bytes);
    FIELD(start_s);
    FIELD(end_s);
    FIELD(latency_p50_s);
    FIELD(latency_p99_s);
    FIELD(latency_p999_s);
#undef FIELD
    return t;
}

static bool any_match(char *const *globs, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (fnmatch(globs[i], s, 0) == 0)
            return true;
    return false;
}

/* "vm.nic" -> matches a VM glob on "vm" (a VM name has no '.'). */
static bool vm_matches(const flow_select *sel, const char *endpoint)
{
    char vm[256];
    snprintf(vm, sizeof vm, "%s", endpoint ? endpoint : "");
    char *dot = strchr(vm, '.');
    if (dot)
        *dot = '\0';
    return any_match(sel->vms, sel->n_vms, vm);
}

bool sweep_flow_selected(const flow_select *sel, const char *name, const char *src,
                         const char *dst)
{
    if (sel == NULL)
        return true;
    if (sel->n_flows && !any_match(sel->flows, sel->n_flows, name))
        return false;
    if (any_match(sel->exclude, sel->n_exclude, name))
        return false;
    return sel->n_vms == 0 || vm_matches(sel, src) || vm_matches(sel, dst);
}

static bool selects(const flow_select *sel)
{
    return sel && (sel->n_flows || sel->n_exclude || sel->n_vms);
}

/* name, from, to of every flow (variable-length strings, as the writer
 * stores them; released with free_names). Read only when a selection needs
 * them. The sweep reads the results of its own points (or of --collect
 * runs of its own scenarios), not arbitrary files: the report's readers,
 * which take any file, isolate vlen reads in a child (src/report/rh5_vlen.c). */
typedef struct flow_names {
    char *name, *from, *to;
} flow_names;

static hid_t names_type(hid_t *str)
{
    *str = H5Tcopy(H5T_C_S1);
    H5Tset_size(*str, H5T_VARIABLE);
    H5Tset_cset(*str, H5T_CSET_UTF8);     /* as the writer stores them */
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(flow_names));
    H5Tinsert(t, "name", HOFFSET(flow_names, name), *str);
    H5Tinsert(t, "from", HOFFSET(flow_names, from), *str);
    H5Tinsert(t, "to", HOFFSET(flow_names, to), *str);
    return t;
}

static flow_names *read_names(hid_t d, size_t n, hid_t *mem_type, hid_t *str)
{
    *mem_type = names_type(str);
    flow_names *rows = calloc(n ? n : 1, sizeof *rows);
    if (rows && n && H5Dread(d, *mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0) {
        free(rows);
        rows = NULL;
    }
    for (size_t i = 0; rows && i < n; i++)
        if (!rows[i].name || !rows[i].from || !rows[i].to) {
            hid_t sp = H5Dget_space(d);
            H5Dvlen_reclaim(*mem_type, sp, H5P_DEFAULT, rows);
            H5Sclose(sp);
            free(rows);
            return NULL;
        }
    return rows;
}

static void free_names(hid_t d, flow_names *rows, hid_t mem_type, hid_t str)
{
    if (rows) {
        hid_t sp = H5Dget_space(d);
        H5Dvlen_reclaim(mem_type, sp, H5P_DEFAULT, rows);
        H5Sclose(sp);
        free(rows);
    }
    if (mem_type >= 0)
        H5Tclose(mem_type);
    if (str >= 0)
        H5Tclose(str);
}

void sweep_metrics_clear(point_metrics *m)
{
    *m = (point_metrics){NAN, NAN, NAN, NAN, NAN, NAN, NAN, 0, NAN};
}

static double read_duration(hid_t file)
{
    double v = NAN;
    if (H5Aexists_by_name(file, "/meta", "duration_s", H5P_DEFAULT) <= 0)
        return v;
    hid_t a = H5Aopen_by_name(file, "/meta", "duration_s", H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0) {
        if (H5Aread(a, H5T_NATIVE_DOUBLE, &v) < 0)
            v = NAN;
        H5Aclose(a);
    }
    return v;
}

/* Running sums over flows. */
typedef struct agg {
    double offered, delivered, dropped, min_rate;
    double p50_sum, p99_sum, p99_max, p999_max;
    size_t n_lat;
} agg;

static void add_flow(agg *a, const flow_row *f, double duration)
{
    a->offered += f->offered_bytes;
    a->delivered += f->delivered_bytes;
    a->dropped += f->dropped_bytes;
    double active = f->end_s > f->start_s ? f->end_s - f->start_s : duration;
    double rate = active > 0 ? f->delivered_bytes * 8 / active : NAN;
    if (isfinite(rate) && (isnan(a->min_rate) || rate < a->min_rate))
        a->min_rate = rate;
    if (!isfinite(f->latency_p99_s))
        return;
    a->n_lat++;
    a->p50_sum += f->latency_p50_s;
    a->p99_sum += f->latency_p99_s;
    a->p99_max = isnan(a->p99_max) ? f->latency_p99_s : fmax(a->p99_max, f->latency_p99_s);
    a->p999_max = isnan(a->p999_max) ? f->latency_p999_s
                                     : fmax(a->p999_max, f->latency_p999_s);
}

static void finish(const agg *a, size_t n, double duration, point_metrics *m)
{
    m->n_flows = (double)n;
    m->delivered_bps = duration > 0 ? a->delivered * 8 / duration : NAN;
    m->min_flow_bps = a->min_rate;
    m->drop_fraction = a->offered > 0 ? a->dropped / a->offered : NAN;
    m->p50_mean_s = a->n_lat ? a->p50_sum / (double)a->n_lat : NAN;
    m->p99_mean_s = a->n_lat ? a->p99_sum / (double)a->n_lat : NAN;
    m->p99_max_s = a->p99_max;
    m->p999_max_s = a->p999_max;
}

static int read_flows(hid_t file, const flow_select *sel, point_metrics *m, char *err,
                      size_t errlen)
{
    hid_t d = H5Dopen2(file, "/flows", H5P_DEFAULT);
    if (d < 0) {
        snprintf(err, errlen, "no /flows table");
        return -1;
    }
    hid_t sp = H5Dget_space(d);
    hssize_t n = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
    flow_row *rows = calloc(n > 0 ? (size_t)n : 1, sizeof(flow_row));
    hid_t mt = flow_row_type();
    int rc = -1;
    hid_t nt = -1, nstr = -1;
    flow_names *names = selects(sel) && n > 0 ? read_names(d, (size_t)n, &nt, &nstr) : NULL;
    if (selects(sel) && n > 0 && names == NULL) {
        snprintf(err, errlen, "cannot read the flow names of /flows (report: flows/vms)");
    } else if (n >= 0 && rows &&
               (n == 0 || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0)) {
        double duration = read_duration(file);
        agg a = {0, 0, 0, NAN, 0, 0, NAN, NAN, 0};
        size_t kept = 0;
        for (hssize_t i = 0; i < n; i++) {
            if (names && !sweep_flow_selected(sel, names[i].name, names[i].from, names[i].to))
                continue;
            add_flow(&a, &rows[i], duration);
            kept++;
        }
        finish(&a, kept, duration, m);
        rc = 0;
    } else {
        snprintf(err, errlen, "cannot read /flows");
    }
    free_names(d, names, nt, nstr);
    H5Tclose(mt);
    free(rows);
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    return rc;
}

/* The worst p99 slowdown over /workloads rows; NaN without the table or
 * with no completed flow. */
static double read_worst_p99_slowdown(hid_t file)
{
    double worst = NAN;
    if (H5Lexists(file, "/workloads", H5P_DEFAULT) <= 0)
        return worst;
    hid_t d = H5Dopen2(file, "/workloads", H5P_DEFAULT);
    hid_t sp = d < 0 ? -1 : H5Dget_space(d);
    hssize_t n = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
    double *v = n > 0 ? calloc((size_t)n, sizeof *v) : NULL;
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(double));
    H5Tinsert(mt, "p99_slowdown", 0, H5T_NATIVE_DOUBLE);
    if (v && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0)
        for (hssize_t i = 0; i < n; i++)
            if (isfinite(v[i]) && !(v[i] <= worst))
                worst = v[i];
    H5Tclose(mt);
    free(v);
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    return worst;
}

int sweep_metrics_read(const char *h5_path, const flow_select *sel, point_metrics *m,
                       char *err, size_t errlen)
{
    sweep_metrics_clear(m);
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t file = H5Fopen(h5_path, H5F_ACC_RDONLY, H5P_DEFAULT);
    int rc = -1;
    if (file < 0) {
        snprintf(err, errlen, "cannot open %s as HDF5", h5_path);
    } else {
        rc = read_flows(file, sel, m, err, errlen);
        m->p99_slowdown = read_worst_p99_slowdown(file);
        H5Fclose(file);
    }
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    return rc;
}
