/* cli.h -- the sriov-sim subcommands. Each returns the process exit status:
 * 0 success, 1 failure during the run, 2 bad input (scenario or command
 * line). argv[0] is the subcommand name. */
#ifndef SRIOV_CLI_H
#define SRIOV_CLI_H

#include <stdio.h>

#include "metrics/results.h"
#include "scenario/config.h"

enum { EXIT_OK = 0, EXIT_RUN_FAILED = 1, EXIT_BAD_INPUT = 2 };

int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_sweep(int argc, char **argv);

/* The end-of-run table on stdout. */
void cli_print_summary(const run_results *r);
/* One line per VF NIC that the loader moved to virtio because no VF was
 * left (policy.vf_exhausted: virtio), with the reason; nothing when none.
 * Those tenants then run on the host's software datapath: validate and
 * the run summary say so instead of leaving it to /events. */
void cli_print_fallbacks(FILE *f, const scenario_config *cfg);

#endif
