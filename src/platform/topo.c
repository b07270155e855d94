/* topo.c -- scenario config -> endpoints and links. See topo.h. */
#include "platform/topo.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcie/pcie.h"

/* PCIe links are sized at the payload rate of MTU-sized DMA writes: the
 * common case of the packets a VF moves. Small-packet limits come from the
 * per-packet descriptor model (pcie.h). */
#define TOPO_PCIE_REFERENCE_PACKET_BYTES 1500.0
/* A ToR's switching capacity when the scenario does not name one:
 * 12.8 Tb/s, a common 32x400G data-centre switch ASIC. */
#define TOPO_DEFAULT_TOR_Bps (12.8e12 / 8.0)


static char *fmt_name(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static int add_link(topo *t, size_t *cap, topo_link l)
{
    if (!l.name)
        return -1;
    if (t->n_links == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        topo_link *n = realloc(t->links, ncap * sizeof *n);
        if (!n) {
            free(l.name);
            return -1;
        }
        t->links = n;
        *cap = ncap;
    }
    t->links[t->n_links] = l;
    return (int)t->n_links++;
}

static int add_endpoint(topo *t, size_t *cap, topo_endpoint e)
{
    if (!e.name)
        return -1;
    if (t->n_endpoints == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        topo_endpoint *n = realloc(t->endpoints, ncap * sizeof *n);
        if (!n) {
            free(e.name);
            return -1;
        }
        t->endpoints = n;
        *cap = ncap;
    }
    t->endpoints[t->n_endpoints] = e;
    return (int)t->n_endpoints++;
}

static topo_link mk_link(char *name, link_kind_t kind, bool split, double Bps, double lat,
                         int host, int adapter, int port)
{
    topo_link l = {name, kind, split, Bps, lat, host, adapter, port};
    return l;
}

/* PCI Express Routing IDs: the PF of adapter a sits at bus 0x18 + 0x20*a,
 * device 0, function 0; VF n at RID = PF RID + First VF Offset (16) +
 * n * VF Stride (1), the usual values on Intel and NVIDIA adapters. */
static void format_bdf(char out[16], int adapter_idx, int vf)
{
    unsigned rid = ((0x18u + 0x20u * (unsigned)adapter_idx) << 8) + 16u + (unsigned)vf;
    snprintf(out, 16, "0000:%02x:%02x.%u", (rid >> 8) & 0xffu, (rid >> 3) & 0x1fu, rid & 7u);
}

/* The physical adapter of host h's adapter a: the first host's entry of a
 * multi-host adapter (config.h, share_host), else itself. */
static void physical_adapter(const scenario_config *cfg, int h, int a, int *ph, int *pa)
{
    const adapter_config *ac = &cfg->hosts[h].adapters[a];
    *ph = ac->share_host > 0 ? ac->share_host - 1 : h;
    *pa = ac->share_host > 0 ? ac->share_adapter : a;
}

/* Whether a NIC (a VF) is on port p of host h's adapter a: of that host, or
 * of any host of the same multi-host adapter (they share the port). */
static bool nic_on_port(const scenario_config *cfg, int vm, int nic, int h, int a, int p)
{
    const nic_config *nc = &cfg->vms[vm].nics[nic];
    if (nc->attach != ATTACH_VF || nc->port != p || nc->adapter_idx < 0)
        return false;
    int h1, a1, h2, a2;
    physical_adapter(cfg, cfg->vms[vm].host_idx, nc->adapter_idx, &h1, &a1);
    physical_adapter(cfg, h, a, &h2, &a2);
    return h1 == h2 && a1 == a2;
}

/* Some VF on the port has a guaranteed minimum, now or by an event: the
 * QoS model then shares the port through every VF's shaper (qos/alloc.h). */
static bool port_has_min_rate(const scenario_config *cfg, int h, int a, int p)
{
    for (size_t v = 0; v < cfg->n_vms; v++)
        for (size_t n = 0; n < cfg->vms[v].n_nics; n++)
            if (cfg->vms[v].nics[n].qos.min_rate_bps > 0 &&
                nic_on_port(cfg, (int)v, (int)n, h, a, p))
                return true;
    for (size_t e = 0; e < cfg->n_events; e++) {
        const event_config *ev = &cfg->events[e];
        if (ev->type == EV_SET_QOS && ev->qos.min_rate_bps > 0 &&
            nic_on_port(cfg, ev->nic.vm_idx, ev->nic.nic_idx, h, a, p))
            return true;
    }
    return false;
}

/* A VF needs a shaper link when it has a max rate now or may get one by an
 * event, or shares a port with a guaranteed minimum; the others skip it so
 * the solver sees fewer constraints. */
static bool nic_needs_shaper(const scenario_config *cfg, int vm, int nic, bool any_min)
{
    const nic_config *nc = &cfg->vms[vm].nics[nic];
    if (nc->qos.max_rate_bps > 0)
        return true;
    for (size_t e = 0; e < cfg->n_events; e++) {
        const event_config *ev = &cfg->events[e];
        if (ev->type == EV_SET_QOS && ev->nic.vm_idx == vm && ev->nic.nic_idx == nic)
            return true;
    }
    return any_min && port_has_min_rate(cfg, cfg->vms[vm].host_idx, nc->adapter_idx, nc->port);
}

/* An adapter's ports, eSwitch and adapter-wide limit: once per physical
 * adapter (a multi-host adapter's hosts share them). */
static int build_adapter_side(topo *t, size_t *lcap, const host_config *hc,
                              const adapter_config *ac, int h, int a, int row)
{
    t->adapter_port_link[row] = (int)t->n_links;
    for (int p = 0; p < ac->ports; p++)
        if (add_link(t, lcap, mk_link(fmt_name("%s.%s.p%d", hc->name, ac->name, p), LK_PORT, true,
                                      ac->port_rate_bps / 8.0, ac->port_latency_s, h, a, p)) < 0)
            return -1;
    t->adapter_esw_link[row] = add_link(t, lcap, mk_link(fmt_name("%s.%s.esw", hc->name, ac->name),
                                                         LK_ESWITCH, false,
                                                         ac->eswitch_capacity_bps / 8.0, 0.0, h, a,
                                                         -1));
    if (t->adapter_esw_link[row] < 0)
        return -1;
    t->adapter_total_link[row] = -1;
    if (ac->total_rate_bps > 0 || ac->total_packet_rate_pps > 0) {
        /* Without a stated rate, the packet rate alone limits: the datapath
         * model lowers the link to it from the flows' packet sizes. */
        double Bps = ac->total_rate_bps > 0 ? ac->total_rate_bps / 8.0 : TOPO_UNCAPPED_Bps;
        t->adapter_total_link[row] = add_link(t, lcap, mk_link(fmt_name("%s.%s.total", hc->name,
                                                                        ac->name),
                                                               LK_ADAPTER, true, Bps, 0.0, h, a,
                                                               -1));
        if (t->adapter_total_link[row] < 0)
            return -1;
    }
    return 0;
}

static int build_adapter(const scenario_config *cfg, topo *t, size_t *lcap, size_t *ecap,
                         int h, int a, int row)
{
    const host_config *hc = &cfg->hosts[h];
    const adapter_config *ac = &hc->adapters[a];
    double pcie_Bps = pcie_write_payload_Bps(&ac->pcie, TOPO_PCIE_REFERENCE_PACKET_BYTES);
    int pcie = add_link(t, lcap, mk_link(fmt_name("%s.%s.pcie", hc->name, ac->name), LK_PCIE,
                                         true, pcie_Bps, 0.0, h, a, -1));
    if (pcie < 0)
        return -1;
    t->adapter_pcie_link[row] = pcie;
    t->adapter_host_share_link[row] = -1;
    if (ac->host_max_rate_bps > 0) {
        /* The host's share of the shared ports, counted like qos.max_rate
         * (flow bytes, not line bytes): the vendor's per-host rate limit
         * (docs/multi-host.md). Only with the key: other topologies keep
         * their link indices. */
        t->adapter_host_share_link[row] =
            add_link(t, lcap, mk_link(fmt_name("%s.%s.host_share", hc->name, ac->name),
                                      LK_HOST_SHARE, true, ac->host_max_rate_bps / 8.0, 0.0, h,
                                      a, -1));
        if (t->adapter_host_share_link[row] < 0)
            return -1;
    }
    if (ac->share_host > 0) {
        /* A host on a multi-host adapter (docs/multi-host.md): its own PCIe
         * link (above) and PF, the first member's ports, eSwitch and
         * adapter-wide limit (built before it: the first in host order). */
        int owner = t->host_adapter_row[ac->share_host - 1] + ac->share_adapter;
        t->adapter_port_link[row] = t->adapter_port_link[owner];
        t->adapter_esw_link[row] = t->adapter_esw_link[owner];
        t->adapter_total_link[row] = t->adapter_total_link[owner];
    } else if (build_adapter_side(t, lcap, hc, ac, h, a, row) < 0) {
        return -1;
    }
    t->adapter_first_vf[row] = (int)t->n_endpoints;
    for (int v = 0; v < ac->num_vfs; v++) {
        topo_endpoint e = {fmt_name("%s.%s.vf%d", hc->name, ac->name, v), EP_VF, h, a, 0, v, -1,
                           (int)t->n_vfs};
        if (add_endpoint(t, ecap, e) < 0)
            return -1;
        topo_vf *vf = &t->vfs[t->n_vfs++];
        vf->host_idx = h;
        vf->adapter_idx = a;
        vf->vf = v;
        format_bdf(vf->bdf, a, v);
        vf->endpoint = (int)t->n_endpoints - 1;
        vf->vm_idx = -1;
        vf->nic_idx = -1;
    }
    return 0;
}

static int build_host(const scenario_config *cfg, topo *t, size_t *lcap, size_t *ecap, int h,
                      int *row)
{
    const host_config *hc = &cfg->hosts[h];
    t->host_adapter_row[h] = *row;
    t->host_nic_link[h] = -1;
    for (size_t a = 0; a < hc->n_adapters; a++)
        if (build_adapter(cfg, t, lcap, ecap, h, (int)a, (*row)++) < 0)
            return -1;
    if (hc->n_adapters == 0) {
        const link_spec *hl = &cfg->fabric.host_link;
        t->host_nic_link[h] = add_link(t, lcap, mk_link(fmt_name("%s.nic", hc->name), LK_HOST_NIC,
                                                        true, hl->rate_bps / 8.0, hl->latency_s,
                                                        h, -1, -1));
        if (t->host_nic_link[h] < 0)
            return -1;
    }
    t->host_iommu_link[h] = -1;
    if (hc->iommu.enabled) {
        t->host_iommu_link[h] = add_link(t, lcap, mk_link(fmt_name("%s.iommu", hc->name), LK_IOMMU,
                                                          false, TOPO_UNCAPPED_Bps, 0.0, h, -1, -1));
        if (t->host_iommu_link[h] < 0)
            return -1;
    }
    t->host_vhost_link[h] = add_link(t, lcap, mk_link(fmt_name("%s.vhost", hc->name), LK_VHOST,
                                                      false, TOPO_UNCAPPED_Bps, 0.0, h, -1, -1));
    if (t->host_vhost_link[h] < 0)
        return -1;
    topo_endpoint sw = {fmt_name("%s.sw", hc->name), EP_SOFTWARE, h, -1, 0, -1, -1, -1};
    t->host_sw_endpoint[h] = add_endpoint(t, ecap, sw);
    return t->host_sw_endpoint[h] < 0 ? -1 : 0;
}

static int build_fabric(const scenario_config *cfg, topo *t, size_t *lcap, size_t *ecap)
{
    const fabric_config *f = &cfg->fabric;
    t->spines = f->spines > 0 ? f->spines : 1;
    for (size_t r = 0; r < f->n_racks; r++) {
        const char *rn = f->racks[r].name;
        t->rack_tor_link[r] = add_link(t, lcap, mk_link(fmt_name("%s.tor", rn), LK_TOR, false,
                                                        TOPO_DEFAULT_TOR_Bps, f->tor_latency_s, -1, -1,
                                                        -1));
        if (t->rack_tor_link[r] < 0)
            return -1;
        for (int s = 0; s < t->spines; s++) {
            int id = add_link(t, lcap, mk_link(fmt_name("%s.up%d", rn, s), LK_UPLINK, true,
                                               f->tor_uplink.rate_bps / 8.0,
                                               f->tor_uplink.latency_s, -1, -1, -1));
            if (id < 0)
                return -1;
            t->rack_uplink[r * (size_t)t->spines + (size_t)s] = id;
        }
    }
    t->external_link = add_link(t, lcap, mk_link(fmt_name("external.link"), LK_EXTERNAL, true,
                                                 f->external.rate_bps / 8.0, f->external.latency_s,
                                                 -1, -1, -1));
    topo_endpoint ext = {fmt_name("external"), EP_EXTERNAL, -1, -1, 0, -1, -1, -1};
    t->external_endpoint = add_endpoint(t, ecap, ext);
    return (t->external_link < 0 || t->external_endpoint < 0) ? -1 : 0;
}

double topo_gpu_up_Bps(const gpu_config *g)
{
    pcie_config p = {.gen = g->model.pcie_gen, .lanes = g->model.pcie_lanes,
                     .mps_bytes = 256, .mrrs_bytes = 512};
    return pcie_read_payload_Bps(&p, 1 << 20);
}

double topo_gpu_down_Bps(const gpu_config *g)
{
    pcie_config p = {.gen = g->model.pcie_gen, .lanes = g->model.pcie_lanes,
                     .mps_bytes = 256, .mrrs_bytes = 512};
    return pcie_write_payload_Bps(&p, 1 << 20);
}

/* Per GPU its endpoint and PCIe link, per host with GPUs its memory
 * endpoint (topo.h). Last, so that scenarios without GPUs keep every
 * index; at flow granularity only (the GPU model's live copies). */
static int build_gpus(const scenario_config *cfg, topo *t, size_t *lcap, size_t *ecap)
{
    for (size_t g = 0; g < cfg->n_gpus; g++)
        t->gpu_endpoint[g] = t->gpu_link[g] = -1;
    for (size_t h = 0; h < cfg->n_hosts; h++)
        t->host_mem_endpoint[h] = -1;
    if (cfg->sim.granularity != GRAN_FLOW)
        return 0;
    for (size_t g = 0; g < cfg->n_gpus; g++) {
        const gpu_config *gc = &cfg->gpus[g];
        const char *hn = cfg->hosts[gc->host_idx].name;
        if (t->host_mem_endpoint[gc->host_idx] < 0) {
            topo_endpoint m = {fmt_name("%s.mem", hn), EP_HOST_MEM, gc->host_idx, -1, 0, -1, -1, -1};
            if ((t->host_mem_endpoint[gc->host_idx] = add_endpoint(t, ecap, m)) < 0)
                return -1;
        }
        topo_endpoint e = {fmt_name("%s.%s", hn, gc->name), EP_GPU, gc->host_idx, (int)g, 0, -1,
                           -1, -1};
        t->gpu_link[g] = add_link(t, lcap, mk_link(fmt_name("%s.%s.pcie", hn, gc->name),
                                                   LK_GPU_PCIE, true, topo_gpu_up_Bps(gc), 0.0,
                                                   gc->host_idx, -1, -1));
        if (t->gpu_link[g] < 0 || (t->gpu_endpoint[g] = add_endpoint(t, ecap, e)) < 0)
            return -1;
    }
    return 0;
}

static int bind_nics(const scenario_config *cfg, topo *t, size_t *lcap, char *err, size_t errlen)
{
    /* no guaranteed minimum anywhere: the per-port search of
     * nic_needs_shaper is skipped, keeping the build linear at pod scale */
    bool any_min = config_has_min_rate(cfg);
    t->n_vms = cfg->n_vms;
    t->nic_endpoint = calloc(cfg->n_vms ? cfg->n_vms : 1, sizeof *t->nic_endpoint);
    if (!t->nic_endpoint)
        return -1;
    for (size_t v = 0; v < cfg->n_vms; v++) {
        const vm_config *vm = &cfg->vms[v];
        t->nic_endpoint[v] = calloc(vm->n_nics ? vm->n_nics : 1, sizeof(int));
        if (!t->nic_endpoint[v])
            return -1;
        for (size_t n = 0; n < vm->n_nics; n++) {
            const nic_config *nc = &vm->nics[n];
            int ep = t->host_sw_endpoint[vm->host_idx];
            if ((nc->attach == ATTACH_VF || nc->attach == ATTACH_VDPA) && nc->vf_idx >= 0) {
                int row = t->host_adapter_row[vm->host_idx] + nc->adapter_idx;
                ep = t->adapter_first_vf[row] + nc->vf_idx;
                topo_endpoint *e = &t->endpoints[ep];
                if (!nc->plugged) {
                    /* a later tenant of the VF (assign_vf): same endpoint,
                     * the row keeps the VM plugged at t=0 */
                    t->nic_endpoint[v][n] = ep;
                    continue;
                }
                if (t->vfs[e->vf_row].vm_idx >= 0) {
                    snprintf(err, errlen, "%s: VF %d bound twice", e->name, nc->vf_idx);
                    return -1;
                }
                e->port = nc->port;
                t->vfs[e->vf_row].vm_idx = (int)v;
                t->vfs[e->vf_row].nic_idx = (int)n;
                if (nic_needs_shaper(cfg, (int)v, (int)n, any_min)) {
                    double cap = nc->qos.max_rate_bps > 0 ? nc->qos.max_rate_bps / 8.0
                                                          : TOPO_UNCAPPED_Bps;
                    e->shaper_link = add_link(t, lcap, mk_link(fmt_name("%s.shaper", e->name),
                                                               LK_VF_SHAPER, false, cap, 0.0,
                                                               vm->host_idx, nc->adapter_idx,
                                                               nc->port));
                    if (e->shaper_link < 0)
                        return -1;
                }
            }
            t->nic_endpoint[v][n] = ep;
        }
    }
    return 0;
}

/* Whether a migrating VM brings a shaped NIC (a max rate now or by an
 * event, or a guaranteed minimum): its QoS follows it to the VF it is
 * plugged into on the destination (qos/shaper.c, "nic_moved"). */
static bool vm_has_shaped_nic(const scenario_config *cfg, int vm, bool any_min)
{
    for (size_t n = 0; n < cfg->vms[vm].n_nics; n++) {
        const nic_config *nc = &cfg->vms[vm].nics[n];
        if ((nc->attach == ATTACH_VF || nc->attach == ATTACH_VDPA) &&
            nic_needs_shaper(cfg, vm, (int)n, any_min))
            return true;
    }
    return false;
}

/* Shaper links on the VFs a live migration may plug a NIC into: the free
 * VFs of the destination host, when the moving VM has a shaped NIC or the
 * VF's port shares guaranteed minimums (as for the VFs bound at time 0).
 * Without them a capped tenant ran uncapped after its migration (measured:
 * a 5 Gb/s cap came back as 15 Gb/s on the destination). The links start
 * uncapped; the shaper sets them when a NIC arrives. */
static int add_migration_shapers(const scenario_config *cfg, topo *t, size_t *lcap,
                                 bool any_min)
{
    for (size_t e = 0; e < cfg->n_events; e++) {
        const event_config *ev = &cfg->events[e];
        if (ev->type != EV_MIGRATE || ev->vm_idx < 0 || ev->to_host_idx < 0)
            continue;
        int h = ev->to_host_idx;
        bool shaped = vm_has_shaped_nic(cfg, ev->vm_idx, any_min);
        const host_config *hc = &cfg->hosts[h];
        for (size_t a = 0; a < hc->n_adapters; a++) {
            int first = t->adapter_first_vf[t->host_adapter_row[h] + (int)a];
            signed char port_min[64]; /* ports <= 64 (catalogue limit); -1 = not asked */
            memset(port_min, -1, sizeof port_min);
            for (int v = 0; v < hc->adapters[a].num_vfs; v++) {
                topo_endpoint *ep = &t->endpoints[first + v];
                if (ep->shaper_link >= 0 || t->vfs[ep->vf_row].vm_idx >= 0)
                    continue;
                /* one scan of the VMs per port, not per VF */
                if (!shaped && any_min && port_min[ep->port & 63] < 0)
                    port_min[ep->port & 63] = port_has_min_rate(cfg, h, (int)a, ep->port);
                if (!shaped && !(any_min && port_min[ep->port & 63] > 0))
                    continue;
                ep->shaper_link = add_link(t, lcap, mk_link(fmt_name("%s.shaper", ep->name),
                                                            LK_VF_SHAPER, false,
                                                            TOPO_UNCAPPED_Bps, 0.0, h, (int)a,
                                                            ep->port));
                if (ep->shaper_link < 0)
                    return -1;
            }
        }
    }
    return 0;
}

static size_t count_adapters_and_vfs(const scenario_config *cfg, size_t *n_vfs)
{
    size_t n = 0;
    *n_vfs = 0;
    for (size_t h = 0; h < cfg->n_hosts; h++) {
        n += cfg->hosts[h].n_adapters;
        for (size_t a = 0; a < cfg->hosts[h].n_adapters; a++)
            *n_vfs += (size_t)cfg->hosts[h].adapters[a].num_vfs;
    }
    return n;
}

static int alloc_indices(const scenario_config *cfg, topo *t)
{
    size_t n_vfs;
    size_t n_adapters = count_adapters_and_vfs(cfg, &n_vfs);
    size_t nh = cfg->n_hosts ? cfg->n_hosts : 1;
    size_t nr = cfg->fabric.n_racks ? cfg->fabric.n_racks : 1;
    size_t ns = cfg->fabric.spines > 0 ? (size_t)cfg->fabric.spines : 1;
    t->host_sw_endpoint = calloc(nh, sizeof(int));
    t->host_nic_link = calloc(nh, sizeof(int));
    t->host_iommu_link = calloc(nh, sizeof(int));
    t->host_vhost_link = calloc(nh, sizeof(int));
    t->host_adapter_row = calloc(nh, sizeof(int));
    t->adapter_pcie_link = calloc(n_adapters ? n_adapters : 1, sizeof(int));
    t->adapter_first_vf = calloc(n_adapters ? n_adapters : 1, sizeof(int));
    t->adapter_total_link = calloc(n_adapters ? n_adapters : 1, sizeof(int));
    t->adapter_port_link = calloc(n_adapters ? n_adapters : 1, sizeof(int));
    t->adapter_esw_link = calloc(n_adapters ? n_adapters : 1, sizeof(int));
    t->adapter_host_share_link = calloc(n_adapters ? n_adapters : 1, sizeof(int));
    t->rack_tor_link = calloc(nr, sizeof(int));
    t->rack_uplink = calloc(nr * ns, sizeof(int));
    t->vfs = calloc(n_vfs ? n_vfs : 1, sizeof *t->vfs);
    t->gpu_endpoint = calloc(cfg->n_gpus ? cfg->n_gpus : 1, sizeof(int));
    t->gpu_link = calloc(cfg->n_gpus ? cfg->n_gpus : 1, sizeof(int));
    t->host_mem_endpoint = calloc(nh, sizeof(int));
    return (t->gpu_endpoint && t->gpu_link && t->host_mem_endpoint && t->host_sw_endpoint && t->host_nic_link && t->host_iommu_link &&
            t->host_vhost_link && t->host_adapter_row &&
            t->adapter_pcie_link && t->adapter_first_vf && t->adapter_total_link &&
            t->adapter_port_link && t->adapter_esw_link && t->adapter_host_share_link &&
            t->rack_tor_link && t->rack_uplink &&
            t->vfs) ? 0 : -1;
}

int topo_build(const scenario_config *cfg, topo *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    size_t lcap = 0, ecap = 0;
    int row = 0;
    if (alloc_indices(cfg, t) < 0)
        goto oom;
    for (size_t h = 0; h < cfg->n_hosts; h++)
        if (build_host(cfg, t, &lcap, &ecap, (int)h, &row) < 0)
            goto oom;
    if (build_fabric(cfg, t, &lcap, &ecap) < 0)
        goto oom;
    err[0] = '\0';
    if (bind_nics(cfg, t, &lcap, err, errlen) < 0) {
        if (!err[0])
            goto oom;
        topo_free(t);
        return -1;
    }
    if (add_migration_shapers(cfg, t, &lcap, config_has_min_rate(cfg)) < 0 ||
        build_gpus(cfg, t, &lcap, &ecap) < 0)
        goto oom;
    return 0;
oom:
    snprintf(err, errlen, "out of memory while building the topology");
    topo_free(t);
    return -1;
}

void topo_free(topo *t)
{
    for (size_t i = 0; i < t->n_links; i++)
        free(t->links[i].name);
    for (size_t i = 0; i < t->n_endpoints; i++)
        free(t->endpoints[i].name);
    if (t->nic_endpoint)
        for (size_t v = 0; v < t->n_vms; v++)
            free(t->nic_endpoint[v]);
    free(t->nic_endpoint);
    free(t->links);
    free(t->endpoints);
    free(t->vfs);
    free(t->gpu_endpoint);
    free(t->gpu_link);
    free(t->host_mem_endpoint);
    free(t->host_sw_endpoint);
    free(t->host_nic_link);
    free(t->host_iommu_link);
    free(t->host_vhost_link);
    free(t->host_adapter_row);
    free(t->adapter_pcie_link);
    free(t->adapter_first_vf);
    free(t->adapter_total_link);
    free(t->adapter_port_link);
    free(t->adapter_esw_link);
    free(t->adapter_host_share_link);
    free(t->rack_tor_link);
    free(t->rack_uplink);
    memset(t, 0, sizeof *t);
}

int topo_flow_endpoint(const topo *t, endpoint_ref ref)
{
    if (ref.vm_idx < 0)
        return t->external_endpoint;
    return t->nic_endpoint[ref.vm_idx][ref.nic_idx];
}

int topo_pcie_link(const topo *t, int host_idx, int adapter_idx)
{
    return t->adapter_pcie_link[t->host_adapter_row[host_idx] + adapter_idx];
}

int topo_port_link(const topo *t, int host_idx, int adapter_idx, int port)
{
    return t->adapter_port_link[t->host_adapter_row[host_idx] + adapter_idx] + port;
}

int topo_eswitch_link(const topo *t, int host_idx, int adapter_idx)
{
    return t->adapter_esw_link[t->host_adapter_row[host_idx] + adapter_idx];
}

int topo_adapter_link(const topo *t, int host_idx, int adapter_idx)
{
    return t->adapter_total_link[t->host_adapter_row[host_idx] + adapter_idx];
}

int topo_host_share_link(const topo *t, int host_idx, int adapter_idx)
{
    return t->adapter_host_share_link[t->host_adapter_row[host_idx] + adapter_idx];
}
