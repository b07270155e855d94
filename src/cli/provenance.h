/* provenance.h -- how a results file was made, for /meta: the schema
 * version of the file layout, when and on which host it was written, the
 * command line, and the source revision of the binary (git describe at
 * configure time, else the version). These attributes differ between two
 * runs of one scenario and seed, so the dataset digests leave them out
 * (tests/e2e/h5read.c --digest, docs/results.md).
 * Ownership: the strings go into run_meta and are freed by results_free.
 */
#ifndef SRIOV_PROVENANCE_H
#define SRIOV_PROVENANCE_H

#include "metrics/results.h"

/* The command as one line a POSIX shell reads back as the same words:
 * "sriov-sim" then argv[0..argc). Take it before getopt, which reorders
 * argv. The caller frees it; NULL when out of memory. */
char *provenance_command_line(int argc, char *const *argv);

/* Fills m's provenance from the process and command (a copy is made).
 * 0, or -1 when out of memory. */
int provenance_fill(run_meta *m, const char *command_line);

#endif
