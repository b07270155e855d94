/* wl_load.h -- the workloads section's readers (private to src/scenario):
 * the section itself (load_workloads.c) and flow-size CDF files
 * (wl_cdf_file.c). Units: bytes, seconds. */
#ifndef SRIOV_WL_LOAD_H
#define SRIOV_WL_LOAD_H

#include "scenario/diag.h"
#include "scenario/sbuf.h"
#include "scenario/workload_config.h"

/* Reads a CDF file into *out (owned by the caller: free size_bytes and p).
 * 0, or -1 after reporting FILE:LINE:COL errors. */
int wl_cdf_read(const char *path, wl_cdf *out, diag *d);

typedef struct scenario_config scenario_config;
/* Appends the workloads section of /meta/resolved to b (nothing when
 * none; wl_resolved.c). */
void workloads_put_yaml(sbuf *b, const scenario_config *cfg);

#endif
