/* h5_tables.c -- /meta and the compound tables: the core tables and every
 * table in the results registry, written from their schemas (results.h,
 * results_table.h); nothing here knows a particular table.
 *
 * The compound tables are written straight from the row structs: the
 * memory datatype describes the struct (char * fields as variable-length
 * strings, offsets from the schema), the file datatype is the same fields
 * packed with explicit little-endian types. HDF5 converts between the two,
 * so nothing is copied and the on-disk layout does not depend on the ABI.
 */
#include "output/h5_write.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- /meta ------------------------------------------------------------ */

static int write_resolved(hid_t meta, const char *text, errbuf *e)
{
    const char *v = text ? text : "";
    hid_t t = h5_vlen_string_type();
    hid_t s = H5Screate(H5S_SCALAR);
    hid_t dcpl = h5_untimed_plist(H5P_DATASET_CREATE);
    hid_t d = (t < 0 || s < 0 || dcpl < 0)
                  ? -1
                  : H5Dcreate2(meta, "resolved", t, s, H5P_DEFAULT, dcpl,
                               H5P_DEFAULT);
    int rc = -1;
    if (d < 0 || H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) < 0)
        h5_set_h5_err(e, "/meta/resolved");
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
    /* The layout this writer produces, whatever the run. */
    const uint64_t schema = RESULTS_SCHEMA_VERSION;
    if (h5_attr_scalar(meta, "schema_version", H5T_STD_U64LE, H5T_NATIVE_UINT64, &schema, e) ||
        h5_attr_string(meta, "tool_version", m->tool_version, e) ||
        h5_attr_string(meta, "simgrid_version", m->simgrid_version, e) ||
        h5_attr_string(meta, "scenario_name", m->scenario_name, e) ||
        h5_attr_string(meta, "granularity", m->granularity, e) ||
        h5_attr_scalar(meta, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &m->seed,
                    e) ||
        h5_attr_scalar(meta, "duration_s", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                    &m->duration_s, e) ||
        h5_attr_scalar(meta, "wall_time_s", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                    &m->wall_time_s, e) ||
        h5_attr_scalar(meta, "peak_active_flows", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                    &m->peak_active_flows, e) ||
        h5_attr_scalar(meta, "peak_solver_flows", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                    &m->peak_solver_flows, e) ||
        h5_attr_string(meta, "created_utc", m->created_utc, e) ||
        h5_attr_string(meta, "host", m->host, e) ||
        h5_attr_string(meta, "command_line", m->command_line, e) ||
        h5_attr_string(meta, "source_revision", m->source_revision, e) ||
        h5_attr_string(meta, "scenario", m->scenario_text, e))
        return -1;
    return 0;
}

int h5_write_meta(hid_t file, const run_meta *m, errbuf *e)
{
    hid_t g = h5_make_group(file, "meta", e);
    if (g < 0)
        return -1;
    int rc = write_meta_attrs(g, m, e);
    if (rc == 0)
        rc = write_resolved(g, m->resolved_text, e);
    H5Gclose(g);
    return rc;
}

/* ---- compound tables ------------------------------------------------- */

/* A column's HDF5 type in memory (native) or in the file (little-endian);
 * str is the vlen string type to use for strings. Not to be closed. */
static hid_t column_type(results_col_type type, hid_t str, bool in_memory)
{
    switch (type) {
    case RCOL_STRING: return str;
    case RCOL_I32: return in_memory ? H5T_NATIVE_INT32 : H5T_STD_I32LE;
    case RCOL_I64: return in_memory ? H5T_NATIVE_INT64 : H5T_STD_I64LE;
    case RCOL_U64: return in_memory ? H5T_NATIVE_UINT64 : H5T_STD_U64LE;
    case RCOL_F64: return in_memory ? H5T_NATIVE_DOUBLE : H5T_IEEE_F64LE;
    }
    return -1;
}

/* The memory compound (in_memory) or the packed file compound; caller
 * closes. */
static hid_t compound_type(const results_schema *t, hid_t str, bool in_memory)
{
    size_t size = 0;
    if (in_memory) {
        size = t->row_size;
    } else {
        for (size_t i = 0; i < t->n_cols; i++)
            size += H5Tget_size(column_type(t->cols[i].type, str, false));
    }
    hid_t ct = H5Tcreate(H5T_COMPOUND, size);
    size_t packed = 0;
    for (size_t i = 0; ct >= 0 && i < t->n_cols; i++) {
        const results_column *c = &t->cols[i];
        hid_t mt = column_type(c->type, str, in_memory);
        size_t off = in_memory ? c->offset : packed;
        packed += H5Tget_size(mt);
        if (H5Tinsert(ct, c->name, off, mt) < 0) {
            H5Tclose(ct);
            ct = -1;
        }
    }
    return ct;
}

static int write_units_attrs(hid_t dset, const results_schema *t, errbuf *e)
{
    for (size_t i = 0; i < t->n_cols; i++) {
        if (t->cols[i].unit == NULL)
            continue;
        char name[128];
        snprintf(name, sizeof(name), "units.%s", t->cols[i].name);
        if (h5_attr_string(dset, name, t->cols[i].unit, e) != 0)
            return -1;
    }
    return 0;
}

static int write_table(hid_t file, const results_table *tab, errbuf *e)
{
    const results_schema *t = tab->schema;
    if (tab->n_rows > 0 && tab->rows == NULL) {
        errbuf_set(e, "/%s: %zu rows but no data", t->name, tab->n_rows);
        return -1;
    }
    int rc = -1;
    hid_t str = h5_vlen_string_type();
    hid_t mt = str < 0 ? -1 : compound_type(t, str, true);
    hid_t ft = str < 0 ? -1 : compound_type(t, str, false);
    hid_t d = (mt < 0 || ft < 0) ? -1
                                 : h5_create_rows(file, t->name, ft, mt, tab->n_rows, tab->rows);
    if (d < 0)
        h5_set_h5_err(e, t->name);
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

/* Rows of a streamed table per block read from its spill file and per
 * HDF5 chunk: 16,384 rows (about 1.5 MB for a workload's flows) keep the
 * writer's own memory constant whatever the row count. */
#define STREAM_BLOCK_ROWS 16384

/* The dataset extended block by block from the spill file. */
static int copy_stream_rows(hid_t d, hid_t mt, const results_stream *st, errbuf *e)
{
    size_t rs = st->schema->row_size;
    void *buf = malloc(STREAM_BLOCK_ROWS * rs);
    if (!buf || fflush(st->spill) != 0 || fseek(st->spill, 0, SEEK_SET) != 0) {
        free(buf);
        errbuf_set(e, "/%s: cannot read back its rows", st->schema->name);
        return -1;
    }
    hsize_t done = 0;
    int rc = 0;
    while (rc == 0 && done < st->n_rows) {
        hsize_t want = st->n_rows - done < STREAM_BLOCK_ROWS ? st->n_rows - done : STREAM_BLOCK_ROWS;
        hsize_t total = done + want;
        hid_t fs = -1, ms = -1;
        if (fread(buf, rs, (size_t)want, st->spill) != (size_t)want ||
            H5Dset_extent(d, &total) < 0 || (fs = H5Dget_space(d)) < 0 ||
            H5Sselect_hyperslab(fs, H5S_SELECT_SET, &done, NULL, &want, NULL) < 0 ||
            (ms = H5Screate_simple(1, &want, NULL)) < 0 ||
            H5Dwrite(d, mt, ms, fs, H5P_DEFAULT, buf) < 0) {
            h5_set_h5_err(e, st->schema->name);
            rc = -1;
        }
        if (ms >= 0)
            H5Sclose(ms);
        if (fs >= 0)
            H5Sclose(fs);
        done = total;
    }
    free(buf);
    return rc;
}

static int write_stream(hid_t file, const results_stream *st, errbuf *e)
{
    const results_schema *t = st->schema;
    if (st->failed) {
        errbuf_set(e, "/%s: its temporary file could not take every row (disk full?)", t->name);
        return -1;
    }
    hsize_t zero = 0, unlimited = H5S_UNLIMITED, chunk = STREAM_BLOCK_ROWS;
    hid_t str = h5_vlen_string_type();
    hid_t mt = str < 0 ? -1 : compound_type(t, str, true);
    hid_t ft = str < 0 ? -1 : compound_type(t, str, false);
    hid_t s = H5Screate_simple(1, &zero, &unlimited);
    hid_t dcpl = h5_untimed_plist(H5P_DATASET_CREATE);
    hid_t d = -1;
    if (mt >= 0 && ft >= 0 && s >= 0 && dcpl >= 0 && H5Pset_chunk(dcpl, 1, &chunk) >= 0)
        d = H5Dcreate2(file, t->name, ft, s, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    int rc = -1;
    if (d < 0)
        h5_set_h5_err(e, t->name);
    else if (copy_stream_rows(d, mt, st, e) == 0)
        rc = write_units_attrs(d, t, e);
    if (d >= 0)
        H5Dclose(d);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (s >= 0)
        H5Sclose(s);
    if (ft >= 0)
        H5Tclose(ft);
    if (mt >= 0)
        H5Tclose(mt);
    if (str >= 0)
        H5Tclose(str);
    return rc;
}

/* The core tables always (a file has /flows /vfs /links /events, possibly
 * with 0 rows), then the registered ones that have rows, in the order
 * they were added. */
int h5_write_tables(hid_t file, const run_results *r, errbuf *e)
{
    results_table core[RESULTS_N_CORE_TABLES];
    results_core_tables(r, core);
    for (size_t i = 0; i < RESULTS_N_CORE_TABLES; i++)
        if (write_table(file, &core[i], e) != 0)
            return -1;
    for (size_t i = 0; i < r->reg.n_tables; i++)
        if (r->reg.tables[i].n_rows > 0 && write_table(file, &r->reg.tables[i], e) != 0)
            return -1;
    for (size_t i = 0; i < r->reg.n_streams; i++)
        if (r->reg.streams[i]->n_rows > 0 && write_stream(file, r->reg.streams[i], e) != 0)
            return -1;
    return 0;
}
