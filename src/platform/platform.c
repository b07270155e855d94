/* platform.c -- topology -> SimGrid XML. See platform.h. */
#include "platform/platform.h"

#include "platform/routes.h"

#include <stdlib.h>
#include <string.h>

typedef struct xml_ctx {
    FILE *out;
    const scenario_config *cfg;
    const topo *t;
    bool with_latency;
    bool reversed;      /* write link lists last link first (Dijkstra racks) */
    plat_routes pr;
} xml_ctx;

void platform_put_escaped(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

static void put_attr(FILE *out, const char *key, const char *val)
{
    fprintf(out, " %s=\"", key);
    platform_put_escaped(out, val);
    fputc('"', out);
}

static void put_link_ctn(FILE *out, const topo *t, plat_hop h)
{
    fputs("<link_ctn", out);
    put_attr(out, "id", t->links[h.link].name);
    if (t->links[h.link].split_duplex)
        fputs(h.up ? " direction=\"UP\"" : " direction=\"DOWN\"", out);
    fputs("/>", out);
}

static void put_route(const xml_ctx *x, const char *tag, const char *src, const char *dst,
                      const char *gw_src, const char *gw_dst, const plat_route *r)
{
    fprintf(x->out, "    <%s", tag);
    put_attr(x->out, "src", src);
    put_attr(x->out, "dst", dst);
    if (gw_src) {
        put_attr(x->out, "gw_src", gw_src);
        put_attr(x->out, "gw_dst", gw_dst);
    }
    fputs(" symmetrical=\"NO\">", x->out);
    for (int i = 0; i < r->n; i++)
        put_link_ctn(x->out, x->t, r->hops[x->reversed ? r->n - 1 - i : i]);
    fprintf(x->out, "</%s>\n", tag);
}

static void put_link(const xml_ctx *x, const topo_link *l)
{
    fputs("      <link", x->out);
    put_attr(x->out, "id", l->name);
    fprintf(x->out, " bandwidth=\"%.17gBps\" latency=\"%.17gs\"%s/>\n", l->bandwidth_Bps,
            x->with_latency ? l->latency_s : 0.0,
            l->split_duplex ? " sharing_policy=\"SPLITDUPLEX\"" : "");
}

static char *suffixed(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s", a, b);
    return s;
}

/* Same-host pairs may repeat (many flows between two VFs): keep one. */
static int pair_cmp(const void *a, const void *b)
{
    const ep_pair *x = a, *y = b;
    if (x->src != y->src)
        return x->src < y->src ? -1 : 1;
    return (x->dst > y->dst) - (x->dst < y->dst);
}

/* One rack is one zone holding every host CPU and endpoint of its hosts
 * and its ToR router. Explicit routes: each endpoint and host CPU to and
 * from the ToR (crossing the ToR link), every pair on the rack's hosts
 * that may exchange traffic (pairs.c), and the host CPU pairs a migration
 * may use (put_pm_pairs): inside one host through the adapter
 * (route_local), between hosts through the ToR. Traffic leaving the rack
 * composes the endpoint's ToR route with the fabric's zone routes. One
 * zone per rack rather than per host keeps SimGrid's set-up (a walk over
 * all hosts per zone when sealing, a zone-tree search per link name) near
 * linear at pod scale.
 *
 * Routing: SimGrid's Full zone keeps an N x N table of route pointers
 * (8 N^2 bytes for N netpoints, allocated whole: FullZone.cpp,
 * check_routing_table): 2.2 GB for 16,384 VFs on one host and
 * std::bad_alloc for 65,535. A rack of more than RACK_FULL_MAX netpoints
 * is a Dijkstra zone instead: a graph of the same explicit routes, memory
 * linear in routes, each route lookup a shortest-path search (O(N log N);
 * no cache, whose N entries per source would be quadratic again). The
 * search finds exactly the declared route: every declared pair has a
 * direct edge, and any path through another netpoint is longer in links
 * (it crosses that netpoint's adapter twice, or the ToR twice). SimGrid
 * 3.32's Dijkstra returns an edge's links reversed (insert_link_latency
 * in NetworkModel.cpp), so a Dijkstra rack writes them last first: the
 * routes, link order included, are those of a Full rack, and the datasets
 * stay the same (checked: scripts/digests.sh and /meta of pod-64 and of
 * 4,096 VFs on one host). Full stays below the threshold because a
 * lookup there is one table read: pod-64 (about 1,100 netpoints a rack)
 * ran 1.5-2x slower with Dijkstra. 2,048 bounds Full's table to 16 KiB per
 * netpoint, so memory grows linearly with the platform either way. */
#define RACK_FULL_MAX 2048

typedef struct rack_ctx {
    const xml_ctx *x;
    size_t r;
    const char *torr;
    char *in_rack;              /* [host] 1 when the host is in this rack */
} rack_ctx;

static void put_rack_hosts(const rack_ctx *k)
{
    const xml_ctx *x = k->x;
    const rack_config *rk = &x->cfg->fabric.racks[k->r];
    for (size_t i = 0; i < rk->n_hosts; i++) {
        const host_config *hc = &x->cfg->hosts[rk->host_idx[i]];
        fputs("    <host", x->out);
        put_attr(x->out, "id", hc->name);
        fprintf(x->out, " speed=\"%.17gf\" core=\"%d\"/>\n", hc->core_speed_hz, hc->cores);
    }
    for (size_t e = 0; e < x->t->n_endpoints; e++) {
        int h = x->t->endpoints[e].host_idx;
        if (h < 0 || !k->in_rack[h])
            continue;
        fputs("    <host", x->out);
        put_attr(x->out, "id", x->t->endpoints[e].name);
        fputs(" speed=\"1Gf\"/>\n", x->out);
    }
    fputs("    <router", x->out);
    put_attr(x->out, "id", k->torr);
    fputs("/>\n", x->out);
}

static void put_tor_routes(const rack_ctx *k)
{
    const xml_ctx *x = k->x;
    int tor = x->t->rack_tor_link[k->r];
    for (size_t e = 0; e < x->t->n_endpoints; e++) {
        int h = x->t->endpoints[e].host_idx;
        endpoint_kind_t kind = x->t->endpoints[e].kind;
        if (h < 0 || !k->in_rack[h] || kind == EP_GPU || kind == EP_HOST_MEM)
            continue; /* not on the network: routes to their pairs only */
        plat_route up = {.n = 0}, down = {.n = 0};
        plat_route_up(&x->pr, (int)e, &up);
        plat_push(&up, tor, 1);
        plat_push(&down, tor, 1);
        plat_route_down(&x->pr, (int)e, &down);
        put_route(x, "route", x->t->endpoints[e].name, k->torr, NULL, NULL, &up);
        put_route(x, "route", k->torr, x->t->endpoints[e].name, NULL, NULL, &down);
    }
    const rack_config *rk = &x->cfg->fabric.racks[k->r];
    for (size_t i = 0; i < rk->n_hosts; i++) {
        int h = rk->host_idx[i];
        plat_route up = {.n = 0}, down = {.n = 0};
        plat_pm_up(&x->pr, h, &up);
        plat_push(&up, tor, 1);
        plat_push(&down, tor, 1);
        plat_pm_down(&x->pr, h, &down);
        put_route(x, "route", x->cfg->hosts[h].name, k->torr, NULL, NULL, &up);
        put_route(x, "route", k->torr, x->cfg->hosts[h].name, NULL, NULL, &down);
    }
}

/* Host CPU to host CPU inside the rack: the live-migration transfers
 * (migration.c sends a VM's memory from the host it is on to the event's
 * to-host). Only the pairs a migration may use, not every pair: all pairs
 * were 4 million routes and 665 MB of XML for 2,000 hosts in one rack. */
static void put_pm_pairs(const rack_ctx *k, const ep_pair *pm, size_t n_pm)
{
    const xml_ctx *x = k->x;
    int tor = x->t->rack_tor_link[k->r];
    for (size_t i = 0; i < n_pm; i++) {
        int a = pm[i].src, b = pm[i].dst;
        if (!k->in_rack[a] || !k->in_rack[b])
            continue;
        plat_route r = {.n = 0};
        plat_pm_pair(&x->pr, a, b, tor, &r);
        put_route(x, "route", x->cfg->hosts[a].name, x->cfg->hosts[b].name, NULL, NULL, &r);
    }
}

/* Sorts pairs and drops repeats; returns the new count. */
static size_t unique_pairs(ep_pair *p, size_t n)
{
    if (n == 0)
        return 0;
    qsort(p, n, sizeof *p, pair_cmp);
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (w == 0 || pair_cmp(&p[w - 1], &p[i]) != 0)
            p[w++] = p[i];
    return w;
}

/* The hosts a migrating VM may be on: where it starts and every host a
 * migrate event sends it to. Its memory moves between any two of them
 * (host indices, in either order; a superset of the chain actually run).
 * Sets *out (host-index pairs, sorted, no repeats; NULL when none). */
static int migration_host_pairs(const scenario_config *cfg, ep_pair **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    size_t n_mig = 0;
    for (size_t e = 0; e < cfg->n_events; e++)
        n_mig += cfg->events[e].type == EV_MIGRATE;
    if (n_mig == 0)
        return 0;
    int *hosts = malloc((n_mig + 1) * sizeof *hosts);
    ep_pair *p = NULL;
    size_t n = 0, cap = 0;
    for (size_t v = 0; v < cfg->n_vms && hosts; v++) {
        size_t k = 0;
        hosts[k++] = cfg->vms[v].host_idx;
        for (size_t e = 0; e < cfg->n_events; e++)
            if (cfg->events[e].type == EV_MIGRATE && cfg->events[e].vm_idx == (int)v)
                hosts[k++] = cfg->events[e].to_host_idx;
        for (size_t i = 0; i < k && k > 1; i++)
            for (size_t j = 0; j < k; j++) {
                if (hosts[i] == hosts[j] || hosts[i] < 0 || hosts[j] < 0)
                    continue;
                if (n == cap) {
                    cap = cap ? 2 * cap : 16;
                    ep_pair *q = realloc(p, cap * sizeof *p);
                    if (!q)
                        goto fail;
                    p = q;
                }
                p[n++] = (ep_pair){hosts[i], hosts[j]};
            }
    }
    if (!hosts)
        goto fail;
    free(hosts);
    *out = p;
    *n_out = unique_pairs(p, n);
    return 0;
fail:
    free(hosts);
    free(p);
    return -1;
}

static void put_pair_routes(const rack_ctx *k, const ep_pair *pairs, size_t n_pairs)
{
    const xml_ctx *x = k->x;
    for (size_t i = 0; i < n_pairs; i++) {
        const topo_endpoint *s = &x->t->endpoints[pairs[i].src];
        const topo_endpoint *d = &x->t->endpoints[pairs[i].dst];
        if (pairs[i].src == pairs[i].dst || s->host_idx < 0 || d->host_idx < 0 ||
            !k->in_rack[s->host_idx] || !k->in_rack[d->host_idx])
            continue;
        plat_route r = {.n = 0};
        if (plat_gpu_route(&x->pr, pairs[i].src, pairs[i].dst, &r)) {
            if (r.n == 0)
                continue;
        } else if (plat_one_adapter(&x->pr, pairs[i].src, pairs[i].dst)) {
            plat_route_local(&x->pr, pairs[i].src, pairs[i].dst, x->t->rack_tor_link[k->r], &r);
        } else {
            plat_route_up(&x->pr, pairs[i].src, &r);
            plat_push(&r, x->t->rack_tor_link[k->r], 1);
            plat_route_down(&x->pr, pairs[i].dst, &r);
        }
        put_route(x, "route", s->name, d->name, NULL, NULL, &r);
    }
}

/* Netpoints of the rack's zone: host CPUs, their endpoints, the ToR. */
static size_t rack_netpoints(const rack_ctx *k)
{
    size_t n = k->x->cfg->fabric.racks[k->r].n_hosts + 1;
    for (size_t e = 0; e < k->x->t->n_endpoints; e++) {
        int h = k->x->t->endpoints[e].host_idx;
        n += h >= 0 && k->in_rack[h];
    }
    return n;
}

static void put_rack_zone(const xml_ctx *x, size_t r, const ep_pair *pairs, size_t n_pairs,
                          const ep_pair *pm, size_t n_pm)
{
    const rack_config *rk = &x->cfg->fabric.racks[r];
    xml_ctx xr = *x;
    rack_ctx k = {&xr, r, NULL, calloc(x->cfg->n_hosts ? x->cfg->n_hosts : 1, 1)};
    char *torr = suffixed(rk->name, ".torr");
    if (!torr || !k.in_rack)
        goto out;
    k.torr = torr;
    for (size_t i = 0; i < rk->n_hosts; i++)
        k.in_rack[rk->host_idx[i]] = 1;
    xr.reversed = rack_netpoints(&k) > RACK_FULL_MAX;
    fputs("  <zone", x->out);
    put_attr(x->out, "id", rk->name);
    fputs(xr.reversed ? " routing=\"Dijkstra\">\n" : " routing=\"Full\">\n", x->out);
    put_rack_hosts(&k);
    put_tor_routes(&k);
    put_pm_pairs(&k, pm, n_pm);
    put_pair_routes(&k, pairs, n_pairs);
    fputs("  </zone>\n", x->out);
out:
    free(torr);
    free(k.in_rack);
}

static void put_external_zone(const xml_ctx *x)
{
    const topo_link *l = &x->t->links[x->t->external_link];
    fputs("  <zone id=\"ext.z\" routing=\"Full\">\n      <host id=\"external\" speed=\"1Gf\"/>\n"
          "      <router id=\"ext.gw\"/>\n", x->out);
    put_link(x, l);
    plat_route out = {.n = 0}, in = {.n = 0};
    plat_push(&out, x->t->external_link, 0);
    plat_push(&in, x->t->external_link, 1);
    put_route(x, "route", "external", "ext.gw", NULL, NULL, &out);
    put_route(x, "route", "ext.gw", "external", NULL, NULL, &in);
    fputs("  </zone>\n", x->out);
}

static void put_fabric_routes(const xml_ctx *x)
{
    const fabric_config *f = &x->cfg->fabric;
    int S = x->t->spines;
    for (size_t i = 0; i < f->n_racks; i++) {
        if (f->racks[i].n_hosts == 0)
            continue;
        char *gi = suffixed(f->racks[i].name, ".torr");
        for (size_t j = 0; j < f->n_racks && gi; j++) {
            if (j == i || f->racks[j].n_hosts == 0)
                continue;
            int s = (int)((i + j) % (size_t)S);
            char *gj = suffixed(f->racks[j].name, ".torr");
            plat_route r = {.n = 0};
            plat_push(&r, x->t->rack_uplink[i * (size_t)S + (size_t)s], 1);
            plat_push(&r, x->t->rack_uplink[j * (size_t)S + (size_t)s], 0);
            if (gj)
                put_route(x, "zoneRoute", f->racks[i].name, f->racks[j].name, gi, gj, &r);
            free(gj);
        }
        plat_route out = {.n = 0}, in = {.n = 0};
        int up = x->t->rack_uplink[i * (size_t)S + i % (size_t)S];
        plat_push(&out, up, 1);
        plat_push(&in, up, 0);
        if (gi) {
            put_route(x, "zoneRoute", f->racks[i].name, "ext.z", gi, "ext.gw", &out);
            put_route(x, "zoneRoute", "ext.z", f->racks[i].name, "ext.gw", gi, &in);
        }
        free(gi);
    }
}

/* Fitted on peak RSS (RelWithDebInfo, SimGrid 3.32, one implicit rack
 * unless named): 500 / 2,000 / 4,000 hosts with one VF each gave 112 /
 * 248 / 450 MB (about 100 KiB a host); 4,096 / 16,384 / 65,535 VFs on one
 * host 65 / 107 / 307 MB (about 4 KiB a VF). Rounded up so the estimate
 * errs high. */
#define EST_BASE_BYTES (64.0 * 1024 * 1024)
#define EST_HOST_BYTES (128.0 * 1024)
#define EST_ENDPOINT_BYTES (5.0 * 1024)
#define EST_FLOW_BYTES (8.0 * 1024)

/* A Full zone of n netpoints: n rows of n route pointers. */
static double full_table_bytes(double n)
{
    return 8.0 * n * n + 32.0 * n;
}

double platform_estimate_bytes(const scenario_config *cfg)
{
    double endpoints = 0, total = EST_BASE_BYTES;
    for (size_t r = 0; r < cfg->fabric.n_racks; r++) {
        const rack_config *rk = &cfg->fabric.racks[r];
        double n = (double)rk->n_hosts + 1;
        for (size_t i = 0; i < rk->n_hosts; i++) {
            const host_config *hc = &cfg->hosts[rk->host_idx[i]];
            n += 1; /* the software endpoint */
            for (size_t a = 0; a < hc->n_adapters; a++)
                n += hc->adapters[a].num_vfs;
        }
        endpoints += n - (double)rk->n_hosts - 1;
        /* The XML's Full racks are only written for --dump-platform: the
         * flow-level run builds one zone with no table (sim/zone.h). */
    }
    total += EST_HOST_BYTES * (double)cfg->n_hosts + EST_ENDPOINT_BYTES * endpoints +
             EST_FLOW_BYTES * (double)cfg->n_flows;
    if (cfg->sim.granularity == GRAN_PACKET)
        total += full_table_bytes(endpoints + (double)cfg->n_hosts + 2);
    return total;
}

int platform_write_xml(FILE *out, const scenario_config *cfg, const topo *t,
                       const ep_pair *pairs, size_t n_pairs, bool with_latency)
{
    xml_ctx x = {out, cfg, t, with_latency, false, {cfg, t}};
    ep_pair *sorted = NULL, *pm = NULL;
    size_t n_pm = 0;
    if (n_pairs) {
        sorted = malloc(n_pairs * sizeof *sorted);
        if (!sorted)
            return -1;
        memcpy(sorted, pairs, n_pairs * sizeof *sorted);
        n_pairs = unique_pairs(sorted, n_pairs);
    }
    if (migration_host_pairs(cfg, &pm, &n_pm) != 0) {
        free(sorted);
        return -1;
    }
    fputs("<?xml version='1.0'?>\n"
          "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
          "<!-- Generated by sriov-sim from the scenario; see docs/architecture.md. -->\n"
          "<platform version=\"4.1\">\n<zone id=\"dc\" routing=\"Full\">\n", out);
    /* Every link lives in the root zone: SimGrid 3.32 resolves a route's
     * link names from the root down, one map per zone, so a link declared
     * in the last rack cost a search of every rack before it (quadratic
     * in racks x routes; 6 % of pod-1k). Routes reach links by name
     * whatever zone declares them. SimGrid's parser takes a zone that
     * opens with a link for a leaf zone, so the external zone
     * comes first, with its own link. */
    put_external_zone(&x);
    for (size_t l = 0; l < t->n_links; l++)
        if ((int)l != t->external_link)
            put_link(&x, &t->links[l]);
    for (size_t r = 0; r < cfg->fabric.n_racks; r++)
        if (cfg->fabric.racks[r].n_hosts > 0)
            put_rack_zone(&x, r, sorted, n_pairs, pm, n_pm);
    put_fabric_routes(&x);
    fputs("</zone>\n</platform>\n", out);
    free(sorted);
    free(pm);
    return ferror(out) ? -1 : 0;
}
