/* collect.c -- a finished run's state -> run_results tables. */
#include <math.h>
#include <stddef.h>
#include <simgrid/link.h>
#include <simgrid/version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/collect.h"
#include "sim/burst.h"
#include "sim/carried.h"
#include "metrics/results_hist.h"
#include "sim/portfifo.h"

/* Mean and percentiles of a histogram (NaN when empty). */
static void hist_stats(const lhist *h, lat_stats *st)
{
    st->mean_s = lhist_mean(h);
    st->p50_s = lhist_quantile(h, 0.5);
    st->p99_s = lhist_quantile(h, 0.99);
    st->p999_s = lhist_quantile(h, 0.999);
}

/* The flow's histogram becomes the measured one (NULL: none measured, an
 * empty histogram and NaN figures). 0, or -1 when out of memory. */
static int take_measured(lhist *hist, const lhist *measured, lat_stats *st)
{
    lhist_free(hist);
    if (measured && lhist_merge(hist, measured) != 0)
        return -1;
    hist_stats(hist, st);
    return 0;
}

static int collect_flow(const sim_ctx *c, const flow_rt *fl, flow_result *r, lhist *hist)
{
    const flow_config *fc = fl->cfg;
    r->name = results_strdup(fc->name);
    r->kind = results_strdup(fc->kind == FLOW_ELASTIC ? "elastic" : "inelastic");
    r->from = results_strdup(fc->from);
    r->to = results_strdup(fc->to);
    if (!r->name || !r->kind || !r->from || !r->to)
        return -1;
    r->delivered_bytes = fl->delivered_bytes;
    r->offered_bytes = fc->kind == FLOW_ELASTIC
                           ? (fl->phase == FLOW_PENDING ? 0.0 : fc->size_bytes)
                           : fl->offered_bytes;
    r->dropped_bytes = fc->kind == FLOW_INELASTIC ? fmax(0.0, r->offered_bytes - r->delivered_bytes)
                                                  : 0.0;
    r->offered_packets = llround(r->offered_bytes / fl->mean_pkt_bytes);
    r->delivered_packets = llround(r->delivered_bytes / fl->mean_pkt_bytes);
    r->remaining_bytes = fc->kind == FLOW_ELASTIC ? fmax(0.0, fc->size_bytes - fl->delivered_bytes)
                                                  : NAN;
    r->start_s = fl->phase == FLOW_PENDING ? NAN : fl->start_s;
    r->end_s = fl->end_s;
    r->completion_time_s = fl->completion_s;
    /* Every figure comes from the flow's histogram (util/lhist.h), which
     * is stored too (/flow_latency_hist). */
    lat_stats st;
    if (lat_acc_stats_hist(&c->lat[fl - c->flows], fc->pkt_sizes, fc->n_pkt_sizes, &st,
                           hist) != 0) {
        st.mean_s = st.p50_s = st.p99_s = st.p999_s = NAN;
        lhist_free(hist);
    }
    /* Burst granularity measures each burst, arrival to last byte plus
     * propagation (burst.h): that replaces the analytic model's figures. */
    if (c->cfg->sim.granularity == GRAN_BURST && fl->burst &&
        take_measured(hist, burst_latency_hist(fl->burst), &st) != 0)
        return -1;
    /* ... or, with port_queues: fifo, the per-port FIFO reference's. */
    if (c->pfifo &&
        take_measured(hist, portfifo_latency_hist(c->pfifo, (size_t)(fl - c->flows)), &st) != 0)
        return -1;
    /* Packet granularity (ns-3 on the star platform) crosses no topology
     * link, so the analytic model sees no hop and would say 0 s; ns-3
     * gives no per-packet delay through SimGrid. Not measured: NaN
     * (docs/granularity.md), never a silent 0; the histogram is empty. */
    if (c->cfg->sim.granularity == GRAN_PACKET) {
        lhist_free(hist);
        hist_stats(hist, &st);
    }
    r->latency_mean_s = st.mean_s;
    r->latency_p50_s = st.p50_s;
    r->latency_p99_s = st.p99_s;
    r->latency_p999_s = st.p999_s;
    return 0;
}

static int collect_vf(const sim_ctx *c, const topo_vf *v, vf_result *r)
{
    const host_config *h = &c->cfg->hosts[v->host_idx];
    /* Its VM from the start, or the one a migration moved onto it. */
    int vm_idx = v->vm_idx, nic_idx = v->nic_idx;
    if (vm_idx < 0)
        (void)sim_vf_user(c, (int)(v - c->topo->vfs), &vm_idx, &nic_idx);
    const vm_config *vm = vm_idx >= 0 ? &c->cfg->vms[vm_idx] : NULL;
    r->host = results_strdup(h->name);
    r->adapter = results_strdup(h->adapters[v->adapter_idx].name);
    r->vf = v->vf;
    r->bdf = results_strdup(v->bdf);
    r->vm = results_strdup(vm ? vm->name : NULL);
    r->nic = results_strdup(vm ? vm->nics[nic_idx].name : NULL);
    if (!r->host || !r->adapter || !r->bdf || !r->vm || !r->nic)
        return -1;
    return 0;
}

static const char *link_kind_name(link_kind_t k, int up)
{
    switch (k) {
    case LK_PCIE: return up ? "pcie_up" : "pcie_down";
    case LK_PORT: return up ? "port_up" : "port_down";
    case LK_ESWITCH: return "eswitch";
    case LK_VF_SHAPER: return "vf_shaper";
    case LK_HOST_NIC: return up ? "host_nic_up" : "host_nic_down";
    case LK_TOR: return "tor";
    case LK_UPLINK: return up ? "tor_up" : "tor_down";
    case LK_EXTERNAL: return up ? "external_up" : "external_down";
    case LK_IOMMU: return "iommu";
    case LK_VHOST: return "vhost";
    case LK_ADAPTER: return up ? "adapter_up" : "adapter_down";
    case LK_HOST_SHARE: return up ? "host_share_up" : "host_share_down";
    case LK_GPU_PCIE: return up ? "gpu_pcie_up" : "gpu_pcie_down";
    }
    return "other";
}

static int collect_link(const sim_ctx *c, const dlink *d, link_result *r)
{
    const topo_link *tl = &c->topo->links[d->topo_link];
    r->name = results_strdup(d->name);
    r->kind = results_strdup(link_kind_name(tl->kind, d->up));
    if (!r->name || !r->kind)
        return -1;
    /* The page walker and the vhost threads are not byte links: their
     * "capacity" is a byte-rate equivalent of walks or CPU cycles, which the
     * datapath and virtio models re-plan; only their busy fraction is
     * reported (their own units: /vfs translations and walk times,
     * /timeseries/host_cpu_utilisation). */
    int byte_link = tl->kind != LK_IOMMU && tl->kind != LK_VHOST;
    r->capacity_bps = byte_link && tl->bandwidth_Bps < TOPO_UNCAPPED_Bps ? tl->bandwidth_Bps * 8.0
                                                                          : NAN;
    double run_s = c->n_samples ? c->res->time_s[c->n_samples - 1] : 0;
    r->mean_capacity_bps = byte_link && !d->uncapped_for_a_while && run_s > 0
                               ? d->total_cap_bytes * 8.0 / run_s
                               : NAN;
    /* Against what it could carry over the run (its capacity may change). */
    r->mean_utilisation = d->total_cap_bytes > 0 ? d->bytes / d->total_cap_bytes : 0;
    r->peak_utilisation = d->peak_utilisation;
    r->bytes = d->bytes;
    return 0;
}

static int collect_meta(const sim_ctx *c, run_meta *m)
{
    int major, minor, patch;
    char sg[32];
    sg_version_get(&major, &minor, &patch);
    snprintf(sg, sizeof sg, "%d.%d.%d", major, minor, patch);
    static const char *const gran[] = {"flow", "burst", "packet"};
    m->tool_version = results_strdup(SRIOV_VERSION);
    m->simgrid_version = results_strdup(sg);
    m->scenario_name = results_strdup(c->cfg->name);
    m->scenario_text = results_strdup(c->cfg->text);
    m->granularity = results_strdup(gran[c->cfg->sim.granularity]);
    m->seed = c->cfg->sim.seed;
    m->duration_s = c->cfg->sim.duration_s;
    m->peak_active_flows = c->peak_active;
    m->peak_solver_flows = c->peak_bound;
    if (!m->resolved_text)
        m->resolved_text = results_strdup("");
    return (m->tool_version && m->simgrid_version && m->scenario_name && m->scenario_text &&
            m->granularity && m->resolved_text) ? 0 : -1;
}

/* Packets the flow's source offered and the path did not carry, charged to
 * the VF it sends from at the end (tx bytes and packets: carried.c). */
static void count_vf_drops(const sim_ctx *c, run_results *r)
{
    for (size_t f = 0; f < c->n_cfg_flows; f++) {
        const flow_rt *fl = &c->flows[f];
        int src = c->topo->endpoints[fl->src_ep].vf_row;
        if (src >= 0 && fl->cfg->kind == FLOW_INELASTIC)
            r->vfs[src].drops +=
                llround(fmax(0.0, fl->offered_bytes - fl->delivered_bytes) / fl->mean_pkt_bytes);
    }
}

/* A VF's histogram: the sum of those of the flows it sends (their source
 * VF, as count_vf_drops), packets weighted as they are. */
static int vf_hists(const sim_ctx *c, run_results *r, const lhist *fh)
{
    size_t n = c->topo->n_vfs;
    lhist *vh = calloc(n ? n : 1, sizeof *vh);
    if (!vh)
        return -1;
    for (size_t v = 0; v < n; v++)
        lhist_init(&vh[v]);
    int rc = 0;
    for (size_t f = 0; rc == 0 && f < c->n_cfg_flows; f++) {
        int src = c->topo->endpoints[c->flows[f].src_ep].vf_row;
        if (src >= 0 && lhist_merge(&vh[src], &fh[f]) != 0)
            rc = -1;
    }
    for (size_t v = 0; rc == 0 && v < n; v++) {
        lat_stats st;
        hist_stats(&vh[v], &st);
        r->vfs[v].latency_mean_s = st.mean_s;
        r->vfs[v].latency_p50_s = st.p50_s;
        r->vfs[v].latency_p99_s = st.p99_s;
        r->vfs[v].latency_p999_s = st.p999_s;
    }
    if (rc == 0 && n > 0)
        rc = results_add_hists(&r->reg, "vf", vh, n);
    for (size_t v = 0; v < n; v++)
        lhist_free(&vh[v]);
    free(vh);
    return rc;
}

/* /flows, the flows' histograms, then the VFs' (their sums). */
static int collect_flows(const sim_ctx *c, run_results *r)
{
    size_t n = c->n_cfg_flows;
    lhist *fh = calloc(n ? n : 1, sizeof *fh);
    if (!fh)
        return -1;
    for (size_t f = 0; f < n; f++)
        lhist_init(&fh[f]);
    int rc = 0;
    for (size_t f = 0; rc == 0 && f < n; f++)
        rc = collect_flow(c, &c->flows[f], &r->flows[f], &fh[f]);
    if (rc == 0 && n > 0)
        rc = results_add_hists(&r->reg, "flow", fh, n);
    if (rc == 0)
        rc = vf_hists(c, r, fh);
    for (size_t f = 0; f < n; f++)
        lhist_free(&fh[f]);
    free(fh);
    return rc;
}

int collect_results(const sim_ctx *c, run_results *r)
{
    r->flows = calloc(c->n_cfg_flows ? c->n_cfg_flows : 1, sizeof *r->flows);
    r->vfs = calloc(c->topo->n_vfs ? c->topo->n_vfs : 1, sizeof *r->vfs);
    r->links = calloc(c->n_dlinks ? c->n_dlinks : 1, sizeof *r->links);
    if (!r->flows || !r->vfs || !r->links)
        return -1;
    /* Rows are zeroed, so a partly filled table is still safe to free. */
    r->n_flows = c->n_cfg_flows;
    r->n_vfs = c->topo->n_vfs;
    r->n_links = c->n_dlinks;
    if (collect_flows(c, r) != 0)
        return -1;
    for (size_t v = 0; v < c->topo->n_vfs; v++)
        if (collect_vf(c, &c->topo->vfs[v], &r->vfs[v]) != 0)
            return -1;
    if (carried_collect(c, r) != 0)
        return -1;
    count_vf_drops(c, r);
    for (size_t l = 0; l < c->n_dlinks; l++)
        if (collect_link(c, &c->dlinks[l], &r->links[l]) != 0)
            return -1;
    return collect_meta(c, &r->meta);
}
