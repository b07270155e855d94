/* pairs.c -- see pairs.h. */
#include <stdlib.h>

#include "sim/pairs.h"

#include "migration/migration.h"

int sim_collect_pairs(const scenario_config *cfg, const topo *t, ep_pair **pairs, size_t *n)
{
    *n = 0;
    *pairs = calloc(cfg->n_flows ? cfg->n_flows : 1, sizeof **pairs);
    if (!*pairs)
        return -1;
    for (size_t f = 0; f < cfg->n_flows; f++) {
        (*pairs)[f].src = topo_flow_endpoint(t, cfg->flows[f].src);
        (*pairs)[f].dst = topo_flow_endpoint(t, cfg->flows[f].dst);
    }
    *n = cfg->n_flows;
    /* same-host pairs that VF -> virtio failover and migration create */
    size_t cap = *n ? *n : 1;
    return mig_add_pairs(cfg, t, pairs, n, &cap);
}
