/* mig_gpu.c -- see mig_gpu.h. */
#include "migration/mig_gpu.h"

#include <math.h>

#include "gpu/gpu.h"

/* Each vGPU's framebuffer in use (framebuffer_used) plus its context; the
 * framebuffers cross the source GPU's PCIe link (save) and the
 * destination's (restore: a GPU of the same model, so the same link), one
 * device after the other (VMware's stun-time limits add per PCI device);
 * the drivers' fixed costs add up. The loader refuses a migrate of a VM
 * holding a MIG partition or a passed-through GPU. */
mig_gpu_plan mig_gpu_plan_of(const scenario_config *cfg, int vm)
{
    mig_gpu_plan p = {.stream_fraction = 1.0};
    for (size_t g = 0; g < cfg->n_gpus; g++) {
        const gpu_config *gc = &cfg->gpus[g];
        if (gc->sharing != GPU_VGPU)
            continue;
        double link = gpu_link_Bps(gc);
        for (size_t i = 0; i < gc->n_instances; i++) {
            const gpu_instance *in = &gc->instances[i];
            if (in->vm_idx != vm)
                continue;
            p.has_vgpu = true;
            p.state_bytes += in->framebuffer_used_bytes + gc->model.vgpu_mig_context_bytes;
            p.save_s += in->framebuffer_used_bytes / link;
            p.restore_s += in->framebuffer_used_bytes / link;
            p.fixed_s += gc->model.vgpu_mig_save_restore_s;
            p.stream_fraction = fmin(p.stream_fraction, gc->model.vgpu_mig_stream_fraction);
        }
    }
    return p;
}
