/* test_h5.c -- the HDF5 writer, checked by reading back with the plain
 * HDF5 C API (the way any outside reader sees the file). */
#include <dirent.h>
#include <hdf5.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "metrics/results.h"
#include "output/h5.h"

#if H5_VERSION_GE(1, 12, 0)
#define reclaim_vlen(type, space, buf) H5Treclaim(type, space, H5P_DEFAULT, buf)
#else
#define reclaim_vlen(type, space, buf) H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf)
#endif

/* ---- fixture: 2 flows, 3 VFs, 4 links, 5 samples, 2 events ------------ */

static char *xdup(const char *s)
{
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

static double *doubles(size_t n)
{
    double *v = calloc(n, sizeof(double));
    assert_non_null(v);
    return v;
}

static void add_flows(run_results *r)
{
    r->n_flows = 2;
    r->flows = calloc(2, sizeof(flow_result));
    const char *names[] = {"f1", "f_bulk"};
    for (size_t i = 0; i < 2; i++) {
        flow_result *f = &r->flows[i];
        f->name = xdup(names[i]);
        f->kind = xdup(i == 0 ? "inelastic" : "elastic");
        f->from = xdup("vm1.eth0");
        f->to = xdup(i == 0 ? "vm2.eth0" : "external");
        f->offered_bytes = 1e9 * (double)(i + 1);
        f->delivered_bytes = 0.75e9 * (double)(i + 1);
        f->dropped_bytes = f->offered_bytes - f->delivered_bytes;
        f->offered_packets = 1000 + (double)i;
        f->delivered_packets = 900 + (double)i;
        f->start_s = 0.5 * (double)i;
        f->end_s = 10;
        f->completion_time_s = i == 0 ? NAN : 9.5;
        f->latency_mean_s = 1e-5;
        f->latency_p50_s = 0.9e-5;
        f->latency_p99_s = 3e-5;
        f->latency_p999_s = 8e-5;
    }
}

static void add_vfs(run_results *r)
{
    r->n_vfs = 3;
    r->vfs = calloc(3, sizeof(vf_result));
    for (int i = 0; i < 3; i++) {
        vf_result *v = &r->vfs[i];
        char bdf[32];
        snprintf(bdf, sizeof(bdf), "0000:3b:02.%d", i);
        v->host = xdup("h1");
        v->adapter = xdup("nic0");
        v->vf = i;
        v->bdf = xdup(bdf);
        v->vm = xdup(i == 2 ? "" : (i == 0 ? "vm1" : "vm2"));
        v->nic = xdup(i == 2 ? "" : "eth0");
        v->tx_bytes = 1e6 * (i + 1);
        v->rx_bytes = 2e6 * (i + 1);
        v->tx_packets = 100.0 * i;
        v->rx_packets = 200.0 * i;
        v->drops = i;
        v->iotlb_hits = 50.0 * i;
        v->iotlb_misses = 5.0 * i;
    }
}

static void add_links(run_results *r)
{
    static const char *names[] = {"h1.nic0.pcie_UP", "h1.nic0.pcie_DOWN",
                                  "h1.nic0.port0_UP", "tor_r1_UP"};
    static const char *kinds[] = {"pcie_up", "pcie_down", "port_up", "tor_up"};
    r->n_links = 4;
    r->links = calloc(4, sizeof(link_result));
    for (size_t i = 0; i < 4; i++) {
        r->links[i].name = xdup(names[i]);
        r->links[i].kind = xdup(kinds[i]);
        r->links[i].capacity_bps = 25e9 * (double)(i + 1);
        r->links[i].mean_utilisation = 0.1 * (double)i;
        r->links[i].peak_utilisation = 0.2 * (double)i;
        r->links[i].bytes = 1e8 * (double)i;
    }
}

static void add_series(run_results *r)
{
    const size_t n = 5;
    r->n_samples = n;
    r->time_s = doubles(n);
    r->flow_throughput_bps = (series){2, doubles(n * 2)};
    r->vf_throughput_bps = (series){3, doubles(n * 3)};
    r->link_utilisation = (series){4, doubles(n * 4)};
    for (size_t t = 0; t < n; t++) {
        r->time_s[t] = 0.1 * (double)(t + 1);
        for (size_t c = 0; c < 2; c++)
            r->flow_throughput_bps.values[t * 2 + c] = 1e9 * (double)(t + c);
        for (size_t c = 0; c < 3; c++)
            r->vf_throughput_bps.values[t * 3 + c] = 2e9 * (double)(t * c);
        for (size_t c = 0; c < 4; c++)
            r->link_utilisation.values[t * 4 + c] = 0.01 * (double)(t + 10 * c);
    }
}

static void add_events(run_results *r)
{
    r->n_events = 2;
    r->events = calloc(2, sizeof(event_record));
    r->events[0] = (event_record){0.0, xdup("h1"), xdup("nic0"), -1,
                                  xdup("vf_enable"), xdup("num_vfs=3")};
    r->events[1] = (event_record){3.0, xdup("h1"), xdup("nic0"), 0, xdup("qos_set"),
                                  xdup("max_rate=1Gbps")};
}

static void make_results(run_results *r, double wall_time_s)
{
    memset(r, 0, sizeof(*r));
    r->meta = (run_meta){.tool_version = xdup("0.1.0"), .simgrid_version = xdup("3.32"),
                         .scenario_name = xdup("quickstart"),
                         .scenario_text = xdup("name: quickstart\nsimulation: {duration: 10s}\n"),
                         .resolved_text = xdup("name: quickstart\nsimulation:\n  duration: 10s\n"),
                         .granularity = xdup("flow"), .seed = UINT64_C(18446744073709551557),
                         .duration_s = 10.0, .wall_time_s = wall_time_s,
                         .peak_active_flows = 7, .peak_solver_flows = 3};
    add_flows(r);
    add_vfs(r);
    add_links(r);
    add_series(r);
    add_events(r);
}

/* ---- temporary directories ---------------------------------------------- */

static void rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && (de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char child[4096];
            snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
            rm_rf(child);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static size_t count_entries(const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            n++;
    if (d)
        closedir(d);
    return n;
}

typedef struct fixture {
    char dir[64];
    char path[128];
    run_results r;
    hid_t file;
} fixture;

static int setup_written(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    if (fx == NULL)
        return -1;
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_h5.XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->path, sizeof(fx->path), "%s/results/run.h5", fx->dir);
    make_results(&fx->r, 1.5);
    char err[256];
    if (h5_write_results(&fx->r, fx->path, err, sizeof(err)) != 0) {
        fprintf(stderr, "write failed: %s\n", err);
        return -1;
    }
    fx->file = H5Fopen(fx->path, H5F_ACC_RDONLY, H5P_DEFAULT);
    *state = fx;
    return fx->file < 0 ? -1 : 0;
}

static int teardown_written(void **state)
{
    fixture *fx = *state;
    if (fx->file >= 0)
        H5Fclose(fx->file);
    results_free(&fx->r);
    rm_rf(fx->dir);
    free(fx);
    return 0;
}

/* ---- reading back --------------------------------------------------------- */

/* HDF5 does not convert between character sets: read UTF-8 as UTF-8. */
static hid_t vlen_str(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

static size_t rows_of(hid_t d)
{
    hid_t s = H5Dget_space(d);
    size_t n = (size_t)H5Sget_simple_extent_npoints(s);
    H5Sclose(s);
    return n;
}

/* One numeric field of a compound table, converted to double. */
static void read_f64_field(hid_t file, const char *table, const char *field,
                           double *out, size_t n)
{
    hid_t d = H5Dopen2(file, table, H5P_DEFAULT);
    assert_true(d >= 0);
    assert_int_equal(rows_of(d), n);
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(double));
    H5Tinsert(mt, field, 0, H5T_NATIVE_DOUBLE);
    assert_true(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >= 0);
    H5Tclose(mt);
    H5Dclose(d);
}

/* Row i of a string field equals expect[i]. */
static void check_str_field(hid_t file, const char *table, const char *field,
                            const char *const *expect, size_t n)
{
    hid_t d = H5Dopen2(file, table, H5P_DEFAULT);
    assert_true(d >= 0);
    assert_int_equal(rows_of(d), n);
    hid_t st = vlen_str();
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(char *));
    H5Tinsert(mt, field, 0, st);
    char **v = calloc(n, sizeof(char *));
    assert_true(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(v[i], expect[i]);
    hid_t space = H5Dget_space(d);
    reclaim_vlen(mt, space, v);
    H5Sclose(space);
    free(v);
    H5Tclose(mt);
    H5Tclose(st);
    H5Dclose(d);
}

/* A scalar or 1-D vlen string attribute equals expect[0..n). */
static void check_str_attr(hid_t file, const char *obj, const char *name,
                           const char *const *expect, size_t n)
{
    hid_t a = H5Aopen_by_name(file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(a >= 0);
    hid_t ft = H5Aget_type(a);
    assert_int_equal(H5Tget_class(ft), H5T_STRING);
    assert_true(H5Tis_variable_str(ft) > 0);
    assert_int_equal(H5Tget_cset(ft), H5T_CSET_UTF8);
    hid_t space = H5Aget_space(a);
    assert_int_equal(H5Sget_simple_extent_npoints(space), n);
    hid_t st = vlen_str();
    char **v = calloc(n ? n : 1, sizeof(char *));
    if (n > 0)
        assert_true(H5Aread(a, st, v) >= 0);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(v[i], expect[i]);
    if (n > 0)
        reclaim_vlen(st, space, v);
    free(v);
    H5Tclose(st);
    H5Sclose(space);
    H5Tclose(ft);
    H5Aclose(a);
}

static void check_str_attr1(hid_t file, const char *obj, const char *name,
                            const char *expect)
{
    check_str_attr(file, obj, name, &expect, 1);
}

static double read_f64_attr(hid_t file, const char *obj, const char *name)
{
    double v = 0;
    hid_t a = H5Aopen_by_name(file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(a >= 0);
    assert_true(H5Aread(a, H5T_NATIVE_DOUBLE, &v) >= 0);
    H5Aclose(a);
    return v;
}

/* Whole dataset as doubles; returns the rank, fills dims. Caller frees. */
static double *read_dataset(hid_t file, const char *path, int *rank,
                            hsize_t dims[2])
{
    hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t s = H5Dget_space(d);
    *rank = H5Sget_simple_extent_ndims(s);
    dims[0] = dims[1] = 1;
    H5Sget_simple_extent_dims(s, dims, NULL);
    size_t n = (size_t)H5Sget_simple_extent_npoints(s);
    double *v = calloc(n ? n : 1, sizeof(double));
    if (n > 0)
        assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                            v) >= 0);
    H5Sclose(s);
    H5Dclose(d);
    return v;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_meta(void **state)
{
    fixture *fx = *state;
    check_str_attr1(fx->file, "/meta", "tool_version", "0.1.0");
    check_str_attr1(fx->file, "/meta", "simgrid_version", "3.32");
    check_str_attr1(fx->file, "/meta", "scenario_name", "quickstart");
    check_str_attr1(fx->file, "/meta", "granularity", "flow");
    check_str_attr1(fx->file, "/meta", "scenario", fx->r.meta.scenario_text);
    assert_true(read_f64_attr(fx->file, "/meta", "duration_s") == 10.0);
    assert_true(read_f64_attr(fx->file, "/meta", "wall_time_s") == 1.5);
    assert_true(read_f64_attr(fx->file, "/meta", "peak_active_flows") == 7.0);
    assert_true(read_f64_attr(fx->file, "/meta", "peak_solver_flows") == 3.0);

    uint64_t seed = 0;
    hid_t a = H5Aopen_by_name(fx->file, "/meta", "seed", H5P_DEFAULT, H5P_DEFAULT);
    assert_true(H5Aread(a, H5T_NATIVE_UINT64, &seed) >= 0);
    H5Aclose(a);
    assert_true(seed == fx->r.meta.seed);

    hid_t d = H5Dopen2(fx->file, "/meta/resolved", H5P_DEFAULT);
    hid_t st = vlen_str();
    char *text = NULL;
    assert_true(H5Dread(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text) >= 0);
    assert_string_equal(text, fx->r.meta.resolved_text);
    H5free_memory(text);
    H5Tclose(st);
    H5Dclose(d);
}

static void test_tables(void **state)
{
    fixture *fx = *state;
    static const char *flow_names[] = {"f1", "f_bulk"};
    static const char *flow_to[] = {"vm2.eth0", "external"};
    static const char *vf_vms[] = {"vm1", "vm2", ""};
    static const char *link_kinds[] = {"pcie_up", "pcie_down", "port_up", "tor_up"};
    static const char *event_types[] = {"vf_enable", "qos_set"};
    check_str_field(fx->file, "/flows", "name", flow_names, 2);
    check_str_field(fx->file, "/flows", "to", flow_to, 2);
    check_str_field(fx->file, "/vfs", "vm", vf_vms, 3);
    check_str_field(fx->file, "/links", "kind", link_kinds, 4);
    check_str_field(fx->file, "/events", "type", event_types, 2);

    double v[4];
    read_f64_field(fx->file, "/flows", "delivered_bytes", v, 2);
    assert_true(v[0] == 0.75e9 && v[1] == 1.5e9);
    read_f64_field(fx->file, "/flows", "completion_time_s", v, 2);
    assert_true(isnan(v[0]) && v[1] == 9.5);
    read_f64_field(fx->file, "/vfs", "vf", v, 3);
    assert_true(v[0] == 0 && v[1] == 1 && v[2] == 2);
    read_f64_field(fx->file, "/vfs", "iotlb_misses", v, 3);
    assert_true(v[2] == 10.0);
    read_f64_field(fx->file, "/links", "peak_utilisation", v, 4);
    assert_true(v[3] == fx->r.links[3].peak_utilisation);
    read_f64_field(fx->file, "/events", "vf", v, 2);
    assert_true(v[0] == -1 && v[1] == 0);
    read_f64_field(fx->file, "/events", "time_s", v, 2);
    assert_true(v[0] == 0.0 && v[1] == 3.0);
}

static void test_units(void **state)
{
    fixture *fx = *state;
    check_str_attr1(fx->file, "/flows", "units.delivered_bytes", "bytes");
    check_str_attr1(fx->file, "/flows", "units.latency_p999_s", "s");
    check_str_attr1(fx->file, "/flows", "units.offered_packets", "packets");
    check_str_attr1(fx->file, "/vfs", "units.vf", "index");
    check_str_attr1(fx->file, "/links", "units.capacity_bps", "bit/s");
    check_str_attr1(fx->file, "/links", "units.peak_utilisation", "1");
    check_str_attr1(fx->file, "/events", "units.time_s", "s");
    assert_int_equal(H5Aexists_by_name(fx->file, "/flows", "units.name",
                                       H5P_DEFAULT), 0);
    check_str_attr1(fx->file, "/timeseries/time_s", "units", "s");
    check_str_attr1(fx->file, "/timeseries/flow_throughput_bps", "units", "bit/s");
    check_str_attr1(fx->file, "/timeseries/link_utilisation", "units", "1");

    /* Every numeric compound field has its units attribute. */
    static const char *tables[] = {"/flows", "/vfs", "/links", "/events"};
    for (size_t t = 0; t < 4; t++) {
        hid_t d = H5Dopen2(fx->file, tables[t], H5P_DEFAULT);
        hid_t ft = H5Dget_type(d);
        for (int i = 0; i < H5Tget_nmembers(ft); i++) {
            if (H5Tget_member_class(ft, (unsigned)i) == H5T_STRING)
                continue;
            char *m = H5Tget_member_name(ft, (unsigned)i);
            char attr[128];
            snprintf(attr, sizeof(attr), "units.%s", m);
            assert_int_equal(H5Aexists(d, attr), 1);
            H5free_memory(m);
        }
        H5Tclose(ft);
        H5Dclose(d);
    }
}

static void test_columns(void **state)
{
    fixture *fx = *state;
    static const char *flows[] = {"f1", "f_bulk"};
    static const char *vfs[] = {"h1.nic0.vf0", "h1.nic0.vf1", "h1.nic0.vf2"};
    static const char *links[] = {"h1.nic0.pcie_UP", "h1.nic0.pcie_DOWN",
                                  "h1.nic0.port0_UP", "tor_r1_UP"};
    check_str_attr(fx->file, "/timeseries/flow_throughput_bps", "columns", flows, 2);
    check_str_attr(fx->file, "/timeseries/vf_throughput_bps", "columns", vfs, 3);
    check_str_attr(fx->file, "/timeseries/link_utilisation", "columns", links, 4);
}

static void check_series(hid_t file, const char *path, const series *s,
                         size_t rows)
{
    int rank;
    hsize_t dims[2];
    double *v = read_dataset(file, path, &rank, dims);
    assert_int_equal(rank, 2);
    assert_int_equal(dims[0], rows);
    assert_int_equal(dims[1], s->n_cols);
    assert_memory_equal(v, s->values, rows * s->n_cols * sizeof(double));
    free(v);

    hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(d);
    assert_int_equal(H5Pget_layout(dcpl), H5D_CHUNKED);
    assert_true(H5Pget_nfilters(dcpl) >= 1);
    H5Pclose(dcpl);
    H5Dclose(d);
}

static void test_series(void **state)
{
    fixture *fx = *state;
    int rank;
    hsize_t dims[2];
    double *t = read_dataset(fx->file, "/timeseries/time_s", &rank, dims);
    assert_int_equal(rank, 1);
    assert_int_equal(dims[0], 5);
    assert_memory_equal(t, fx->r.time_s, 5 * sizeof(double));
    free(t);
    check_series(fx->file, "/timeseries/flow_throughput_bps",
                 &fx->r.flow_throughput_bps, 5);
    check_series(fx->file, "/timeseries/vf_throughput_bps",
                 &fx->r.vf_throughput_bps, 5);
    check_series(fx->file, "/timeseries/link_utilisation",
                 &fx->r.link_utilisation, 5);
}

static void test_no_timestamps(void **state)
{
    fixture *fx = *state;
    static const char *objs[] = {"/", "/meta", "/meta/resolved", "/flows",
                                 "/timeseries", "/timeseries/link_utilisation"};
    for (size_t i = 0; i < 6; i++) {
        hid_t o = H5Oopen(fx->file, objs[i], H5P_DEFAULT);
        hid_t cpl = H5Iget_type(o) == H5I_DATASET ? H5Dget_create_plist(o)
                                                  : H5Gget_create_plist(o);
        hbool_t track = 1;
        H5Pget_obj_track_times(cpl, &track);
        assert_false(track);
        H5Pclose(cpl);
        H5Oclose(o);
    }
}

/* ---- files compared byte for byte ------------------------------------ */

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(*n ? *n : 1);
    assert_int_equal(fread(b, 1, *n, f), *n);
    fclose(f);
    return b;
}

static void write_fixture(const char *path, double wall_time_s)
{
    run_results r;
    char err[256] = "";
    make_results(&r, wall_time_s);
    int rc = h5_write_results(&r, path, err, sizeof(err));
    if (rc != 0)
        fail_msg("%s", err);
    results_free(&r);
}

/* Same results (and same wall time): identical files. Different wall time:
 * the files differ only in that float64 and in the 4-byte checksum of the
 * /meta object header holding it. Stronger than comparing dataset digests,
 * and what makes digests comparable across runs. */
static void test_deterministic(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_h5.XXXXXX", a[64], b[64], c[64];
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof(a), "%s/a.h5", dir);
    snprintf(b, sizeof(b), "%s/b.h5", dir);
    snprintf(c, sizeof(c), "%s/c.h5", dir);
    write_fixture(a, 1.0);
    write_fixture(b, 1.0);
    write_fixture(c, 123.456);
    size_t na, nb, nc;
    unsigned char *ba = slurp(a, &na), *bb = slurp(b, &nb), *bc = slurp(c, &nc);
    int same_ab = na == nb && memcmp(ba, bb, na) == 0;
    size_t differing = 0;
    for (size_t i = 0; i < na && i < nc; i++)
        differing += ba[i] != bc[i];
    free(ba);
    free(bb);
    free(bc);
    rm_rf(dir);
    assert_true(same_ab);
    assert_int_equal(na, nc);
    assert_in_range(differing, 1, sizeof(double) + 4);
}

/* ---- empty and failing writes ------------------------------------------ */

static void test_empty_results(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_h5.XXXXXX", path[64], err[256] = "";
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/empty.h5", dir);
    run_results r;
    memset(&r, 0, sizeof(r));
    r.meta.tool_version = xdup("0.1.0");     /* other strings NULL: written "" */
    r.n_samples = 3;
    r.time_s = doubles(3);
    if (h5_write_results(&r, path, err, sizeof(err)) != 0)
        fail_msg("%s", err);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    int rank;
    hsize_t dims[2];
    double *v = read_dataset(f, "/timeseries/link_utilisation", &rank, dims);
    assert_int_equal(rank, 2);
    assert_int_equal(dims[0], 3);
    assert_int_equal(dims[1], 0);
    free(v);
    v = read_dataset(f, "/flows", &rank, dims);
    assert_int_equal(rank, 1);
    assert_int_equal(dims[0], 0);
    free(v);
    check_str_attr(f, "/timeseries/vf_throughput_bps", "columns", NULL, 0);
    check_str_attr1(f, "/meta", "scenario", "");
    H5Fclose(f);

    /* No samples at all: still rank-2 series. */
    free(r.time_s);
    r.time_s = NULL;
    r.n_samples = 0;
    if (h5_write_results(&r, path, err, sizeof(err)) != 0)
        fail_msg("%s", err);
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    v = read_dataset(f, "/timeseries/flow_throughput_bps", &rank, dims);
    assert_int_equal(rank, 2);
    assert_int_equal(dims[0], 0);
    free(v);
    H5Fclose(f);
    results_free(&r);
    rm_rf(dir);
}

static void test_unwritable_path(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_h5.XXXXXX", blocker[64], path[96], err[256] = "";
    assert_non_null(mkdtemp(dir));
    /* A regular file where a directory is needed: fails even for root. */
    snprintf(blocker, sizeof(blocker), "%s/plainfile", dir);
    FILE *f = fopen(blocker, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/sub/run.h5", blocker);

    assert_int_not_equal(h5_check_writable(path, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "plainfile"));
    err[0] = '\0';
    run_results r;
    make_results(&r, 0);
    assert_int_not_equal(h5_write_results(&r, path, err, sizeof(err)), 0);
    assert_true(strlen(err) > 0);
    assert_int_equal(count_entries(dir), 1);    /* just the blocker */

    /* The target is a directory: HDF5 writes the temporary fine, rename
     * fails, and the temporary must be gone afterwards. */
    snprintf(path, sizeof(path), "%s/adir", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    assert_int_not_equal(h5_check_writable(path, err, sizeof(err)), 0);
    assert_int_not_equal(h5_write_results(&r, path, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "directory"));
    assert_int_equal(count_entries(dir), 2);
    results_free(&r);
    rm_rf(dir);
}

/* A failed write (bad series shape) keeps the previous file intact and
 * leaves no temporary; a good one replaces it. */
static void test_atomic_replace(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_h5.XXXXXX", path[64], err[256] = "";
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/run.h5", dir);
    assert_int_equal(h5_check_writable(path, err, sizeof(err)), 0);
    assert_int_equal(count_entries(dir), 0);    /* the probe is gone */
    write_fixture(path, 1.0);
    size_t n0;
    unsigned char *before = slurp(path, &n0);

    run_results r;
    make_results(&r, 2.0);
    r.link_utilisation.n_cols = 3;              /* 4 links */
    assert_int_not_equal(h5_write_results(&r, path, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "link_utilisation"));
    size_t n1;
    unsigned char *after = slurp(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    assert_int_equal(count_entries(dir), 1);

    r.link_utilisation.n_cols = 4;
    assert_int_equal(h5_write_results(&r, path, err, sizeof(err)), 0);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(read_f64_attr(f, "/meta", "wall_time_s") == 2.0);
    H5Fclose(f);
    assert_int_equal(count_entries(dir), 1);
    free(before);
    free(after);
    results_free(&r);
    rm_rf(dir);
}

static void test_results_free_zeroed(void **state)
{
    (void)state;
    run_results r;
    memset(&r, 0, sizeof(r));
    results_free(&r);
    results_free(NULL);
    make_results(&r, 0);
    results_free(&r);
    results_free(&r);   /* left zeroed: a second call is harmless */
    assert_null(r.flows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_meta, setup_written, teardown_written),
        cmocka_unit_test_setup_teardown(test_tables, setup_written, teardown_written),
        cmocka_unit_test_setup_teardown(test_units, setup_written, teardown_written),
        cmocka_unit_test_setup_teardown(test_columns, setup_written, teardown_written),
        cmocka_unit_test_setup_teardown(test_series, setup_written, teardown_written),
        cmocka_unit_test_setup_teardown(test_no_timestamps, setup_written,
                                        teardown_written),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_empty_results),
        cmocka_unit_test(test_unwritable_path),
        cmocka_unit_test(test_atomic_replace),
        cmocka_unit_test(test_results_free_zeroed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
