/* pf.h -- the PF control-plane model: one PF driver per adapter, the only
 * manager of the device (docs/pf-control-plane.md).
 *
 * Each PF owns its adapter's global state: NumVFs, every VF's state and
 * tenant, the administrative settings (MAC, port VLAN, trust, spoofchk)
 * and the per-VF statistics. It serves requests one at a time, first
 * come first served: scenario events (set_num_vfs, assign_vf, ...) and VF
 * mailbox messages. A request's service time keeps the PF busy
 * (busy_until_s), so a busy or unresponsive PF (pf_busy) delays the next
 * ones and mailbox timeouts emerge. The queue is a FIFO server on the
 * engine's timer heap (see docs for why not a SimGrid actor).
 *
 * Data-plane effects go through the engine: a flow of a NIC whose VF is not
 * usable by it (disabled, not assigned to that NIC, in FLR) is paused
 * (flow_pause) and resumed when it becomes usable again (pf_enforce).
 *
 * Ownership: the model's state (pf_of) owns everything below; pf_fini
 * frees it.
 * Units: seconds, bytes, packets.
 */
#ifndef SRIOV_PF_H
#define SRIOV_PF_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/engine.h"
#include "sim/models.h"

/* DISABLED: beyond NumVFs. FREE: enabled, bound to the host VF driver.
 * ASSIGNING / RELEASING: the PF is handing it over (not usable). */
typedef enum {
    VF_DISABLED = 0, VF_FREE, VF_ASSIGNING, VF_ASSIGNED, VF_RELEASING, VF_IN_FLR
} vf_state;
const char *pf_state_name(vf_state s);

typedef struct pf_vf {
    vf_state state;
    vf_state after_flr;         /* state an FLR returns to */
    endpoint_ref owner;         /* the NIC it is assigned to; {-1,-1} none */
    int endpoint;               /* topo endpoint, -1 when the platform has none */
    int vlans;                  /* VLAN filters the guest added */
    bool trust, spoofchk, admin_mac;
    int admin_vlan;             /* port VLAN set by the host, 0 none */
    char tenants[256];          /* "vm.nic" of each tenant, in order */
    double flr_count, flr_lost_packets, faults_blocked;
    double mbx_requests, mbx_denied, mbx_timeouts;
} pf_vf;

typedef struct pf_adapter {
    int host_idx, adapter_idx;
    int total_vfs;
    int num_vfs;                /* what sriov_numvfs reads */
    int endpoints;              /* VF endpoints in the platform (initial num_vfs) */
    double busy_until_s;        /* the PF serves nothing before this */
    pf_vf *vfs;                 /* [total_vfs] */
} pf_adapter;

/* What a guest saw of its own NIC (the guest view). */
typedef struct pf_guest {
    double mbx_requests, mbx_denied, mbx_timeouts, resets_seen;
} pf_guest;

struct pf_model {
    pf_adapter *adapters;       /* one per (host, adapter), host-major */
    size_t n_adapters;
    int *host_first;            /* [host] index of its first adapter above */
    pf_guest **guests;          /* [vm][nic] */
    bool *paused;               /* [flow] paused by this model */
    size_t *ad_first;           /* [adapter + 1] CSR into ad_flows, built on
                                   the first pf_enforce_adapter; NULL before */
    int *ad_flows;              /* scenario flows with a VF NIC end there */
    size_t *nic_base;           /* [vm] flat index of its first NIC */
    size_t *nic_first;          /* [flat NIC + 1] CSR into nic_flows, built
                                   on the first pf_enforce_nic; NULL before */
    int *nic_flows;             /* scenario flows with an end on that NIC
                                   (configuration: never changes) */
    void **jobs;                /* timer arguments, freed at fini */
    size_t n_jobs, jobs_cap;
};

extern const sim_model_ops pf_control_model;

/* The model's state in this run (NULL before its init). */
static inline struct pf_model *pf_of(const sim_ctx *c)
{
    return sim_model_state(c, &pf_control_model);
}

/* pf_model.c */
pf_adapter *pf_adapter_of(const sim_ctx *c, int host_idx, int adapter_idx);
/* pf_follow.c: the PF follows its NICs when a migration moves them.
 * pf_nic_vf is the VF NIC nic holds now (the engine's sim_nic_endpoint;
 * NULL: none -- on its standby virtio NIC, or left there when the
 * destination had no free VF -- or not a VF NIC), *a its adapter;
 * pf_event_here sets *out to ev aimed at the VF its NIC (or VM) holds now:
 * ev itself, a copy in *tmp, or NULL when the NIC holds no VF now (logged
 * as refused); 0, or -1 when out of memory. */
pf_vf *pf_nic_vf(const sim_ctx *c, endpoint_ref nic, pf_adapter **a);
int pf_event_here(sim_ctx *c, const event_config *ev, event_config *tmp,
                  const event_config **out);
void pf_nic_moved(sim_ctx *c, endpoint_ref nic, int from_ep, int to_ep);
bool pf_endpoint_taken(const sim_ctx *c, int ep);
/* VF v is assigned to nic now: its administrative settings from the
 * NIC's configuration, the NIC added to its tenants. */
void pf_vf_take(sim_ctx *c, pf_vf *v, endpoint_ref nic);
/* Re-applies data-plane consequences: pauses or resumes flows. */
void pf_enforce(sim_ctx *c);
/* The same for a change confined to adapter a's VFs (an FLR): only the
 * flows with an end on one of its VF NICs can change. pf_enforce walks
 * every flow: 80 walks of 320,000 flows for pod-10k's 40 FLRs, 8 % of
 * its run. */
void pf_enforce_adapter(sim_ctx *c, const pf_adapter *a);
/* The same for a change confined to VM NIC nic (a migration moving it):
 * only its flows can change. pf_enforce at each of pod-10k's 8 moves was
 * 2.7 % of its run. */
void pf_enforce_nic(sim_ctx *c, endpoint_ref nic);
/* A heap copy of size bytes owned by the model (timer arguments). */
void *pf_job(sim_ctx *c, const void *data, size_t size);
/* Logs a PF event; detail printf-style. 0 or -1. */
int pf_log(sim_ctx *c, double t_s, const pf_adapter *a, int vf, const char *type,
           const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The PF serves a request arriving at arrival_s that takes service_s:
 * returns when it is done, and keeps the PF busy until then. */
double pf_serve(pf_adapter *a, double arrival_s, double service_s);
const os_profile *pf_os(const sim_ctx *c, const pf_adapter *a);
const char *pf_nic_name(const sim_ctx *c, endpoint_ref n, char *buf, size_t len);

/* pf_lifecycle.c */
int pf_set_num_vfs(sim_ctx *c, const event_config *ev);
int pf_assign_vf(sim_ctx *c, const event_config *ev);
int pf_release_vf(sim_ctx *c, const event_config *ev);
int pf_log_initial(sim_ctx *c);

/* pf_reset.c: FLR (duration_s NaN = the OS profile's) and faults */
int pf_flr(sim_ctx *c, pf_adapter *a, int vf, double at_s, double duration_s, const char *why);
int pf_fault(sim_ctx *c, const event_config *ev);

/* pf_mailbox.c */
int pf_vf_request(sim_ctx *c, const event_config *ev);
int pf_busy(sim_ctx *c, const event_config *ev);

/* pf_collect.c */
int pf_collect(const sim_ctx *c, run_results *r);

#endif
