/* results_table.h -- the results registry: tables and time series that a
 * model adds to a run_results at collect time, described by a schema, so
 * the writer (src/output/h5*.c) needs no knowledge of any model.
 *
 * A table is an array of rows, each row a plain C struct of the model's
 * own (declared next to the code that fills it). Its schema lists the
 * columns in file order: name, unit (NULL for strings), type, and the
 * offset of the field in the row struct. The writer builds the HDF5
 * compound type from that list, so a column is added in one place.
 *
 * Ownership: the schema is static and the model's (never copied or freed);
 * rows and every string in a STRING column belong to the run_results and
 * are freed by results_free(). Rows start zeroed: a NULL string is freed
 * harmlessly, so a collect hook that fails half-way leaves a freeable
 * table (strings in a finished table are never NULL: "" instead).
 *
 * Units: "s", "bytes", "bit/s", "packets", "count", "1", "index" (see
 * output/h5.h); each numeric column becomes attribute "units.<column>".
 */
#ifndef SRIOV_RESULTS_TABLE_H
#define SRIOV_RESULTS_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The C type of a column's field -> its HDF5 type in the file (little-endian,
 * packed): char * -> variable-length UTF-8 string, int32_t -> int32,
 * int64_t -> int64, uint64_t -> uint64, double -> IEEE float64. */
typedef enum {
    RCOL_STRING,
    RCOL_I32,
    RCOL_I64,
    RCOL_U64,
    RCOL_F64,
} results_col_type;

typedef struct results_column {
    const char *name;           /* the compound field's name */
    const char *unit;           /* NULL: no units attribute (strings) */
    results_col_type type;
    size_t offset;              /* of the field in the row struct */
} results_column;

typedef struct results_schema {
    const char *name;           /* dataset name under / */
    const results_column *cols; /* in file order */
    size_t n_cols;
    size_t row_size;            /* sizeof the row struct */
} results_schema;

/* Column initialisers for a row struct T: RESULTS_F64(T, field, "bytes"). */
#define RESULTS_STR(T, f) {#f, NULL, RCOL_STRING, offsetof(T, f)}
#define RESULTS_I32(T, f, u) {#f, u, RCOL_I32, offsetof(T, f)}
#define RESULTS_I64(T, f, u) {#f, u, RCOL_I64, offsetof(T, f)}
#define RESULTS_U64(T, f, u) {#f, u, RCOL_U64, offsetof(T, f)}
#define RESULTS_F64(T, f, u) {#f, u, RCOL_F64, offsetof(T, f)}
/* A schema from a static column array. */
#define RESULTS_SCHEMA(name, T, cols) {name, cols, sizeof(cols) / sizeof((cols)[0]), sizeof(T)}

/* One table: a schema and its rows. */
typedef struct results_table {
    const results_schema *schema;
    void *rows;                 /* n_rows * schema->row_size bytes */
    size_t n_rows;
} results_table;

/* One 2-D time series under /timeseries: values row-major
 * [n_samples x n_cols] (n_samples: the run's), one name per column. */
typedef struct results_series {
    const char *name;           /* static, the model's */
    const char *units;          /* static */
    double *values;
    char **columns;             /* [n_cols], owned */
    size_t n_cols;
} results_series;

/* A table whose rows arrive during the run, too many to hold (a workload's
 * flows: millions): each row is appended to an unlinked temporary file as
 * it comes, so memory does not grow with the rows, and the writer copies
 * them block by block into a chunked, extendible dataset. Numeric columns
 * only (fixed-size rows). */
typedef struct results_stream {
    const results_schema *schema;
    FILE *spill;                /* tmpfile(): gone with the process */
    uint64_t n_rows;
    int failed;                 /* a write to the spill failed */
} results_stream;

/* The registry inside a run_results (results.h). */
typedef struct results_registry {
    results_table *tables;      /* written in this order after the core tables */
    size_t n_tables;
    results_stream **streams;   /* written after the tables, when they have rows */
    size_t n_streams;
    results_series *series;     /* written after the core series */
    size_t n_series;
} results_registry;

/* Row i of table t, as the row struct's bytes. */
static inline void *results_row(const results_table *t, size_t i)
{
    return (char *)t->rows + i * t->schema->row_size;
}

/* Adds a table of n zeroed rows (written only when n > 0, see h5.h).
 * Returns the rows (an array of the schema's row struct), or NULL when out
 * of memory. The schema must outlive the registry. */
void *results_table_add(results_registry *reg, const results_schema *schema, size_t n);

/* The table registered under name, or NULL. */
const results_table *results_table_find(const results_registry *reg, const char *name);

/* Adds a series of n_samples x n_cols zeroed values and n_cols NULL column
 * names (fill them with strdup). NULL when out of memory. */
results_series *results_series_add(results_registry *reg, const char *name,
                                   const char *units, size_t n_samples, size_t n_cols);

/* Frees every row, string and array of t's rows (not the schema). */
void results_table_free_rows(const results_schema *s, void *rows, size_t n);

/* Adds a streamed table (no string column). NULL when out of memory or
 * when no temporary file can be made. */
results_stream *results_stream_add(results_registry *reg, const results_schema *schema);
/* Appends one row (schema->row_size bytes). 0, or -1 when the temporary
 * file cannot take it (then s->failed is set). */
int results_stream_append(results_stream *s, const void *row);

/* Frees all of reg and zeroes it. */
void results_registry_free(results_registry *reg);

#endif
