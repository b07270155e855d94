/* layout.h -- where a sweep keeps its files, relative to the sweep directory.
 *
 *   SWEEP_DIR/sweep.yaml              copy of the sweep file as run
 *   SWEEP_DIR/index.tsv               one row per point (index.h)
 *   SWEEP_DIR/summary.h5              headline metrics table (summary.h)
 *   SWEEP_DIR/points/NNNN/scenario.yaml   the point's scenario, runnable alone
 *   SWEEP_DIR/points/NNNN/results.h5      its results
 *   SWEEP_DIR/points/NNNN/stderr.txt      what the run printed on stderr
 *   SWEEP_DIR/sweep.slurm, jobs.txt   from --emit slurm / --emit jobs
 * NNNN is the point id, zero-padded to 4 digits (more when needed).
 */
#ifndef SRIOV_SWEEP_LAYOUT_H
#define SRIOV_SWEEP_LAYOUT_H

#include <stddef.h>
#include <stdio.h>

#define SWEEP_INDEX "index.tsv"
#define SWEEP_SUMMARY "summary.h5"
#define SWEEP_POINT_SCENARIO "scenario.yaml"
#define SWEEP_POINT_RESULTS "results.h5"
#define SWEEP_POINT_STDERR "stderr.txt"

/* "points/0003" relative to the sweep directory. */
static inline void sweep_point_rel(size_t id, char *buf, size_t size)
{
    snprintf(buf, size, "points/%04zu", id);
}

/* "DIR/points/0003/NAME" (name may be NULL for the directory). */
static inline void sweep_point_path(const char *dir, size_t id, const char *name,
                                    char *buf, size_t size)
{
    if (name)
        snprintf(buf, size, "%s/points/%04zu/%s", dir, id, name);
    else
        snprintf(buf, size, "%s/points/%04zu", dir, id);
}

#endif
