/* memfit.h -- does a run of this scenario fit in the memory given?
 * Checked before any work by `run` and by `validate` (so a sweep or a
 * batch job learns it without starting SimGrid). 65,535 VFs on one host
 * died of std::bad_alloc inside SimGrid, and larger platforms were
 * OOM-killed (issue 20, item 6).
 *
 * Units: bytes. Owns nothing.
 */
#ifndef SRIOV_CLI_MEMFIT_H
#define SRIOV_CLI_MEMFIT_H

#include <stdio.h>

#include "scenario/config.h"

/* The memory a run may use: physical memory, lowered by ulimit -v and by
 * $SRIOV_MEMORY_LIMIT (a size such as 2GiB). 0 when unknown. A malformed
 * $SRIOV_MEMORY_LIMIT is reported on err and ignored. */
double cli_memory_given(FILE *err);

/* 1 when the run's estimated peak memory (platform_estimate_bytes) fits
 * in cli_memory_given() or that is unknown; otherwise prints a
 * FILE:LINE:COL error with a fix on err and returns 0. */
int cli_platform_fits(const scenario_config *cfg, FILE *err);

#endif
