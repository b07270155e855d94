/* sweep.h -- `sriov-sim sweep`: from a sweep file to a directory of points,
 * an index and a summary (files: layout.h; format: spec.h, docs/sweeps.md).
 *
 * Steps: load the sweep file and the base scenario's YAML tree; plan the
 * points; write each point's scenario (base tree + simulation.seed + the
 * point's values; a file is rewritten only when its text changes, and a
 * point whose scenario changed is run again); restore the index of an
 * earlier session (ok points with a readable results file are kept);
 * then run the rest, or emit scheduler files, or just collect results.
 */
#ifndef SRIOV_SWEEP_H
#define SRIOV_SWEEP_H

#include <signal.h>
#include <stdbool.h>

#include "scenario/diag.h"

typedef enum {
    SWEEP_RUN = 0,              /* run pending points locally */
    SWEEP_DRY_RUN,              /* write scenarios and index, list points */
    SWEEP_EMIT_SLURM,           /* write sweep.slurm */
    SWEEP_EMIT_JOBS,            /* write jobs.txt */
    SWEEP_COLLECT,              /* record results made elsewhere */
} sweep_mode;

typedef struct sweep_opts {
    sweep_mode mode;
    const char *exe;            /* absolute path of sriov-sim */
    const char *models;         /* adapter catalogue for the runs */
    const char *out_dir;        /* overrides the file's output; may be NULL */
    int jobs;                   /* local workers, >= 1 */
    bool progress;              /* progress bar on stderr */
    volatile sig_atomic_t *stop;/* set asynchronously to interrupt */
} sweep_opts;

/* Returns the process exit status: 0 every point ok (or nothing to do in
 * the emit/dry-run modes), 1 some point failed or the sweep was
 * interrupted or a file could not be written, 2 bad sweep file or base
 * scenario (reported through d). */
int sweep_execute(const char *sweep_file, const sweep_opts *o, diag *d);

#endif
