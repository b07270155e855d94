/* os_profile.h -- OS / hypervisor profiles: models/os/<name>.yaml.
 *
 * A profile holds the costs of the PF control plane on that OS (enabling
 * VFs, handing a VF to a VM, FLR, the mailbox) and its behaviours
 * (passthrough driver, synthetic fallback); see docs/pf-control-plane.md.
 * Every key is required in a profile file; a scenario host may override
 * any of them under `pf_costs:`, checked by the same reader at its own
 * file:line:col. Called by the loader (load_hosts.c); fills
 * host_config.os_prof.
 */
#ifndef SRIOV_OS_PROFILE_H
#define SRIOV_OS_PROFILE_H

#include <stdbool.h>

#include "scenario/config.h"
#include "scenario/diag.h"
#include "scenario/doc_cache.h"
#include "scenario/ynode.h"

/* Reads models_dir/os/<os>.yaml into *out (which owns its strings:
 * config_free releases them), parsed once per load through cache. where is
 * the scenario node naming the OS, for a missing-file error. 0 or -1 after
 * reporting. */
int os_profile_load(const char *models_dir, doc_cache *cache, const char *os, const ynode *where,
                    os_profile *out, diag *d);

/* Applies the keys present in map (the host's pf_costs) over *p.
 * required: every cost key must be present (profile files). 0 or -1. */
int os_profile_read(diag *d, const ynode *map, bool required, os_profile *p);

#endif
