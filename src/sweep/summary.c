/* summary.c -- summary.h5 from the plan and point states (layout: summary.h). */
#include "sweep/summary.h"

#include <hdf5.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/units.h"
#include "sweep/layout.h"
#include "util/safefile.h"

/* The value of a parameter label in base units, or NaN; *unit receives
 * its unit string ("bit/s", ..., "1", or "" when not numeric). */
static double sweep_label_value(const char *label, const char **unit)
{
    static const unit_kind kinds[] = {UNIT_RATE, UNIT_SIZE, UNIT_TIME, UNIT_FREQ};
    static const char *const names[] = {"bit/s", "bytes", "s", "Hz"};
    char err[128];
    double v;
    for (size_t k = 0; k < 4; k++)
        if (units_parse(label, kinds[k], &v, err, sizeof(err)) == 0) {
            *unit = names[k];
            return v;
        }
    char *end;
    v = strtod(label, &end);
    if (*label && !*end && isfinite(v)) {
        *unit = "1";
        return v;
    }
    *unit = "";
    return NAN;
}

/* The fixed part of a row; the parameters follow it as (char *, double)
 * pairs, so the row size is sizeof(fixed_row) + n * 16. */
typedef struct fixed_row {
    int32_t id, rep, exit_code, runs;
    uint64_t seed;
    const char *status, *file, *error;
    double wall_s, n_flows, delivered_bps, min_flow_bps, p50_mean_s, p99_mean_s,
        p99_max_s, p999_max_s, drop_fraction, p99_slowdown;
} fixed_row;

typedef struct param_cell {
    const char *label;
    double value;
} param_cell;

static const struct {
    const char *name;
    size_t off;
    const char *unit;
} float_fields[] = {
    {"wall_s", offsetof(fixed_row, wall_s), "s"},
    {"n_flows", offsetof(fixed_row, n_flows), "count"},
    {"delivered_bps", offsetof(fixed_row, delivered_bps), "bit/s"},
    {"min_flow_bps", offsetof(fixed_row, min_flow_bps), "bit/s"},
    {"p50_mean_s", offsetof(fixed_row, p50_mean_s), "s"},
    {"p99_mean_s", offsetof(fixed_row, p99_mean_s), "s"},
    {"p99_max_s", offsetof(fixed_row, p99_max_s), "s"},
    {"p999_max_s", offsetof(fixed_row, p999_max_s), "s"},
    {"drop_fraction", offsetof(fixed_row, drop_fraction), "1"},
    {"p99_slowdown", offsetof(fixed_row, p99_slowdown), "1"},
};
#define N_FLOAT_FIELDS (sizeof(float_fields) / sizeof(float_fields[0]))

static hid_t string_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

static hid_t row_type(const sweep_plan *p, hid_t str)
{
    size_t size = sizeof(fixed_row) + p->n_columns * sizeof(param_cell);
    hid_t t = H5Tcreate(H5T_COMPOUND, size);
    H5Tinsert(t, "id", offsetof(fixed_row, id), H5T_NATIVE_INT32);
    H5Tinsert(t, "rep", offsetof(fixed_row, rep), H5T_NATIVE_INT32);
    H5Tinsert(t, "exit_code", offsetof(fixed_row, exit_code), H5T_NATIVE_INT32);
    H5Tinsert(t, "runs", offsetof(fixed_row, runs), H5T_NATIVE_INT32);
    H5Tinsert(t, "seed", offsetof(fixed_row, seed), H5T_NATIVE_UINT64);
    H5Tinsert(t, "status", offsetof(fixed_row, status), str);
    H5Tinsert(t, "file", offsetof(fixed_row, file), str);
    H5Tinsert(t, "error", offsetof(fixed_row, error), str);
    for (size_t i = 0; i < N_FLOAT_FIELDS; i++)
        H5Tinsert(t, float_fields[i].name, float_fields[i].off, H5T_NATIVE_DOUBLE);
    for (size_t c = 0; c < p->n_columns; c++) {
        char name[600];
        size_t off = sizeof(fixed_row) + c * sizeof(param_cell);
        const char *path = p->columns[c]->path.text;
        H5Tinsert(t, path, off + offsetof(param_cell, label), str);
        snprintf(name, sizeof(name), "%s.value", path);
        H5Tinsert(t, name, off + offsetof(param_cell, value), H5T_NATIVE_DOUBLE);
    }
    return t;
}

static void fill_row(unsigned char *buf, const sweep_plan *p, size_t i,
                     const point_state *s, char *file)
{
    const sweep_point *pt = &p->points[i];
    fixed_row r = {(int32_t)pt->id, (int32_t)pt->rep, s->exit_code, (int32_t)s->runs,
                   pt->seed, sweep_status_name(s->status), file,
                   s->error ? s->error : "", s->runs ? s->wall_s : NAN,
                   s->m.n_flows, s->m.delivered_bps, s->m.min_flow_bps,
                   s->m.p50_mean_s, s->m.p99_mean_s, s->m.p99_max_s,
                   s->m.p999_max_s, s->m.drop_fraction, s->m.p99_slowdown};
    memcpy(buf, &r, sizeof(r));
    for (size_t c = 0; c < p->n_columns; c++) {
        const char *unit;
        param_cell cell = {pt->labels[c], sweep_label_value(pt->labels[c], &unit)};
        memcpy(buf + sizeof(fixed_row) + c * sizeof(param_cell), &cell, sizeof(cell));
    }
}

static void put_string_attr(hid_t obj, const char *name, const char *value, hid_t str)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, str, sp, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, str, &value);
    H5Aclose(a);
    H5Sclose(sp);
}

static void put_strings_attr(hid_t obj, const char *name, const char **v, size_t n,
                             hid_t str)
{
    hsize_t dims[1] = {n};
    hid_t sp = n ? H5Screate_simple(1, dims, NULL) : H5Screate(H5S_NULL);
    hid_t a = H5Acreate2(obj, name, str, sp, H5P_DEFAULT, H5P_DEFAULT);
    if (n)
        H5Awrite(a, str, v);
    H5Aclose(a);
    H5Sclose(sp);
}

/* A column's unit: the same for every value, else "" (a category). */
static const char *column_unit(const sweep_plan *p, size_t c)
{
    const char *unit = "";
    for (size_t i = 0; i < p->n_points; i++) {
        const char *u;
        sweep_label_value(p->points[i].labels[c], &u);
        if (i > 0 && strcmp(u, unit) != 0)
            return "";
        unit = u;
    }
    return unit;
}

static void write_attrs(hid_t d, const sweep_plan *p, const char *sweep_file,
                        double target, hid_t str)
{
    const char **paths = calloc(p->n_columns + 1, sizeof(char *));
    const char **units = calloc(p->n_columns + 1, sizeof(char *));
    for (size_t c = 0; c < p->n_columns; c++) {
        paths[c] = p->columns[c]->path.text;
        units[c] = column_unit(p, c);
    }
    put_strings_attr(d, "params", paths, p->n_columns, str);
    put_strings_attr(d, "param_units", units, p->n_columns, str);
    free(paths);
    free(units);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(d, "p99_target_s", H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, H5T_NATIVE_DOUBLE, &target);
    H5Aclose(a);
    H5Sclose(sp);
    put_string_attr(d, "sweep", sweep_file, str);
    for (size_t i = 0; i < N_FLOAT_FIELDS; i++) {
        char name[64];
        snprintf(name, sizeof(name), "units.%s", float_fields[i].name);
        put_string_attr(d, name, float_fields[i].unit, str);
    }
}

static int write_table(hid_t file, const sweep_plan *p, const point_state *st,
                       const char *sweep_file, double target)
{
    hid_t str = string_type();
    hid_t mt = row_type(p, str);
    size_t row = H5Tget_size(mt);
    unsigned char *buf = calloc(p->n_points ? p->n_points : 1, row);
    char (*files)[64] = calloc(p->n_points ? p->n_points : 1, 64);
    for (size_t i = 0; i < p->n_points; i++) {
        sweep_point_rel(p->points[i].id, files[i], 48);
        strcat(files[i], "/" SWEEP_POINT_RESULTS);
        fill_row(buf + i * row, p, i, &st[i], files[i]);
    }
    hsize_t dims[1] = {p->n_points};
    hid_t sp = H5Screate_simple(1, dims, NULL);
    hid_t d = H5Dcreate2(file, "/points", mt, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int rc = d >= 0 && H5Dwrite(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0 ? 0 : -1;
    if (d >= 0) {
        write_attrs(d, p, sweep_file, target, str);
        H5Dclose(d);
    }
    H5Sclose(sp);
    free(files);
    free(buf);
    H5Tclose(mt);
    H5Tclose(str);
    return rc;
}

int sweep_summary_write(const char *dir, const char *sweep_file,
                        const sweep_plan *p, const point_state *st,
                        double p99_target_s, char *err, size_t errlen)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof(path), "%s/%s", dir, SWEEP_SUMMARY);
    /* A new temporary name (O_EXCL, safefile.h) that HDF5 then truncates:
     * H5Fcreate on a predictable name followed a planted symlink. */
    int fd = sf_create_temp(path, tmp, sizeof(tmp), err, errlen);
    if (fd < 0)
        return -1;
    close(fd);
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t file = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    int rc = file < 0 ? -1 : write_table(file, p, st, sweep_file, p99_target_s);
    if (file >= 0 && H5Fclose(file) < 0)
        rc = -1;
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    if (rc != 0) {
        snprintf(err, errlen, "cannot write %s", path);
        unlink(tmp);
        return -1;
    }
    return sf_commit(tmp, path, err, errlen);
}
