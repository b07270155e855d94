/* test_results_registry.c -- the results registry (metrics/results_table.h)
 * through the HDF5 writer: a table with a column of every type and a
 * series, registered the way a model's collect hook does, written by
 * h5_write_results and read back with the plain HDF5 C API (names, file
 * types, units, values); an empty table leaves no dataset. */
#include <hdf5.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "metrics/results.h"
#include "output/h5.h"

#if H5_VERSION_GE(1, 12, 0)
#define reclaim_vlen(type, space, buf) H5Treclaim(type, space, H5P_DEFAULT, buf)
#else
#define reclaim_vlen(type, space, buf) H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf)
#endif

/* Fields in a different order from the columns: the schema's offsets,
 * not the struct's layout, decide the file's field order. */
typedef struct probe_row {
    int64_t big;
    char *name;
    double value;
    uint64_t count;
    int32_t index;
} probe_row;

static const results_column probe_cols[] = {
    RESULTS_STR(probe_row, name),
    RESULTS_I32(probe_row, index, "index"),
    RESULTS_I64(probe_row, big, "bytes"),
    RESULTS_U64(probe_row, count, "count"),
    RESULTS_F64(probe_row, value, "s"),
};
static const results_schema probe_schema = RESULTS_SCHEMA("probe", probe_row, probe_cols);
static const results_schema empty_schema = RESULTS_SCHEMA("empty", probe_row, probe_cols);

#define N_ROWS 3
#define N_SAMPLES 4

static const char *const names[N_ROWS] = {"first", "", "caf\xc3\xa9 \xe2\x86\x92 2"};
static const int32_t indexes[N_ROWS] = {0, -7, INT32_MAX};
static const int64_t bigs[N_ROWS] = {INT64_MIN, -1, INT64_C(1) << 40};
static const uint64_t counts[N_ROWS] = {0, UINT64_MAX, 12345678901234ULL};
static const double values[N_ROWS] = {1.5e-9, -0.0, 1e300};

typedef struct fixture {
    char dir[64];
    char path[128];
    run_results r;
    hid_t file;
} fixture;

static void fill(run_results *r)
{
    memset(r, 0, sizeof *r);
    r->n_samples = N_SAMPLES;
    r->time_s = calloc(N_SAMPLES, sizeof(double));
    assert_non_null(r->time_s);
    for (size_t t = 0; t < N_SAMPLES; t++)
        r->time_s[t] = 0.25 * (double)(t + 1);
    probe_row *rows = results_table_add(&r->reg, &probe_schema, N_ROWS);
    assert_non_null(rows);
    for (size_t i = 0; i < N_ROWS; i++) {
        rows[i] = (probe_row){bigs[i], strdup(names[i]), values[i], counts[i], indexes[i]};
        assert_non_null(rows[i].name);
    }
    assert_non_null(results_table_add(&r->reg, &empty_schema, 0));
    results_series *s = results_series_add(&r->reg, "probe_series", "bit/s", N_SAMPLES, 2);
    assert_non_null(s);
    s->columns[0] = strdup("a");
    s->columns[1] = strdup("b.c");
    for (size_t i = 0; i < N_SAMPLES * 2; i++)
        s->values[i] = 1e9 * (double)i;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (fx == NULL)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/test_results.XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->path, sizeof fx->path, "%s/run.h5", fx->dir);
    fill(&fx->r);
    char err[256];
    if (h5_write_results(&fx->r, fx->path, err, sizeof err) != 0) {
        fprintf(stderr, "write failed: %s\n", err);
        return -1;
    }
    fx->file = H5Fopen(fx->path, H5F_ACC_RDONLY, H5P_DEFAULT);
    *state = fx;
    return fx->file < 0 ? -1 : 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    if (fx->file >= 0)
        H5Fclose(fx->file);
    results_free(&fx->r);
    unlink(fx->path);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

/* Scalar string attribute name of obj; caller frees. */
static char *read_str_attr(hid_t obj, const char *name)
{
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    assert_true(a >= 0);
    hid_t t = H5Aget_type(a);
    assert_int_equal(H5Tget_class(t), H5T_STRING);
    assert_true(H5Tis_variable_str(t) > 0);
    char *v = NULL;
    assert_true(H5Aread(a, t, &v) >= 0);
    char *copy = strdup(v);
    H5free_memory(v);
    H5Tclose(t);
    H5Aclose(a);
    return copy;
}

static void check_unit(hid_t d, const char *col, const char *unit)
{
    char name[64];
    snprintf(name, sizeof name, "units.%s", col);
    if (unit == NULL) {
        assert_int_equal(H5Aexists(d, name), 0);
        return;
    }
    char *got = read_str_attr(d, name);
    assert_string_equal(got, unit);
    free(got);
}

/* Member i of the file compound: its name, class, size, sign and order. */
static void check_member(hid_t ft, unsigned i, const char *name, H5T_class_t cls, size_t size,
                         H5T_sign_t sign)
{
    char *n = H5Tget_member_name(ft, i);
    assert_string_equal(n, name);
    H5free_memory(n);
    hid_t mt = H5Tget_member_type(ft, i);
    assert_int_equal(H5Tget_class(mt), cls);
    if (cls == H5T_STRING) {
        assert_true(H5Tis_variable_str(mt) > 0);
        assert_int_equal(H5Tget_cset(mt), H5T_CSET_UTF8);
    } else {
        assert_int_equal(H5Tget_size(mt), size);
        assert_int_equal(H5Tget_order(mt), H5T_ORDER_LE);
        if (cls == H5T_INTEGER)
            assert_int_equal(H5Tget_sign(mt), sign);
    }
    H5Tclose(mt);
}

static void test_schema_in_file(void **state)
{
    fixture *fx = *state;
    hid_t d = H5Dopen2(fx->file, "probe", H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t ft = H5Dget_type(d);
    assert_int_equal(H5Tget_class(ft), H5T_COMPOUND);
    assert_int_equal(H5Tget_nmembers(ft), 5);
    check_member(ft, 0, "name", H5T_STRING, 0, H5T_SGN_NONE);
    check_member(ft, 1, "index", H5T_INTEGER, 4, H5T_SGN_2);
    check_member(ft, 2, "big", H5T_INTEGER, 8, H5T_SGN_2);
    check_member(ft, 3, "count", H5T_INTEGER, 8, H5T_SGN_NONE);
    check_member(ft, 4, "value", H5T_FLOAT, 8, H5T_SGN_NONE);
    /* packed: no padding between the fields */
    assert_int_equal(H5Tget_member_offset(ft, 0), 0);
    assert_int_equal(H5Tget_member_offset(ft, 2), H5Tget_member_offset(ft, 1) + 4);
    assert_int_equal(H5Tget_member_offset(ft, 3), H5Tget_member_offset(ft, 2) + 8);
    assert_int_equal(H5Tget_member_offset(ft, 4), H5Tget_member_offset(ft, 3) + 8);
    assert_int_equal(H5Tget_size(ft), H5Tget_member_offset(ft, 4) + 8);
    check_unit(d, "name", NULL);
    check_unit(d, "index", "index");
    check_unit(d, "big", "bytes");
    check_unit(d, "count", "count");
    check_unit(d, "value", "s");
    H5Tclose(ft);
    H5Dclose(d);
}

/* The reader's own row layout, unrelated to probe_row's. */
typedef struct read_row {
    double value;
    uint64_t count;
    int64_t big;
    int32_t index;
    char *name;
} read_row;

static void test_values(void **state)
{
    fixture *fx = *state;
    hid_t d = H5Dopen2(fx->file, "probe", H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t str = H5Tcopy(H5T_C_S1);
    H5Tset_size(str, H5T_VARIABLE);
    H5Tset_cset(str, H5T_CSET_UTF8);
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(read_row));
    H5Tinsert(mt, "value", offsetof(read_row, value), H5T_NATIVE_DOUBLE);
    H5Tinsert(mt, "count", offsetof(read_row, count), H5T_NATIVE_UINT64);
    H5Tinsert(mt, "big", offsetof(read_row, big), H5T_NATIVE_INT64);
    H5Tinsert(mt, "index", offsetof(read_row, index), H5T_NATIVE_INT32);
    H5Tinsert(mt, "name", offsetof(read_row, name), str);
    hid_t space = H5Dget_space(d);
    assert_int_equal(H5Sget_simple_extent_npoints(space), N_ROWS);
    read_row rows[N_ROWS];
    assert_true(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0);
    for (size_t i = 0; i < N_ROWS; i++) {
        assert_string_equal(rows[i].name, names[i]);
        assert_int_equal(rows[i].index, indexes[i]);
        assert_true(rows[i].big == bigs[i]);
        assert_true(rows[i].count == counts[i]);
        assert_memory_equal(&rows[i].value, &values[i], sizeof(double));
    }
    reclaim_vlen(mt, space, rows);
    H5Sclose(space);
    H5Tclose(mt);
    H5Tclose(str);
    H5Dclose(d);
}

static void test_empty_table_not_written(void **state)
{
    fixture *fx = *state;
    assert_int_equal(H5Lexists(fx->file, "empty", H5P_DEFAULT), 0);
    /* the core tables are always there, even with no rows */
    assert_true(H5Lexists(fx->file, "flows", H5P_DEFAULT) > 0);
    assert_true(H5Lexists(fx->file, "events", H5P_DEFAULT) > 0);
}

static void test_series(void **state)
{
    fixture *fx = *state;
    hid_t d = H5Dopen2(fx->file, "/timeseries/probe_series", H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t space = H5Dget_space(d);
    hsize_t dims[2];
    assert_int_equal(H5Sget_simple_extent_ndims(space), 2);
    H5Sget_simple_extent_dims(space, dims, NULL);
    assert_int_equal(dims[0], N_SAMPLES);
    assert_int_equal(dims[1], 2);
    double v[N_SAMPLES * 2];
    assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    for (size_t i = 0; i < N_SAMPLES * 2; i++)
        assert_true(v[i] == 1e9 * (double)i);
    char *units = read_str_attr(d, "units");
    assert_string_equal(units, "bit/s");
    free(units);
    hid_t a = H5Aopen(d, "columns", H5P_DEFAULT);
    hid_t t = H5Aget_type(a);
    hid_t as = H5Aget_space(a);
    char *cols[2] = {NULL, NULL};
    assert_int_equal(H5Sget_simple_extent_npoints(as), 2);
    assert_true(H5Aread(a, t, cols) >= 0);
    assert_string_equal(cols[0], "a");
    assert_string_equal(cols[1], "b.c");
    reclaim_vlen(t, as, cols);
    H5Sclose(as);
    H5Tclose(t);
    H5Aclose(a);
    H5Sclose(space);
    H5Dclose(d);
}

static void test_find(void **state)
{
    fixture *fx = *state;
    const results_table *t = results_table_find(&fx->r.reg, "probe");
    assert_non_null(t);
    assert_ptr_equal(t->schema, &probe_schema);
    assert_int_equal(t->n_rows, N_ROWS);
    assert_string_equal(((probe_row *)results_row(t, 2))->name, names[2]);
    assert_null(results_table_find(&fx->r.reg, "flows"));
    assert_null(results_table_find(&fx->r.reg, "nope"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_schema_in_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_table_not_written, setup, teardown),
        cmocka_unit_test_setup_teardown(test_series, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
