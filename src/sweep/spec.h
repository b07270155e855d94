/* spec.h -- a sweep file: the base scenario and the parameters to vary.
 *
 *   base: ../scenarios/quickstart.yaml   # required; relative to the sweep file
 *   output: results/sweeps/quickstart    # sweep directory; relative to the
 *                                        # working directory; default
 *                                        # results/sweeps/<sweep file name>
 *   repetitions: 2                       # runs per parameter set, seeds
 *                                        # seed + 0 .. seed + repetitions-1
 *   seed: 1                              # default: the base scenario's
 *                                        # simulation.seed (else 1)
 *   grid:                                # cartesian product, last key fastest
 *     traffic[0].rate: [10Gbps, 20Gbps]
 *   zip:                                 # lists of equal length, advanced together
 *     hosts[0].adapters[0].num_vfs: [4, 8]
 *   random:                              # seeded random samples
 *     samples: 10
 *     seed: 7
 *     params:
 *       traffic[0].rate: { uniform: [1Gbps, 40Gbps] }   # also log_uniform
 *       vms[0].nics[0].qos.max_rate: { choice: [5Gbps, 10Gbps] }
 *   report: { p99_target: 50us }         # optional: drawn as a line
 * A key starting with '$' (e.g. $tenants) is a label column: recorded in
 * the index and summary and usable as the x axis of the report, but not
 * applied to the scenario (zip it with the paths it stands for).
 * At least one of grid, zip, random, repetitions > 1.
 * Values are YAML nodes copied into the scenario as written ("25Gbps", or a
 * whole mapping). Errors are reported through diag at file:line:col.
 *
 * Ownership: a sweep_spec owns the parsed sweep document (values point into
 * it), the paths and strings; sweep_spec_free() releases everything.
 */
#ifndef SRIOV_SWEEP_SPEC_H
#define SRIOV_SWEEP_SPEC_H

#include "sweep/metrics.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario/diag.h"
#include "scenario/units.h"
#include "scenario/ynode.h"
#include "sweep/path.h"

enum { SWEEP_MAX_POINTS = 100000, SWEEP_MAX_PARAMS = 32 };

typedef enum {
    PARAM_VALUES = 0,       /* grid / zip: an explicit list */
    PARAM_UNIFORM,          /* random: uniform in [lo, hi] */
    PARAM_LOG_UNIFORM,      /* random: uniform in log space */
    PARAM_CHOICE,           /* random: one of values, equally likely */
} param_dist;

/* How a random number is written back: with the unit of lo/hi, as an
 * integer when both bounds are integers, else as a decimal. */
typedef enum { NUM_QUANTITY = 0, NUM_INTEGER, NUM_REAL } num_form;

typedef struct sweep_param {
    sweep_path path;
    const ynode *key;           /* the key in the sweep file (positions) */
    param_dist dist;
    const ynode **values;       /* PARAM_VALUES, PARAM_CHOICE: n_values nodes */
    size_t n_values;
    double lo, hi;              /* uniform bounds, base units */
    num_form form;
    unit_kind unit;             /* when form == NUM_QUANTITY */
} sweep_param;

typedef struct sweep_spec {
    ynode_doc doc;              /* the sweep file */
    char *file;                 /* the sweep file as given */
    char *base;                 /* base scenario path, resolved against file */
    char *output;               /* sweep directory */
    size_t repetitions;         /* >= 1 */
    bool have_seed;
    uint64_t seed;
    sweep_param *grid;
    size_t n_grid;
    sweep_param *zip;
    size_t n_zip, zip_len;
    sweep_param *rnd;
    size_t n_rnd, samples;
    uint64_t rnd_seed;
    double p99_target_s;        /* NaN when not given */
    flow_select select;         /* report: flows / exclude_flows / vms */
} sweep_spec;

/* Loads and checks path. Returns 0, or -1 after reporting through d
 * (*out zeroed). */
int sweep_spec_load(const char *path, sweep_spec *out, diag *d);
void sweep_spec_free(sweep_spec *s);

/* A '$' label column, not applied to the scenario. */
bool sweep_param_is_label(const sweep_param *p);

/* How many parameter sets the spec describes (grid product x zip length x
 * samples), before repetitions. */
size_t sweep_spec_sets(const sweep_spec *s);

#endif
