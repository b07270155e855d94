/* cpu.h -- host threads as SimGrid executions: the software datapath's
 * vhost / OVS-DPDK PMD threads, the guests' network vCPUs and the VMs'
 * compute vCPUs all run on their host's SimGrid CPU (host H: cores x
 * core_speed flop/s, a flop being a cycle), so SimGrid's CPU sharing
 * decides how many cycles each one gets when the host is oversubscribed.
 *
 * One thread = at most one long-running exec, capped at bound_cps (<= one
 * core). SimGrid 3.32 cannot change a running exec's bound, so a new bound
 * cancels the exec (after counting its progress) and starts another. Execs
 * are never waited on: the controller actor keeps running and reads their
 * progress (sg_exec_get_remaining) when it samples. Must be called from
 * the controller actor (model hooks and timers, not init/fini).
 *
 * Units: cycles, cycles/s, seconds.
 * Ownership: SimGrid owns the execs; a cancelled one is released by
 * SimGrid, running ones end with the controller actor.
 */
#ifndef SRIOV_VIRTIO_CPU_H
#define SRIOV_VIRTIO_CPU_H

#include <simgrid/forward.h>
#include <stdbool.h>

typedef enum {
    VT_BACKEND = 0,             /* a host's OVS-DPDK PMD, or its vhost-net thread
                                 * for standby ends (a VF NIC moved to software) */
    VT_GUEST,                   /* a guest driver's vCPU (one queue of a NIC) */
    VT_LOAD,                    /* a VM's compute vCPU (cpu_load) */
    VT_VHOST,                   /* the vhost-net kernel thread of one queue pair
                                 * of a virtio NIC (runs on its VM's host) */
} vthread_kind;

typedef struct vthread {
    vthread_kind kind;
    int a, b;                   /* BACKEND: host, backend; GUEST, VHOST: vm, nic;
                                 * LOAD: vm, vcpu */
    int q;                      /* GUEST, VHOST: its queue (and vCPU) on the NIC;
                                 * else 0 */
    bool polls;                 /* busy whether or not it has work (PMD, DPDK) */
    int host;                   /* host it runs on now, -1 before the first start */
    double bound_cps;           /* its exec's cap; 0 = not running */
    double rate_cps;            /* predicted share under that cap (virt_fair_share) */
    double potential_cps;       /* share it would get capped at one core */
    sg_exec_t exec;             /* NULL when not running */
    double size;                /* cycles the exec was started with */
    double done;                /* cycles of its cancelled execs */
    double sampled;             /* cycles counted at the previous sample */
    double changed_s;           /* when its exec was last (re)started or stopped */
} vthread;

/* Cycles the thread has received since the run began. */
double vthread_cycles(const vthread *t);

/* Runs the thread on host (its SimGrid host sg) capped at bound_cps, or
 * stops it (bound_cps 0). No-op when neither changes. horizon_s: the run's
 * length, so an exec never finishes within it. */
void vthread_set(vthread *t, int host, sg_host_t sg, double bound_cps, double horizon_s);

#endif
