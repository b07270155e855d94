/* platform_star.c -- the packet-level star platform. See platform_star.h. */
#include "platform/platform_star.h"

#include <math.h>
#include <stdlib.h>

#include "platform/platform.h"
#include "platform/packet.h"
#include "scenario/ether.h"

/* Folds link l (if any) into the path's bottleneck and latency. An
 * Ethernet link carries frame bytes at frame_share of its line rate. */
static void cross(const topo *t, int l, double frame_share, double *bw, double *lat)
{
    if (l < 0)
        return;
    link_kind_t k = t->links[l].kind;
    /* an adapter's total link counts line rate too (src/adapter/total.h) */
    bool ether = k == LK_PORT || k == LK_HOST_NIC || k == LK_EXTERNAL || k == LK_ADAPTER;
    double cap = t->links[l].bandwidth_Bps * (ether ? frame_share : 1.0);
    if (cap < *bw)
        *bw = cap;
    *lat += t->links[l].latency_s;
}

/* Frame bytes per line byte at each endpoint (preamble, SFD and gap, as
 * the fluid model's datapath sets its Ethernet links): over the flows
 * sending from or to it, weighted by offered rate (elastic flows 1e12 B/s),
 * each flow at its mean frame; 1 without flows. share[ep] on return,
 * w and wk are scratch; all [n_endpoints]. */
static void frame_shares(const scenario_config *cfg, const topo *t, double *w, double *wk,
                         double *share)
{
    for (size_t e = 0; e < t->n_endpoints; e++)
        w[e] = wk[e] = 0;
    for (size_t f = 0; f < cfg->n_flows; f++) {
        const flow_config *fc = &cfg->flows[f];
        double mean = 0;
        for (size_t i = 0; i < fc->n_pkt_sizes; i++)
            mean += fc->pkt_sizes[i].weight * fc->pkt_sizes[i].size_bytes;
        int ends[2] = {topo_flow_endpoint(t, fc->src), topo_flow_endpoint(t, fc->dst)};
        double wf = fc->rate_bps > 0 ? fc->rate_bps / 8.0 : 1e12;
        for (int i = 0; i < 2 && mean > 0; i++) {
            if (ends[i] < 0 || (i == 1 && ends[1] == ends[0]))
                continue;
            w[ends[i]] += wf;
            wk[ends[i]] += wf * eth_wire_bytes(mean) / mean;
        }
    }
    for (size_t e = 0; e < t->n_endpoints; e++)
        share[e] = wk[e] > 0 ? w[e] / wk[e] : 1.0;
}

/* The star link's capacity (bytes/s) and latency (s) for endpoint ep,
 * whose Ethernet links carry frame bytes at fs of their line rate. */
static void platform_star_endpoint(const scenario_config *cfg, const topo *t, int ep,
                                   double fs, double *bandwidth_Bps, double *latency_s)
{
    const topo_endpoint *e = &t->endpoints[ep];
    double bw = INFINITY, lat = 0;
    if (e->kind == EP_EXTERNAL) {
        cross(t, t->external_link, fs, &bw, &lat);
    } else if (e->kind == EP_VF) {
        /* Not the Tx shaper: an ns-3 link has one rate both ways, and the
         * shaper only limits what the VF sends; burst.c applies it at the
         * source (burst.h). */
        cross(t, t->host_iommu_link[e->host_idx], fs, &bw, &lat);
        cross(t, topo_pcie_link(t, e->host_idx, e->adapter_idx), fs, &bw, &lat);
        cross(t, topo_adapter_link(t, e->host_idx, e->adapter_idx), fs, &bw, &lat);
        cross(t, topo_port_link(t, e->host_idx, e->adapter_idx, e->port), fs, &bw, &lat);
    } else {
        cross(t, t->host_vhost_link[e->host_idx], fs, &bw, &lat);
        if (cfg->hosts[e->host_idx].n_adapters > 0) {
            cross(t, topo_pcie_link(t, e->host_idx, 0), fs, &bw, &lat);
            cross(t, topo_adapter_link(t, e->host_idx, 0), fs, &bw, &lat);
            cross(t, topo_port_link(t, e->host_idx, 0, 0), fs, &bw, &lat);
        } else {
            cross(t, t->host_nic_link[e->host_idx], fs, &bw, &lat);
        }
    }
    *bandwidth_Bps = isfinite(bw) ? bw : 1e12;
    *latency_s = lat;
}

static void put_hosts(FILE *out, const scenario_config *cfg, const topo *t)
{
    for (size_t h = 0; h < cfg->n_hosts; h++) {
        fputs("  <host id=\"", out);
        platform_put_escaped(out, cfg->hosts[h].name);
        fprintf(out, "\" speed=\"%.17gf\" core=\"%d\"/>\n", cfg->hosts[h].core_speed_hz,
                cfg->hosts[h].cores);
    }
    for (size_t e = 0; e < t->n_endpoints; e++) {
        fputs("  <host id=\"", out);
        platform_put_escaped(out, t->endpoints[e].name);
        fputs("\" speed=\"1Gf\"/>\n", out);
    }
    fputs("  <router id=\"star.sw\"/>\n", out);
}

static int put_links(FILE *out, const scenario_config *cfg, const topo *t)
{
    size_t n = t->n_endpoints ? t->n_endpoints : 1;
    double *scratch = malloc(3 * n * sizeof *scratch);
    if (!scratch)
        return -1;
    frame_shares(cfg, t, scratch, scratch + n, scratch + 2 * n);
    for (size_t e = 0; e < t->n_endpoints; e++) {
        double bw, lat;
        platform_star_endpoint(cfg, t, (int)e, scratch[2 * n + e], &bw, &lat);
        bw *= PACKET_NS3_WIRE_PER_PAYLOAD;
        fputs("  <link id=\"", out);
        platform_put_escaped(out, t->endpoints[e].name);
        fprintf(out, ".star\" bandwidth=\"%.17gBps\" latency=\"%.17gs\" "
                "sharing_policy=\"SPLITDUPLEX\"/>\n", bw, lat);
    }
    for (size_t l = 0; l < t->n_links; l++) {
        fputs("  <link id=\"", out);
        platform_put_escaped(out, t->links[l].name);
        fprintf(out, "\" bandwidth=\"%.17gBps\" latency=\"0s\"%s/>\n", t->links[l].bandwidth_Bps,
                t->links[l].split_duplex ? " sharing_policy=\"SPLITDUPLEX\"" : "");
    }
    free(scratch);
    return 0;
}

static void put_ctn(FILE *out, const topo *t, int ep, const char *dir)
{
    fputs("<link_ctn id=\"", out);
    platform_put_escaped(out, t->endpoints[ep].name);
    fprintf(out, ".star\" direction=\"%s\"/>", dir);
}

static void put_route(FILE *out, const topo *t, int src, int dst)
{
    fputs("  <route src=\"", out);
    platform_put_escaped(out, t->endpoints[src].name);
    fputs("\" dst=\"", out);
    if (dst < 0)
        fputs("star.sw", out);
    else
        platform_put_escaped(out, t->endpoints[dst].name);
    fputs("\">", out);
    put_ctn(out, t, src, "UP");
    if (dst >= 0)
        put_ctn(out, t, dst, "DOWN");
    fputs("</route>\n", out);
}

/* Each unordered pair once (routes are symmetrical). */
static int put_flow_routes(FILE *out, const scenario_config *cfg, const topo *t)
{
    size_t n = t->n_endpoints;
    unsigned char *seen = calloc(n > 0 ? n * n : 1, 1);
    if (!seen)
        return -1;
    for (size_t f = 0; f < cfg->n_flows; f++) {
        int a = topo_flow_endpoint(t, cfg->flows[f].src);
        int b = topo_flow_endpoint(t, cfg->flows[f].dst);
        if (a < 0 || b < 0 || a == b)
            continue;
        size_t k = a < b ? (size_t)a * n + (size_t)b : (size_t)b * n + (size_t)a;
        if (seen[k])
            continue;
        seen[k] = 1;
        put_route(out, t, a, b);
    }
    free(seen);
    return 0;
}

int platform_star_write_xml(FILE *out, const scenario_config *cfg, const topo *t)
{
    fputs("<?xml version=\"1.0\"?>\n"
          "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
          "<platform version=\"4.1\">\n<zone id=\"star\" routing=\"Full\">\n", out);
    put_hosts(out, cfg, t);
    if (put_links(out, cfg, t) != 0)
        return -1;
    for (size_t e = 0; e < t->n_endpoints; e++)
        put_route(out, t, (int)e, -1);
    if (put_flow_routes(out, cfg, t) != 0)
        return -1;
    fputs("</zone>\n</platform>\n", out);
    return ferror(out) ? -1 : 0;
}
