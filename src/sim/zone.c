/* zone.c -- the flow-level platform in one SimGrid zone. See zone.h. */
#include "sim/zone.h"

#include <stdio.h>
#include <stdlib.h>

static int route_cb(void *ctx, int src, int dst, int *links, int *ups, int max)
{
    plat_route r;
    int n = plat_route_nodes(ctx, src, dst, &r);
    if (n > max)
        n = max;
    for (int i = 0; i < n; i++) {
        links[i] = r.hops[i].link;
        ups[i] = r.hops[i].up;
    }
    return n;
}

static shim_plat_item host_item(const char *name, double speed, int cores, int node)
{
    return (shim_plat_item){name, 1, speed, 0.0, cores, 0, node};
}

static shim_plat_item link_item(const topo_link *l, int idx)
{
    /* Latency 0, as the XML platform writes for flow level (platform.h:
     * CM02 would weigh shares by route latency; the latency model adds
     * propagation delay instead). */
    return (shim_plat_item){l->name, 0, l->bandwidth_Bps, 0.0, 1, l->split_duplex, idx};
}

/* The creation order of the XML platform (platform.c): the external host
 * and link, every other link, then rack by rack its host CPUs and their
 * endpoints (in topo order). Endpoints are bucketed by rack once, stably,
 * rather than scanned per rack (racks x endpoints at pod-10k). */
static shim_plat_item *items_in_xml_order(const scenario_config *cfg, const topo *t, size_t *n)
{
    size_t H = cfg->n_hosts, R = cfg->fabric.n_racks;
    size_t cap = 1 + t->n_links + H + t->n_endpoints;
    shim_plat_item *it = malloc(cap * sizeof *it);
    size_t *start = calloc(R + 1, sizeof *start);
    int *order = malloc((t->n_endpoints ? t->n_endpoints : 1) * sizeof *order);
    size_t k = 0;
    if (!it || !start || !order)
        goto fail;
    const topo_endpoint *ext = &t->endpoints[t->external_endpoint];
    it[k++] = host_item(ext->name, 1e9, 1, (int)H + t->external_endpoint);
    it[k++] = link_item(&t->links[t->external_link], t->external_link);
    for (size_t l = 0; l < t->n_links; l++)
        if ((int)l != t->external_link)
            it[k++] = link_item(&t->links[l], (int)l);
    for (size_t e = 0; e < t->n_endpoints; e++) {
        int h = t->endpoints[e].host_idx;
        if (h >= 0 && cfg->hosts[h].rack_idx >= 0)
            start[cfg->hosts[h].rack_idx + 1]++;
    }
    for (size_t r = 0; r < R; r++)
        start[r + 1] += start[r];
    for (size_t e = 0; e < t->n_endpoints; e++) {
        int h = t->endpoints[e].host_idx;
        if (h >= 0 && cfg->hosts[h].rack_idx >= 0)
            order[start[cfg->hosts[h].rack_idx]++] = (int)e;
    }
    /* start[r] is now the end of rack r's bucket; rack r begins at start[r - 1] */
    for (size_t r = 0; r < R; r++) {
        const rack_config *rk = &cfg->fabric.racks[r];
        if (rk->n_hosts == 0)
            continue;
        for (size_t i = 0; i < rk->n_hosts; i++) {
            const host_config *hc = &cfg->hosts[rk->host_idx[i]];
            it[k++] = host_item(hc->name, hc->core_speed_hz, hc->cores, rk->host_idx[i]);
        }
        for (size_t j = r ? start[r - 1] : 0; j < start[r]; j++)
            it[k++] = host_item(t->endpoints[order[j]].name, 1e9, 1, (int)H + order[j]);
    }
    free(start);
    free(order);
    *n = k;
    return it;
fail:
    free(it);
    free(start);
    free(order);
    return NULL;
}

int zone_build(sim_ctx *c, sg_host_t **node_hosts, sg_link_t **dir_links, char *err,
               size_t errlen)
{
    const topo *t = c->topo;
    c->routes = (plat_routes){c->cfg, t};
    size_t n_nodes = plat_n_nodes(&c->routes), n_items = 0;
    shim_plat_item *items = items_in_xml_order(c->cfg, t, &n_items);
    *node_hosts = calloc(n_nodes ? n_nodes : 1, sizeof **node_hosts);
    *dir_links = calloc(2 * t->n_links + 1, sizeof **dir_links);
    if (!items || !*node_hosts || !*dir_links) {
        free(items);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = shim_build_platform(items, n_items, n_nodes, t->n_links, route_cb, &c->routes,
                                 *node_hosts, *dir_links, err, errlen);
    free(items);
    return rc;
}
