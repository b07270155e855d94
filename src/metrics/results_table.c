/* results_table.c -- the results registry (see results_table.h). */
#include "metrics/results_table.h"

#include <stdlib.h>
#include <string.h>

/* arr (n elements of size) grown by one zeroed element at its end; NULL
 * when out of memory (arr is then unchanged). */
static void *grow(void *arr, size_t n, size_t size)
{
    char *p = realloc(arr, (n + 1) * size);
    if (p != NULL)
        memset(p + n * size, 0, size);
    return p;
}

void *results_table_add(results_registry *reg, const results_schema *schema, size_t n)
{
    void *rows = calloc(n ? n : 1, schema->row_size);
    results_table *t = rows ? grow(reg->tables, reg->n_tables, sizeof *t) : NULL;
    if (t == NULL) {
        free(rows);
        return NULL;
    }
    reg->tables = t;
    reg->tables[reg->n_tables++] = (results_table){schema, rows, n};
    return rows;
}

const results_table *results_table_find(const results_registry *reg, const char *name)
{
    for (size_t i = 0; i < reg->n_tables; i++)
        if (strcmp(reg->tables[i].schema->name, name) == 0)
            return &reg->tables[i];
    return NULL;
}

results_series *results_series_add(results_registry *reg, const char *name,
                                   const char *units, size_t n_samples, size_t n_cols)
{
    size_t cells = n_samples * n_cols;
    double *values = calloc(cells ? cells : 1, sizeof *values);
    char **columns = calloc(n_cols ? n_cols : 1, sizeof *columns);
    results_series *s = values && columns ? grow(reg->series, reg->n_series, sizeof *s) : NULL;
    if (s == NULL) {
        free(values);
        free(columns);
        return NULL;
    }
    reg->series = s;
    s = &reg->series[reg->n_series++];
    *s = (results_series){name, units, values, columns, n_cols};
    return s;
}

results_stream *results_stream_add(results_registry *reg, const results_schema *schema)
{
    for (size_t c = 0; c < schema->n_cols; c++)
        if (schema->cols[c].type == RCOL_STRING)
            return NULL;
    results_stream *s = calloc(1, sizeof *s);
    results_stream **list = s ? realloc(reg->streams, (reg->n_streams + 1) * sizeof *list) : NULL;
    if (!list) {
        free(s);
        return NULL;
    }
    reg->streams = list;
    s->schema = schema;
    if (!(s->spill = tmpfile())) {
        free(s);
        return NULL;
    }
    reg->streams[reg->n_streams++] = s;
    return s;
}

int results_stream_append(results_stream *s, const void *row)
{
    if (s->failed || fwrite(row, s->schema->row_size, 1, s->spill) != 1) {
        s->failed = 1;
        return -1;
    }
    s->n_rows++;
    return 0;
}

void results_table_free_rows(const results_schema *s, void *rows, size_t n)
{
    for (size_t c = 0; rows && c < s->n_cols; c++) {
        if (s->cols[c].type != RCOL_STRING)
            continue;
        for (size_t i = 0; i < n; i++)
            free(*(char **)((char *)rows + i * s->row_size + s->cols[c].offset));
    }
    free(rows);
}

void results_registry_free(results_registry *reg)
{
    for (size_t i = 0; i < reg->n_tables; i++)
        results_table_free_rows(reg->tables[i].schema, reg->tables[i].rows,
                                reg->tables[i].n_rows);
    free(reg->tables);
    for (size_t i = 0; i < reg->n_series; i++) {
        for (size_t c = 0; c < reg->series[i].n_cols; c++)
            free(reg->series[i].columns[c]);
        free(reg->series[i].columns);
        free(reg->series[i].values);
    }
    free(reg->series);
    for (size_t i = 0; i < reg->n_streams; i++) {
        if (reg->streams[i]->spill)
            fclose(reg->streams[i]->spill);
        free(reg->streams[i]);
    }
    free(reg->streams);
    memset(reg, 0, sizeof *reg);
}
