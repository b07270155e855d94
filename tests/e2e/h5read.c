/* h5read.c -- read one thing out of a results file, for shell tests.
 *
 * Standalone: links HDF5 only, never our library, so the tests check the
 * file as any outside reader sees it.
 *
 *   h5read FILE TABLE FIELD            one value per row of compound TABLE
 *   h5read FILE TABLE FIELD ROWNAME    the value in the row named ROWNAME
 *                                      (its "name" field, or for tables
 *                                      without one "host.adapter.vfN")
 *   h5read FILE --series PATH          a 1-D/2-D dataset, one line per row,
 *                                      values separated by one space
 *   h5read FILE --attr OBJPATH NAME    an attribute, one value per line
 *   h5read FILE --digest-data          the same without /meta (the scenario's
 *                                      text and provenance): the results alone
 *   h5read FILE --text PATH            a scalar string dataset, as stored
 *                                      (/meta/resolved)
 *   h5read FILE --digest               FNV-1a 64 of every object path,
 *                                      type, shape, dataset value and
 *                                      attribute except /meta's run
 *                                      attributes (wall_time_s, created_utc,
 *                                      host, command_line, source_revision)
 *
 * Numbers print with %.17g (integers as integers), strings as stored.
 * Exit status 1 with a message on stderr on any error.
 */
#include <hdf5.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if H5_VERSION_GE(1, 12, 0)
#define reclaim_vlen(type, space, buf) H5Treclaim(type, space, H5P_DEFAULT, buf)
#else
#define reclaim_vlen(type, space, buf) H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf)
#endif

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("h5read: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL)
        die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (d == NULL)
        die("out of memory");
    return d;
}

/* ---- one column of a compound table ---------------------------------- */

typedef struct column {
    size_t n;
    bool is_string;
    double *num;   /* [n] when !is_string */
    char **str;    /* [n] when is_string */
} column;

static void column_free(column *c)
{
    for (size_t i = 0; c->str && i < c->n; i++)
        free(c->str[i]);
    free(c->str);
    free(c->num);
}

/* A memory string type like the file's ftype but of the given size (or
 * H5T_VARIABLE): HDF5 converts strings only within one character set. */
static hid_t string_type_like(hid_t ftype, size_t size)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, size);
    H5Tset_cset(t, H5Tget_cset(ftype));
    return t;
}

/* Read compound field `field` of every row through a one-member memory
 * compound: HDF5 picks the member by name and converts it. */
static void read_field(hid_t d, const char *field, hid_t mtype, size_t size,
                       void *buf)
{
    hid_t mem = H5Tcreate(H5T_COMPOUND, size);
    if (H5Tinsert(mem, field, 0, mtype) < 0 ||
        H5Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        die("cannot read field %s", field);
    H5Tclose(mem);
}

static void read_string_field(hid_t d, const char *field, hid_t ftype,
                              column *c)
{
    c->is_string = true;
    c->str = xcalloc(c->n, sizeof(char *));
    if (H5Tis_variable_str(ftype) > 0) {
        hid_t st = string_type_like(ftype, H5T_VARIABLE);
        char **raw = xcalloc(c->n, sizeof(char *));
        read_field(d, field, st, sizeof(char *), raw);
        for (size_t i = 0; i < c->n; i++)
            c->str[i] = xstrdup(raw[i]);
        hid_t mem = H5Tcreate(H5T_COMPOUND, sizeof(char *));
        H5Tinsert(mem, field, 0, st);
        hid_t space = H5Dget_space(d);
        reclaim_vlen(mem, space, raw);
        H5Sclose(space);
        H5Tclose(mem);
        H5Tclose(st);
        free(raw);
        return;
    }
    size_t width = H5Tget_size(ftype) + 1;
    hid_t st = string_type_like(ftype, width);
    char *raw = xcalloc(c->n, width);
    read_field(d, field, st, width, raw);
    for (size_t i = 0; i < c->n; i++)
        c->str[i] = xstrdup(raw + i * width);
    H5Tclose(st);
    free(raw);
}

static hid_t open_dataset(hid_t file, const char *path)
{
    hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    if (d < 0)
        die("no dataset %s", path);
    return d;
}

static bool has_field(hid_t d, const char *field)
{
    hid_t ft = H5Dget_type(d);
    bool yes = H5Tget_class(ft) == H5T_COMPOUND &&
               H5Tget_member_index(ft, field) >= 0;
    H5Tclose(ft);
    return yes;
}

static void read_column(hid_t d, const char *field, column *c)
{
    memset(c, 0, sizeof(*c));
    hid_t ft = H5Dget_type(d);
    if (H5Tget_class(ft) != H5T_COMPOUND)
        die("not a table (compound dataset)");
    int idx = H5Tget_member_index(ft, field);
    if (idx < 0)
        die("no field %s", field);
    hid_t mt = H5Tget_member_type(ft, (unsigned)idx);
    hid_t space = H5Dget_space(d);
    c->n = (size_t)H5Sget_simple_extent_npoints(space);
    H5Sclose(space);
    H5T_class_t cls = H5Tget_class(mt);
    if (cls == H5T_STRING) {
        read_string_field(d, field, mt, c);
    } else if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
        c->num = xcalloc(c->n, sizeof(double));
        read_field(d, field, H5T_NATIVE_DOUBLE, sizeof(double), c->num);
    } else {
        die("field %s is neither a number nor a string", field);
    }
    H5Tclose(mt);
    H5Tclose(ft);
}

static void print_cell(const column *c, size_t i)
{
    if (c->is_string)
        printf("%s\n", c->str[i]);
    else
        printf("%.17g\n", c->num[i]);
}

/* Row keys: the "name" field, else "host.adapter.vfN" (the /vfs rows, named
 * like the /timeseries/vf_throughput_bps columns). Caller frees. */
static column row_keys(hid_t d)
{
    column keys;
    if (has_field(d, "name")) {
        read_column(d, "name", &keys);
        return keys;
    }
    if (!has_field(d, "host") || !has_field(d, "adapter") || !has_field(d, "vf"))
        die("table has no name field (nor host, adapter, vf)");
    column host, adapter, vf;
    read_column(d, "host", &host);
    read_column(d, "adapter", &adapter);
    read_column(d, "vf", &vf);
    memset(&keys, 0, sizeof(keys));
    keys.n = host.n;
    keys.is_string = true;
    keys.str = xcalloc(keys.n, sizeof(char *));
    for (size_t i = 0; i < keys.n; i++) {
        size_t len = strlen(host.str[i]) + strlen(adapter.str[i]) + 32;
        keys.str[i] = xcalloc(len, 1);
        snprintf(keys.str[i], len, "%s.%s.vf%.17g", host.str[i],
                 adapter.str[i], vf.num[i]);
    }
    column_free(&host);
    column_free(&adapter);
    column_free(&vf);
    return keys;
}

static void cmd_column(hid_t file, const char *table, const char *field,
                       const char *rowname)
{
    hid_t d = open_dataset(file, table);
    column c;
    read_column(d, field, &c);
    if (rowname == NULL) {
        for (size_t i = 0; i < c.n; i++)
            print_cell(&c, i);
    } else {
        column keys = row_keys(d);
        size_t i = 0;
        while (i < keys.n && strcmp(keys.str[i], rowname) != 0)
            i++;
        if (i == keys.n)
            die("no row named %s in %s", rowname, table);
        print_cell(&c, i);
        column_free(&keys);
    }
    column_free(&c);
    H5Dclose(d);
}

/* ---- --series ---------------------------------------------------------- */

static void cmd_series(hid_t file, const char *path)
{
    hid_t d = open_dataset(file, path);
    hid_t space = H5Dget_space(d);
    int rank = H5Sget_simple_extent_ndims(space);
    if (rank < 1 || rank > 2)
        die("%s: rank %d, expected 1 or 2", path, rank);
    hsize_t dims[2] = {0, 1};
    H5Sget_simple_extent_dims(space, dims, NULL);
    size_t rows = (size_t)dims[0], cols = (size_t)dims[1];
    double *v = xcalloc(rows * cols, sizeof(double));
    if (rows * cols > 0 &&
        H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)
        die("cannot read %s as numbers", path);
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++)
            printf(c ? " %.17g" : "%.17g", v[r * cols + c]);
        putchar('\n');
    }
    free(v);
    H5Sclose(space);
    H5Dclose(d);
}

/* ---- --attr ------------------------------------------------------------ */

static void print_string_attr(hid_t a, hid_t ft, size_t n)
{
    if (H5Tis_variable_str(ft) > 0) {
        hid_t st = string_type_like(ft, H5T_VARIABLE);
        char **v = xcalloc(n, sizeof(char *));
        if (H5Aread(a, st, v) < 0)
            die("cannot read string attribute");
        for (size_t i = 0; i < n; i++)
            printf("%s\n", v[i] ? v[i] : "");
        hid_t space = H5Aget_space(a);
        reclaim_vlen(st, space, v);
        H5Sclose(space);
        H5Tclose(st);
        free(v);
        return;
    }
    size_t width = H5Tget_size(ft) + 1;
    hid_t st = string_type_like(ft, width);
    char *v = xcalloc(n, width);
    if (H5Aread(a, st, v) < 0)
        die("cannot read string attribute");
    for (size_t i = 0; i < n; i++)
        printf("%s\n", v + i * width);
    H5Tclose(st);
    free(v);
}

/* Integers are printed exactly (a uint64 seed does not fit a double). */
static void print_number_attr(hid_t a, hid_t ft, size_t n)
{
    if (H5Tget_class(ft) == H5T_INTEGER && H5Tget_sign(ft) == H5T_SGN_NONE) {
        unsigned long long *v = xcalloc(n, sizeof(*v));
        if (H5Aread(a, H5T_NATIVE_ULLONG, v) < 0)
            die("cannot read attribute");
        for (size_t i = 0; i < n; i++)
            printf("%llu\n", v[i]);
        free(v);
    } else if (H5Tget_class(ft) == H5T_INTEGER) {
        long long *v = xcalloc(n, sizeof(*v));
        if (H5Aread(a, H5T_NATIVE_LLONG, v) < 0)
            die("cannot read attribute");
        for (size_t i = 0; i < n; i++)
            printf("%lld\n", v[i]);
        free(v);
    } else {
        double *v = xcalloc(n, sizeof(*v));
        if (H5Aread(a, H5T_NATIVE_DOUBLE, v) < 0)
            die("cannot read attribute");
        for (size_t i = 0; i < n; i++)
            printf("%.17g\n", v[i]);
        free(v);
    }
}

static void cmd_attr(hid_t file, const char *obj, const char *name)
{
    hid_t a = H5Aopen_by_name(file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        die("no attribute %s on %s", name, obj);
    hid_t ft = H5Aget_type(a);
    hid_t space = H5Aget_space(a);
    size_t n = (size_t)H5Sget_simple_extent_npoints(space);
    H5T_class_t cls = H5Tget_class(ft);
    if (cls == H5T_STRING)
        print_string_attr(a, ft, n);
    else if (cls == H5T_INTEGER || cls == H5T_FLOAT)
        print_number_attr(a, ft, n);
    else
        die("attribute %s is neither a number nor a string", name);
    H5Sclose(space);
    H5Tclose(ft);
    H5Aclose(a);
}

/* ---- --digest ---------------------------------------------------------- */

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static void fnv(uint64_t *h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        *h ^= p[i];
        *h *= FNV_PRIME;
    }
}

static void fnv_str(uint64_t *h, const char *s)
{
    fnv(h, s, strlen(s) + 1);
}

static void fnv_u64(uint64_t *h, uint64_t v)
{
    fnv(h, &v, sizeof(v));
}

/* Hash one value of (native memory) type t at p by its content: pointers
 * inside variable-length data are followed, never hashed themselves. */
static void hash_value(uint64_t *h, hid_t t, const unsigned char *p)
{
    H5T_class_t cls = H5Tget_class(t);
    fnv_u64(h, (uint64_t)cls);
    if (cls == H5T_COMPOUND) {
        int n = H5Tget_nmembers(t);
        for (int i = 0; i < n; i++) {
            char *name = H5Tget_member_name(t, (unsigned)i);
            hid_t mt = H5Tget_member_type(t, (unsigned)i);
            fnv_str(h, name);
            hash_value(h, mt, p + H5Tget_member_offset(t, (unsigned)i));
            H5Tclose(mt);
            H5free_memory(name);
        }
    } else if (cls == H5T_STRING && H5Tis_variable_str(t) > 0) {
        const char *s = *(const char *const *)p;
        fnv_str(h, s ? s : "\xff(null)");
    } else if (cls == H5T_ARRAY) {
        hsize_t dims[H5S_MAX_RANK];
        int rank = H5Tget_array_ndims(t);
        H5Tget_array_dims2(t, dims);
        hid_t bt = H5Tget_super(t);
        size_t count = 1, bsize = H5Tget_size(bt);
        for (int i = 0; i < rank; i++)
            count *= (size_t)dims[i];
        for (size_t i = 0; i < count; i++)
            hash_value(h, bt, p + i * bsize);
        H5Tclose(bt);
    } else if (cls == H5T_VLEN) {
        const hvl_t *vl = (const hvl_t *)p;
        hid_t bt = H5Tget_super(t);
        size_t bsize = H5Tget_size(bt);
        fnv_u64(h, (uint64_t)vl->len);
        for (size_t i = 0; i < vl->len; i++)
            hash_value(h, bt, (const unsigned char *)vl->p + i * bsize);
        H5Tclose(bt);
    } else {
        fnv(h, p, H5Tget_size(t));
    }
}

/* Shape, then every element. buf holds npoints values of mtype. */
static void hash_elements(uint64_t *h, hid_t space, hid_t mtype,
                          const unsigned char *buf)
{
    hsize_t dims[H5S_MAX_RANK];
    int rank = H5Sget_simple_extent_ndims(space);
    H5Sget_simple_extent_dims(space, dims, NULL);
    fnv_u64(h, (uint64_t)rank);
    for (int i = 0; i < rank; i++)
        fnv_u64(h, (uint64_t)dims[i]);
    size_t n = (size_t)H5Sget_simple_extent_npoints(space);
    size_t size = H5Tget_size(mtype);
    for (size_t i = 0; i < n; i++)
        hash_value(h, mtype, buf + i * size);
}

typedef struct digest_ctx {
    uint64_t h;
    const char *path;   /* the object whose attributes are being hashed */
    bool data_only;     /* skip /meta and everything under it */
} digest_ctx;

/* The /meta attributes that say how this one run went, not what it
 * computed: they differ between two runs of one scenario and seed
 * (docs/results.md "Determinism"). */
static bool is_run_attr(const char *name)
{
    static const char *const run_attrs[] = {"wall_time_s", "created_utc", "host",
                                            "command_line", "source_revision"};
    for (size_t i = 0; i < sizeof run_attrs / sizeof run_attrs[0]; i++)
        if (strcmp(name, run_attrs[i]) == 0)
            return true;
    return false;
}

static herr_t hash_attr(hid_t obj, const char *name, const H5A_info_t *info,
                        void *data)
{
    (void)info;
    digest_ctx *ctx = data;
    if (strcmp(ctx->path, "meta") == 0 && is_run_attr(name))
        return 0;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    hid_t ft = H5Aget_type(a);
    hid_t mt = H5Tget_native_type(ft, H5T_DIR_ASCEND);
    hid_t space = H5Aget_space(a);
    size_t n = (size_t)H5Sget_simple_extent_npoints(space);
    unsigned char *buf = xcalloc(n, H5Tget_size(mt));
    if (n > 0 && H5Aread(a, mt, buf) < 0)
        die("cannot read attribute %s of %s", name, ctx->path);
    fnv_str(&ctx->h, name);
    hash_elements(&ctx->h, space, mt, buf);
    if (n > 0)
        reclaim_vlen(mt, space, buf);
    free(buf);
    H5Sclose(space);
    H5Tclose(mt);
    H5Tclose(ft);
    H5Aclose(a);
    return 0;
}

static void hash_dataset(digest_ctx *ctx, hid_t d)
{
    hid_t ft = H5Dget_type(d);
    hid_t mt = H5Tget_native_type(ft, H5T_DIR_ASCEND);
    hid_t space = H5Dget_space(d);
    size_t n = (size_t)H5Sget_simple_extent_npoints(space);
    unsigned char *buf = xcalloc(n, H5Tget_size(mt));
    if (n > 0 && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        die("cannot read dataset %s", ctx->path);
    hash_elements(&ctx->h, space, mt, buf);
    if (n > 0)
        reclaim_vlen(mt, space, buf);
    free(buf);
    H5Sclose(space);
    H5Tclose(mt);
    H5Tclose(ft);
}

static void hash_object(digest_ctx *ctx, hid_t obj)
{
    H5I_type_t kind = H5Iget_type(obj);
    fnv_str(&ctx->h, ctx->path);
    fnv_u64(&ctx->h, (uint64_t)kind);
    if (kind == H5I_DATASET)
        hash_dataset(ctx, obj);
    hsize_t idx = 0;
    if (H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, hash_attr, ctx) < 0)
        die("cannot read attributes of %s", ctx->path);
}

static herr_t hash_link(hid_t group, const char *name, const H5L_info_t *info,
                        void *data)
{
    (void)info;
    digest_ctx *ctx = data;
    if (ctx->data_only && strncmp(name, "meta", 4) == 0 && (name[4] == '\0' || name[4] == '/'))
        return 0;
    hid_t obj = H5Oopen(group, name, H5P_DEFAULT);
    if (obj < 0)
        die("cannot open %s", name);
    ctx->path = name;
    hash_object(ctx, obj);
    H5Oclose(obj);
    return 0;
}

static void cmd_digest(hid_t file, bool data_only)
{
    digest_ctx ctx = {FNV_OFFSET, ".", data_only};
    hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
    hash_object(&ctx, root);
    if (H5Lvisit(root, H5_INDEX_NAME, H5_ITER_INC, hash_link, &ctx) < 0)
        die("cannot walk the file");
    H5Gclose(root);
    printf("%016llx\n", (unsigned long long)ctx.h);
}

/* ---- --text ------------------------------------------------------------ */

/* A scalar variable-length string dataset (/meta/resolved), as stored. */
static void cmd_text(hid_t file, const char *path)
{
    hid_t d = open_dataset(file, path);
    hid_t space = H5Dget_space(d);
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    char *s = NULL;
    if (H5Sget_simple_extent_ndims(space) != 0 || H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &s) < 0)
        die("%s: not a scalar string", path);
    fputs(s ? s : "", stdout);
    reclaim_vlen(t, space, &s);
    H5Tclose(t);
    H5Sclose(space);
    H5Dclose(d);
}

/* ---- main -------------------------------------------------------------- */

static void usage(void)
{
    die("usage: h5read FILE TABLE FIELD [ROWNAME] | FILE --series PATH | "
        "FILE --attr OBJPATH NAME | FILE --text PATH | FILE --digest | FILE --digest-data");
}

int main(int argc, char **argv)
{
    if (argc < 3)
        usage();
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t file = H5Fopen(argv[1], H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        die("cannot open %s as HDF5", argv[1]);
    const char *cmd = argv[2];
    if (strcmp(cmd, "--digest") == 0 && argc == 3)
        cmd_digest(file, false);
    else if (strcmp(cmd, "--digest-data") == 0 && argc == 3)
        cmd_digest(file, true);
    else if (strcmp(cmd, "--text") == 0 && argc == 4)
        cmd_text(file, argv[3]);
    else if (strcmp(cmd, "--series") == 0 && argc == 4)
        cmd_series(file, argv[3]);
    else if (strcmp(cmd, "--attr") == 0 && argc == 5)
        cmd_attr(file, argv[3], argv[4]);
    else if (cmd[0] != '-' && (argc == 4 || argc == 5))
        cmd_column(file, cmd, argv[3], argc == 5 ? argv[4] : NULL);
    else
        usage();
    if (fflush(stdout) != 0)
        die("cannot write output");
    H5Fclose(file);
    return 0;
}
