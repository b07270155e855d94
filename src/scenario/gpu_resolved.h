/* gpu_resolved.h -- the gpus section of /meta/resolved (resolved.h): every
 * default written out, values in base units, so the resolved scenario
 * loads again to the same GPUs and jobs (a job given as `work` is written
 * as its `work_flop`). */
#ifndef SRIOV_GPU_RESOLVED_H
#define SRIOV_GPU_RESOLVED_H

#include "scenario/config.h"
#include "scenario/sbuf.h"

void gpus_put_yaml(sbuf *b, const scenario_config *cfg);

#endif
