/* routes.c -- closed-form routes over the topology. See routes.h. */
#include "platform/routes.h"

void plat_push(plat_route *r, int link, int up)
{
    if (link >= 0 && r->n < PLAT_ROUTE_MAX)
        r->hops[r->n++] = (plat_hop){link, up};
}

/* Where an endpoint plugs in: its adapter and port. A software endpoint
 * uses its host's first adapter, port 0, through the PF. */
static void attach_point(const plat_routes *p, int ep, int *adapter, int *port)
{
    const topo_endpoint *e = &p->t->endpoints[ep];
    if (e->kind == EP_VF) {
        *adapter = e->adapter_idx;
        *port = e->port;
    } else if (e->host_idx >= 0 && p->cfg->hosts[e->host_idx].n_adapters > 0) {
        *adapter = 0;
        *port = 0;
    } else {
        *adapter = -1;
        *port = -1;
    }
}

/* What a packet crosses inside the host before the adapter: the VF's
 * shaper and the IOMMU for VF DMA, the vhost datapath for software. */
static void host_side(const plat_routes *p, int ep, plat_route *r)
{
    const topo_endpoint *e = &p->t->endpoints[ep];
    if (e->kind == EP_VF)
        plat_push(r, p->t->host_iommu_link[e->host_idx], 1);
    else if (e->kind == EP_SOFTWARE)
        plat_push(r, p->t->host_vhost_link[e->host_idx], 1);
}

void plat_route_up(const plat_routes *p, int ep, plat_route *r)
{
    const topo_endpoint *e = &p->t->endpoints[ep];
    int a, port;
    attach_point(p, ep, &a, &port);
    plat_push(r, e->shaper_link, 1);
    host_side(p, ep, r);
    if (a < 0) {
        plat_push(r, p->t->host_nic_link[e->host_idx], 1);
        return;
    }
    plat_push(r, topo_pcie_link(p->t, e->host_idx, a), 1);
    plat_push(r, topo_adapter_link(p->t, e->host_idx, a), 1);
    plat_push(r, topo_host_share_link(p->t, e->host_idx, a), 1);
    plat_push(r, topo_port_link(p->t, e->host_idx, a, port), 1);
}

void plat_route_down(const plat_routes *p, int ep, plat_route *r)
{
    const topo_endpoint *e = &p->t->endpoints[ep];
    int a, port;
    attach_point(p, ep, &a, &port);
    if (a < 0) {
        plat_push(r, p->t->host_nic_link[e->host_idx], 0);
        host_side(p, ep, r);
        return;
    }
    plat_push(r, topo_port_link(p->t, e->host_idx, a, port), 0);
    plat_push(r, topo_host_share_link(p->t, e->host_idx, a), 0);
    plat_push(r, topo_adapter_link(p->t, e->host_idx, a), 0);
    plat_push(r, topo_pcie_link(p->t, e->host_idx, a), 0);
    host_side(p, ep, r);
}

/* Whether two attach points are one port of one physical adapter: on one
 * host, or on two hosts of a multi-host adapter (they share its port
 * links, topo.h). */
static bool one_port(const plat_routes *p, int hs, int sa, int sp, int hd, int da, int dp)
{
    return sa >= 0 && da >= 0 &&
           topo_port_link(p->t, hs, sa, sp) == topo_port_link(p->t, hd, da, dp);
}

/* Across a VEB eSwitch from adapter sa of host hs to adapter da of host hd
 * (the same adapter, or two hosts' PFs of one multi-host adapter): each
 * host's own PCIe link, the adapter's total link and eSwitch between. */
static void through_eswitch(const plat_routes *p, int hs, int sa, int hd, int da, plat_route *r)
{
    plat_push(r, topo_pcie_link(p->t, hs, sa), 1);
    plat_push(r, topo_adapter_link(p->t, hs, sa), 1);
    plat_push(r, topo_eswitch_link(p->t, hs, sa), 1);
    plat_push(r, topo_adapter_link(p->t, hd, da), 0);
    plat_push(r, topo_pcie_link(p->t, hd, da), 0);
}

bool plat_one_adapter(const plat_routes *p, int src, int dst)
{
    const topo_endpoint *s = &p->t->endpoints[src], *d = &p->t->endpoints[dst];
    int sa, sp, da, dp;
    attach_point(p, src, &sa, &sp);
    attach_point(p, dst, &da, &dp);
    return s->host_idx >= 0 && d->host_idx >= 0 &&
           (s->host_idx == d->host_idx ||
            (sa >= 0 && da >= 0 &&
             topo_eswitch_link(p->t, s->host_idx, sa) == topo_eswitch_link(p->t, d->host_idx, da)));
}

/* Two endpoints of one host, or of two hosts on one multi-host adapter:
 * VEB switches inside the adapter when both sit on the same port; VEPA, or
 * different ports, go out on the wire and the rack's ToR (link tor) sends
 * them back down (802.1Qbg reflective relay), so the ToR carries and counts
 * them. */
void plat_route_local(const plat_routes *p, int src, int dst, int tor, plat_route *r)
{
    const topo_endpoint *s = &p->t->endpoints[src], *d = &p->t->endpoints[dst];
    int sa, sp, da, dp;
    attach_point(p, src, &sa, &sp);
    attach_point(p, dst, &da, &dp);
    bool same_port = one_port(p, s->host_idx, sa, sp, d->host_idx, da, dp);
    bool veb = same_port && p->cfg->hosts[s->host_idx].adapters[sa].eswitch == ESWITCH_VEB;
    if (veb) {
        /* Both ends' host-side links. SimGrid counts a link listed twice
         * twice: right for the IOMMU between two VFs (the Tx read and the
         * Rx write are each translated, as in VEPA), wrong for the one
         * vhost datapath of two software ends of one host. */
        plat_push(r, s->shaper_link, 1);
        host_side(p, src, r);
        through_eswitch(p, s->host_idx, sa, d->host_idx, da, r);
        if (d->kind != s->kind || s->kind == EP_VF || d->host_idx != s->host_idx)
            host_side(p, dst, r);
        return;
    }
    plat_route_up(p, src, r);
    plat_push(r, tor, 1);
    plat_route_down(p, dst, r);
}

static bool gpu_side(endpoint_kind_t k)
{
    return k == EP_GPU || k == EP_HOST_MEM;
}

/* A copy is the GPU's DMA of host memory: it crosses the host's IOMMU
 * link (when the IOMMU is on), as every VF DMA does, and the GPU's PCIe
 * link. */
bool plat_gpu_route(const plat_routes *p, int src, int dst, plat_route *r)
{
    const topo_endpoint *s = &p->t->endpoints[src], *d = &p->t->endpoints[dst];
    if (!gpu_side(s->kind) && !gpu_side(d->kind))
        return false;
    r->n = 0;
    if (s->host_idx == d->host_idx && s->kind == EP_HOST_MEM && d->kind == EP_GPU) {
        plat_push(r, p->t->host_iommu_link[s->host_idx], 1);
        plat_push(r, p->t->gpu_link[d->adapter_idx], 1);
    } else if (s->host_idx == d->host_idx && s->kind == EP_GPU && d->kind == EP_HOST_MEM) {
        plat_push(r, p->t->gpu_link[s->adapter_idx], 0);
        plat_push(r, p->t->host_iommu_link[d->host_idx], 1);
    }
    return true;
}

/* Host CPU a to host CPU b (live migration): through the ToR, or PF to PF
 * through the eSwitch when their first adapters' port 0 is one port of a
 * multi-host adapter in VEB mode. */
void plat_pm_pair(const plat_routes *p, int a, int b, int tor, plat_route *r)
{
    const scenario_config *cfg = p->cfg;
    if (cfg->hosts[a].n_adapters > 0 && cfg->hosts[b].n_adapters > 0 &&
        one_port(p, a, 0, 0, b, 0, 0) && cfg->hosts[a].adapters[0].eswitch == ESWITCH_VEB) {
        through_eswitch(p, a, 0, b, 0, r);
        return;
    }
    plat_pm_up(p, a, r);
    plat_push(r, tor, 1);
    plat_pm_down(p, b, r);
}

/* The host itself (its CPU, where its VMs run) reaches the network through
 * its first adapter's PF, port 0: the path of management and live-migration
 * traffic. */
void plat_pm_up(const plat_routes *p, int h, plat_route *r)
{
    if (p->cfg->hosts[h].n_adapters > 0) {
        plat_push(r, topo_pcie_link(p->t, h, 0), 1);
        plat_push(r, topo_adapter_link(p->t, h, 0), 1);
        plat_push(r, topo_host_share_link(p->t, h, 0), 1);
        plat_push(r, topo_port_link(p->t, h, 0, 0), 1);
    } else {
        plat_push(r, p->t->host_nic_link[h], 1);
    }
}

void plat_pm_down(const plat_routes *p, int h, plat_route *r)
{
    if (p->cfg->hosts[h].n_adapters > 0) {
        plat_push(r, topo_port_link(p->t, h, 0, 0), 0);
        plat_push(r, topo_host_share_link(p->t, h, 0), 0);
        plat_push(r, topo_adapter_link(p->t, h, 0), 0);
        plat_push(r, topo_pcie_link(p->t, h, 0), 0);
    } else {
        plat_push(r, p->t->host_nic_link[h], 0);
    }
}

size_t plat_n_nodes(const plat_routes *p)
{
    return p->cfg->n_hosts + p->t->n_endpoints;
}

/* The host a node sits on, -1 for external. */
static int node_host(const plat_routes *p, int n)
{
    int H = (int)p->cfg->n_hosts;
    return n < H ? n : p->t->endpoints[n - H].host_idx;
}

static void node_up(const plat_routes *p, int n, plat_route *r)
{
    int H = (int)p->cfg->n_hosts;
    if (n < H)
        plat_pm_up(p, n, r);
    else
        plat_route_up(p, n - H, r);
}

static void node_down(const plat_routes *p, int n, plat_route *r)
{
    int H = (int)p->cfg->n_hosts;
    if (n < H)
        plat_pm_down(p, n, r);
    else
        plat_route_down(p, n - H, r);
}

/* Between the external endpoint and rack k: the rack's uplink to spine
 * k mod spines, then the external link (the zone platform's fabric route
 * to ext.z and its external zone). */
static void to_external(const plat_routes *p, int k, plat_route *r)
{
    size_t S = (size_t)p->t->spines;
    plat_push(r, p->t->rack_uplink[(size_t)k * S + (size_t)k % S], 1);
    plat_push(r, p->t->external_link, 1);
}

static void from_external(const plat_routes *p, int k, plat_route *r)
{
    size_t S = (size_t)p->t->spines;
    plat_push(r, p->t->external_link, 0);
    plat_push(r, p->t->rack_uplink[(size_t)k * S + (size_t)k % S], 0);
}

int plat_route_nodes(const plat_routes *p, int src, int dst, plat_route *r)
{
    r->n = 0;
    int H = (int)p->cfg->n_hosts;
    if (src >= H && dst >= H && plat_gpu_route(p, src - H, dst - H, r))
        return r->n;
    if ((src >= H && gpu_side(p->t->endpoints[src - H].kind)) ||
        (dst >= H && gpu_side(p->t->endpoints[dst - H].kind)))
        return 0;  /* a GPU reaches its host's memory only */
    int hs = node_host(p, src), hd = node_host(p, dst);
    int ks = hs >= 0 ? p->cfg->hosts[hs].rack_idx : -1;
    int kd = hd >= 0 ? p->cfg->hosts[hd].rack_idx : -1;
    if (src == dst || (hs >= 0 && ks < 0) || (hd >= 0 && kd < 0) || (hs < 0 && hd < 0))
        return 0;
    if (hs < 0) {
        from_external(p, kd, r);
        plat_push(r, p->t->rack_tor_link[kd], 1);
        node_down(p, dst, r);
        return r->n;
    }
    node_up(p, src, r);
    plat_push(r, p->t->rack_tor_link[ks], 1);
    if (hd < 0) {
        to_external(p, ks, r);
        return r->n;
    }
    if (ks != kd) {
        size_t S = (size_t)p->t->spines, s = ((size_t)ks + (size_t)kd) % S;
        plat_push(r, p->t->rack_uplink[(size_t)ks * S + s], 1);
        plat_push(r, p->t->rack_uplink[(size_t)kd * S + s], 0);
        plat_push(r, p->t->rack_tor_link[kd], 1);
    } else if (src >= (int)p->cfg->n_hosts && dst >= (int)p->cfg->n_hosts &&
               plat_one_adapter(p, src - (int)p->cfg->n_hosts, dst - (int)p->cfg->n_hosts)) {
        r->n = 0;
        plat_route_local(p, src - H, dst - H, p->t->rack_tor_link[ks], r);
        return r->n;
    } else if (src < (int)p->cfg->n_hosts && dst < (int)p->cfg->n_hosts) {
        r->n = 0;
        plat_pm_pair(p, src, dst, p->t->rack_tor_link[ks], r);
        return r->n;
    }
    node_down(p, dst, r);
    return r->n;
}
