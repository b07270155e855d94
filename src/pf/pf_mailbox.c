/* pf_mailbox.c -- VF -> PF requests over the mailbox: latency, the PF's
 * policy (trust, administrative MAC / VLAN), and the VF's timeout when the
 * PF does not answer in time. See pf.h. */
#include <math.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <string.h>

#include "pf/pf.h"

/* ice: an untrusted VF may add at most ICE_MAX_VLAN_PER_VF VLAN filters. */
#define PF_UNTRUSTED_MAX_VLANS 8

typedef struct mbx_job {
    pf_adapter *a;
    int vf;
    endpoint_ref nic;
    int op;
    char value[32];
    double sent_s;
    double answer_s;            /* when the VF gets the answer */
    int timed_out;
} mbx_job;

/* The PF's decision, at the time it serves the request. NULL: approved;
 * else the reason it is denied. */
static const char *pf_policy(pf_vf *v, int op)
{
    switch (op) {
    case VFREQ_SET_MAC:
        /* ice_can_vf_change_mac: a host-set MAC binds an untrusted VF */
        return v->admin_mac && !v->trust ? "MAC set administratively by the host; VF not "
                                           "trusted" : NULL;
    case VFREQ_ADD_VLAN:
        if (v->admin_vlan)
            return "port VLAN set by the host";
        if (!v->trust && v->vlans >= PF_UNTRUSTED_MAX_VLANS)
            return "untrusted VF at its VLAN filter limit (8)";
        v->vlans++;
        return NULL;
    case VFREQ_PROMISC:
    case VFREQ_ALLMULTI:
        return v->trust ? NULL : "VF not trusted (ip link set vf N trust on)";
    default:
        return NULL;
    }
}

static void mbx_timeout(sim_ctx *c, void *arg)
{
    mbx_job *j = arg;
    if (!j->timed_out)
        return;
    pf_vf *v = &j->a->vfs[j->vf];
    v->mbx_timeouts++;
    pf_of(c)->guests[j->nic.vm_idx][j->nic.nic_idx].mbx_timeouts++;
    pf_log(c, simgrid_get_clock(), j->a, j->vf, "mbx_timeout", "%s %s: no answer from the PF "
           "after %.3f ms, VF gives up", pf_vf_request_ops[j->op], j->value,
           (simgrid_get_clock() - j->sent_s) * 1e3);
}

static void mbx_served(sim_ctx *c, void *arg)
{
    mbx_job *j = arg;
    pf_vf *v = &j->a->vfs[j->vf];
    double now = simgrid_get_clock();
    if (v->state != VF_ASSIGNED || v->owner.vm_idx != j->nic.vm_idx ||
        v->owner.nic_idx != j->nic.nic_idx) {
        pf_log(c, now, j->a, j->vf, "mbx_dropped", "%s from a VF no longer owned by its sender: "
               "dropped", pf_vf_request_ops[j->op]);
        return;
    }
    const char *deny = pf_policy(v, j->op);
    const char *late = j->timed_out ? " (answer too late: the VF had timed out)" : "";
    if (deny) {
        v->mbx_denied++;
        if (!j->timed_out)
            pf_of(c)->guests[j->nic.vm_idx][j->nic.nic_idx].mbx_denied++;
        pf_log(c, now, j->a, j->vf, "mbx_denied", "%s %s denied: %s%s",
               pf_vf_request_ops[j->op], j->value, deny, late);
        return;
    }
    pf_log(c, now, j->a, j->vf, "mbx_ok", "%s %s approved%s", pf_vf_request_ops[j->op],
           j->value, late);
    if (j->op == VFREQ_RESET && !j->timed_out)
        pf_flr(c, j->a, j->vf, now, NAN, "VF reset request");
    pf_enforce(c);
}

int pf_vf_request(sim_ctx *c, const event_config *ev)
{
    pf_adapter *a = pf_adapter_of(c, ev->host_idx, ev->adapter_idx);
    const os_profile *os = pf_os(c, a);
    pf_vf *v = &a->vfs[ev->vf_idx];
    double now = simgrid_get_clock();
    char name[160];
    mbx_job job = {a, ev->vf_idx, ev->nic, 0, "", now, 0, 0};
    while (pf_vf_request_ops[job.op] && strcmp(pf_vf_request_ops[job.op], ev->detail))
        job.op++;
    snprintf(job.value, sizeof job.value, "%s", ev->value ? ev->value : "");
    pf_nic_name(c, ev->nic, name, sizeof name);
    if (v->state != VF_ASSIGNED || v->owner.vm_idx != ev->nic.vm_idx ||
        v->owner.nic_idx != ev->nic.nic_idx)
        return pf_log(c, now, a, ev->vf_idx, "mbx_dropped", "%s from %s: the NIC has no "
                      "working VF (%s): not sent", ev->detail, name, pf_state_name(v->state));
    v->mbx_requests++;
    pf_of(c)->guests[ev->nic.vm_idx][ev->nic.nic_idx].mbx_requests++;
    double served = pf_serve(a, now + os->mailbox_latency_s, os->mailbox_service_s);
    job.answer_s = served + os->mailbox_latency_s;
    job.timed_out = job.answer_s > now + os->mailbox_timeout_s;
    mbx_job *j = pf_job(c, &job, sizeof job);
    if (!j || pf_log(c, now, a, ev->vf_idx, "mbx_request", "%s %s from %s", ev->detail,
                     job.value, name) != 0)
        return -1;
    if (sim_schedule(c, served, mbx_served, j) != 0)
        return -1;
    return j->timed_out ? sim_schedule(c, now + os->mailbox_timeout_s, mbx_timeout, j) : 0;
}

int pf_busy(sim_ctx *c, const event_config *ev)
{
    pf_adapter *a = pf_adapter_of(c, ev->host_idx, ev->adapter_idx);
    double now = simgrid_get_clock();
    a->busy_until_s = fmax(a->busy_until_s, now) + ev->duration_s;
    return pf_log(c, now, a, -1, "pf_busy", "PF unresponsive for %.3f ms (admin queue stalled)",
                  ev->duration_s * 1e3);
}
