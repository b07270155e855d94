/* pairs.c -- see pairs.h. */
#include <stdlib.h>

#include "sim/pairs.h"

int sim_collect_pairs(const sim_model_list *models, const scenario_config *cfg, const topo *t,
                      ep_pair **pairs, size_t *n)
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
    /* the pairs models may move flows to (migration: same-host pairs of
     * VF -> virtio failover and of the destination hosts) */
    size_t cap = *n ? *n : 1;
    return models_collect_pairs(models, cfg, t, pairs, n, &cap);
}
