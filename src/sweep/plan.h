/* plan.h -- the points of a sweep: which value each parameter takes, the
 * repetition and the seed of every run.
 *
 * Order: grid (cartesian product, the last grid key varies fastest), then
 * zip (one step per value), then random samples, then repetitions
 * innermost, so the runs of one parameter set are adjacent. Point ids are
 * 0, 1, 2 ... in that order. Columns are the parameters in the order grid,
 * zip, random as written in the sweep file.
 *
 * Random samples come from a splitmix64 stream seeded with random.seed:
 * the same sweep file always gives the same points.
 *
 * Ownership: a sweep_plan owns its points, labels and the nodes it made for
 * random values; value nodes of grid/zip/choice point into the spec, which
 * must outlive the plan. sweep_plan_free() releases the plan.
 */
#ifndef SRIOV_SWEEP_PLAN_H
#define SRIOV_SWEEP_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "sweep/spec.h"

typedef struct sweep_point {
    size_t id;
    size_t set;                 /* parameter set, 0 .. n_sets-1 */
    size_t rep;                 /* 0 .. repetitions-1 */
    uint64_t seed;              /* simulation.seed of this run */
    const ynode **values;       /* [n_columns] the value of each parameter */
    char **labels;              /* [n_columns] one-line text of each value */
} sweep_point;

typedef struct sweep_plan {
    const sweep_param **columns;    /* [n_columns], into the spec */
    size_t n_columns;
    sweep_point *points;
    size_t n_points;
    size_t n_sets;
    ynode **made;               /* random values, owned */
    size_t n_made;
} sweep_plan;

/* Builds the plan; base_seed is the seed of repetition 0. Never fails on a
 * spec that sweep_spec_load() accepted. */
void sweep_plan_build(const sweep_spec *s, uint64_t base_seed, sweep_plan *out);
void sweep_plan_free(sweep_plan *p);


#endif
