/* pflog.h -- the PF log (/events) printed like a host's kernel log, for
 * `sriov-sim run --log`:
 *   [    5.000000] h1 kernel: ice 0000:18:00.0: VF 3: FLR start (requested): ...
 * The driver name comes from the adapter model (ice, i40e, mlx5_core); the
 * PF address follows the topology's numbering (bus 0x18 + 0x20 per
 * adapter, device 0, function 0). */
#ifndef SRIOV_PFLOG_H
#define SRIOV_PFLOG_H

#include <stdio.h>

#include "metrics/results.h"
#include "scenario/config.h"


/* One line, with its newline, into buf; returns buf. */
char *pflog_format(const scenario_config *cfg, const event_record *ev, char *buf, size_t len);

/* Every event of r, in order. */
void pflog_print(FILE *out, const scenario_config *cfg, const run_results *r);

#endif
