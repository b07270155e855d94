/* mig_gpu.h -- what a live migration of a VM holding vGPUs must move in its
 * downtime (docs/gpu.md, "vGPU live migration"): per vGPU, its framebuffer
 * in use copied device -> host over its GPU's PCIe link (save), the state
 * (framebuffer in use + context) sent at a fraction of the route's rate,
 * the framebuffer copied host -> device on the destination (restore), and
 * the driver's fixed cost; migration.c runs these phases in this order.
 * Ownership: a plain value, filled from the scenario_config.
 * Units: bytes, seconds; the fraction is of the route's rate (0..1]. */
#ifndef SRIOV_MIG_GPU_H
#define SRIOV_MIG_GPU_H

#include <stdbool.h>

#include "scenario/config.h"

typedef struct mig_gpu_plan {
    bool has_vgpu;              /* the VM holds at least one vGPU */
    double state_bytes;         /* framebuffers in use + contexts */
    double save_s;              /* framebuffers in use over the source GPUs' links */
    double restore_s;           /* the same onto the destination GPUs */
    double fixed_s;             /* the drivers' fixed save + restore costs */
    double stream_fraction;     /* of the route's rate the state stream achieves */
} mig_gpu_plan;

/* The plan for VM vm (all zero, fraction 1, without a vGPU). */
mig_gpu_plan mig_gpu_plan_of(const scenario_config *cfg, int vm);

#endif
