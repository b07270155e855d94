/* vsample.h -- the virtio model's per-sample accounting (internal to
 * src/virtio/, split from virt.c): host CPU use from the execs' progress
 * (a sleeping thread counts at most the cycles of what it carried), the
 * per-VM vCPU series, and which backend serves a flow end.
 *
 * Units: cycles, seconds, 0..1 shares.
 * Ownership: writes into the model's arrays (virt.h); allocates nothing
 * that outlives a call.
 */
#ifndef SRIOV_VIRTIO_VSAMPLE_H
#define SRIOV_VIRTIO_VSAMPLE_H

#include "virtio/virt.h"

/* The backend serving one flow end on a software endpoint: the NIC's own
 * backend when it is virtio, the standby (vhost-net) for a VF or vDPA NIC
 * moved to software. -1 when the end is not on a software endpoint. */
int virt_end_backend(const sim_ctx *c, endpoint_ref ref, int ep);

/* Host CPU and per-VM vCPU use in sample k (dt_s long), from the execs'
 * progress since the previous sample. */
void virt_sample(sim_ctx *c, size_t k, double dt_s);

#endif
