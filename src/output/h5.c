/* h5.c -- run_results to HDF5 (layout and type choices: see h5.h).
 *
 * The compound tables are written straight from the results.h structs: the
 * memory datatype describes a flow_result (char * fields as variable-length
 * strings, offsets from offsetof), the file datatype is the same fields
 * packed with explicit little-endian types. HDF5 converts between the two,
 * so nothing is copied and the on-disk layout does not depend on the ABI.
 */
#include "output/h5.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Target chunk size for the 2-D series, in elements (64 KiB of float64):
 * large enough for deflate to work well, small enough that reading one
 * column of a long run does not decompress the whole file. */
#define SERIES_CHUNK_ELEMS 8192
#define SERIES_CHUNK_MAX_COLS 256
#define DEFLATE_LEVEL 4
/* The in-memory file grows by this much at a time. */
#define IMAGE_INCREMENT (1024 * 1024)

/* Where messages go. Passed down instead of (err, errlen) pairs. */
typedef struct errbuf {
    char *msg;
    size_t len;
} errbuf;

static void set_err(errbuf *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_err(errbuf *e, const char *fmt, ...)
{
    if (e->msg == NULL || e->len == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, e->len, fmt, ap);
    va_end(ap);
}

/* A whole HDF5 file as bytes. */
typedef struct image {
    unsigned char *bytes;
    size_t size;    /* bytes in use (the driver's buffer: its size) */
} image;

/* ---- HDF5 error text ------------------------------------------------- */

/* H5Ewalk2 visits the stack from the API call down to the root cause; we
 * keep the last (innermost) description, which names the real problem
 * (e.g. "unable to open file: ... errno = 13 ..."). */
static herr_t keep_innermost(unsigned n, const H5E_error2_t *e, void *out)
{
    (void)n;
    if (e->desc != NULL && e->desc[0] != '\0')
        snprintf((char *)out, 256, "%s", e->desc);
    return 0;
}

/* Report a failed HDF5 call: "<what>: <innermost HDF5 message>". Must run
 * right after the failing call, before another API call resets the stack. */
static void set_h5_err(errbuf *e, const char *what)
{
    char cause[256] = "HDF5 call failed";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, keep_innermost, cause);
    set_err(e, "%s: %s", what, cause);
}

/* ---- filesystem ------------------------------------------------------ */

/* mkdir -p of everything before the last '/' in path. */
static int make_parent_dirs(const char *path, errbuf *e)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL || slash == path)
        return 0;
    size_t n = (size_t)(slash - path);
    char *dir = malloc(n + 1);
    if (dir == NULL) {
        set_err(e, "out of memory");
        return -1;
    }
    memcpy(dir, path, n);
    dir[n] = '\0';
    int rc = 0;
    for (size_t i = 1; i <= n && rc == 0; i++) {
        if (dir[i] != '/' && dir[i] != '\0')
            continue;
        char saved = dir[i];
        dir[i] = '\0';
        struct stat st;
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            set_err(e, "cannot create directory %s: %s", dir, strerror(errno));
            rc = -1;
        } else if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            set_err(e, "cannot create directory %s: not a directory", dir);
            rc = -1;
        }
        dir[i] = saved;
    }
    free(dir);
    return rc;
}

/* "<path>.tmp.<pid>": same directory, so rename() is atomic; the pid keeps
 * concurrent writers of the same target (sweep workers) apart. Caller frees. */
static char *temp_path_for(const char *path)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (tmp != NULL)
        snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    return tmp;
}

/* Make the rename itself durable. Best effort: by now the file is complete
 * and in place, so a failure here is not worth failing the run for. */
static void fsync_parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path))
                      : strdup(".");
    if (dir == NULL)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

static int refuse_directory(const char *path, errbuf *e)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        set_err(e, "cannot write results to %s: it is a directory", path);
        return -1;
    }
    return 0;
}

/* ---- attributes ------------------------------------------------------ */

/* Variable-length UTF-8 C string; caller closes. */
static hid_t vlen_string_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return -1;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* Create attribute name on obj with file type ftype and shape space, and
 * write buf (laid out as mtype). */
static int write_attr(hid_t obj, const char *name, hid_t ftype, hid_t mtype,
                      hid_t space, const void *buf, errbuf *e)
{
    int rc = -1;
    hid_t a = H5Acreate2(obj, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0 || H5Awrite(a, mtype, buf) < 0)
        set_h5_err(e, name);
    else
        rc = 0;
    if (a >= 0)
        H5Aclose(a);
    return rc;
}

static int attr_string(hid_t obj, const char *name, const char *value,
                       errbuf *e)
{
    const char *v = value ? value : "";
    hid_t t = vlen_string_type();
    hid_t s = H5Screate(H5S_SCALAR);
    int rc = -1;
    if (t < 0 || s < 0)
        set_h5_err(e, name);
    else
        rc = write_attr(obj, name, t, t, s, &v, e);
    if (s >= 0)
        H5Sclose(s);
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

/* 1-D string array attribute, n may be 0. */
static int attr_strings(hid_t obj, const char *name, const char *const *values,
                        size_t n, errbuf *e)
{
    hsize_t dims[1] = {n};
    hid_t t = vlen_string_type();
    hid_t s = H5Screate_simple(1, dims, NULL);
    int rc = -1;
    if (t < 0 || s < 0)
        set_h5_err(e, name);
    else
        rc = write_attr(obj, name, t, t, s, values, e);
    if (s >= 0)
        H5Sclose(s);
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

static int attr_scalar(hid_t obj, const char *name, hid_t ftype, hid_t mtype,
                       const void *value, errbuf *e)
{
    hid_t s = H5Screate(H5S_SCALAR);
    if (s < 0) {
        set_h5_err(e, name);
        return -1;
    }
    int rc = write_attr(obj, name, ftype, mtype, s, value, e);
    H5Sclose(s);
    return rc;
}

/* ---- property lists -------------------------------------------------- */

/* Object creation lists with time tracking off: timestamps in object
 * headers would make two identical runs differ. */
static hid_t untimed_plist(hid_t cls)
{
    hid_t p = H5Pcreate(cls);
    if (p >= 0 && H5Pset_obj_track_times(p, 0) < 0) {
        H5Pclose(p);
        return -1;
    }
    return p;
}

static hid_t make_group(hid_t parent, const char *name, errbuf *e)
{
    hid_t gcpl = untimed_plist(H5P_GROUP_CREATE);
    hid_t g = gcpl < 0 ? -1
                       : H5Gcreate2(parent, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (g < 0)
        set_h5_err(e, name);
    if (gcpl >= 0)
        H5Pclose(gcpl);
    return g;
}

/* ---- /meta ------------------------------------------------------------ */

static int write_resolved(hid_t meta, const char *text, errbuf *e)
{
    const char *v = text ? text : "";
    hid_t t = vlen_string_type();
    hid_t s = H5Screate(H5S_SCALAR);
    hid_t dcpl = untimed_plist(H5P_DATASET_CREATE);
    hid_t d = (t < 0 || s < 0 || dcpl < 0)
                  ? -1
                  : H5Dcreate2(meta, "resolved", t, s, H5P_DEFAULT, dcpl,
                               H5P_DEFAULT);
    int rc = -1;
    if (d < 0 || H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) < 0)
        set_h5_err(e, "/meta/resolved");
    else
        rc = 0;
    if (d >= 0)
        H5Dclose(d);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (s >= 0)
        H5Sclose(s);
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

static int write_meta_attrs(hid_t meta, const run_meta *m, errbuf *e)
{
    if (attr_string(meta, "tool_version", m->tool_version, e) ||
        attr_string(meta, "simgrid_version", m->simgrid_version, e) ||
        attr_string(meta, "scenario_name", m->scenario_name, e) ||
        attr_string(meta, "granularity", m->granularity, e) ||
        attr_scalar(meta, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &m->seed,
                    e) ||
        attr_scalar(meta, "duration_s", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                    &m->duration_s, e) ||
        attr_scalar(meta, "wall_time_s", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                    &m->wall_time_s, e) ||
        attr_scalar(meta, "peak_active_flows", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                    &m->peak_active_flows, e) ||
        attr_scalar(meta, "peak_solver_flows", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                    &m->peak_solver_flows, e) ||
        attr_string(meta, "scenario", m->scenario_text, e))
        return -1;
    return 0;
}

static int write_meta(hid_t file, const run_meta *m, errbuf *e)
{
    hid_t g = make_group(file, "meta", e);
    if (g < 0)
        return -1;
    int rc = write_meta_attrs(g, m, e);
    if (rc == 0)
        rc = write_resolved(g, m->resolved_text, e);
    H5Gclose(g);
    return rc;
}

/* ---- compound tables ------------------------------------------------- */

typedef enum { COL_STRING, COL_F64, COL_I32 } col_kind;

/* One column of a table: where it sits in the results.h struct and what
 * its unit is (NULL for strings). */
typedef struct column_desc {
    const char *name;
    size_t offset;
    col_kind kind;
    const char *units;
} column_desc;

typedef struct table_desc {
    const char *name;           /* dataset name under / */
    const column_desc *cols;
    size_t n_cols;
    size_t row_size;            /* sizeof the results.h struct */
} table_desc;

#define STR(type, f) {#f, offsetof(type, f), COL_STRING, NULL}
#define F64(type, f, u) {#f, offsetof(type, f), COL_F64, u}
#define I32(type, f, u) {#f, offsetof(type, f), COL_I32, u}
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static const column_desc flow_cols[] = {
    STR(flow_result, name),
    STR(flow_result, kind),
    STR(flow_result, from),
    STR(flow_result, to),
    F64(flow_result, offered_bytes, "bytes"),
    F64(flow_result, delivered_bytes, "bytes"),
    F64(flow_result, dropped_bytes, "bytes"),
    F64(flow_result, offered_packets, "packets"),
    F64(flow_result, delivered_packets, "packets"),
    F64(flow_result, start_s, "s"),
    F64(flow_result, end_s, "s"),
    F64(flow_result, completion_time_s, "s"),
    F64(flow_result, latency_mean_s, "s"),
    F64(flow_result, latency_p50_s, "s"),
    F64(flow_result, latency_p99_s, "s"),
    F64(flow_result, latency_p999_s, "s"),
};

static const column_desc vf_cols[] = {
    STR(vf_result, host),
    STR(vf_result, adapter),
    I32(vf_result, vf, "index"),
    STR(vf_result, bdf),
    STR(vf_result, vm),
    STR(vf_result, nic),
    F64(vf_result, tx_bytes, "bytes"),
    F64(vf_result, rx_bytes, "bytes"),
    F64(vf_result, tx_packets, "packets"),
    F64(vf_result, rx_packets, "packets"),
    F64(vf_result, drops, "packets"),
    F64(vf_result, iotlb_hits, "count"),
    F64(vf_result, iotlb_misses, "count"),
    F64(vf_result, translations, "count"),
    F64(vf_result, walk_time_mean_s, "s"),
    F64(vf_result, invalidations, "count"),
    F64(vf_result, switched_bytes, "bytes"),
    F64(vf_result, forwarded_bytes, "bytes"),
    F64(vf_result, drop_vlan_packets, "packets"),
    F64(vf_result, drop_vlan_bytes, "bytes"),
    F64(vf_result, drop_spoof_packets, "packets"),
    F64(vf_result, drop_spoof_bytes, "bytes"),
};

static const column_desc port_cols[] = {
    STR(port_result, name),
    STR(port_result, host),
    STR(port_result, adapter),
    I32(port_result, port, "index"),
    F64(port_result, switched_bytes, "bytes"),
    F64(port_result, forwarded_bytes, "bytes"),
    F64(port_result, drop_vlan_packets, "packets"),
    F64(port_result, drop_vlan_bytes, "bytes"),
    F64(port_result, drop_spoof_packets, "packets"),
    F64(port_result, drop_spoof_bytes, "bytes"),
};
static const table_desc ports_table = {"ports", port_cols, COUNT_OF(port_cols),
                                       sizeof(port_result)};

static const column_desc link_cols[] = {
    STR(link_result, name),
    STR(link_result, kind),
    F64(link_result, capacity_bps, "bit/s"),
    F64(link_result, mean_utilisation, "1"),
    F64(link_result, peak_utilisation, "1"),
    F64(link_result, bytes, "bytes"),
};

static const column_desc event_cols[] = {
    F64(event_record, time_s, "s"),
    STR(event_record, host),
    STR(event_record, adapter),
    I32(event_record, vf, "index"),
    STR(event_record, type),
    STR(event_record, detail),
};

static const column_desc migration_cols[] = {
    STR(migration_result, vm),
    STR(migration_result, from),
    STR(migration_result, to),
    F64(migration_result, start_s, "s"),
    F64(migration_result, precopy_start_s, "s"),
    F64(migration_result, precopy_end_s, "s"),
    F64(migration_result, downtime_s, "s"),
    F64(migration_result, end_s, "s"),
    F64(migration_result, replug_end_s, "s"),
    F64(migration_result, bytes, "bytes"),
    I32(migration_result, rounds, "count"),
    I32(migration_result, vf_replugged, "1"),
    F64(migration_result, lost_packets, "packets"),
};
static const column_desc pf_vf_cols[] = {
    STR(pf_vf_result, host),
    STR(pf_vf_result, adapter),
    I32(pf_vf_result, vf, "index"),
    STR(pf_vf_result, state),
    STR(pf_vf_result, tenants),
    F64(pf_vf_result, tx_bytes, "bytes"),
    F64(pf_vf_result, rx_bytes, "bytes"),
    F64(pf_vf_result, tx_packets, "packets"),
    F64(pf_vf_result, rx_packets, "packets"),
    F64(pf_vf_result, flr_count, "count"),
    F64(pf_vf_result, flr_lost_packets, "packets"),
    F64(pf_vf_result, faults_blocked, "count"),
    F64(pf_vf_result, mbx_requests, "count"),
    F64(pf_vf_result, mbx_denied, "count"),
    F64(pf_vf_result, mbx_timeouts, "count"),
};
static const table_desc pf_vfs_table = {"pf_vfs", pf_vf_cols, COUNT_OF(pf_vf_cols),
                                        sizeof(pf_vf_result)};

static const column_desc guest_view_cols[] = {
    STR(guest_view_result, name),
    STR(guest_view_result, bdf),
    F64(guest_view_result, tx_bytes, "bytes"),
    F64(guest_view_result, rx_bytes, "bytes"),
    F64(guest_view_result, tx_packets, "packets"),
    F64(guest_view_result, rx_packets, "packets"),
    F64(guest_view_result, mbx_requests, "count"),
    F64(guest_view_result, mbx_denied, "count"),
    F64(guest_view_result, mbx_timeouts, "count"),
    F64(guest_view_result, resets_seen, "count"),
};
static const table_desc guest_view_table = {"guest_view", guest_view_cols,
                                            COUNT_OF(guest_view_cols),
                                            sizeof(guest_view_result)};

static const table_desc migrations_table = {"migrations", migration_cols,
                                            COUNT_OF(migration_cols),
                                            sizeof(migration_result)};

static const table_desc flows_table = {"flows", flow_cols, COUNT_OF(flow_cols),
                                       sizeof(flow_result)};
static const table_desc vfs_table = {"vfs", vf_cols, COUNT_OF(vf_cols),
                                     sizeof(vf_result)};
static const table_desc links_table = {"links", link_cols, COUNT_OF(link_cols),
                                       sizeof(link_result)};
static const table_desc events_table = {"events", event_cols,
                                        COUNT_OF(event_cols),
                                        sizeof(event_record)};

/* The memory compound (in_memory) or the packed file compound; caller
 * closes. str is the vlen string type to use for COL_STRING. */
static hid_t compound_type(const table_desc *t, hid_t str, bool in_memory)
{
    size_t size = 0;
    if (in_memory) {
        size = t->row_size;
    } else {
        for (size_t i = 0; i < t->n_cols; i++)
            size += t->cols[i].kind == COL_STRING ? H5Tget_size(str)
                    : t->cols[i].kind == COL_F64  ? 8
                                                  : 4;
    }
    hid_t ct = H5Tcreate(H5T_COMPOUND, size);
    size_t packed = 0;
    for (size_t i = 0; ct >= 0 && i < t->n_cols; i++) {
        const column_desc *c = &t->cols[i];
        hid_t mt = c->kind == COL_STRING ? str
                   : c->kind == COL_F64
                       ? (in_memory ? H5T_NATIVE_DOUBLE : H5T_IEEE_F64LE)
                       : (in_memory ? H5T_NATIVE_INT32 : H5T_STD_I32LE);
        size_t off = in_memory ? c->offset : packed;
        packed += H5Tget_size(mt);
        if (H5Tinsert(ct, c->name, off, mt) < 0) {
            H5Tclose(ct);
            ct = -1;
        }
    }
    return ct;
}

static int write_units_attrs(hid_t dset, const table_desc *t, errbuf *e)
{
    for (size_t i = 0; i < t->n_cols; i++) {
        if (t->cols[i].units == NULL)
            continue;
        char name[128];
        snprintf(name, sizeof(name), "units.%s", t->cols[i].name);
        if (attr_string(dset, name, t->cols[i].units, e) != 0)
            return -1;
    }
    return 0;
}

/* Create a 1-D dataset of n rows of ftype and write buf (mtype) into it.
 * Zero rows gives an empty dataset of the right type. Returns the open
 * dataset (caller closes) or -1. */
static hid_t create_rows(hid_t parent, const char *name, hid_t ftype,
                         hid_t mtype, size_t n, const void *buf)
{
    hsize_t dims[1] = {n};
    hid_t s = H5Screate_simple(1, dims, NULL);
    hid_t dcpl = untimed_plist(H5P_DATASET_CREATE);
    hid_t d = (s < 0 || dcpl < 0) ? -1
                                  : H5Dcreate2(parent, name, ftype, s,
                                               H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d >= 0 && n > 0 &&
        H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        H5Dclose(d);
        d = -1;
    }
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (s >= 0)
        H5Sclose(s);
    return d;
}

static int write_table(hid_t file, const table_desc *t, const void *rows,
                       size_t n, errbuf *e)
{
    if (n > 0 && rows == NULL) {
        set_err(e, "/%s: %zu rows but no data", t->name, n);
        return -1;
    }
    int rc = -1;
    hid_t str = vlen_string_type();
    hid_t mt = str < 0 ? -1 : compound_type(t, str, true);
    hid_t ft = str < 0 ? -1 : compound_type(t, str, false);
    hid_t d = (mt < 0 || ft < 0) ? -1 : create_rows(file, t->name, ft, mt, n, rows);
    if (d < 0)
        set_h5_err(e, t->name);
    else
        rc = write_units_attrs(d, t, e);
    if (d >= 0)
        H5Dclose(d);
    if (ft >= 0)
        H5Tclose(ft);
    if (mt >= 0)
        H5Tclose(mt);
    if (str >= 0)
        H5Tclose(str);
    return rc;
}

static int write_tables(hid_t file, const run_results *r, errbuf *e)
{
    if (write_table(file, &flows_table, r->flows, r->n_flows, e) ||
        write_table(file, &vfs_table, r->vfs, r->n_vfs, e) ||
        write_table(file, &links_table, r->links, r->n_links, e) ||
        write_table(file, &events_table, r->events, r->n_events, e))
        return -1;
    if (r->n_migrations &&
        write_table(file, &migrations_table, r->migrations, r->n_migrations, e))
        return -1;
    if (r->n_pf_vfs && write_table(file, &pf_vfs_table, r->pf_vfs, r->n_pf_vfs, e))
        return -1;
    if (r->n_guest_view &&
        write_table(file, &guest_view_table, r->guest_view, r->n_guest_view, e))
        return -1;
    if (r->n_ports && write_table(file, &ports_table, r->ports, r->n_ports, e))
        return -1;
    return 0;
}

/* ---- /timeseries ----------------------------------------------------- */

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
    hid_t dcpl = untimed_plist(H5P_DATASET_CREATE);
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
        set_err(e, "/timeseries/%s: no values", so->name);
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
        set_h5_err(e, so->name);
    else if (attr_string(d, "units", so->units, e) == 0 &&
             attr_strings(d, "columns", so->columns, so->cols, e) == 0)
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
        set_err(e, "/timeseries/time_s: %zu samples but no times", r->n_samples);
        return -1;
    }
    hid_t d = create_rows(group, "time_s", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                          r->n_samples, r->time_s);
    if (d < 0) {
        set_h5_err(e, "time_s");
        return -1;
    }
    int rc = attr_string(d, "units", "s", e);
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
        set_err(e, "out of memory");
    return ok ? 0 : -1;
}

/* A series must have one column per table row (or no samples at all). */
static int check_series(const char *name, const series *s, size_t n_samples,
                        size_t expected_cols, errbuf *e)
{
    if (n_samples > 0 && s->n_cols != expected_cols) {
        set_err(e, "/timeseries/%s: %zu columns, expected %zu", name, s->n_cols,
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
    for (size_t i = 0; i < COUNT_OF(out); i++)
        if (write_series(group, &out[i], e) != 0)
            return -1;
    /* written only by runs with a software datapath model */
    const series_out cpu = {"host_cpu_utilisation", r->host_cpu_utilisation.values, n,
                            r->n_host_names, "1", (const char *const *)r->host_names};
    if (r->host_cpu_utilisation.values && r->n_host_names && write_series(group, &cpu, e))
        return -1;
    return 0;
}

static int write_timeseries(hid_t file, const run_results *r, errbuf *e)
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
    hid_t g = rc == 0 ? make_group(file, "timeseries", e) : -1;
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

/* ---- the file ---------------------------------------------------------- */

/* ---- the file, built in memory ------------------------------------------- */

/* The file is built by HDF5's core driver (in memory, no backing store)
 * and written out by write_image. Taking the bytes is the delicate part:
 * H5Fget_file_image in HDF5 1.10 clears the superblock's write-access flag
 * in its copy without updating the superblock checksum, so that copy does
 * not open. Instead the driver's own buffer is taken over when the file is
 * closed (file image callbacks): by then it holds exactly the bytes
 * H5Fclose would have written to disk. */

static void *img_malloc(size_t size, H5FD_file_image_op_t op, void *udata)
{
    (void)op, (void)udata;
    return malloc(size);
}

static void *img_memcpy(void *dst, const void *src, size_t size,
                        H5FD_file_image_op_t op, void *udata)
{
    (void)op, (void)udata;
    return memcpy(dst, src, size);
}

static void *img_realloc(void *ptr, size_t size, H5FD_file_image_op_t op,
                         void *udata)
{
    (void)op;
    void *p = realloc(ptr, size);
    if (p != NULL)
        ((image *)udata)->size = size;
    return p;
}

static herr_t img_free(void *ptr, H5FD_file_image_op_t op, void *udata)
{
    image *img = udata;
    if (op == H5FD_FILE_IMAGE_OP_FILE_CLOSE && img->bytes == NULL)
        img->bytes = ptr;       /* the finished file: keep it */
    else
        free(ptr);
    return 0;
}

/* The image is ours, not the property list's: copies share it. */
static void *img_udata_copy(void *udata) { return udata; }
static herr_t img_udata_free(void *udata) { (void)udata; return 0; }

/* fcpl: no timestamps on the root group either (the file creation list
 * inherits the object creation properties). fapl: 1.8 format, see h5.h;
 * strong close degree so H5Fclose fails loudly if we leaked a handle
 * rather than leaving the file open behind our back; the core driver with
 * the callbacks above, which fill img. */
static int make_file_plists(hid_t *fcpl, hid_t *fapl, image *img)
{
    H5FD_file_image_callbacks_t cb = {img_malloc, img_memcpy, img_realloc,
                                      img_free, img_udata_copy,
                                      img_udata_free, img};
    *fcpl = untimed_plist(H5P_FILE_CREATE);
    *fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (*fcpl < 0 || *fapl < 0 ||
        H5Pset_libver_bounds(*fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) < 0 ||
        H5Pset_fclose_degree(*fapl, H5F_CLOSE_STRONG) < 0 ||
        H5Pset_fapl_core(*fapl, IMAGE_INCREMENT, 0) < 0 ||
        H5Pset_file_image_callbacks(*fapl, &cb) < 0)
        return -1;
    return 0;
}

static int write_contents(hid_t f, const run_results *r, errbuf *e)
{
    int rc = write_meta(f, &r->meta, e);
    if (rc == 0)
        rc = write_tables(f, r, e);
    if (rc == 0)
        rc = write_timeseries(f, r, e);
    return rc;
}

/* The driver's buffer is rounded up to IMAGE_INCREMENT (zero-filled); the
 * file proper ends at the superblock's end-of-file address. With the 1.8
 * format bounds the superblock is version 2: 8-byte signature, version,
 * size of offsets, size of lengths, flags, then base, extension and
 * end-of-file addresses (HDF5 file format specification, II.A). */
static int trim_image(image *img, const char *name, errbuf *e)
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    const unsigned char *b = img->bytes;
    if (img->size < 48 || memcmp(b, sig, 8) != 0 || b[8] != 2 || b[9] != 8) {
        set_err(e, "%s: unexpected HDF5 superblock in the built file", name);
        return -1;
    }
    uint64_t eof = 0;
    for (int i = 7; i >= 0; i--)
        eof = eof << 8 | b[28 + i];
    if (eof < 48 || eof > img->size) {
        set_err(e, "%s: built file ends at %llu, beyond its %zu bytes", name,
                (unsigned long long)eof, img->size);
        return -1;
    }
    img->size = (size_t)eof;
    return 0;
}

/* Builds the whole file in memory. name only identifies it to HDF5. */
static int build_image(const run_results *r, const char *name, image *img,
                       errbuf *e)
{
    hid_t fcpl = -1, fapl = -1;
    if (make_file_plists(&fcpl, &fapl, img) != 0) {
        set_h5_err(e, "file property lists");
        if (fcpl >= 0)
            H5Pclose(fcpl);
        if (fapl >= 0)
            H5Pclose(fapl);
        return -1;
    }
    hid_t f = H5Fcreate(name, H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fcpl);
    H5Pclose(fapl);
    if (f < 0) {
        set_h5_err(e, name);
        return -1;
    }
    int rc = write_contents(f, r, e);
    if (H5Fclose(f) < 0 && rc == 0) {
        set_h5_err(e, name);
        rc = -1;
    }
    if (rc == 0 && img->bytes == NULL) {
        set_err(e, "%s: HDF5 returned no file image", name);
        rc = -1;
    }
    return rc == 0 ? trim_image(img, name, e) : -1;
}

/* Writes the image to tmp with plain write(2) and syncs it. Doing the I/O
 * ourselves rather than through HDF5's file driver matters on a full disk:
 * HDF5 1.10 cannot recover from a failed write (H5Fclose fails, and the
 * library then crashes at exit), while here ENOSPC or EFBIG is an
 * ordinary error with its errno. */
static int write_image(const char *tmp, const image *img, errbuf *e)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) {
        set_err(e, "cannot create %s: %s", tmp, strerror(errno));
        return -1;
    }
    size_t done = 0;
    while (done < img->size) {
        ssize_t n = write(fd, img->bytes + done, img->size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            set_err(e, "cannot write %s: %s", tmp,
                    n < 0 ? strerror(errno) : "no progress");
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    /* A full disk may only show at fsync or close (NFS, delayed
     * allocation): both count. */
    int rc = fsync(fd);
    int err = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        err = errno;
    }
    if (rc != 0)
        set_err(e, "cannot write %s: %s", tmp, strerror(err));
    return rc == 0 ? 0 : -1;
}

/* Build in memory, write to tmp, sync, rename over path. */
static int write_and_publish(const run_results *r, const char *path,
                             const char *tmp, errbuf *e)
{
    image img = {NULL, 0};
    int rc = build_image(r, tmp, &img, e);
    if (rc == 0)
        rc = write_image(tmp, &img, e);
    free(img.bytes);
    if (rc != 0)
        return -1;
    if (rename(tmp, path) != 0) {
        set_err(e, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        return -1;
    }
    fsync_parent_dir(path);
    return 0;
}

int h5_write_results(const run_results *r, const char *path, char *err,
                     size_t errlen)
{
    errbuf e = {err, errlen};
    set_err(&e, "%s", "");
    if (r == NULL || path == NULL || path[0] == '\0') {
        set_err(&e, "h5_write_results: no results or no path");
        return -1;
    }
    if (make_parent_dirs(path, &e) != 0 || refuse_directory(path, &e) != 0)
        return -1;
    char *tmp = temp_path_for(path);
    if (tmp == NULL) {
        set_err(&e, "out of memory");
        return -1;
    }
    /* We report errors ourselves; silence HDF5's stack dump to stderr for
     * the duration and restore whatever the caller had. */
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    int rc = write_and_publish(r, path, tmp, &e);
    if (rc != 0)
        unlink(tmp);
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    free(tmp);
    return rc;
}

int h5_check_writable(const char *path, char *err, size_t errlen)
{
    errbuf e = {err, errlen};
    set_err(&e, "%s", "");
    if (path == NULL || path[0] == '\0') {
        set_err(&e, "no results path");
        return -1;
    }
    if (make_parent_dirs(path, &e) != 0 || refuse_directory(path, &e) != 0)
        return -1;
    char *probe = temp_path_for(path);
    if (probe == NULL) {
        set_err(&e, "out of memory");
        return -1;
    }
    int rc = 0;
    int fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) {
        set_err(&e, "cannot write next to %s: %s", path, strerror(errno));
        rc = -1;
    } else {
        close(fd);
        unlink(probe);
    }
    free(probe);
    return rc;
}
