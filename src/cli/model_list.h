/* model_list.h -- the models this build runs, in the order their hooks
 * run; the CLI hands the list to the engine in the run request (run.h),
 * so the engine references no model. */
#ifndef SRIOV_CLI_MODEL_LIST_H
#define SRIOV_CLI_MODEL_LIST_H

#include "sim/models.h"

extern const sim_model_list cli_models;

#endif
