/* virt.h -- the software datapath model (vhost-net, vhost-user/OVS-DPDK,
 * vDPA) and its shared state with the migration orchestrator.
 *
 * Fluid integration: each host's vhost link (topo: H.vhost, crossed by
 * every flow end on the host's software endpoint H.sw) gets the capacity
 * the backend's CPU can carry for the packet mix now crossing it:
 *   capacity = backend cores x core speed / demand-weighted cycles per byte
 * (cost.h), recomputed in the replan hook. vDPA NICs use a VF endpoint (a
 * hardware datapath) and cost no host datapath cycles.
 * Host CPU use by the datapath is reported per sample (/timeseries/
 * host_cpu_utilisation): vhost-net cycles actually spent, plus OVS-DPDK's
 * PMD cores, which poll (100 % busy) on any host with a vhost-user NIC.
 *
 * Ownership: c->virt is allocated by the model's init, freed by its fini.
 */
#ifndef SRIOV_VIRTIO_VIRT_H
#define SRIOV_VIRTIO_VIRT_H

#include <stdbool.h>

#include "sim/models.h"
#include "virtio/params.h"

struct mig_model;

struct virt_model {
    bool loaded;                /* params read (the scenario needs them) */
    virt_params p;
    size_t n_hosts;
    double *host_cycles_per_s;  /* [host] cores x core speed */
    bool *host_pmd;             /* [host] runs OVS-DPDK PMD threads */
    double *vhost_Bps;          /* [host] capacity last given to H.vhost */
    double *cpu_util;           /* [max_samples x n_hosts] */
    size_t n_rows;
    struct mig_model *mig;      /* the migration orchestrator's state */
};

extern const sim_model_ops virt_model_ops;

/* The backend serving one flow end on a software endpoint: the NIC's own
 * backend when it is virtio, the standby (vhost-net) for a VF or vDPA NIC
 * moved to software. -1 when the end is not on a software endpoint. */
int virt_end_backend(const sim_ctx *c, endpoint_ref ref, int ep);

/* Fixed per-packet latency the software hops add to flow f (seconds): the
 * backends' latency at each end on a software endpoint. For the sampler's
 * latency model. */
double virt_fixed_latency_s(const sim_ctx *c, size_t f);

/* Where models/virtio/ is: $SRIOV_MODELS_DIR, else the source tree's. */
const char *virt_models_dir(void);

#endif
