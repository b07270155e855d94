/* cpu_plan.h -- which CPU threads a run has, what each asks for, and the
 * share SimGrid gives it (see virt.h, "CPU"). Internal to src/virtio/.
 *
 * Units: cycles/s (a host's core_speed_hz is one core).
 * Ownership: a virt_demand is the caller's; its arrays are freed by
 * virt_demand_free.
 */
#ifndef SRIOV_VIRTIO_CPU_PLAN_H
#define SRIOV_VIRTIO_CPU_PLAN_H

#include "virtio/virt.h"

/* What the active flows ask of each thread group now. */
typedef struct virt_demand {
    double *be_cps;             /* [host x VB_COUNT] cycles/s; INFINITY = elastic */
    bool *be_used;              /* [host x VB_COUNT] some flow end uses it */
    double *guest_cps;          /* [flat queue] */
    bool *guest_used;
    double *vq_cps;             /* [flat queue] its vhost-net thread */
    bool *vq_used;
} virt_demand;

int virt_demand_alloc(const struct virt_model *m, virt_demand *d);
void virt_demand_free(virt_demand *d);

/* Creates the run's threads (none running yet). 0 or -1 (out of memory). */
int virt_threads_init(sim_ctx *c);

/* Sets every thread's host and cap from d and starts, restarts or stops
 * its exec; fills rate_cps and potential_cps. From the controller only. */
void virt_cpu_plan(sim_ctx *c, const virt_demand *d);

/* Cycles/s the threads of the backends marked used on host h get at one
 * core each (the vhost link's cycles). */
double virt_backend_cps(const sim_ctx *c, int h, const bool *used);

/* Adds to cps[flat queue] the cycles/s each queue's guest vCPUs get at
 * one core each, and to cps[n_queues + flat queue] its vhost-net
 * thread's (cps: 2 n_queues entries, zeroed by the caller). */
void virt_queue_cps(const sim_ctx *c, double *cps);

/* PMD threads per host (vhost-user), and what PMD pmd of host h gets at
 * one core. */
int virt_pmds(const struct virt_model *m);
double virt_pmd_cps(const sim_ctx *c, int h, int pmd);

#endif
