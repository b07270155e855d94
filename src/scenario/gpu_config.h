/* gpu_config.h -- the typed `gpus:` section (docs/gpu.md, docs/scenario.md
 * "gpus[]"): GPUs on hosts, how each is shared among VMs (hard MIG-style
 * partitions, time-sliced vGPUs, or whole-device passthrough), the
 * instances handed to VMs and the jobs they run. The device's figures come
 * from models/gpus/<model>.yaml (read by load_gpus.c); src/gpu/ runs the
 * jobs from these.
 *
 * Ownership: owned by the scenario_config; config_free releases it
 * (gpu_config_free).
 * Units: FLOP, bytes, bytes per second (_Bps), FLOP per second (_flops),
 * seconds.
 */
#ifndef SRIOV_GPU_CONFIG_H
#define SRIOV_GPU_CONFIG_H

#include <stddef.h>
#include <stdint.h>

typedef enum { GPU_MIG = 0, GPU_VGPU, GPU_PASSTHROUGH } gpu_sharing_t;
/* vGPU scheduler (NVIDIA vGPU docs, "vGPU Schedulers"): best effort gives
 * an idle vGPU's turn to the next busy one; equal share keeps every
 * configured vGPU's turn, idle or not. */
typedef enum { GPU_BEST_EFFORT = 0, GPU_EQUAL_SHARE } gpu_policy_t;

enum { GPU_MAX_PROFILES = 16, GPU_MAX_INSTANCES = 64 };

/* A hard-partition profile of the catalogue (MIG user guide, "Supported
 * MIG Profiles"): its share of the compute and of the memory slices. */
typedef struct gpu_profile {
    char name[32];              /* "3g.20gb" */
    int compute_slices;         /* of gpu_model.compute_slices */
    int memory_slices;          /* of gpu_model.memory_slices */
    int max_instances;          /* on one GPU */
} gpu_profile;

/* The device, from models/gpus/<model>.yaml. */
typedef struct gpu_model {
    char name[64];
    double flops;               /* FP32 peak, FLOP/s */
    double memory_Bps;          /* memory bandwidth, bytes/s */
    double memory_bytes;        /* device memory */
    int pcie_gen, pcie_lanes;
    int compute_slices, memory_slices;
    gpu_profile profiles[GPU_MAX_PROFILES];
    int n_profiles;
    double time_slice_s;        /* vGPU scheduler's default time slice */
    double context_switch_s;    /* cost of switching the device between vGPUs */
    int max_vgpus;              /* time-sliced vGPUs on one device */
    /* vGPU live migration (docs/gpu.md, "vGPU live migration"): state the
     * vendor driver saves at stop-and-copy besides the framebuffer, bytes;
     * its fixed save + restore time, seconds; the share of the network
     * route's rate the device-state stream achieves (0..1]. */
    double vgpu_mig_context_bytes;
    double vgpu_mig_save_restore_s;
    double vgpu_mig_stream_fraction;
} gpu_model;

/* One job entry: `count` identical jobs, arriving every `interval_s` from
 * start_s, queued FIFO on their instance. Work: flop and memory traffic
 * (roofline: the larger of the two times on the instance's share), or
 * work_s, the time at full device (then flop = work_s x device flops). */
typedef struct gpu_job {
    double start_s;
    double interval_s;
    uint32_t count;
    double flop;
    double memory_bytes;
    double h2d_bytes;           /* host -> device copy before the kernel */
    /* What its kernels can use at most, whatever the share: usable_fraction
     * x the device's FLOP/s and bytes/s (a job with too few thread blocks to
     * fill the SMs; docs/gpu.md). 0 = no limit (usable_fraction 1). */
    double cap_flops, cap_Bps;
    double usable_fraction;     /* as given (0.01..1), 1 when absent */
    int line, col;              /* of the job entry */
} gpu_job;

/* What one VM gets from the GPU. */
typedef struct gpu_instance {
    char *name;
    int vm_idx;
    int profile;                /* MIG: index in gpu_model.profiles; else -1 */
    /* vGPU only: the profile's framebuffer (default device memory /
     * max_vgpus) and the part of it in use, which a live migration moves
     * (default all of it), bytes. */
    double framebuffer_bytes;
    double framebuffer_used_bytes;
    gpu_job *jobs;
    size_t n_jobs;
} gpu_instance;

typedef struct gpu_config {
    char *name;
    int host_idx;
    gpu_model model;
    gpu_sharing_t sharing;
    gpu_policy_t policy;        /* vGPU only */
    double time_slice_s;        /* vGPU only (catalogue default) */
    double context_switch_s;    /* vGPU only (catalogue default) */
    gpu_instance *instances;
    size_t n_instances;
    int line, col;              /* of the GPU entry */
} gpu_config;

void gpu_config_free(gpu_config *g);

#endif
