/* index.c -- reading and atomically rewriting index.tsv (format: index.h). */
#include "sweep/index.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sweep/layout.h"
#include "util/safefile.h"

static const char *const status_names[] = {"pending", "ok", "failed"};

const char *sweep_status_name(point_status s)
{
    return status_names[s];
}

point_state *sweep_states_new(size_t n)
{
    point_state *st = sc_xcalloc(n ? n : 1, sizeof(point_state));
    for (size_t i = 0; i < n; i++) {
        st[i].exit_code = -1;
        sweep_metrics_clear(&st[i].m);
    }
    return st;
}

void sweep_states_free(point_state *st, size_t n)
{
    for (size_t i = 0; st && i < n; i++)
        free(st[i].error);
    free(st);
}

/* ---- writing ------------------------------------------------------------- */

/* A cell: tabs and line breaks would break the row. */
static void put_cell(FILE *f, const char *s)
{
    fputc('\t', f);
    for (; s && *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void put_number(FILE *f, double v, double scale)
{
    if (isfinite(v))
        fprintf(f, "\t%.6g", v * scale);
    else
        fputc('\t', f);
}

static void write_header(FILE *f, const sweep_plan *p)
{
    fputs("id\tstatus\texit\truns\trep\tseed", f);
    for (size_t c = 0; c < p->n_columns; c++)
        put_cell(f, p->columns[c]->path.text);
    fputs("\tfile\twall_s\tdelivered_Gbps\tmin_flow_Gbps\tp50_mean_us\tp99_mean_us"
          "\tp99_max_us\tp999_max_us\tdrop_pct\tp99_slowdown\terror\n",
          f);
}

static void write_row(FILE *f, const sweep_point *pt, size_t n_columns,
                      const point_state *s)
{
    char rel[64];
    fprintf(f, "%zu\t%s\t%d\t%u\t%zu\t%llu", pt->id, sweep_status_name(s->status),
            s->exit_code, s->runs, pt->rep, (unsigned long long)pt->seed);
    for (size_t c = 0; c < n_columns; c++)
        put_cell(f, pt->labels[c]);
    sweep_point_rel(pt->id, rel, sizeof(rel));
    fprintf(f, "\t%s/%s", rel, SWEEP_POINT_RESULTS);
    put_number(f, s->runs ? s->wall_s : NAN, 1);
    put_number(f, s->m.delivered_bps, 1e-9);
    put_number(f, s->m.min_flow_bps, 1e-9);
    put_number(f, s->m.p50_mean_s, 1e6);
    put_number(f, s->m.p99_mean_s, 1e6);
    put_number(f, s->m.p99_max_s, 1e6);
    put_number(f, s->m.p999_max_s, 1e6);
    put_number(f, s->m.drop_fraction, 100);
    put_number(f, s->m.p99_slowdown, 1);
    put_cell(f, s->error);
    fputc('\n', f);
}

int sweep_index_write(const char *dir, const sweep_plan *p, const point_state *st,
                      char *err, size_t errlen)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof(path), "%s/%s", dir, SWEEP_INDEX);
    /* A new temporary name (O_EXCL), renamed over the index: a symlink
     * planted at a predictable "index.tsv.tmp.PID" was followed before. */
    FILE *f = sf_open_replace(path, tmp, sizeof(tmp), err, errlen);
    if (f == NULL)
        return -1;
    write_header(f, p);
    for (size_t i = 0; i < p->n_points; i++)
        write_row(f, &p->points[i], p->n_columns, &st[i]);
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        fclose(f);
        unlink(tmp);
        return -1;
    }
    return sf_close_replace(f, tmp, path, err, errlen);
}

/* ---- reading ------------------------------------------------------------- */

/* Splits line in place at tabs; returns the number of cells (<= max). */
static size_t split_tabs(char *line, char **cells, size_t max)
{
    size_t n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    while (n < max) {
        cells[n++] = line;
        char *tab = strchr(line, '\t');
        if (tab == NULL)
            break;
        *tab = '\0';
        line = tab + 1;
    }
    return n;
}

static int parse_status(const char *s, point_status *out)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(s, status_names[i]) == 0) {
            *out = (point_status)i;
            return 0;
        }
    return -1;
}

/* Same id, seed and parameter labels: the row is about this point. */
static bool row_matches(char **cells, const sweep_point *pt, size_t n_columns)
{
    if (strtoull(cells[5], NULL, 10) != pt->seed)
        return false;
    for (size_t c = 0; c < n_columns; c++) {
        char *label = sc_xstrdup(pt->labels[c]);
        for (char *q = label; *q; q++)
            if (*q == '\t' || *q == '\n' || *q == '\r')
                *q = ' ';
        bool same = strcmp(cells[6 + c], label) == 0;
        free(label);
        if (!same)
            return false;
    }
    return true;
}

static bool restore_row(char **cells, size_t n, const sweep_plan *p, point_state *st)
{
    /* 11 columns after the parameters; 10 in an index written before
     * p99_slowdown (issue 18), which still resumes */
    size_t want = 6 + p->n_columns + 11;
    if (n != want && n != want - 1)
        return false;
    char *end;
    unsigned long long id = strtoull(cells[0], &end, 10);
    point_status status;
    if (*end || id >= p->n_points || parse_status(cells[1], &status) != 0 ||
        !row_matches(cells, &p->points[id], p->n_columns))
        return false;
    point_state *s = &st[id];
    s->status = status;
    s->exit_code = atoi(cells[2]);
    s->runs = (unsigned)strtoul(cells[3], NULL, 10);
    s->wall_s = cells[6 + p->n_columns + 1][0] ? strtod(cells[6 + p->n_columns + 1], NULL) : 0;
    free(s->error);
    s->error = cells[n - 1][0] ? sc_xstrdup(cells[n - 1]) : NULL;
    return true;
}

size_t sweep_index_load(const char *dir, const sweep_plan *p, point_state *st)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, SWEEP_INDEX);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char *line = NULL;
    size_t cap = 0, restored = 0;
    char *cells[6 + SWEEP_MAX_PARAMS + 12];
    bool header = true;
    while (getline(&line, &cap, f) > 0) {
        size_t n = split_tabs(line, cells, sizeof(cells) / sizeof(cells[0]));
        if (!header && restore_row(cells, n, p, st))
            restored++;
        header = false;
    }
    free(line);
    fclose(f);
    return restored;
}
