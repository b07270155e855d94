/* rvf.h -- internal to src/report: VF series named after their tenants.
 * A planner thinks in VMs, not in h1.nic0.vf7: the VF throughput figure
 * labels each VF column "vm.nic/host.adapter.vfN" from the /vfs table
 * (docs/results.md), the VF name alone when the VF has no tenant. */
#ifndef SRIOV_REPORT_RVF_H
#define SRIOV_REPORT_RVF_H

#include <hdf5.h>

#include "report/rh5.h"

/* Rewrites m->names (columns named host.adapter.vfN) in place; columns
 * without a /vfs row or without a VM keep their name. Missing or odd
 * /vfs tables leave every name as it is. */
void rp_label_vfs(hid_t file, matrix *m);
/* One label per /vfs row, the same way ("vm.nic/host.adapter.vfN", or
 * "host.adapter.vfN" without a tenant); *n rows. NULL when /vfs is
 * missing or odd. Owned (rp_free_strings). */
char **rp_vf_labels(hid_t file, size_t *n);

#endif
