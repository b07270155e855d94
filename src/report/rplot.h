/* rplot.h -- internal to src/report: what the results-file report and the
 * sweep report share. Every function reports failure through an errbuf
 * (a caller-owned message buffer) and returns -1 or NULL.
 *
 * Gnuplot contract: a template TEMPLATE.gp in the templates directory is
 * run as `gnuplot -e "datafile='F.dat'; outfile='F.FMT'; fmt='FMT';
 * title='...'; nseries=N[; EXTRA]" TEMPLATE.gp` with out_dir as working
 * directory, F being the figure name (F == TEMPLATE unless a template is
 * shared by several figures, e.g. sweep_metric.gp).
 */
#ifndef SRIOV_REPORT_RPLOT_H
#define SRIOV_REPORT_RPLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/errbuf.h"

void *rp_alloc_array(size_t n, size_t size);     /* calloc, never of 0 bytes */
void rp_free_strings(char **s, size_t n);

/* Owned "dir/name", or NULL. */
char *rp_path_join(const char *dir, const char *name);
/* Appends s to buf (NUL-terminated, size bytes) as a gnuplot single-quoted
 * string: every user string (names, labels, units read from a results or
 * summary file) reaches gnuplot only this way. */
void rp_put_quoted(char *buf, size_t size, const char *s);
/* name as one whitespace-free token for gnuplot (column header, tic label). */
void rp_put_token(FILE *f, const char *name);
/* dir/name for writing from the start, never through a symlink and never
 * a device or FIFO (util/safefile.h). */
FILE *rp_open_out(const char *dir, const char *name, errbuf *e);
/* dir/gnuplot.log the same way: its descriptor, its path (owned) in *path. */
int rp_open_log(const char *dir, char **path, errbuf *e);
int rp_close_out(FILE *f, const char *name, errbuf *e);
int rp_make_dir(const char *dir, errbuf *e);

/* The first executable `name` on $PATH (owned), or NULL. */
char *rp_find_on_path(const char *name);
/* $SRIOV_SCRIPTS_DIR or SRIOV_SOURCE_DIR/scripts/report, absolute (owned). */
char *rp_templates_dir(errbuf *e);

typedef struct plot_env {
    const char *gnuplot;    /* absolute path */
    const char *templates;  /* absolute dir */
    const char *out_dir;
    int logfd;              /* gnuplot's stdout and stderr */
} plot_env;

/* What one gnuplot run draws. */
typedef struct plot_job {
    const char *figure;     /* output basename; also the .dat basename */
    const char *title;
    const char *fmt;        /* "png" | "svg" */
    size_t n_series;        /* lines in the plot, for the legend decision */
    const char *template;   /* template basename; NULL means figure */
    const char *extra;      /* more gnuplot assignments ("a=1; b='x'"), or NULL */
} plot_job;

/* PNG and SVG of one figure. */
int rp_draw(const plot_env *env, const char *template, const char *figure,
            const char *title, size_t n_series, const char *extra, errbuf *e);

typedef struct figure_entry {
    const char *figure;
    const char *heading;
    bool drawn;
    const char *note;       /* why skipped, or a remark; may be NULL */
    const char *template;   /* NULL means figure */
    const char *extra;      /* assignments to repeat in the redraw command */
} figure_entry;

/* One "## heading" section of index.md: the figure, its data, how to redraw. */
void rp_index_figure(FILE *f, const figure_entry *fe, const char *templates);

#endif
