/* pairs.h -- which endpoint pairs may exchange traffic during a run. Pairs
 * on one host need an explicit route in the platform (platform.h); the
 * list is every flow's endpoints, plus the endpoints a flow may be moved to
 * during the run (VF -> virtio failover, migration), which the models that
 * move flows add here.
 * Ownership: *pairs is malloc'd, the caller frees it. */
#ifndef SRIOV_PAIRS_H
#define SRIOV_PAIRS_H

#include "platform/platform.h"
#include "sim/models.h"

int sim_collect_pairs(const sim_model_list *models, const scenario_config *cfg, const topo *t,
                      ep_pair **pairs, size_t *n);

#endif
