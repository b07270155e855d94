/* gpu_place.h -- where a vGPU lands when its VM live-migrates (docs/gpu.md,
 * "vGPU live migration"): the first GPU of the scenario's order on the
 * destination host that is time-sliced (sharing: vgpu), of the source
 * GPU's model (NVIDIA vGPU migrates between GPUs of the same type only)
 * and holds fewer than its model's max_vgpus instances at that moment.
 * The loader replays the migrate events in time order with it and refuses
 * a scenario where every candidate is full; src/gpu moves instances with
 * it at each resume. One rule, so both agree.
 * Ownership: reads cfg; present[] is the caller's (per GPU, the instances
 * on it now). Units: none. */
#ifndef SRIOV_GPU_PLACE_H
#define SRIOV_GPU_PLACE_H

#include <stdbool.h>

#include "scenario/config.h"

/* The GPU index, or -1 when none has room; *any: some candidate exists
 * (full or not). */
int gpu_place_target(const scenario_config *cfg, size_t src_gpu, int host, const int *present,
                     bool *any);

#endif
