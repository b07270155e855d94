/* index.h -- SWEEP_DIR/index.tsv: the state of every point, so a killed
 * sweep resumes and a failed point stays visible.
 *
 * Tab-separated, one header line then one line per point in id order:
 *   id status exit runs rep seed <one column per parameter, named by its
 *   path> file wall_s delivered_Gbps min_flow_Gbps p50_mean_us p99_mean_us
 *   p99_max_us p999_max_us drop_pct p99_slowdown error
 * status is pending | ok | failed; exit is the run's exit status (-1 not
 * run yet, 128+N killed by signal N); runs counts finished runs of the
 * point over every session; file is the results file relative to the
 * sweep directory; metric columns are empty when unknown; error is the
 * first error line the run printed (tabs and newlines become blanks).
 *
 * The file is rewritten whole after every point finishes (temporary file,
 * then rename), so a kill at any moment leaves a complete index.
 */
#ifndef SRIOV_SWEEP_INDEX_H
#define SRIOV_SWEEP_INDEX_H

#include <stddef.h>

#include "sweep/metrics.h"
#include "sweep/plan.h"

typedef enum { POINT_PENDING = 0, POINT_OK, POINT_FAILED } point_status;

typedef struct point_state {
    point_status status;
    int exit_code;          /* -1 when not run */
    unsigned runs;
    double wall_s;          /* wall-clock time of the last run, s */
    char *error;            /* owned; NULL when none */
    point_metrics m;
} point_state;

const char *sweep_status_name(point_status s);

/* n fresh states (pending, never run). Owned; sweep_states_free(). */
point_state *sweep_states_new(size_t n);
void sweep_states_free(point_state *st, size_t n);

/* Writes dir/index.tsv atomically. Returns 0, or -1 with err. */
int sweep_index_write(const char *dir, const sweep_plan *p, const point_state *st,
                      char *err, size_t errlen);

/* Restores status, exit, runs, wall_s and error of the points whose row in
 * dir/index.tsv has the same id, seed and parameter values; other points
 * stay as they are. A missing index is not an error. Returns how many rows
 * were restored. */
size_t sweep_index_load(const char *dir, const sweep_plan *p, point_state *st);

#endif
