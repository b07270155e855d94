/* eventlog.h -- the run's event log (run_results.events): one row per
 * control-plane event (a VF enabled, a mailbox timeout, a migration
 * phase...), appended by the engine and the models. Units: seconds.
 */
#ifndef SRIOV_EVENTLOG_H
#define SRIOV_EVENTLOG_H

#include "sim/simctx.h"

/* Appends one row; host_idx, adapter_idx and vf are -1 when not relevant.
 * 0, or -1 when out of memory. */
int eventlog_add(sim_ctx *c, double time_s, int host_idx, int adapter_idx, int vf,
                 const char *type, const char *detail);

#endif
