/* h5_util.c -- see h5_util.h. */
#include "output/h5_util.h"

#include <stdarg.h>
#include <stdio.h>


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

void h5_set_h5_err(errbuf *e, const char *what)
{
    char cause[256] = "HDF5 call failed";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, keep_innermost, cause);
    errbuf_set(e, "%s: %s", what, cause);
}

/* ---- attributes ------------------------------------------------------ */

hid_t h5_vlen_string_type(void)
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
        h5_set_h5_err(e, name);
    else
        rc = 0;
    if (a >= 0)
        H5Aclose(a);
    return rc;
}

int h5_attr_string(hid_t obj, const char *name, const char *value, errbuf *e)
{
    const char *v = value ? value : "";
    hid_t t = h5_vlen_string_type();
    hid_t s = H5Screate(H5S_SCALAR);
    int rc = -1;
    if (t < 0 || s < 0)
        h5_set_h5_err(e, name);
    else
        rc = write_attr(obj, name, t, t, s, &v, e);
    if (s >= 0)
        H5Sclose(s);
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

int h5_attr_strings(hid_t obj, const char *name, const char *const *values, size_t n,
                    errbuf *e)
{
    hsize_t dims[1] = {n};
    hid_t t = h5_vlen_string_type();
    hid_t s = H5Screate_simple(1, dims, NULL);
    int rc = -1;
    if (t < 0 || s < 0)
        h5_set_h5_err(e, name);
    else
        rc = write_attr(obj, name, t, t, s, values, e);
    if (s >= 0)
        H5Sclose(s);
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

int h5_attr_scalar(hid_t obj, const char *name, hid_t ftype, hid_t mtype, const void *value,
                   errbuf *e)
{
    hid_t s = H5Screate(H5S_SCALAR);
    if (s < 0) {
        h5_set_h5_err(e, name);
        return -1;
    }
    int rc = write_attr(obj, name, ftype, mtype, s, value, e);
    H5Sclose(s);
    return rc;
}

/* ---- property lists -------------------------------------------------- */

hid_t h5_untimed_plist(hid_t cls)
{
    hid_t p = H5Pcreate(cls);
    if (p >= 0 && H5Pset_obj_track_times(p, 0) < 0) {
        H5Pclose(p);
        return -1;
    }
    return p;
}

hid_t h5_make_group(hid_t parent, const char *name, errbuf *e)
{
    hid_t gcpl = h5_untimed_plist(H5P_GROUP_CREATE);
    hid_t g = gcpl < 0 ? -1
                       : H5Gcreate2(parent, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (g < 0)
        h5_set_h5_err(e, name);
    if (gcpl >= 0)
        H5Pclose(gcpl);
    return g;
}

hid_t h5_create_rows(hid_t parent, const char *name, hid_t ftype, hid_t mtype, size_t n,
                     const void *buf)
{
    hsize_t dims[1] = {n};
    hid_t s = H5Screate_simple(1, dims, NULL);
    hid_t dcpl = h5_untimed_plist(H5P_DATASET_CREATE);
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

