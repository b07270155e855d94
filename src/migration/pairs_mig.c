/* pairs_mig.c -- the endpoint pairs migrations may create (migration.h). */
#include <stdbool.h>
#include <stdlib.h>

#include "migration/migration.h"

static int push_pair(ep_pair **pairs, size_t *n, size_t *cap, int a, int b)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        ep_pair *g = realloc(*pairs, ncap * sizeof *g);
        if (!g)
            return -1;
        *pairs = g;
        *cap = ncap;
    }
    (*pairs)[(*n)++] = (ep_pair){a, b};
    return 0;
}

/* Marks every host VM v is ever on (its own, then each migrate target). */
static bool vm_moves(const scenario_config *cfg, int v, bool *on_host)
{
    bool moves = false;
    on_host[cfg->vms[v].host_idx] = true;
    for (size_t e = 0; e < cfg->n_events; e++)
        if (cfg->events[e].type == EV_MIGRATE && cfg->events[e].vm_idx == v) {
            on_host[cfg->events[e].to_host_idx] = true;
            moves = true;
        }
    return moves;
}

/* The endpoints one flow end may use during the run, on host h. */
static size_t end_candidates(const scenario_config *cfg, const topo *t, endpoint_ref ref, int h,
                             int *out)
{
    size_t n = 0;
    int home = topo_flow_endpoint(t, ref);
    bool *on_host = ref.vm_idx >= 0 ? calloc(cfg->n_hosts, sizeof *on_host) : NULL;
    if (ref.vm_idx < 0 || !on_host || !vm_moves(cfg, ref.vm_idx, on_host)) {
        if (t->endpoints[home].host_idx == h)
            out[n++] = home;
        free(on_host);
        return n;
    }
    if (on_host[h]) {
        out[n++] = t->host_sw_endpoint[h];
        for (size_t v = 0; v < t->n_vfs; v++)
            if (t->vfs[v].host_idx == h)
                out[n++] = t->vfs[v].endpoint;
    }
    free(on_host);
    return n;
}

int mig_add_pairs(const scenario_config *cfg, const topo *t, ep_pair **pairs, size_t *n,
                  size_t *cap)
{
    int *src = malloc((t->n_endpoints + 1) * sizeof *src);
    int *dst = malloc((t->n_endpoints + 1) * sizeof *dst);
    int rc = src && dst ? 0 : -1;
    bool any = false;
    for (size_t e = 0; e < cfg->n_events; e++)
        any |= cfg->events[e].type == EV_MIGRATE;
    for (size_t f = 0; any && rc == 0 && f < cfg->n_flows; f++) {
        const flow_config *fc = &cfg->flows[f];
        for (size_t h = 0; rc == 0 && h < cfg->n_hosts; h++) {
            size_t ns = end_candidates(cfg, t, fc->src, (int)h, src);
            size_t nd = end_candidates(cfg, t, fc->dst, (int)h, dst);
            for (size_t i = 0; rc == 0 && i < ns; i++)
                for (size_t j = 0; rc == 0 && j < nd; j++)
                    if (src[i] != dst[j])
                        rc = push_pair(pairs, n, cap, src[i], dst[j]);
        }
    }
    free(src);
    free(dst);
    return rc;
}
