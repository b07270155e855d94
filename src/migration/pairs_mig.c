/* pairs_mig.c -- the endpoint pairs migrations may create (migration.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

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

/* The endpoints one flow end may use during the run: its own, or for a
 * VM that migrates, the virtio endpoint and every VF of each host it is
 * ever on. on_host is scratch [n_hosts]. */
static size_t end_candidates(const scenario_config *cfg, const topo *t, endpoint_ref ref,
                             bool *on_host, int *out)
{
    int home = topo_flow_endpoint(t, ref);
    if (ref.vm_idx < 0)
        goto home_only;
    memset(on_host, 0, cfg->n_hosts * sizeof *on_host);
    if (!vm_moves(cfg, ref.vm_idx, on_host))
        goto home_only;
    size_t n = 0;
    for (size_t h = 0; h < cfg->n_hosts; h++) {
        if (!on_host[h])
            continue;
        out[n++] = t->host_sw_endpoint[h];
        for (size_t v = 0; v < t->n_vfs; v++)
            if (t->vfs[v].host_idx == (int)h)
                out[n++] = t->vfs[v].endpoint;
    }
    return n;
home_only:
    out[0] = home;
    return 1;
}

/* Two endpoints of one rack (or one host) need an explicit route in the
 * rack's Full zone (platform.c); across racks the zone routes serve. */
static bool same_rack(const scenario_config *cfg, const topo *t, int a, int b)
{
    int ha = t->endpoints[a].host_idx, hb = t->endpoints[b].host_idx;
    return ha >= 0 && hb >= 0 && cfg->hosts[ha].rack_idx == cfg->hosts[hb].rack_idx;
}

/* Every flow with a migrating end: each pair of its ends' candidates in
 * one rack (the moved VM talks from its new host to peers of that rack). */
int mig_add_pairs(const scenario_config *cfg, const topo *t, ep_pair **pairs, size_t *n,
                  size_t *cap)
{
    bool any = false;
    for (size_t e = 0; e < cfg->n_events; e++)
        any |= cfg->events[e].type == EV_MIGRATE;
    if (!any)
        return 0;
    int *src = malloc((t->n_endpoints + 1) * sizeof *src);
    int *dst = malloc((t->n_endpoints + 1) * sizeof *dst);
    bool *on_host = calloc(cfg->n_hosts + 1, sizeof *on_host);
    int rc = src && dst && on_host ? 0 : -1;
    for (size_t f = 0; rc == 0 && f < cfg->n_flows; f++) {
        const flow_config *fc = &cfg->flows[f];
        size_t ns = end_candidates(cfg, t, fc->src, on_host, src);
        size_t nd = end_candidates(cfg, t, fc->dst, on_host, dst);
        if (ns == 1 && nd == 1)
            continue; /* neither end moves: its pair is listed already */
        for (size_t i = 0; rc == 0 && i < ns; i++)
            for (size_t j = 0; rc == 0 && j < nd; j++)
                if (src[i] != dst[j] && same_rack(cfg, t, src[i], dst[j]))
                    rc = push_pair(pairs, n, cap, src[i], dst[j]);
    }
    free(src);
    free(dst);
    free(on_host);
    return rc;
}
