/* h5forge -- test tool: replaces a string-array attribute of an object in
 * an HDF5 file with the given values, to craft the hostile results and
 * summary files the report must survive (tests/e2e/test_report_safety.sh).
 *
 *   h5forge FILE OBJECT ATTRIBUTE VALUE...
 *   h5forge FILE --u64 OBJECT ATTRIBUTE VALUE
 *       replaces the attribute by a scalar uint64 VALUE
 *   h5forge FILE --field DATASET FIELD ROW VALUE
 *       replaces row ROW of the variable-length string field FIELD of the
 *       compound DATASET (a /links name) by VALUE
 *   h5forge FILE --string DATASET VALUE
 *       replaces DATASET by a scalar variable-length string (/meta/resolved)
 *   h5forge FILE --declare DATASET ROWS COLS
 *       replaces DATASET by a chunked, deflated ROWS x COLS (COLS 0: 1-D) float64
 *       dataset of which nothing is written: a few KB that declare any size
 *   h5forge FILE --set-field TABLE ROW FIELD VALUE
 *       writes VALUE (a double, converted to the field's type) into FIELD of
 *       row ROW of the compound TABLE: a malformed row
 *
 * Exit 0 on success, 1 on any HDF5 failure, 2 on bad arguments.
 */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int declare(const char *file, const char *path, hsize_t rows, hsize_t cols)
{
    hid_t f = H5Fopen(file, H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0)
        return 1;
    if (H5Lexists(f, path, H5P_DEFAULT) > 0)
        H5Ldelete(f, path, H5P_DEFAULT);
    hsize_t dims[2] = {rows, cols}, chunk[2] = {rows < 1024 ? rows : 1024, cols};
    hid_t sp = H5Screate_simple(cols ? 2 : 1, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, cols ? 2 : 1, chunk);
    H5Pset_deflate(dcpl, 6);
    hid_t d = H5Dcreate2(f, path, H5T_IEEE_F64LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    int bad = d < 0;
    H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(sp);
    return H5Fclose(f) < 0 || bad ? 1 : 0;
}

static int put_u64(const char *file, const char *obj, const char *name, unsigned long long v)
{
    hid_t f = H5Fopen(file, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t o = f < 0 ? -1 : H5Oopen(f, obj, H5P_DEFAULT);
    if (o < 0)
        return 1;
    if (H5Aexists(o, name) > 0)
        H5Adelete(o, name);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(o, name, H5T_STD_U64LE, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a < 0 ? -1 : H5Awrite(a, H5T_NATIVE_ULLONG, &v);
    H5Aclose(a);
    H5Sclose(sp);
    H5Oclose(o);
    return H5Fclose(f) < 0 || rc < 0 ? 1 : 0;
}

static hid_t vlen_str(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

/* Reads the field of every row (only it: a compound memory type of one
 * member), changes one, writes the field back. */
static int put_field(const char *file, const char *path, const char *field, size_t row,
                     const char *value)
{
    hid_t f = H5Fopen(file, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t d = f < 0 ? -1 : H5Dopen2(f, path, H5P_DEFAULT);
    if (d < 0)
        return 1;
    hid_t sp = H5Dget_space(d), str = vlen_str();
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(char *));
    H5Tinsert(mt, field, 0, str);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    char **v = calloc(n > 0 ? (size_t)n : 1, sizeof(char *));
    int bad = n <= 0 || row >= (size_t)n || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0;
    if (!bad) {
        char *old = v[row];
        v[row] = (char *)value;
        bad = H5Dwrite(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0;
        v[row] = old;
        H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, v);
    }
    free(v);
    H5Tclose(mt);
    H5Tclose(str);
    H5Sclose(sp);
    H5Dclose(d);
    return H5Fclose(f) < 0 || bad ? 1 : 0;
}

static int put_string(const char *file, const char *path, const char *value)
{
    hid_t f = H5Fopen(file, H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0)
        return 1;
    if (H5Lexists(f, path, H5P_DEFAULT) > 0)
        H5Ldelete(f, path, H5P_DEFAULT);
    hid_t str = vlen_str(), sp = H5Screate(H5S_SCALAR);
    hid_t d = H5Dcreate2(f, path, str, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int bad = d < 0 || H5Dwrite(d, str, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value) < 0;
    if (d >= 0)
        H5Dclose(d);
    H5Sclose(sp);
    H5Tclose(str);
    return H5Fclose(f) < 0 || bad ? 1 : 0;
}

static int set_field(const char *file, const char *path, hsize_t row, const char *field,
                     double v)
{
    hid_t f = H5Fopen(file, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t d = f < 0 ? -1 : H5Dopen2(f, path, H5P_DEFAULT);
    if (d < 0)
        return 1;
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof v);
    H5Tinsert(mt, field, 0, H5T_NATIVE_DOUBLE);
    hid_t fs = H5Dget_space(d);
    hsize_t one = 1;
    hid_t ms = H5Screate_simple(1, &one, NULL);
    herr_t rc = H5Sselect_hyperslab(fs, H5S_SELECT_SET, &row, NULL, &one, NULL);
    if (rc >= 0)
        rc = H5Dwrite(d, mt, ms, fs, H5P_DEFAULT, &v);
    H5Sclose(ms);
    H5Sclose(fs);
    H5Tclose(mt);
    H5Dclose(d);
    return H5Fclose(f) < 0 || rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 7 && strcmp(argv[2], "--field") == 0)
        return put_field(argv[1], argv[3], argv[4], strtoull(argv[5], NULL, 10), argv[6]);
    if (argc == 5 && strcmp(argv[2], "--string") == 0)
        return put_string(argv[1], argv[3], argv[4]);
    if (argc == 7 && strcmp(argv[2], "--set-field") == 0)
        return set_field(argv[1], argv[3], strtoull(argv[4], NULL, 10), argv[5],
                         strtod(argv[6], NULL));
    if (argc == 6 && strcmp(argv[2], "--u64") == 0)
        return put_u64(argv[1], argv[3], argv[4], strtoull(argv[5], NULL, 10));
    if (argc == 6 && strcmp(argv[2], "--declare") == 0)
        return declare(argv[1], argv[3], strtoull(argv[4], NULL, 10), strtoull(argv[5], NULL, 10));
    if (argc < 5) {
        fprintf(stderr, "usage: h5forge FILE OBJECT ATTRIBUTE VALUE...\n");
        return 2;
    }
    hsize_t n = (hsize_t)(argc - 4);
    hid_t f = H5Fopen(argv[1], H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t o = f < 0 ? -1 : H5Oopen(f, argv[2], H5P_DEFAULT);
    if (o < 0)
        return 1;
    if (H5Aexists(o, argv[3]) > 0)
        H5Adelete(o, argv[3]);
    hid_t str = H5Tcopy(H5T_C_S1);
    H5Tset_size(str, H5T_VARIABLE);
    hid_t sp = H5Screate_simple(1, &n, NULL);
    hid_t a = H5Acreate2(o, argv[3], str, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a < 0 ? -1 : H5Awrite(a, str, (const void *)(argv + 4));
    H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(str);
    H5Oclose(o);
    return H5Fclose(f) < 0 || rc < 0 ? 1 : 0;
}
