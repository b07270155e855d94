/* gpu_place.c -- see gpu_place.h. */
#include "scenario/gpu_place.h"

#include <string.h>

int gpu_place_target(const scenario_config *cfg, size_t src_gpu, int host, const int *present,
                     bool *any)
{
    const gpu_config *src = &cfg->gpus[src_gpu];
    *any = false;
    for (size_t g = 0; g < cfg->n_gpus; g++) {
        const gpu_config *gc = &cfg->gpus[g];
        if (gc->host_idx != host || gc->sharing != GPU_VGPU ||
            strcmp(gc->model.name, src->model.name) != 0)
            continue;
        *any = true;
        if (present[g] < gc->model.max_vgpus)
            return (int)g;
    }
    return -1;
}
