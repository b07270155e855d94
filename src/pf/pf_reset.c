/* pf_reset.c -- Function Level Reset of one VF, and a guest driver's
 * misbehaviour (blocked, counted, logged). See pf.h. */
#include <math.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <string.h>

#include "pf/pf.h"

/* Packets a VF holds in its rings when it is reset are lost. We count what
 * arrived in the last interrupt-moderation interval: written to the ring,
 * not yet handed to the stack (Rx) or not yet fetched by the device (Tx).
 * 50 us is the ice/iavf default ITR (ICE_ITR_20K, "20K interrupts/s"):
 * inferred as the mean residence time. Capped by the rings' capacity. */
#define PF_RING_RESIDENCE_S 50e-6
#define PF_RING_DESCRIPTORS 512     /* iavf default ring size (IAVF_DEFAULT_RXD) */

typedef struct flr_job {
    pf_adapter *a;
    int vf;
} flr_job;

/* Rate of flow f now: its last sampled throughput, else its offered rate. */
static double flow_rate_Bps(const sim_ctx *c, size_t f)
{
    size_t n = sim_n_samples(c);
    if (n > 0)
        return sim_sampled_flows_bps(c, n - 1)[f] / 8.0;
    return sim_flow_offered_Bps(c, f);
}

static double in_flight_packets(const sim_ctx *c, const pf_vf *v, int queues)
{
    double pkts = 0;
    for (size_t f = 0; v->endpoint >= 0 && f < sim_n_flows(c); f++) {
        if (sim_flow_phase(c, f) != FLOW_ACTIVE ||
            (sim_flow_src_ep(c, f) != v->endpoint && sim_flow_dst_ep(c, f) != v->endpoint))
            continue;
        pkts += flow_rate_Bps(c, f) * PF_RING_RESIDENCE_S / sim_flow_mean_pkt_bytes(c, f);
    }
    double cap = 2.0 * queues * PF_RING_DESCRIPTORS;     /* Tx + Rx rings */
    return floor(fmin(pkts, cap));
}

static void flr_done(sim_ctx *c, void *arg)
{
    const flr_job *j = arg;
    pf_vf *v = &j->a->vfs[j->vf];
    v->state = v->after_flr;
    v->vlans = 0;
    pf_log(c, simgrid_get_clock(), j->a, j->vf, "flr_end", "FLR complete, VF ready (%s)",
           pf_state_name(v->state));
    pf_enforce_adapter(c, j->a);
}

int pf_flr(sim_ctx *c, pf_adapter *a, int vf, double at_s, double duration_s, const char *why)
{
    pf_vf *v = &a->vfs[vf];
    if (v->state != VF_ASSIGNED && v->state != VF_FREE)
        return pf_log(c, at_s, a, vf, "flr_refused", "FLR (%s) ignored: VF is %s", why,
                      pf_state_name(v->state));
    double dur = isnan(duration_s) ? pf_os(c, a)->flr_s : duration_s;
    int queues = c->cfg->hosts[a->host_idx].adapters[a->adapter_idx].queues_per_vf;
    double lost = in_flight_packets(c, v, queues > 0 ? queues : 1);
    v->after_flr = v->state;
    v->state = VF_IN_FLR;
    v->flr_count++;
    v->flr_lost_packets += lost;
    if (v->owner.vm_idx >= 0)
        pf_of(c)->guests[v->owner.vm_idx][v->owner.nic_idx].resets_seen++;
    flr_job job = {a, vf};
    flr_job *j = pf_job(c, &job, sizeof job);
    if (!j || pf_log(c, at_s, a, vf, "flr_start", "FLR start (%s): %.0f in-flight packets lost, "
                     "ready in %.3f ms", why, lost, dur * 1e3) != 0)
        return -1;
    return sim_schedule(c, at_s + dur, flr_done, j);
}

/* "18:02.1": the VF's address without its PCI domain, as DMAR prints it. */
static const char *vf_bdf(const sim_ctx *c, const pf_vf *v)
{
    if (v->endpoint < 0 || c->topo->endpoints[v->endpoint].vf_row < 0)
        return "?";
    return c->topo->vfs[c->topo->endpoints[v->endpoint].vf_row].bdf + 5;
}

int pf_fault(sim_ctx *c, const event_config *ev)
{
    pf_adapter *a = pf_adapter_of(c, ev->host_idx, ev->adapter_idx);
    pf_vf *v = &a->vfs[ev->vf_idx];
    double now = simgrid_get_clock();
    char target[160] = "";
    if (ev->target.vm_idx >= 0) {
        char name[150];
        snprintf(target, sizeof target, " aimed at %s's memory",
                 pf_nic_name(c, ev->target, name, sizeof name));
    }
    const char *bdf = vf_bdf(c, v);
    int kind = 0;
    while (pf_fault_kinds[kind] && strcmp(pf_fault_kinds[kind], ev->detail))
        kind++;
    v->faults_blocked++;
    switch (kind) {
    case FAULT_DMA_OUT_OF_DOMAIN:
        return pf_log(c, now, a, ev->vf_idx, "iommu_fault", "DMAR: [DMA Write] Request device "
                      "[%s] fault addr outside its domain [fault reason 0x05] PTE Write access "
                      "is not set%s: blocked, nothing written", bdf, target);
    case FAULT_P2P_DMA:
        return pf_log(c, now, a, ev->vf_idx, "acs_block", "peer-to-peer DMA%s: ACS Request "
                      "Redirect sent it upstream, the IOMMU blocked it", target);
    case FAULT_PF_REGISTER_WRITE:
        return pf_log(c, now, a, ev->vf_idx, "vfio_block", "write to a PF-only register: not "
                      "in the VF's BAR, vfio-pci dropped it");
    default:
        if (pf_log(c, now, a, ev->vf_idx, "driver_error", "guest driver error (Tx hang): "
                   "recovery policy FLR") != 0)
            return -1;
        return pf_flr(c, a, ev->vf_idx, now, NAN, "driver error recovery");
    }
}
