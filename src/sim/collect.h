/* collect.h -- turns a finished sim_ctx into run_results tables (flows,
 * VFs, links, meta). Time series and events are already in c->res. */
#ifndef SRIOV_COLLECT_H
#define SRIOV_COLLECT_H

#include "sim/simctx.h"

/* Fills r's tables; r's strings are new allocations owned by r.
 * Returns 0, or -1 when out of memory (r stays freeable). */
int collect_results(const sim_ctx *c, run_results *r);

#endif
