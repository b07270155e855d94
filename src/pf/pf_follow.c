/* pf_follow.c -- the PF follows the VF NICs a live migration moves (see
 * pf.h, "pf_follow.c").
 *
 * A migration hot-unplugs a NIC's VF on the source (the NIC carries on
 * over its standby virtio NIC) and, after the VM resumes, plugs a free VF
 * of the destination's adapter if there is one (docs/virtio-migration.md).
 * Before this file the PF kept the configuration's binding for the whole
 * run: the source VF stayed "assigned" to a VM that had left, the
 * destination VF stayed "free" while it carried the VM's traffic (so
 * /pf_vfs, the PF log and a later assign_vf disagreed with the data
 * path), and an FLR of the migrated NIC reset the source VF.
 *
 * Now the migration says when a NIC moves (sim_nic_moved): the VF it
 * leaves is free again at the hot-unplug (as the migration model counts
 * it; the source QEMU keeps it bound to vfio-pci until it exits, a window
 * of one migration's length the model does not hold), the VF it is plugged
 * into is assigned to it with the NIC's administrative settings, and the
 * events that name the NIC (or its VM) act on the VF it holds at their
 * time. Where a NIC is now is the engine's (sim_nic_endpoint, set by
 * sim_nic_moved before this model's hook runs); the PF derives its VF.
 */
#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>

#include "pf/pf.h"

/* The PF adapter and VF of endpoint ep, or NULL when ep is not one of
 * the PF's VFs (a software endpoint, an external one). */
static pf_vf *endpoint_vf(const sim_ctx *c, int ep, pf_adapter **a)
{
    if (ep < 0)
        return NULL;
    const topo_endpoint *e = &c->topo->endpoints[ep];
    if (e->kind != EP_VF || e->host_idx < 0 || e->vf < 0)
        return NULL;
    *a = pf_adapter_of(c, e->host_idx, e->adapter_idx);
    return &(*a)->vfs[e->vf];
}

pf_vf *pf_nic_vf(const sim_ctx *c, endpoint_ref nic, pf_adapter **a)
{
    if (c->cfg->vms[nic.vm_idx].nics[nic.nic_idx].attach != ATTACH_VF)
        return NULL;
    return endpoint_vf(c, sim_nic_endpoint(c, nic), a);
}

bool pf_endpoint_taken(const sim_ctx *c, int ep)
{
    pf_adapter *a;
    const pf_vf *v = endpoint_vf(c, ep, &a);
    return v && v->state != VF_FREE;
}

/* Only VF NICs are the PF's: a vDPA NIC's VF is held by the migration
 * model's own bookkeeping, as at time 0 (init_tenants). */
void pf_nic_moved(sim_ctx *c, endpoint_ref nic, int from_ep, int to_ep)
{
    struct pf_model *m = pf_of(c);
    const nic_config *nc = &c->cfg->vms[nic.vm_idx].nics[nic.nic_idx];
    if (!m || nc->attach != ATTACH_VF)
        return;
    double now = simgrid_get_clock();
    char name[160];
    pf_nic_name(c, nic, name, sizeof name);
    pf_adapter *a;
    pf_vf *v = endpoint_vf(c, from_ep, &a);
    if (v && v->owner.vm_idx == nic.vm_idx && v->owner.nic_idx == nic.nic_idx) {
        v->state = VF_FREE;
        v->owner = (endpoint_ref){-1, -1};
        pf_log(c, now, a, (int)(v - a->vfs), "vf_release", "hot-unplugged from %s for its "
               "live migration: free", name);
    }
    /* the per-adapter flow index (pf_enforce_adapter) is rebuilt from the
     * NICs' endpoints now */
    free(m->ad_first);
    free(m->ad_flows);
    m->ad_first = NULL;
    m->ad_flows = NULL;
    if ((v = endpoint_vf(c, to_ep, &a))) {
        pf_vf_take(c, v, nic);
        pf_log(c, now, a, (int)(v - a->vfs), "vf_assign", "hot-plugged into %s after its "
               "live migration", name);
    }
    /* Only nic's flows can change: the VF it left had it as owner (no
     * other NIC's flows ran on it), the VF it takes was free (no NIC's
     * flows ran on it), and nic_usable reads nothing else. */
    pf_enforce_nic(c, nic);
}

/* The NIC an event aims at: the one it names, or for a fault the VM's NIC
 * whose configured VF the loader resolved. {-1,-1} for events by position
 * (set_num_vfs, pf_busy, an FLR given by host/adapter/vf). */
static endpoint_ref event_nic(const sim_ctx *c, const event_config *ev)
{
    if (ev->nic.vm_idx >= 0)
        return ev->nic;
    if (ev->type != EV_FAULT || ev->vm_idx < 0)
        return (endpoint_ref){-1, -1};
    const vm_config *vc = &c->cfg->vms[ev->vm_idx];
    for (size_t n = 0; n < vc->n_nics; n++)
        if (vc->nics[n].attach == ATTACH_VF && vc->nics[n].adapter_idx == ev->adapter_idx &&
            vc->nics[n].vf_idx == ev->vf_idx)
            return (endpoint_ref){ev->vm_idx, (int)n};
    return (endpoint_ref){-1, -1};
}

int pf_event_here(sim_ctx *c, const event_config *ev, event_config *tmp,
                  const event_config **out)
{
    endpoint_ref nic = event_nic(c, ev);
    *out = ev;
    if (nic.vm_idx < 0 || c->cfg->vms[nic.vm_idx].nics[nic.nic_idx].attach != ATTACH_VF)
        return 0;
    pf_adapter *a;
    const pf_vf *v = pf_nic_vf(c, nic, &a);
    int vf = v ? (int)(v - a->vfs) : -1;
    if (v && a->host_idx == ev->host_idx && a->adapter_idx == ev->adapter_idx &&
        vf == ev->vf_idx)
        return 0;
    if (!v) {
        char name[160];
        *out = NULL;
        return pf_log(c, simgrid_get_clock(), pf_adapter_of(c, ev->host_idx, ev->adapter_idx),
                      ev->vf_idx, "event_refused", "%s for %s: the NIC holds no VF now (live "
                      "migration: on its standby virtio NIC)", event_type_name(ev->type),
                      pf_nic_name(c, nic, name, sizeof name));
    }
    *tmp = *ev;
    tmp->host_idx = a->host_idx;
    tmp->adapter_idx = a->adapter_idx;
    tmp->vf_idx = vf;
    *out = tmp;
    return 0;
}
