/* datapath.c -- see datapath.h. */
#include "datapath/datapath.h"

#include <math.h>
#include <simgrid/engine.h>
#include <simgrid/link.h>
#include <stdio.h>
#include <stdlib.h>

#include "iommu/iommu.h"
#include "pcie/pcie.h"
#include "scenario/ether.h"
#include "sim/fluid.h"

/* Demand weight of an elastic flow: far above any inelastic rate, so
 * elastic flows share a link's capacity equally among themselves. */
#define DP_ELASTIC_WEIGHT 1e12
/* The PCIe both-ways fixed point (plan_links): relative change at which
 * it stops, and a bound on its steps (64 B both ways needs ~40). */
#define DP_EST_TOLERANCE 1e-12
/* Never let reverse-direction traffic starve a PCIe direction (it cannot
 * for NIC costs, where a flow's reverse bytes are below its primary ones). */
#define DP_MIN_PCIE_SHARE 0.01
#define DP_EST_MAX_STEPS 200

typedef struct dp_vf {
    double translations, misses, invalidations;
    double walk_s_sum;          /* sum over misses of the mean walk time */
} dp_vf;

/* Per-packet averages of one end of a flow (over its packet-size mix). */
typedef struct dp_end {
    int host;                   /* host whose IOMMU translates, -1: none */
    int vf_row;                 /* topo.vfs row, -1 when not a VF */
    iommu_pkt_cost k;           /* per packet */
    double busy_s;              /* walker seconds per packet */
} dp_end;

struct datapath_model {
    iotlb_memo memo;
    dp_vf *vf;                  /* [topo n_vfs] */
    double *w, *wk;             /* [dlink] primary demand and demand x cost */
    double *rev_wk;             /* [dlink] demand x reverse-direction cost */
    /* plan_links(): [dlink] TLP bandwidth (PCIe, else 0), the other
     * direction, 1 when the model sets its capacity (PCIe, Ethernet),
     * estimated frame bytes/s carried, room; [flow] estimated rate. */
    double *tlp;
    int *peer;
    unsigned char *planned;
    double *x, *room, *est;
    double *host_w, *host_wb;   /* [host] IOMMU demand and demand x cost */
    double *host_walks_Hz;      /* [host] walk arrivals in the last interval */
    double *host_walk_s;        /* [host] mean walk time in the last interval */
    double *fixed_s;            /* [flow] per-packet translation delay */
    /* [flow * 2 + end] end_cost() of each flow's source (0) and destination
     * (1), valid while the end stays on cached_ep (a migration moves it):
     * the cost depends only on configuration, and recomputing it for every
     * flow at every replan was a tenth of a pod-1k run. */
    dp_end *cached;
    int *cached_ep;
    /* [flow * 2 + up] pkt_wire() of each flow on the PCIe link it crosses
     * in that direction, valid while that link is wire_link - 1. */
    pcie_pkt_wire *wire;
    int *wire_link;
};

static struct datapath_model *dp_of(const sim_ctx *c)
{
    return sim_model_state(c, &datapath_model);
}

static const nic_config *end_nic(const sim_ctx *c, endpoint_ref r)
{
    return r.vm_idx >= 0 ? &c->cfg->vms[r.vm_idx].nics[r.nic_idx] : NULL;
}

static bool end_dpdk(const sim_ctx *c, endpoint_ref r)
{
    const nic_config *n = end_nic(c, r);
    return n && n->guest_dpdk;
}

/* The translation work of a flow's end at endpoint ep, averaged over the
 * flow's packet sizes (weights are packet counts). */
static dp_end end_cost(sim_ctx *c, const flow_config *fc, int ep, endpoint_ref r)
{
    dp_end e = {.host = -1, .vf_row = -1};
    const topo_endpoint *te = &c->topo->endpoints[ep];
    if (te->kind != EP_VF || c->topo->host_iommu_link[te->host_idx] < 0)
        return e;
    const iommu_config *io = &c->cfg->hosts[te->host_idx].iommu;
    if (io->passthrough)
        return e;
    const nic_config *n = end_nic(c, r);
    double ws = n ? n->buffer_working_set_bytes : 8.0 * 1048576.0;
    iotlb_pattern pat = n && n->buffer_access_random ? IOTLB_RANDOM : IOTLB_CYCLIC;
    bool keeps_crc = c->cfg->hosts[te->host_idx].adapters[te->adapter_idx].keeps_crc;
    e.host = te->host_idx;
    e.vf_row = te->vf_row;
    for (size_t i = 0; i < fc->n_pkt_sizes; i++) {
        const pkt_size *p = &fc->pkt_sizes[i];
        iommu_pkt_cost k = iommu_packet_cost(io, &dp_of(c)->memo, ws, pat, end_dpdk(c, r),
                                             eth_dma_bytes(p->size_bytes, keeps_crc));
        e.k.translations += p->weight * k.translations;
        e.k.misses += p->weight * k.misses;
        e.k.invalidations += p->weight * k.invalidations;
    }
    e.busy_s = iommu_packet_busy_s(io, &e.k);
    return e;
}

/* end_cost() of flow f's source (end 0) or destination (end 1), cached. */
static dp_end flow_end_cost(sim_ctx *c, size_t f, int end)
{
    struct datapath_model *m = dp_of(c);
    size_t slot = f * 2 + (size_t)end;
    int ep = end ? sim_flow_dst_ep(c, f) : sim_flow_src_ep(c, f);
    if (m->cached_ep[slot] != ep + 1) {
        const flow_config *fc = sim_flow_cfg(c, f);
        m->cached[slot] = end_cost(c, fc, ep, end ? fc->dst : fc->src);
        m->cached_ep[slot] = ep + 1;
    }
    return m->cached[slot];
}

/* Wire bytes per packet on a PCIe direction: the flow's Tx side on UP
 * (device reads), its Rx side on DOWN (device writes), by packet mix. The
 * DMA moves the frame less its FCS (scenario/ether.h). */
static pcie_pkt_wire pkt_wire(const sim_ctx *c, const flow_config *fc, const topo_link *l,
                              int up)
{
    const adapter_config *a = &c->cfg->hosts[l->host_idx].adapters[l->adapter_idx];
    const pcie_config *p = &a->pcie;
    endpoint_ref r = up ? fc->src : fc->dst;
    pcie_driver_t drv = end_dpdk(c, r) ? PCIE_DRIVER_DPDK : PCIE_DRIVER_KERNEL;
    pcie_pkt_wire w = {0, 0};
    for (size_t i = 0; i < fc->n_pkt_sizes; i++) {
        const pkt_size *s = &fc->pkt_sizes[i];
        double dma = eth_dma_bytes(s->size_bytes, a->keeps_crc);
        pcie_pkt_wire one = up ? pcie_nic_tx_wire(p, drv, dma) : pcie_nic_rx_wire(p, drv, dma);
        w.up_bytes += s->weight * one.up_bytes;
        w.down_bytes += s->weight * one.down_bytes;
    }
    return w;
}

static double flow_weight(const sim_ctx *c, size_t f)
{
    double offered = sim_flow_offered_Bps(c, f);
    return offered > 0 ? offered : DP_ELASTIC_WEIGHT;
}

/* pkt_wire() cached per flow and direction, like flow_end_cost(). */
static pcie_pkt_wire flow_wire(sim_ctx *c, size_t f, int dl)
{
    struct datapath_model *m = dp_of(c);
    int up = sim_dlink_up(c, dl) == 1, link = sim_dlink_topo_link(c, dl);
    size_t slot = f * 2 + (size_t)up;
    if (m->wire_link[slot] != link + 1) {
        m->wire[slot] = pkt_wire(c, sim_flow_cfg(c, f), &c->topo->links[link], up);
        m->wire_link[slot] = link + 1;
    }
    return m->wire[slot];
}

static void add_pcie_hop(sim_ctx *c, size_t f, int h, double w)
{
    struct datapath_model *m = dp_of(c);
    pcie_pkt_wire pw = flow_wire(c, f, h);
    int up = sim_dlink_up(c, h) == 1;
    double prim = up ? pw.up_bytes : pw.down_bytes;
    double rev = up ? pw.down_bytes : pw.up_bytes;
    m->w[h] += w;
    m->wk[h] += w * prim / sim_flow_mean_pkt_bytes(c, f);
    m->rev_wk[h] += w * rev / sim_flow_mean_pkt_bytes(c, f);
}

/* A flow crosses its host's IOMMU link once per VF end there (both ends'
 * DMAs are translated: two crossings VF to VF, in VEB and VEPA alike), so
 * each crossing carries 1/crossings of the walks of its ends. */
static void add_iommu_hop(sim_ctx *c, size_t f, int host, int crossings, double w)
{
    struct datapath_model *m = dp_of(c);
    dp_end s = flow_end_cost(c, f, 0);
    dp_end d = flow_end_cost(c, f, 1);
    double busy = (s.host == host ? s.busy_s : 0) + (d.host == host ? d.busy_s : 0);
    m->host_w[host] += w;
    m->host_wb[host] += w * busy / crossings / sim_flow_mean_pkt_bytes(c, f);
}

/* How many times flow f crosses each host's IOMMU link: up to
 * DP_CROSS_HOSTS hosts (a route crosses its two ends' hosts), counted in
 * one walk of the route (a walk per IOMMU hop was 1.5 % of pod-10k). */
#define DP_CROSS_HOSTS 4
typedef struct dp_cross {
    int host[DP_CROSS_HOSTS], n[DP_CROSS_HOSTS], k;
} dp_cross;

static void iommu_crossings(const sim_ctx *c, size_t f, dp_cross *x)
{
    x->k = 0;
    for (size_t h = 0; h < sim_flow_n_hops(c, f); h++) {
        const topo_link *l = &c->topo->links[sim_dlink_topo_link(c, sim_flow_hop(c, f, h))];
        if (l->kind != LK_IOMMU)
            continue;
        int i = 0;
        while (i < x->k && x->host[i] != l->host_idx)
            i++;
        if (i == x->k) {
            if (x->k == DP_CROSS_HOSTS)
                continue; /* a route has two ends: never; crossings_of counts */
            x->host[x->k] = l->host_idx;
            x->n[x->k++] = 0;
        }
        x->n[i]++;
    }
}

static int crossings_of(const sim_ctx *c, size_t f, const dp_cross *x, int host)
{
    for (int i = 0; i < x->k; i++)
        if (x->host[i] == host)
            return x->n[i];
    int n = 0; /* a host past DP_CROSS_HOSTS: counted the long way */
    for (size_t h = 0; h < sim_flow_n_hops(c, f); h++) {
        const topo_link *l = &c->topo->links[sim_dlink_topo_link(c, sim_flow_hop(c, f, h))];
        n += l->kind == LK_IOMMU && l->host_idx == host;
    }
    return n;
}

/* Links whose capacity is an Ethernet line rate: every frame also takes
 * preamble, SFD and the inter-frame gap (scenario/ether.h). */
static bool ethernet_link(link_kind_t k)
{
    return k == LK_PORT || k == LK_HOST_NIC || k == LK_TOR || k == LK_UPLINK ||
           k == LK_EXTERNAL;
}

/* Line bytes per frame byte of flow f: its mix's mean frame plus 20 B. */
static void add_ether_hop(sim_ctx *c, size_t f, int dl, double w)
{
    struct datapath_model *m = dp_of(c);
    double frame = sim_flow_mean_pkt_bytes(c, f);
    m->w[dl] += w;
    m->wk[dl] += w * eth_wire_bytes(frame) / frame;
}

/* A streaming DMA over contiguous pinned buffers (a GPU copy, spawn.h
 * dma_stream) touches each page once and never comes back, so the IOTLB
 * cannot help: one walk per page crossed, and no invalidation (the
 * buffers stay mapped). Per byte: iommu_walk_s / page_size (2 MiB pages
 * of a hugepage-backed guest: 512 times fewer, shorter walks), 0 in
 * passthrough mode. Weighed like a VF flow (docs/gpu.md, "The IOMMU"). */
static void add_stream_iommu(sim_ctx *c, size_t f)
{
    struct datapath_model *m = dp_of(c);
    for (size_t h = 0; h < sim_flow_n_hops(c, f); h++) {
        const topo_link *l = &c->topo->links[sim_dlink_topo_link(c, sim_flow_hop(c, f, h))];
        if (l->kind != LK_IOMMU)
            continue;
        const iommu_config *io = &c->cfg->hosts[l->host_idx].iommu;
        double w = flow_weight(c, f);
        m->host_w[l->host_idx] += w;
        if (!io->passthrough)
            m->host_wb[l->host_idx] += w * iommu_walk_s(io) / io->page_size_bytes;
    }
}

static void accumulate(sim_ctx *c)
{
    for (size_t i = 0; i < sim_n_active(c); i++) {
        size_t f = sim_active_flow(c, i);
        if (f >= sim_n_flows(c)) { /* a spawned flow: only DMA streams weigh */
            if (sim_flow_dma_stream(c, f))
                add_stream_iommu(c, f);
            continue;
        }
        double w = flow_weight(c, f);
        dp_cross x = {.k = -1};
        for (size_t h = 0; h < sim_flow_n_hops(c, f); h++) {
            int dl = sim_flow_hop(c, f, h);
            const topo_link *l = &c->topo->links[sim_dlink_topo_link(c, dl)];
            if (l->kind == LK_PCIE) {
                add_pcie_hop(c, f, dl, w);
            } else if (l->kind == LK_IOMMU) {
                if (x.k < 0)
                    iommu_crossings(c, f, &x);
                add_iommu_hop(c, f, l->host_idx, crossings_of(c, f, &x, l->host_idx), w);
            } else if (ethernet_link(l->kind)) {
                add_ether_hop(c, f, dl, w);
            }
        }
    }
}

/* A raise reaches the flows crossing the link through
 * sim_capacity_restart_raised, once dp_replan has set every link. */
static void set_Bps(sim_ctx *c, int dl, double Bps)
{
    if (sim_dlink_capacity_Bps(c, dl) != Bps)
        sim_set_dlink_Bps(c, dl, Bps);
}

/* Both PCIe directions at once. Direction d of a link has TLP bandwidth
 * T; its own flows cost k_d wire bytes per frame byte (demand-weighted
 * mean), the opposite direction's flows put r_o per frame byte on it, so
 * it has room for
 *   room_d = (T - r_o X_o) / k_d        frame bytes/s,
 * X_o the frame bytes/s the opposite direction's flows carry. X_o is not
 * their demand: a flow carries the least of its demand and its part of
 * each PCIe and Ethernet room on its route (part = room x its demand /
 * the link's demand), and those parts depend on the X of every PCIe link
 * it crosses. est_pass() is one Jacobi step of that fixed point
 * (flows' estimated rates -> X -> rooms -> estimates); plan_links()
 * iterates it to 1e-12. The step contracts by about r / k < 1 (64 B: 0.45
 * at worst), so 64 B flows both ways converge in ~40 steps and a run
 * without a congested PCIe link in 2. Each direction's capacity is then
 * its room at the converged X: a direction that binds carries T of TLPs,
 * counting the other direction's descriptor and completion traffic.
 * Closed forms (docs/pcie-iommu.md): one overloaded flow each way fills
 * both directions (k_tx x + r_rx y = T, r_tx x + k_rx y = T); one flow
 * crossing the link both ways (VF -> VF through the eSwitch) gets
 * pcie-bench's bidirectional rate, T / max(k_tx + r_rx, k_rx + r_tx). */
static double link_room(const sim_ctx *c, int dl)
{
    const struct datapath_model *m = dp_of(c);
    if (m->tlp[dl] > 0) {
        int o = m->peer[dl];
        double rev = m->w[o] > 0 ? m->rev_wk[o] / m->w[o] : 0;
        double avail = fmax(DP_MIN_PCIE_SHARE * m->tlp[dl], m->tlp[dl] - rev * m->x[o]);
        return m->wk[dl] > 0 ? avail * m->w[dl] / m->wk[dl] : avail;
    }
    /* An Ethernet link's capacity in frame bytes/s: its line rate x the
     * running flows' frame bytes per line byte (demand-weighted mean, like
     * PCIe: exact for one frame size). The line rate when idle. */
    double line = c->topo->links[sim_dlink_topo_link(c, dl)].bandwidth_Bps;
    return m->wk[dl] > 0 ? line * m->w[dl] / m->wk[dl] : line;
}

/* One step: X from the flows' estimates (reverse traffic ignored when
 * first), rooms, new estimates. Returns the largest relative change. */
static double est_pass(sim_ctx *c, bool first)
{
    struct datapath_model *m = dp_of(c);
    size_t nd = sim_n_dlinks(c), na = sim_n_active(c);
    for (size_t dl = 0; dl < nd; dl++)
        m->x[dl] = 0;
    /* generated flows (index >= sim_n_flows) are not the models' (spawn.h) */
    for (size_t i = 0; i < na && !first; i++) {
        size_t f = sim_active_flow(c, i);
        if (f >= sim_n_flows(c))
            continue;
        for (size_t h = 0; h < sim_flow_n_hops(c, f); h++)
            m->x[sim_flow_hop(c, f, h)] += m->est[f];
    }
    for (size_t dl = 0; dl < nd; dl++)
        m->room[dl] = m->planned[dl] ? link_room(c, (int)dl) : 0;
    double change = 0;
    for (size_t i = 0; i < na; i++) {
        size_t f = sim_active_flow(c, i);
        if (f >= sim_n_flows(c))
            continue;
        double w = flow_weight(c, f), e = w;
        for (size_t h = 0; h < sim_flow_n_hops(c, f); h++) {
            int dl = sim_flow_hop(c, f, h);
            if (m->planned[dl] && m->w[dl] > 0)
                e = fmin(e, w * fmin(1.0, m->room[dl] / m->w[dl]));
        }
        change = fmax(change, fabs(e - m->est[f]) / fmax(e, 1e-300));
        m->est[f] = e;
    }
    return change;
}

/* Sets every PCIe and Ethernet link's capacity from the converged rooms
 * (after DP_EST_MAX_STEPS without converging, which no case has needed,
 * from the last step's). */
static void plan_links(sim_ctx *c)
{
    struct datapath_model *m = dp_of(c);
    double change = est_pass(c, true);
    for (int it = 0; it < DP_EST_MAX_STEPS && change > DP_EST_TOLERANCE; it++)
        change = est_pass(c, false);
    for (size_t dl = 0; dl < sim_n_dlinks(c); dl++)
        if (m->planned[dl])
            set_Bps(c, (int)dl, m->room[dl]);
}

static void plan_iommu(sim_ctx *c, int host)
{
    struct datapath_model *m = dp_of(c);
    int link = c->topo->host_iommu_link[host];
    if (link < 0)
        return;
    int walkers = c->cfg->hosts[host].iommu.walkers;
    double cap = m->host_wb[host] > 0 ? walkers * m->host_w[host] / m->host_wb[host]
                                      : TOPO_UNCAPPED_Bps;
    set_Bps(c, sim_dlink_of_topo(c, link), cap);
}

static void dp_replan(sim_ctx *c)
{
    struct datapath_model *m = dp_of(c);
    if (!m)
        return;
    size_t n_dlinks = sim_n_dlinks(c);
    for (size_t i = 0; i < n_dlinks; i++)
        m->w[i] = m->wk[i] = m->rev_wk[i] = 0;
    for (size_t h = 0; h < c->cfg->n_hosts; h++)
        m->host_w[h] = m->host_wb[h] = 0;
    accumulate(c);
    plan_links(c);
    for (size_t h = 0; h < c->cfg->n_hosts; h++)
        plan_iommu(c, (int)h);
    sim_capacity_restart_raised(c);
}

/* The links plan_links() sizes, their TLP bandwidth and opposite
 * direction (split-duplex links: UP first, DOWN next). */
static void init_links(sim_ctx *c)
{
    struct datapath_model *m = dp_of(c);
    for (size_t l = 0; l < c->topo->n_links; l++) {
        const topo_link *tl = &c->topo->links[l];
        int dl = sim_dlink_of_topo(c, (int)l), dirs = tl->split_duplex ? 2 : 1;
        for (int d = 0; d < dirs; d++) {
            m->peer[dl + d] = dirs == 2 ? dl + 1 - d : dl;
            m->planned[dl + d] = tl->kind == LK_PCIE || ethernet_link(tl->kind);
            if (tl->kind == LK_PCIE)
                m->tlp[dl + d] = pcie_tlp_Bps(&c->cfg->hosts[tl->host_idx]
                                                   .adapters[tl->adapter_idx].pcie);
        }
    }
}

static int dp_init(sim_ctx *c)
{
    struct datapath_model *m = calloc(1, sizeof *m);
    size_t nd = sim_n_dlinks(c) ? sim_n_dlinks(c) : 1, nh = c->cfg->n_hosts ? c->cfg->n_hosts : 1;
    if (!m)
        return -1;
    sim_set_model_state(c, &datapath_model, m);
    m->vf = calloc(c->topo->n_vfs ? c->topo->n_vfs : 1, sizeof *m->vf);
    m->w = calloc(nd, sizeof(double));
    m->wk = calloc(nd, sizeof(double));
    m->rev_wk = calloc(nd, sizeof(double));
    m->tlp = calloc(nd, sizeof(double));
    m->peer = calloc(nd, sizeof(int));
    m->planned = calloc(nd, 1);
    m->x = calloc(nd, sizeof(double));
    m->room = calloc(nd, sizeof(double));
    m->host_w = calloc(nh, sizeof(double));
    m->host_wb = calloc(nh, sizeof(double));
    m->host_walks_Hz = calloc(nh, sizeof(double));
    m->host_walk_s = calloc(nh, sizeof(double));
    size_t nf = sim_n_flows(c);
    m->fixed_s = calloc(nf ? nf : 1, sizeof(double));
    m->est = calloc(nf ? nf : 1, sizeof(double));
    m->cached = calloc(2 * nf + 1, sizeof *m->cached);
    m->cached_ep = calloc(2 * nf + 1, sizeof *m->cached_ep);
    m->wire = calloc(2 * nf + 1, sizeof *m->wire);
    m->wire_link = calloc(2 * nf + 1, sizeof *m->wire_link);
    if (!m->vf || !m->w || !m->wk || !m->rev_wk || !m->tlp || !m->peer || !m->planned ||
        !m->x || !m->room || !m->est || !m->host_w || !m->host_wb ||
        !m->host_walks_Hz || !m->host_walk_s || !m->fixed_s || !m->cached || !m->cached_ep ||
        !m->wire || !m->wire_link) {
        snprintf(c->error, sizeof c->error, "datapath model: out of memory");
        return -1;
    }
    init_links(c);
    dp_replan(c);
    return 0;
}

/* Walker seconds of work per second on each host in the interval, as walk
 * arrivals (invalidations counted in walk-equivalents). */
static void sample_walk_load(sim_ctx *c, const double *tp, double dt)
{
    struct datapath_model *m = dp_of(c);
    for (size_t h = 0; h < c->cfg->n_hosts; h++)
        m->host_walks_Hz[h] = 0;
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        double pkts = tp[f] * dt / 8.0 / sim_flow_mean_pkt_bytes(c, f);
        if (pkts <= 0)
            continue;
        dp_end e[2] = {flow_end_cost(c, f, 0), flow_end_cost(c, f, 1)};
        for (int i = 0; i < 2; i++) {
            if (e[i].host < 0)
                continue;
            double walk_s = iommu_walk_s(&c->cfg->hosts[e[i].host].iommu);
            m->host_walks_Hz[e[i].host] += pkts * e[i].busy_s / walk_s / dt;
        }
    }
    for (size_t h = 0; h < c->cfg->n_hosts; h++)
        m->host_walk_s[h] = iommu_mean_walk_s(&c->cfg->hosts[h].iommu, m->host_walks_Hz[h]);
}

static void dp_sample(sim_ctx *c, size_t k, double dt)
{
    struct datapath_model *m = dp_of(c);
    if (!m || dt <= 0)
        return;
    const double *tp = sim_sampled_flows_bps(c, k);
    sample_walk_load(c, tp, dt);
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        double pkts = tp[f] * dt / 8.0 / sim_flow_mean_pkt_bytes(c, f);
        dp_end e[2] = {flow_end_cost(c, f, 0), flow_end_cost(c, f, 1)};
        double fixed = 0;
        for (int i = 0; i < 2; i++) {
            if (e[i].host < 0)
                continue;
            double walk = m->host_walk_s[e[i].host];
            fixed += e[i].k.misses * walk;
            if (e[i].vf_row < 0 || pkts <= 0)
                continue;
            dp_vf *v = &m->vf[e[i].vf_row];
            v->translations += pkts * e[i].k.translations;
            v->misses += pkts * e[i].k.misses;
            v->invalidations += pkts * e[i].k.invalidations;
            v->walk_s_sum += pkts * e[i].k.misses * walk;
        }
        m->fixed_s[f] = fixed;
    }
}

static int dp_collect(const sim_ctx *c, run_results *r)
{
    const struct datapath_model *m = dp_of(c);
    if (!m)
        return 0;
    for (size_t i = 0; i < r->n_vfs && i < c->topo->n_vfs; i++) {
        const dp_vf *v = &m->vf[i];
        r->vfs[i].translations = v->translations;
        r->vfs[i].iotlb_misses = v->misses;
        r->vfs[i].iotlb_hits = v->translations - v->misses;
        r->vfs[i].invalidations = v->invalidations;
        r->vfs[i].walk_time_mean_s = v->misses > 0 ? v->walk_s_sum / v->misses : NAN;
    }
    return 0;
}

static void dp_fini(sim_ctx *c)
{
    struct datapath_model *m = dp_of(c);
    if (!m)
        return;
    iotlb_memo_free(&m->memo);
    free(m->vf);
    free(m->w);
    free(m->wk);
    free(m->rev_wk);
    free(m->tlp);
    free(m->peer);
    free(m->planned);
    free(m->x);
    free(m->room);
    free(m->est);
    free(m->host_w);
    free(m->host_wb);
    free(m->host_walks_Hz);
    free(m->host_walk_s);
    free(m->fixed_s);
    free(m->cached);
    free(m->cached_ep);
    free(m->wire);
    free(m->wire_link);
    free(m);
    sim_set_model_state(c, &datapath_model, NULL);
}

/* Mean per-packet translation delay of flow f (seconds): page walks per
 * packet x the host walker's current mean walk time, summed over the
 * flow's translating ends. For the latency model's fixed_s. 0 when the
 * model has no state or the flow translates nothing. */
static double dp_fixed_latency_s(const sim_ctx *c, size_t flow)
{
    const struct datapath_model *m = dp_of(c);
    if (!m || flow >= sim_n_flows(c))
        return 0.0;
    return m->fixed_s[flow];
}

const sim_model_ops datapath_model = {
    .name = "pcie-iommu-datapath",
    .needs_live_capacities = true,
    .init = dp_init,
    .replan = dp_replan,
    .fixed_latency_s = dp_fixed_latency_s,
    .sample = dp_sample,
    .collect = dp_collect,
    .fini = dp_fini,
};
