/* gpu_resolved.c -- see gpu_resolved.h. Names are plain names and profile
 * names come from the catalogue (load_gpus.c): written as they are. */
#include "scenario/gpu_resolved.h"

static void put_job(sbuf *b, const gpu_job *j)
{
    sbuf_put(b, "          - count: %u\n", j->count);
    sbuf_put_quantity(b, "            ", "start", j->start_s, "s");
    sbuf_put_quantity(b, "            ", "interval", j->interval_s, "s");
    if (j->flop > 0)
        sbuf_put(b, "            work_flop: %.17g\n", j->flop);
    sbuf_put_quantity(b, "            ", "memory_traffic", j->memory_bytes, "B");
    sbuf_put_quantity(b, "            ", "h2d", j->h2d_bytes, "B");
    if (j->usable_fraction < 1)
        sbuf_put(b, "            usable_fraction: %.17g\n", j->usable_fraction);
}

static void put_gpu(sbuf *b, const scenario_config *cfg, const gpu_config *g)
{
    static const char *const modes[] = {"mig", "vgpu", "passthrough"};
    sbuf_put(b, "  - name: %s\n    host: %s\n    model: %s\n    sharing: %s\n", g->name,
             cfg->hosts[g->host_idx].name, g->model.name, modes[g->sharing]);
    if (g->sharing == GPU_VGPU) {
        sbuf_put(b, "    policy: %s\n",
                 g->policy == GPU_EQUAL_SHARE ? "equal_share" : "best_effort");
        sbuf_put_quantity(b, "    ", "time_slice", g->time_slice_s, "s");
        sbuf_put_quantity(b, "    ", "context_switch", g->context_switch_s, "s");
    }
    sbuf_put(b, "    instances:\n");
    for (size_t i = 0; i < g->n_instances; i++) {
        const gpu_instance *in = &g->instances[i];
        sbuf_put(b, "      - name: %s\n        vm: %s\n", in->name, cfg->vms[in->vm_idx].name);
        if (in->profile >= 0)
            sbuf_put(b, "        profile: %s\n", g->model.profiles[in->profile].name);
        if (g->sharing == GPU_VGPU) {
            sbuf_put_quantity(b, "        ", "framebuffer", in->framebuffer_bytes, "B");
            sbuf_put_quantity(b, "        ", "framebuffer_used", in->framebuffer_used_bytes, "B");
        }
        sbuf_put(b, "        jobs:%s\n", in->n_jobs ? "" : " []");
        for (size_t k = 0; k < in->n_jobs; k++)
            put_job(b, &in->jobs[k]);
    }
}

void gpus_put_yaml(sbuf *b, const scenario_config *cfg)
{
    if (cfg->n_gpus > 0)
        sbuf_put(b, "gpus:\n");
    for (size_t g = 0; g < cfg->n_gpus; g++)
        put_gpu(b, cfg, &cfg->gpus[g]);
}
