/* rh5.h -- internal to src/report: tolerant HDF5 reads. Every reader
 * returns NULL / -1 when the object is missing or of another shape (the
 * figure is then skipped, not an error); results are owned by the caller.
 * Strings may be variable-length or fixed-size, ASCII or UTF-8.
 */
#ifndef SRIOV_REPORT_RH5_H
#define SRIOV_REPORT_RH5_H

#include <hdf5.h>
#include <stdbool.h>
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
/* A scalar (or one-element) string dataset at path, or NULL. */
char *rp_read_scalar_string_dataset(hid_t file, const char *path);
/* The results schema of file (/meta@schema_version; 1 when absent: files
 * written before it). 0, or -1 when it is there but not one integer. */
int rp_schema_version(hid_t file, long long *version);
/* The newest schema this report reads: kept equal to
 * RESULTS_SCHEMA_VERSION (src/metrics/results.h, which this module may not
 * include); docs/results.md lists the versions. */
#define RP_SCHEMA_VERSION_MAX 3

/* n variable-length strings read with memory type mt from an attribute or
 * a dataset, converted by libhdf5 in a child process (rh5_vlen.c says
 * why) within a time budget. NULL when libhdf5 refuses the read; NULL and
 * rp_damage() set when the child crashed, overran its budget or sent more
 * than the bound; once rp_damage() is set, NULL without reading. */
char **rp_read_vlen_strings(hid_t obj, bool is_attr, hid_t mt, size_t n);
/* Why the last reads found the file damaged ("" when they did not): a
 * phrase to follow "<file>: ". Cleared by rp_damage_clear(). */
const char *rp_damage(void);
void rp_damage_clear(void);
/* Marks the file damaged for a reason found outside the strings (a
 * malformed table: rlat.h); the first reason is kept. */
void rp_set_damage(const char *what);
/* The child's time budget in seconds for every later read (<= 0: the
 * default, 10 s + 1 s per 100,000 strings); the fuzz target shortens it. */
void rp_set_vlen_budget(double seconds);

#endif
