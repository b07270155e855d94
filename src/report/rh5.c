/* rh5.c -- reading what the figures need from HDF5 files with the C API
 * only, tolerating missing pieces (see rh5.h). */
#include "report/rh5.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rplot.h"

/* ---- reading the results file --------------------------------------- */

/* What a dataset may declare before the report reads it: a crafted 2.7 KB
 * file declaring 2e7 rows made the report allocate 2.5 GB and write an
 * 80 MB .dat. Unwritten chunks read as fill values, so a declared size is
 * only believed up to what the file stores, times deflate's largest
 * ratio (1032:1, rounded up), plus 1 MiB; and never beyond RP_MAX_ELEMENTS
 * (docs/guarantees.md, "Results files the report reads"). */
#define RP_MAX_ELEMENTS 50000000ull
#define RP_MAX_RATIO 1100ull

hssize_t rp_dataset_elements(hid_t d)
{
    hid_t sp = H5Dget_space(d);
    hid_t ft = H5Dget_type(d);
    hssize_t n = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
    size_t elem = ft < 0 ? 0 : H5Tget_size(ft);
    unsigned long long stored = (unsigned long long)H5Dget_storage_size(d);
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (n < 0 || elem == 0 || (unsigned long long)n > RP_MAX_ELEMENTS)
        return -1;
    unsigned long long declared = (unsigned long long)n * elem;
    return declared > stored * RP_MAX_RATIO + (1ull << 20) ? -1 : n;
}


void rp_matrix_free(matrix *m)
{
    free(m->v);
    rp_free_strings(m->names, m->cols);
    memset(m, 0, sizeof(*m));
}

/* Memory string type in the file's character set (HDF5 does not convert
 * between ASCII and UTF-8), variable-length or of `size` bytes. */
static hid_t string_type_like(hid_t ftype, size_t size)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t >= 0 && (H5Tset_size(t, size) < 0 ||
                   H5Tset_cset(t, H5Tget_cset(ftype)) < 0)) {
        H5Tclose(t);
        t = -1;
    }
    return t;
}

/* Memory type: the string type itself, or for a table a one-member
 * compound selecting `field` (HDF5 matches members by name). */
static hid_t wrap_field(hid_t st, const char *field, size_t size)
{
    if (field == NULL)
        return H5Tcopy(st);
    hid_t ct = H5Tcreate(H5T_COMPOUND, size);
    if (ct >= 0 && H5Tinsert(ct, field, 0, st) < 0) {
        H5Tclose(ct);
        ct = -1;
    }
    return ct;
}

static herr_t read_obj(hid_t obj, bool is_attr, hid_t mtype, void *buf)
{
    return is_attr ? H5Aread(obj, mtype, buf)
                   : H5Dread(obj, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
}

static char **copy_fixed(hid_t obj, bool is_attr, hid_t mt, size_t width,
                         size_t n)
{
    char *raw = rp_alloc_array(n, width);
    char **out = rp_alloc_array(n, sizeof(char *));
    bool ok = raw && out && (n == 0 || read_obj(obj, is_attr, mt, raw) >= 0);
    for (size_t i = 0; ok && i < n; i++)
        ok = (out[i] = strndup(raw + i * width, width)) != NULL;
    free(raw);
    if (!ok) {
        rp_free_strings(out, n);
        out = NULL;
    }
    return out;
}

/* n strings from an attribute (field NULL) or a table field, whose file
 * string type is ftype. Returns an owned array or NULL. */
static char **read_strings(hid_t obj, bool is_attr, const char *field,
                           hid_t ftype, size_t n)
{
    bool vlen = H5Tis_variable_str(ftype) > 0;
    size_t width = vlen ? sizeof(char *) : H5Tget_size(ftype) + 1;
    hid_t st = string_type_like(ftype, vlen ? H5T_VARIABLE : width);
    hid_t mt = st < 0 ? -1 : wrap_field(st, field, width);
    char **out = NULL;
    if (mt >= 0)
        out = vlen ? rp_read_vlen_strings(obj, is_attr, mt, n)
                   : copy_fixed(obj, is_attr, mt, width, n);
    if (mt >= 0)
        H5Tclose(mt);
    if (st >= 0)
        H5Tclose(st);
    return out;
}

/* The 1-D string attribute `name` of obj if it has exactly n entries. */
char **rp_read_string_attr(hid_t obj, const char *name, size_t n)
{
    if (H5Aexists(obj, name) <= 0)
        return NULL;
    char **out = NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    hid_t ft = a < 0 ? -1 : H5Aget_type(a);
    hid_t sp = a < 0 ? -1 : H5Aget_space(a);
    if (ft >= 0 && sp >= 0 && H5Tget_class(ft) == H5T_STRING &&
        (size_t)H5Sget_simple_extent_npoints(sp) == n)
        out = read_strings(a, true, NULL, ft, n);
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (a >= 0)
        H5Aclose(a);
    return out;
}

/* "col1".."colN" for series without a usable columns attribute. */
static char **default_names(size_t n)
{
    char **out = rp_alloc_array(n, sizeof(char *));
    for (size_t i = 0; out && i < n; i++) {
        char buf[32];
        snprintf(buf, sizeof(buf), "col%zu", i + 1);
        if ((out[i] = strdup(buf)) == NULL) {
            rp_free_strings(out, n);
            return NULL;
        }
    }
    return out;
}

/* A 1-D or 2-D numeric dataset as doubles. Returns 0, or -1 if missing
 * or unreadable (not an error for the report: the figure is skipped). */
int rp_read_numeric(hid_t file, const char *path, int want_rank,
                        matrix *m)
{
    memset(m, 0, sizeof(*m));
    hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t sp = H5Dget_space(d);
    hsize_t dims[2] = {0, 1};
    int rc = -1;
    if (sp >= 0 && rp_dataset_elements(d) >= 0 && H5Sget_simple_extent_ndims(sp) == want_rank &&
        H5Sget_simple_extent_dims(sp, dims, NULL) >= 0) {
        m->rows = (size_t)dims[0];
        m->cols = (size_t)dims[1];
        m->v = rp_alloc_array(m->rows * m->cols, sizeof(double));
        if (m->v != NULL &&
            (m->rows * m->cols == 0 ||
             H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                     m->v) >= 0))
            rc = 0;
    }
    if (rc == 0) {
        m->names = rp_read_string_attr(d, "columns", m->cols);
        if (m->names == NULL)
            m->names = default_names(m->cols);
        rc = m->names ? 0 : -1;
    }
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    if (rc != 0)
        rp_matrix_free(m);
    return rc;
}

double *rp_read_number_field(hid_t d, const char *field, size_t n)
{
    double *v = rp_alloc_array(n, sizeof(double));
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(double));
    bool ok = v && mt >= 0 && H5Tinsert(mt, field, 0, H5T_NATIVE_DOUBLE) >= 0 &&
              (n == 0 || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    if (mt >= 0)
        H5Tclose(mt);
    if (!ok) {
        free(v);
        v = NULL;
    }
    return v;
}

char **rp_read_string_field(hid_t d, const char *field, size_t n)
{
    hid_t ft = H5Dget_type(d);
    int idx = ft < 0 ? -1 : H5Tget_member_index(ft, field);
    hid_t mt = idx < 0 ? -1 : H5Tget_member_type(ft, (unsigned)idx);
    char **out = NULL;
    if (mt >= 0 && H5Tget_class(mt) == H5T_STRING)
        out = read_strings(d, false, field, mt, n);
    if (mt >= 0)
        H5Tclose(mt);
    if (ft >= 0)
        H5Tclose(ft);
    return out;
}

int rp_schema_version(hid_t file, long long *version)
{
    *version = 1;   /* files written before the attribute existed */
    if (H5Aexists_by_name(file, "/meta", "schema_version", H5P_DEFAULT) <= 0)
        return 0;
    hid_t a = H5Aopen_by_name(file, "/meta", "schema_version", H5P_DEFAULT, H5P_DEFAULT);
    hid_t ft = a < 0 ? -1 : H5Aget_type(a);
    hid_t sp = a < 0 ? -1 : H5Aget_space(a);
    unsigned long long v = 0;
    int ok = ft >= 0 && sp >= 0 && H5Tget_class(ft) == H5T_INTEGER &&
             H5Sget_simple_extent_npoints(sp) == 1 &&
             H5Aread(a, H5T_NATIVE_ULLONG, &v) >= 0 && v <= (unsigned long long)LLONG_MAX;
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (a >= 0)
        H5Aclose(a);
    *version = ok ? (long long)v : -1;
    return ok ? 0 : -1;
}

/* A scalar string attribute, or NULL. */
char *rp_read_scalar_string_attr(hid_t file, const char *obj,
                                     const char *name)
{
    if (H5Aexists_by_name(file, obj, name, H5P_DEFAULT) <= 0)
        return NULL;
    hid_t o = H5Oopen(file, obj, H5P_DEFAULT);
    char **s = o < 0 ? NULL : rp_read_string_attr(o, name, 1);
    if (o >= 0)
        H5Oclose(o);
    char *out = s ? s[0] : NULL;
    free(s);
    return out;
}

/* A scalar string dataset (/meta/resolved), or NULL. */
char *rp_read_scalar_string_dataset(hid_t file, const char *path)
{
    if (H5Lexists(file, path, H5P_DEFAULT) <= 0)
        return NULL;
    char **s = NULL;
    hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    hid_t ft = d < 0 ? -1 : H5Dget_type(d);
    if (ft >= 0 && H5Tget_class(ft) == H5T_STRING && rp_dataset_elements(d) == 1)
        s = read_strings(d, false, NULL, ft, 1);
    if (ft >= 0)
        H5Tclose(ft);
    if (d >= 0)
        H5Dclose(d);
    char *out = s ? s[0] : NULL;
    free(s);
    return out;
}
