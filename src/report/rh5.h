/* rh5.h -- internal to src/report: tolerant HDF5 reads. Every reader
 * returns NULL / -1 when the object is missing or of another shape (the
 * figure is then skipped, not an error); results are owned by the caller.
 * Strings may be variable-length or fixed-size, ASCII or UTF-8.
 */
#ifndef SRIOV_REPORT_RH5_H
#define SRIOV_REPORT_RH5_H

#include <hdf5.h>
#include <stddef.h>

/* Columns of a 2-D series (or one table's columns), owned. */
typedef struct matrix {
    size_t rows, cols;
    double *v;          /* [rows * cols], row-major */
    char **names;       /* [cols] */
} matrix;

void rp_matrix_free(matrix *m);

/* The number of elements dataset d declares, or -1 when that is more than
 * the report reads: over 50 million, or more bytes than the file stores
 * for it times 1100 (deflate's largest ratio, rounded up) plus 1 MiB.
 * Every table and series is sized through it. */
hssize_t rp_dataset_elements(hid_t d);
/* The 1-D string attribute `name` of obj if it has exactly n entries. */
char **rp_read_string_attr(hid_t obj, const char *name, size_t n);
/* A 1-D or 2-D numeric dataset as doubles, with its "columns" attribute
 * as names (col1..colN without one). Returns 0 or -1. */
int rp_read_numeric(hid_t file, const char *path, int want_rank, matrix *m);
/* n values of a compound field, converted to double / string. */
double *rp_read_number_field(hid_t d, const char *field, size_t n);
char **rp_read_string_field(hid_t d, const char *field, size_t n);
/* A scalar string attribute of the object at path obj, or NULL. */
char *rp_read_scalar_string_attr(hid_t file, const char *obj, const char *name);

#endif
