/* queues.h -- a guest NIC's queues and interrupts (docs/queues-interrupts.md).
 *
 * Queues: a VF (or vDPA) NIC has its adapter's queues_per_vf queue pairs,
 * at most msix_per_vf - 1 (one vector is the VF's misc vector) and at most
 * total_queues / num_vfs; a virtio NIC has key queues (default 1, QEMU's
 * default), at most its backend's limit (vhost-net 256, vhost-user 128).
 * The guest uses min(those, its vCPUs, key queues). Each queue
 * is served by its own vCPU thread (kernel NAPI) or lcore (DPDK): queue q
 * on vCPU q.
 *
 * Interrupts (kernel guests on VF/vDPA NICs; DPDK polls and takes none):
 * a queue receiving p packets/s with moderation interval T (s) and packet
 * count P raises min(p, max(1/T, p/P)) interrupts/s (T = 0: one per
 * packet; P = 0: no packet count, Intel ITR: min(p, 1/T)). Each costs the
 * guest guest_cycles, and, without posted interrupts, exit_cycles of host
 * time on the vCPU's core.
 *
 * Units: packets/s, seconds, cycles. Pure functions.
 */
#ifndef SRIOV_VIRTIO_QUEUES_H
#define SRIOV_VIRTIO_QUEUES_H

#include <stdbool.h>

#include "scenario/config.h"

/* Queue pairs the VF of adapter a offers one VM (>= 1). */
int virt_vf_queues(const adapter_config *a);

/* Queues the guest uses on NIC nic of VM vm (>= 1). */
int virt_nic_queues(const scenario_config *cfg, const vm_config *vm, const nic_config *nic);

/* The NIC's moderation: *interval_s (0 = off) and *packets (0 = none);
 * false when its interrupts are not modelled (virtio, DPDK, no guest key). */
bool virt_nic_moderation(const scenario_config *cfg, const vm_config *vm,
                         const nic_config *nic, double *interval_s, int *packets);

/* Interrupts/s of a queue receiving pps packets/s. */
double virt_irq_rate_hz(double pps, double interval_s, int packets);

/* The cost of those interrupts at cycles each, for a queue offered pps
 * (INFINITY: elastic): as cycles per packet (*per_packet: every packet, or
 * every P-th, raises one) or as a fixed *fixed_cps cycles/s (the
 * moderation timer's 1/T). One of the two is 0. */
void virt_irq_cost(double pps, double interval_s, int packets, double cycles,
                   double *per_packet, double *fixed_cps);

/* Virtio notifications/s (docs/queues-interrupts.md, "virtio"): a
 * producer posting pps packets/s to a ring notifies its consumer (a guest
 * kick through ioeventfd, a backend's interrupt through irqfd) only when
 * the consumer has caught up and re-armed notifications
 * (VIRTIO_RING_F_EVENT_IDX; NAPI and vhost poll until the ring is empty),
 * i.e. once per consumer busy period, and once per `batch` packets posted
 * together: pps (1 - busy) / batch, busy = the consumer's utilisation
 * (clamped to 0..1; the busy periods of an M/G/1 server start at
 * lambda (1 - rho)). INFINITY pps (elastic): 0, the consumer is saturated. */
double virt_notify_rate_hz(double pps, double busy, double batch);

#endif
