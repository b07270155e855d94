/* jobs.h -- handing a sweep to an existing scheduler instead of running it.
 *
 * Both files run exactly the per-point command of runner.h, with absolute
 * paths, for every point that is not ok yet:
 *   DIR/jobs.txt     one shell command per line, for GNU parallel:
 *                      parallel -j 8 < DIR/jobs.txt
 *   DIR/sweep.slurm  a Slurm job array, one array task per point:
 *                      sbatch DIR/sweep.slurm
 * Afterwards `sriov-sim sweep SWEEP.yaml --collect` records the results in
 * the index and summary.h5.
 */
#ifndef SRIOV_SWEEP_JOBS_H
#define SRIOV_SWEEP_JOBS_H

#include <stddef.h>

#include "sweep/index.h"
#include "sweep/plan.h"

typedef struct jobs_ctx {
    const char *exe;            /* absolute */
    const char *models;         /* absolute */
    const char *dir;            /* absolute sweep directory */
    const char *sweep_file;     /* for comments */
} jobs_ctx;

/* Write DIR/jobs.txt or DIR/sweep.slurm; *n_jobs receives the number of
 * points included. Return 0, or -1 with err. */
int sweep_write_joblist(const jobs_ctx *c, const sweep_plan *p,
                        const point_state *st, size_t *n_jobs, char *err,
                        size_t errlen);
int sweep_write_slurm(const jobs_ctx *c, const sweep_plan *p,
                      const point_state *st, size_t *n_jobs, char *err,
                      size_t errlen);

#endif
