/* virt.h -- the software datapath model (vhost-net, vhost-user/OVS-DPDK,
 * vDPA), and what the migration orchestrator (a layer above) reads and
 * sets of it: the parameters and where each VM runs.
 *
 * CPU: every thread that costs host cycles runs as a SimGrid exec on its
 * host (cpu.h): the backends' threads (vhost-net, OVS-DPDK PMDs), the
 * guest drivers' vCPUs (NICs with key guest) and the VMs' compute vCPUs
 * (cpu_load). At each replan the model sets each exec's cap (a polling
 * thread: one core; a vhost-net or kernel-guest thread: the cycles its
 * flows' offered rates need, one core at most; a compute vCPU: cpu_load
 * of a core) and predicts each thread's share with SimGrid's own sharing
 * rule (virt_fair_share), because the C API cannot read an exec's rate
 * before SimGrid next solves; each sample checks that prediction against
 * the execs' actual progress (a mismatch is logged, virt_cpu_mismatch).
 *
 * Fluid integration: each host's vhost link (topo: H.vhost, crossed by
 * every flow end on the host's software endpoint H.sw) gets the capacity
 * the backend threads' cycles carry for the packet mix crossing it:
 *   capacity = cycles/s the threads get at one core each / demand-weighted
 *              cycles per byte (cost.h)
 * and a NIC with key guest caps its flows at its guest vCPUs' cycles /
 * guest cycles per byte (split by demand among its flows, flow_set_cap).
 * vDPA NICs use a VF endpoint and cost no host datapath cycles.
 * Host CPU use is reported per sample (/timeseries/host_cpu_utilisation)
 * from the execs' progress: polling and compute threads count all they
 * got; a vhost-net or kernel-guest thread counts at most the cycles of the
 * bytes it carried (it sleeps when idle).
 *
 * Ownership: the model's state (virt_of) is allocated by its init, freed
 * by its fini.
 */
#ifndef SRIOV_VIRTIO_VIRT_H
#define SRIOV_VIRTIO_VIRT_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/models.h"
#include "virtio/cpu.h"
#include "scenario/virtio_params.h"

struct virt_model {
    bool loaded;                /* params read (the scenario needs them) */
    virt_params p;              /* the loader's (scenario_config.virtio) */
    size_t n_hosts;
    bool *host_pmd;             /* [host] runs OVS-DPDK PMD threads */
    double *vhost_Bps;          /* [host] capacity last given to H.vhost */
    double *cpu_util;           /* [max_samples x n_hosts] */
    size_t n_rows;
    vthread *th;                /* every CPU thread of the run: first each
                                   host's backend threads, backends_per_host
                                   of them per host, in host order */
    size_t n_th;
    size_t backends_per_host;
    sg_host_t *sg_host;         /* [host] its SimGrid CPU host */
    size_t *nic_base;           /* [vm] flat index of its first NIC */
    size_t n_nics;              /* NICs of all VMs */
    double last_sample_s;
    size_t cpu_mismatches;      /* samples where an exec's progress differed
                                 * from the predicted share */
    int *vm_host;               /* [vm] host it runs on now (virt_set_vm_host) */
    /* queues (queues.h): flat queue index = queue_base[flat NIC] + q */
    int *nic_queues;            /* [flat NIC] queues the guest uses */
    size_t *queue_base;         /* [flat NIC] */
    size_t n_queues;
    double *nic_irq_T_s;        /* [flat NIC] moderation interval, 0 = off */
    int *nic_irq_P;             /* [flat NIC] moderation packet count */
    bool *nic_irq;              /* [flat NIC] its interrupts are modelled */
    double *q_irq_fixed_cps;    /* [queue] timer-paced interrupt cycles/s now */
    double *q_pps;              /* [queue] packets/s offered now (replan scratch) */
    struct virt_qstat *qstat;   /* [queue] what it carried (the /queues table) */
    uint8_t rss_key[40];        /* the run's RSS key (rss.h) */
    struct virt_spread *spread; /* [2 x flow] lazily: a flow end's queue counts */
    size_t n_spread;
    bool per_vm;                /* the run has guest or compute vCPUs: per-VM series */
    double *vm_net, *vm_comp;   /* [max_samples x n_vms] 0..1 of the VM's vCPUs */
    double *nic_irq_hz;         /* [max_samples x n_nics] */
    /* virtio multi-queue and notifications (docs/queues-interrupts.md) */
    uint8_t *nic_notify;        /* [flat NIC] VN_* bits */
    double *q_rx_idle;          /* [queue] 1 - its guest vCPU's busy share now */
    double *q_tx_idle;          /* [queue] 1 - its vhost-net thread's busy share now */
    double *nic_kick_hz;        /* [max_samples x n_nics]; NULL: no NIC kicks */
    int *q_pmd;                 /* [queue] vhost-user: the PMD (0..) polling its
                                   guest-Tx ring on its host now; -1 otherwise */
};

/* Which virtio notifications a NIC's queues take (nic_notify bits). */
enum {
    VN_IRQ = 1,                 /* host->guest interrupts (irqfd): virtio NIC,
                                   kernel guest modelled */
    VN_KICK = 2,                /* guest->host kicks (ioeventfd): virtio NIC on a
                                   sleeping backend (vhost-net), guest modelled */
    VN_VHOST = 4,               /* its queues have vhost-net threads */
    VN_PMD = 8,                 /* its guest-Tx rings are polled by the host's PMDs */
};

/* One queue's totals over the run. */
typedef struct virt_qstat {
    double packets, bytes, interrupts;
    double guest_irq_cycles, exit_cycles;
    uint32_t connections;       /* 5-tuples hashed to it (flows seen so far) */
} virt_qstat;

/* The queue counts of one flow end (NULL counts: not computed yet). */
typedef struct virt_spread {
    uint32_t *counts;           /* [its NIC's queues] */
    int total;                  /* connections */
} virt_spread;

extern const sim_model_ops virt_model_ops;

/* The model's state in this run (NULL before its init). */
static inline struct virt_model *virt_of(const sim_ctx *c)
{
    return sim_model_state(c, &virt_model_ops);
}

/* The parameters read for this run; NULL when the scenario needs none
 * (no software datapath, no migration) or the model does not run. */
const virt_params *virt_loaded_params(const sim_ctx *c);

/* The host VM vm runs on now: its configured host until a migration moves
 * it (virt_set_vm_host, when it resumes on the destination). */
int virt_vm_host(const sim_ctx *c, int vm);
void virt_set_vm_host(sim_ctx *c, int vm, int host);

#endif
