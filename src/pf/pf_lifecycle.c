/* pf_lifecycle.c -- sriov_numvfs, VF assignment to a VM and its release,
 * and the PF log of the state at t=0. See pf.h. */
#include <math.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <string.h>

#include "pf/pf.h"

typedef struct numvfs_job {
    pf_adapter *a;
    int from, to;
} numvfs_job;

typedef struct handover_job {
    pf_adapter *a;
    int vf;
    endpoint_ref nic;
    double requested_s;
} handover_job;

static void numvfs_done(sim_ctx *c, void *arg)
{
    const numvfs_job *j = arg;
    double now = simgrid_get_clock();
    for (int i = 0; i < j->a->total_vfs; i++) {
        pf_vf *v = &j->a->vfs[i];
        if (i < j->to && v->state == VF_DISABLED)
            v->state = VF_FREE;
        else if (i >= j->to)
            v->state = VF_DISABLED;
    }
    if (j->to > 0)
        pf_log(c, now, j->a, -1, "vf_enable", "%d VFs enabled (sriov_numvfs=%d, TotalVFs %d)",
               j->to, j->to, j->a->total_vfs);
    else
        pf_log(c, now, j->a, -1, "vf_disable", "%d VFs disabled (sriov_numvfs=0)", j->from);
    pf_enforce(c);
}

/* drivers/pci/iov.c sriov_numvfs_store, and the driver's refusal to free
 * VFs a guest holds (ice_sriov_configure). */
int pf_set_num_vfs(sim_ctx *c, const event_config *ev)
{
    pf_adapter *a = pf_adapter_of(c, ev->host_idx, ev->adapter_idx);
    const os_profile *os = pf_os(c, a);
    double now = simgrid_get_clock();
    int n = ev->num_vfs;
    if (n > a->total_vfs)
        return pf_log(c, now, a, -1, "numvfs_refused", "sriov_numvfs=%d: -ERANGE: exceeds "
                      "TotalVFs %d", n, a->total_vfs);
    if (n == a->num_vfs)
        return pf_log(c, now, a, -1, "numvfs_noop", "sriov_numvfs=%d: already %d VFs, "
                      "nothing to do", n, n);
    if (n > 0 && a->num_vfs > 0)
        return pf_log(c, now, a, -1, "numvfs_refused", "sriov_numvfs=%d: -EBUSY: %d VFs "
                      "already enabled. Disable before enabling %d VFs", n, a->num_vfs, n);
    if (n == 0)
        for (int i = 0; i < a->num_vfs; i++)
            if (a->vfs[i].state != VF_FREE && a->vfs[i].state != VF_DISABLED)
                return pf_log(c, now, a, -1, "numvfs_refused", "sriov_numvfs=0: -EBUSY: "
                              "can't free VFs because some are assigned to VMs (VF %d)", i);
    numvfs_job job = {a, a->num_vfs, n};
    double cost = n > 0 ? n * os->vf_enable_s : a->num_vfs * os->vf_disable_s;
    double done = pf_serve(a, now, cost);
    a->num_vfs = n;     /* what sriov_numvfs reads once the write returns */
    numvfs_job *j = pf_job(c, &job, sizeof job);
    if (!j || pf_log(c, now, a, -1, n > 0 ? "vf_enable_start" : "vf_disable_start",
                     n > 0 ? "Enabling %d VFs" : "Disabling %d VFs", n > 0 ? n : job.from) != 0)
        return -1;
    if (n > a->endpoints)
        pf_log(c, now, a, -1, "vf_no_endpoint", "VFs %d..%d have no endpoint in the simulated "
               "platform (initial num_vfs %d): they carry no traffic", a->endpoints, n - 1,
               a->endpoints);
    return sim_schedule(c, done, numvfs_done, j);
}

static void assign_done(sim_ctx *c, void *arg)
{
    const handover_job *j = arg;
    pf_vf *v = &j->a->vfs[j->vf];
    const os_profile *os = pf_os(c, j->a);
    char name[160];
    pf_vf_take(c, v, j->nic);
    pf_nic_name(c, j->nic, name, sizeof name);
    pf_log(c, simgrid_get_clock(), j->a, j->vf, "vf_assign", "unbound from host driver, "
           "driver_override=%s, bound, IOMMU domain of %s, hot-plugged into %s (%.3f s after "
           "the request)", os->passthrough, c->cfg->vms[j->nic.vm_idx].name, name,
           simgrid_get_clock() - j->requested_s);
    pf_enforce(c);
}

int pf_assign_vf(sim_ctx *c, const event_config *ev)
{
    pf_adapter *a = pf_adapter_of(c, ev->host_idx, ev->adapter_idx);
    const os_profile *os = pf_os(c, a);
    pf_vf *v = &a->vfs[ev->vf_idx];
    double now = simgrid_get_clock();
    char name[160], owner[160];
    pf_nic_name(c, ev->nic, name, sizeof name);
    if (v->state != VF_FREE) {
        const char *why = v->state == VF_DISABLED ? "VF is not enabled (sriov_numvfs)"
                          : "VF is held by another tenant";
        return pf_log(c, now, a, ev->vf_idx, "vf_assign_refused", "assign to %s: %s (%s%s%s)",
                      name, why, pf_state_name(v->state), v->owner.vm_idx >= 0 ? ", " : "",
                      v->owner.vm_idx >= 0 ? pf_nic_name(c, v->owner, owner, sizeof owner) : "");
    }
    if (v->endpoint < 0)
        return pf_log(c, now, a, ev->vf_idx, "vf_assign_refused", "assign to %s: the VF has no "
                      "endpoint in the simulated platform", name);
    handover_job job = {a, ev->vf_idx, ev->nic, now};
    double done = pf_serve(a, now, os->unbind_s + os->bind_s + os->domain_rebuild_s + os->hotplug_s);
    v->state = VF_ASSIGNING;
    v->owner = ev->nic;
    handover_job *j = pf_job(c, &job, sizeof job);
    if (!j || pf_log(c, now, a, ev->vf_idx, "vf_assign_start", "assign to %s requested",
                     name) != 0)
        return -1;
    return sim_schedule(c, done, assign_done, j);
}

static void release_done(sim_ctx *c, void *arg)
{
    const handover_job *j = arg;
    pf_vf *v = &j->a->vfs[j->vf];
    char name[160];
    v->state = VF_FREE;
    v->owner = (endpoint_ref){-1, -1};
    v->admin_mac = false;
    v->admin_vlan = 0;
    v->vlans = 0;
    v->trust = false;
    v->flr_count++;
    pf_log(c, simgrid_get_clock(), j->a, j->vf, "vf_release", "hot-unplugged from %s, FLR, "
           "IOMMU domain torn down, IOTLB flushed, returned to the host driver",
           pf_nic_name(c, j->nic, name, sizeof name));
    pf_enforce(c);
}

int pf_release_vf(sim_ctx *c, const event_config *ev)
{
    pf_adapter *a = pf_adapter_of(c, ev->host_idx, ev->adapter_idx);
    const os_profile *os = pf_os(c, a);
    pf_vf *v = &a->vfs[ev->vf_idx];
    double now = simgrid_get_clock();
    char name[160];
    pf_nic_name(c, ev->nic, name, sizeof name);
    if (v->state != VF_ASSIGNED || v->owner.vm_idx != ev->nic.vm_idx ||
        v->owner.nic_idx != ev->nic.nic_idx)
        return pf_log(c, now, a, ev->vf_idx, "vf_release_refused", "release from %s: the VF "
                      "is not assigned to it (%s)", name, pf_state_name(v->state));
    handover_job job = {a, ev->vf_idx, ev->nic, now};
    /* vfio-pci resets the function when the VM lets it go */
    double done = pf_serve(a, now, os->unplug_s + os->flr_s + os->domain_rebuild_s +
                                       os->unbind_s + os->bind_s);
    v->state = VF_RELEASING;
    handover_job *j = pf_job(c, &job, sizeof job);
    if (!j || pf_log(c, now, a, ev->vf_idx, "vf_release_start", "release from %s requested",
                     name) != 0)
        return -1;
    return sim_schedule(c, done, release_done, j);
}

/* The PF's view at time 0: SR-IOV enabled on each adapter, VFs handed to
 * their VMs through vfio-pci. */
static int log_enabled_and_assigned(sim_ctx *c)
{
    char detail[160];
    for (size_t h = 0; h < c->cfg->n_hosts; h++) {
        const host_config *hc = &c->cfg->hosts[h];
        for (size_t a = 0; a < hc->n_adapters; a++) {
            const adapter_config *ac = &hc->adapters[a];
            if (ac->num_vfs == 0)
                continue;
            snprintf(detail, sizeof detail, "sriov_numvfs=%d (TotalVFs %d)", ac->num_vfs,
                     ac->total_vfs);
            if (eventlog_add(c, 0.0, (int)h, (int)a, -1, "vf_enable", detail) != 0)
                return -1;
        }
    }
    for (size_t v = 0; v < c->topo->n_vfs; v++) {
        const topo_vf *vf = &c->topo->vfs[v];
        if (vf->vm_idx < 0)
            continue;
        const vm_config *vm = &c->cfg->vms[vf->vm_idx];
        snprintf(detail, sizeof detail, "%s bound to vfio-pci, assigned to %s.%s", vf->bdf,
                 vm->name, vm->nics[vf->nic_idx].name);
        if (eventlog_add(c, 0.0, vf->host_idx, vf->adapter_idx, vf->vf, "vf_assign", detail) != 0)
            return -1;
    }
    return 0;
}

/* The model's log at t=0: the VFs enabled and assigned, then why NICs run
 * without the VF they asked for. */
int pf_log_initial(sim_ctx *c)
{
    if (log_enabled_and_assigned(c) != 0)
        return -1;
    for (size_t vm = 0; vm < c->cfg->n_vms; vm++) {
        const vm_config *vc = &c->cfg->vms[vm];
        for (size_t n = 0; n < vc->n_nics; n++) {
            const nic_config *nc = &vc->nics[n];
            if (!nc->fell_back_to_virtio)
                continue;
            const pf_adapter *a = nc->adapter_idx >= 0
                                      ? pf_adapter_of(c, vc->host_idx, nc->adapter_idx) : NULL;
            if (pf_log(c, 0.0, a, -1, "vf_fallback", "%s.%s: no VF: %s; runs as virtio "
                       "(vhost-net)", vc->name, nc->name, nc->fallback_reason
                       ? nc->fallback_reason : "no free VF left (policy.vf_exhausted: virtio)"))
                return -1;
        }
    }
    return 0;
}
