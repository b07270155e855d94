/* run.h -- runs one scenario on SimGrid and returns its results.
 *
 * SimGrid keeps one engine per process, so sim_run may be called once per
 * process (the CLI runs one scenario per process; sweeps use one process
 * per point).
 */
#ifndef SRIOV_RUN_H
#define SRIOV_RUN_H

#include <stddef.h>

#include "metrics/results.h"
#include "scenario/config.h"
#include "sim/models.h"
#include "sim/simctx.h"

typedef struct sim_request {
    const scenario_config *cfg;
    const sim_model_list *models;   /* the models to run (models.h) */
    run_options opt;
    const char *dump_platform;      /* also write the platform XML here; NULL = no */
    const char *const *simgrid_cfg; /* extra SimGrid settings, "KEY:VALUE" */
    size_t n_simgrid_cfg;
} sim_request;

enum { SIM_OK = 0, SIM_RUN_FAILED = 1, SIM_BAD_INPUT = 2 };

/* Prints the settings `--cfg KEY:VALUE` accepts (SimGrid's own list, and
 * its models) on stdout. */
void sim_help_cfg(void);

/* Runs the scenario. On SIM_OK, *out holds the results (the caller frees
 * them with results_free); otherwise err says why and *out is empty. */
int sim_run(const sim_request *req, run_results *out, char *err, size_t errlen);

#endif
