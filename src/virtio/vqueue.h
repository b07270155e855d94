/* vqueue.h -- the virtio model's per-queue bookkeeping (internal to
 * src/virtio/): which queues a flow end's connections hash to (rss.h),
 * what each queue carried and the interrupts it raised in a sample, and
 * the results they make: the /queues table and the per-VM vCPU and
 * per-NIC interrupt series (docs/queues-interrupts.md, docs/results.md).
 *
 * Units: bytes, packets, cycles, seconds.
 * Ownership: the spreads belong to the model (freed by virt_queue_free).
 */
#ifndef SRIOV_VIRTIO_VQUEUE_H
#define SRIOV_VIRTIO_VQUEUE_H

#include "virtio/virt.h"

/* The queue counts of end (0 source, 1 destination) of flow f on flat NIC
 * nic; NULL when out of memory. */
const virt_spread *virt_spread_of(sim_ctx *c, size_t f, int end, size_t nic);

/* Cycles one interrupt costs on VM vm now: its guest handler, plus the
 * VM exits when its host has no posted interrupts. *exit: that part. */
double virt_irq_cycles(const sim_ctx *c, int vm, double *exit);

/* Sample k (dt_s long): adds each queue's carried cycles (packets and
 * interrupts) to work[flat queue], its VM-exit cycles to exit[flat queue],
 * and both to the run's totals. */
void virt_queue_sample(sim_ctx *c, size_t k, double dt_s, double *work, double *exit);

/* The /queues table and the per-VM / per-NIC series. 0 or -1. */
int virt_queue_collect(const sim_ctx *c, run_results *r);

void virt_queue_free(struct virt_model *m);

#endif
