/* runner.h -- running sweep points as child processes, N at a time.
 *
 * Each point runs as its own process (a crash or a bad scenario takes down
 * that point only): the sriov-sim binary itself, as
 *   EXE run DIR/points/NNNN/scenario.yaml -o DIR/points/NNNN/results.h5
 *       --quiet --models MODELS        (stderr -> DIR/points/NNNN/stderr.txt)
 * After each point the index is rewritten (atomically), so a kill at any
 * moment leaves the finished points recorded and the rest pending.
 *
 * A point is ok when its run exits 0 and its results file is readable;
 * otherwise failed, with the run's first error line. Points already ok
 * (state on entry) are skipped.
 */
#ifndef SRIOV_SWEEP_RUNNER_H
#define SRIOV_SWEEP_RUNNER_H

#include "sweep/metrics.h"
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "sweep/index.h"
#include "sweep/plan.h"

typedef struct runner_opts {
    const char *exe;            /* absolute path of sriov-sim */
    const char *models;         /* adapter catalogue passed to every run */
    const char *dir;            /* the sweep directory */
    int jobs;                   /* >= 1 processes at a time */
    bool progress;              /* redraw a progress bar on stderr (a TTY) */
    volatile sig_atomic_t *stop;/* set by a signal handler: stop launching,
                                   terminate running points, leave them pending */
    const flow_select *select;  /* the flows the metrics aggregate (NULL: all) */
} runner_opts;

typedef struct runner_outcome {
    size_t ran, ok, failed;     /* in this session */
    bool interrupted;
} runner_outcome;

/* Runs every point of p whose state is not ok. Returns 0, or -1 when the
 * index cannot be written (err). */
int sweep_run_points(const runner_opts *o, const sweep_plan *p, point_state *st,
                     runner_outcome *out, char *err, size_t errlen);

/* The line of a run's stderr that explains its failure: the first line
 * that contains "error", else the last non-empty line; owned, or NULL. */
char *sweep_error_line(const char *stderr_path);

#endif
