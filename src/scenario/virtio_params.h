/* virtio_params.h -- the software datapath and live-migration parameters,
 * read at load time from models/virtio/backends.yaml and
 * models/virtio/migration.yaml (each number is sourced there) into
 * scenario_config.virtio, for the virtio and migration models.
 *
 * Units: cycles (of the host's cores), cycles per byte, seconds, bytes/s.
 * Ownership: plain values, nothing to free.
 */
#ifndef SRIOV_SCENARIO_VIRTIO_PARAMS_H
#define SRIOV_SCENARIO_VIRTIO_PARAMS_H

#include <stddef.h>

#include "scenario/diag.h"

typedef enum { VB_VHOST_NET = 0, VB_VHOST_USER, VB_VDPA, VB_COUNT } virt_backend_t;
typedef enum { VG_KERNEL = 0, VG_DPDK, VG_COUNT } virt_guest_t;

typedef struct virt_cost {
    double cycles_per_packet;
    double cycles_per_byte;     /* copies */
    double cores;               /* cores (threads) it runs on: a backend's host
                                 * cores, a guest driver's vCPUs per NIC */
    double latency_s;           /* fixed per-packet latency of the hop */
} virt_cost;

typedef struct mig_defaults {
    double unplug_s, plug_s, min_downtime_s, max_downtime_s;
    double bandwidth_Bps;       /* 0 = uncapped */
    int max_rounds;
    double working_set;         /* fraction of RAM that caps one round's dirty bytes */
} mig_defaults;

/* What one interrupt into a guest costs (models/virtio/backends.yaml,
 * interrupts:), in cycles of the core running the vCPU. */
typedef struct virt_irq_cost_t {
    double guest_cycles;        /* guest handler: entry, NAPI schedule, EOI */
    double exit_cycles;         /* host, without posted interrupts: the VM
                                 * exits an interrupt causes and KVM's injection */
    double kick_exit_cycles;    /* host: the VM exit of one virtio kick (ioeventfd) */
    double notify_batch;        /* packets per virtio notification (kick or
                                 * interrupt) when the consumer is idle, >= 1 */
} virt_irq_cost_t;

typedef struct virt_params {
    virt_cost backend[VB_COUNT];
    virt_cost guest[VG_COUNT];
    virt_irq_cost_t irq;
    mig_defaults mig;
} virt_params;

/* "vhost-net" | "vhost-user" | "vdpa" -> its enum; -1 when unknown. */
int virt_backend_by_name(const char *name);

/* Reads models_dir/virtio/{backends,migration}.yaml into *p. Returns 0, or
 * -1 after reporting to d (file:line:col in the model file). */
int virt_params_load(const char *models_dir, virt_params *p, diag *d);

#endif
