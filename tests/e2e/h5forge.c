/* h5forge -- test tool: replaces a string-array attribute of an object in
 * an HDF5 file with the given values, to craft the hostile results and
 * summary files the report must survive (tests/e2e/test_report_safety.sh).
 *
 *   h5forge FILE OBJECT ATTRIBUTE VALUE...
 *
 * Exit 0 on success, 1 on any HDF5 failure, 2 on bad arguments.
 */
#include <hdf5.h>
#include <stdio.h>

int main(int argc, char **argv)
{
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
