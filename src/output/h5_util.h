/* h5_util.h -- private to src/output: the HDF5 helpers the writer's files
 * share (error text, string types, attributes, untimed objects). Every
 * hid_t returned is the caller's to close; -1 on failure. Nothing here
 * knows about results. */
#ifndef SRIOV_H5_UTIL_H
#define SRIOV_H5_UTIL_H

#include <hdf5.h>
#include <stddef.h>

#include "util/errbuf.h"


/* Report a failed HDF5 call: "<what>: <innermost HDF5 message>". Must run
 * right after the failing call, before another API call resets the stack. */
void h5_set_h5_err(errbuf *e, const char *what);

/* Variable-length UTF-8 C string. */
hid_t h5_vlen_string_type(void);

/* Scalar string attribute (NULL written as ""). 0 or -1. */
int h5_attr_string(hid_t obj, const char *name, const char *value, errbuf *e);

/* 1-D string array attribute, n may be 0. 0 or -1. */
int h5_attr_strings(hid_t obj, const char *name, const char *const *values, size_t n,
                    errbuf *e);

/* Scalar attribute of file type ftype, value laid out as mtype. 0 or -1. */
int h5_attr_scalar(hid_t obj, const char *name, hid_t ftype, hid_t mtype, const void *value,
                   errbuf *e);

/* Object creation list of class cls with time tracking off: timestamps in
 * object headers would make two identical runs differ. */
hid_t h5_untimed_plist(hid_t cls);

/* An untimed group. */
hid_t h5_make_group(hid_t parent, const char *name, errbuf *e);

/* Create a 1-D dataset of n rows of ftype and write buf (mtype) into it.
 * Zero rows gives an empty dataset of the right type. Returns the open
 * dataset or -1 (no message: the caller names it). */
hid_t h5_create_rows(hid_t parent, const char *name, hid_t ftype, hid_t mtype, size_t n,
                     const void *buf);

#endif
