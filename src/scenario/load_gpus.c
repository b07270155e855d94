/* load_gpus.c -- the gpus section (gpu_config.h, docs/gpu.md, docs/scenario.md
 * "gpus[]") and the GPU catalogue, models/gpus/<model>.yaml. Every limit is
 * checked here, before any work: the sharing mode's instance limits (MIG
 * profiles and slices, vGPUs per device, one VM for passthrough), the VM on
 * the GPU's host, and the jobs' sizes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/gpu_place.h"
#include "scenario/load_internal.h"

enum { GPU_MAX_GPUS = 1024, GPU_MAX_JOBS_PER_INSTANCE = 64 };
#define GPU_MAX_COUNT 100000
/* The scheduler's steps: each time slice of a vGPU is one (src/gpu). */
#define GPU_MAX_SLICES 1e7

void gpu_config_free(gpu_config *g)
{
    free(g->name);
    for (size_t i = 0; i < g->n_instances; i++) {
        free(g->instances[i].name);
        free(g->instances[i].jobs);
    }
    free(g->instances);
}

/* ---- the catalogue file ------------------------------------------------ */

static int read_profile(diag *d, const ynode *item, gpu_model *m, gpu_profile *p)
{
    static const char *const keys[] = {"name", "compute_slices", "memory_slices",
                                       "max_instances", NULL};
    if (ynode_expect(d, item, YNODE_MAP, "a MIG profile") ||
        ynode_check_keys(d, item, keys, "a MIG profile"))
        return -1;
    const ynode *nm = ynode_get(item, "name");
    if (!nm || ynode_as_scalar(d, nm, "'name'") || strlen(nm->text) >= sizeof p->name) {
        ynode_error(d, nm ? nm : item, "name the profile, e.g. 1g.5gb (under 32 characters)",
                    "a MIG profile needs a short name");
        return -1;
    }
    snprintf(p->name, sizeof p->name, "%s", nm->text);
    int errors = yget_int(d, item, "compute_slices", 1, m->compute_slices, &p->compute_slices) != 1;
    errors += yget_int(d, item, "memory_slices", 1, m->memory_slices, &p->memory_slices) != 1;
    errors += yget_int(d, item, "max_instances", 1, m->compute_slices, &p->max_instances) != 1;
    if (errors)
        ynode_error(d, item, "give compute_slices, memory_slices and max_instances within the device's slices",
                    "MIG profile '%s' is incomplete or out of range", p->name);
    return errors ? -1 : 0;
}

static int read_vgpu(diag *d, const ynode *v, gpu_model *m)
{
    static const char *const keys[] = {"time_slice", "context_switch", "max_vgpus",
                                       "migration_context", "migration_save_restore",
                                       "migration_stream_fraction", NULL};
    if (ynode_expect(d, v, YNODE_MAP, "'vgpu'") || ynode_check_keys(d, v, keys, "vgpu"))
        return -1;
    unit_range ts = {1e-4, 1.0, "100us", "1s"};
    unit_range cs = {1e-9, 0.1, "1ns", "100ms"};
    int errors = yget_quantity_in(d, v, "time_slice", UNIT_TIME, true, ts, &m->time_slice_s) != 1;
    errors += yget_quantity_in(d, v, "context_switch", UNIT_TIME, false, cs,
                               &m->context_switch_s) != 1;
    errors += yget_int(d, v, "max_vgpus", 1, GPU_MAX_INSTANCES, &m->max_vgpus) != 1;
    unit_range ctx = {0, 1e12, "0B", "1TB"};
    unit_range sr = {0, 60.0, "0s", "60s"};
    errors += yget_quantity_in(d, v, "migration_context", UNIT_SIZE, true, ctx,
                               &m->vgpu_mig_context_bytes) != 1;
    errors += yget_quantity_in(d, v, "migration_save_restore", UNIT_TIME, true, sr,
                               &m->vgpu_mig_save_restore_s) != 1;
    errors += yget_number(d, v, "migration_stream_fraction", 0.01, 1.0,
                          &m->vgpu_mig_stream_fraction) != 1;
    if (errors)
        ynode_error(d, v,
                    "give time_slice, context_switch, max_vgpus, migration_context, "
                    "migration_save_restore and migration_stream_fraction (0.01..1)",
                    "vgpu is incomplete");
    return errors ? -1 : 0;
}

static int read_model_doc(diag *d, const ynode *root, gpu_model *m)
{
    static const char *const keys[] = {"fp32_tflops", "memory_bandwidth", "memory", "pcie",
                                       "compute_slices", "memory_slices", "mig_profiles",
                                       "vgpu", NULL};
    static const char *const pkeys[] = {"gen", "lanes", NULL};
    if (ynode_expect(d, root, YNODE_MAP, "a GPU model") ||
        ynode_check_keys(d, root, keys, "GPU model"))
        return -1;
    double tflops = 0, bw_bps = 0;
    int errors = yget_number(d, root, "fp32_tflops", 0.001, 1e4, &tflops) != 1;
    unit_range bw = {8e9, 8e14, "1GBps", "100TBps"}; /* HBM3e stacks: ~10 TB/s */
    errors += yget_quantity_in(d, root, "memory_bandwidth", UNIT_RATE, true, bw, &bw_bps) != 1;
    errors += yget_quantity(d, root, "memory", UNIT_SIZE, true, &m->memory_bytes) != 1;
    errors += yget_int(d, root, "compute_slices", 1, 64, &m->compute_slices) != 1;
    errors += yget_int(d, root, "memory_slices", 1, 64, &m->memory_slices) != 1;
    const ynode *p = ynode_get(root, "pcie");
    if (!p || ynode_expect(d, p, YNODE_MAP, "'pcie'") || ynode_check_keys(d, p, pkeys, "pcie"))
        errors++;
    else {
        errors += yget_int(d, p, "gen", 1, 5, &m->pcie_gen) != 1;
        errors += yget_int(d, p, "lanes", 1, 32, &m->pcie_lanes) != 1;
    }
    const ynode *v = ynode_get(root, "vgpu");
    errors += !v || read_vgpu(d, v, m) < 0;
    if (errors) {
        ynode_error(d, root, "see models/README.md and docs/gpu.md", "GPU model is incomplete");
        return -1;
    }
    m->flops = tflops * 1e12;
    m->memory_Bps = bw_bps / 8;
    size_t n;
    const ynode *list = ynode_get(root, "mig_profiles");
    if (!list)
        return 0;
    if (ynode_expect(d, list, YNODE_SEQ, "'mig_profiles'"))
        return -1;
    n = list->n;
    if (n > GPU_MAX_PROFILES) {
        ynode_error(d, list, "at most 16 profiles", "%zu MIG profiles", n);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        errors += read_profile(d, list->items[i], m, &m->profiles[i]) < 0;
    m->n_profiles = (int)n;
    return errors ? -1 : 0;
}

static bool model_name_ok(const char *s)
{
    if (!*s || strlen(s) > 63)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
            return false;
    return true;
}

static int load_model(loader *L, const ynode *at, gpu_model *m)
{
    if (ynode_as_scalar(L->d, at, "'model'"))
        return -1;
    if (!model_name_ok(at->text)) {
        ynode_error(L->d, at, "use a file name from models/gpus without .yaml",
                    "invalid GPU model name '%s'", at->text);
        return -1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/gpus/%s.yaml", L->models_dir, at->text);
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        ynode_error(L->d, at, "use a model from models/gpus (e.g. nvidia-a100-40gb)",
                    "unknown GPU model '%s'", at->text);
        return -1;
    }
    fclose(probe);
    bool first, *verdict;
    const ynode_doc *doc = doc_cache_get(&L->models, path, L->d, &first, &verdict);
    if (!doc)
        return -1;
    int before = L->d->n_errors;
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", at->text);
    read_model_doc(L->d, doc->root, m);
    if (L->d->n_errors > before)
        *verdict = false;
    return L->d->n_errors > before ? -1 : 0;
}

/* ---- the scenario's gpus ----------------------------------------------- */

/* The job's time at full device, seconds (the roofline of docs/gpu.md). */
static double full_device_s(const gpu_model *m, const gpu_job *j)
{
    double flops = j->cap_flops > 0 ? fmin(m->flops, j->cap_flops) : m->flops;
    double Bps = j->cap_Bps > 0 ? fmin(m->memory_Bps, j->cap_Bps) : m->memory_Bps;
    return fmax(j->flop / flops, j->memory_bytes / Bps);
}

static int read_job(loader *L, const ynode *map, const gpu_model *m, gpu_job *j)
{
    static const char *const keys[] = {"start", "count", "interval", "work_flop", "work",
                                       "memory_traffic", "h2d", "usable_fraction", NULL};
    if (ld_item_map(L, map, keys, "a GPU job"))
        return -1;
    j->line = map->line;
    j->col = map->col;
    j->count = 1;
    int count = 1;
    double work_s = 0;
    unit_range t = units_range(UNIT_TIME);
    unit_range w = {1e-9, 1e4, "1ns", "10000s"};
    int errors = yget_quantity_in(L->d, map, "start", UNIT_TIME, false, t, &j->start_s) < 0;
    errors += yget_int(L->d, map, "count", 1, GPU_MAX_COUNT, &count) < 0;
    errors += yget_quantity_in(L->d, map, "interval", UNIT_TIME, false, t, &j->interval_s) < 0;
    errors += yget_number(L->d, map, "work_flop", 1, 1e21, &j->flop) < 0;
    int has_w = yget_quantity_in(L->d, map, "work", UNIT_TIME, true, w, &work_s);
    errors += has_w < 0;
    errors += yget_quantity(L->d, map, "memory_traffic", UNIT_SIZE, false, &j->memory_bytes) < 0;
    errors += yget_quantity(L->d, map, "h2d", UNIT_SIZE, false, &j->h2d_bytes) < 0;
    double usable = 1;
    errors += yget_number(L->d, map, "usable_fraction", 0.01, 1, &usable) < 0;
    if (errors)
        return -1;
    j->usable_fraction = usable;
    if (usable < 1) { /* 1 keeps the caps off: the plain roofline, bit for bit */
        j->cap_flops = usable * m->flops;
        j->cap_Bps = usable * m->memory_Bps;
    }
    j->count = (uint32_t)count;
    bool has_f = ynode_get(map, "work_flop") != NULL;
    if (has_f && has_w > 0) {
        ynode_error(L->d, ynode_get(map, "work"), "keep one of work_flop and work",
                    "a GPU job's work is given twice");
        return -1;
    }
    if (has_w > 0)
        j->flop = work_s * m->flops;
    if (j->flop == 0 && j->memory_bytes == 0 && j->h2d_bytes == 0) {
        ynode_error(L->d, map, "add work_flop, work, memory_traffic or h2d",
                    "a GPU job with nothing to do");
        return -1;
    }
    if (full_device_s(m, j) > w.hi) {
        ynode_error(L->d, map, "split the job: at most 10000s at full device",
                    "a GPU job of %.3gs at full device", full_device_s(m, j));
        return -1;
    }
    return 0;
}

static int find_profile(loader *L, const ynode *at, const gpu_model *m)
{
    if (ynode_as_scalar(L->d, at, "'profile'"))
        return -1;
    const char *names[GPU_MAX_PROFILES + 1];
    for (int i = 0; i < m->n_profiles; i++) {
        if (strcmp(m->profiles[i].name, at->text) == 0)
            return i;
        names[i] = m->profiles[i].name;
    }
    names[m->n_profiles] = NULL;
    const char *near = ynode_nearest(at->text, names);
    char hint[96];
    snprintf(hint, sizeof hint, "did you mean '%s'?", near ? near : m->n_profiles ? names[0] : "?");
    ynode_error(L->d, at, m->n_profiles ? hint : "this GPU model has no MIG profiles",
                "unknown MIG profile '%s' for %s", at->text, m->name);
    return -1;
}

/* A vGPU's framebuffer (its profile's size: default the device's memory /
 * max_vgpus, the smallest C-series profile) and the part of it in use,
 * which a live migration moves (docs/gpu.md, "vGPU live migration";
 * default: all of it, VMware's worst case). Refused on MIG / passthrough. */
static int read_framebuffer(loader *L, const ynode *map, const gpu_config *g, gpu_instance *in)
{
    const char *keys[] = {"framebuffer", "framebuffer_used"};
    if (g->sharing != GPU_VGPU) {
        for (size_t i = 0; i < 2; i++)
            if (ynode_get(map, keys[i])) {
                ynode_error(L->d, ynode_get(map, keys[i]), "remove it, or use sharing: vgpu",
                            "'%s' is for time-sliced vGPUs only", keys[i]);
                return -1;
            }
        return 0;
    }
    const gpu_model *m = &g->model;
    unit_range all = {1e6, m->memory_bytes, "1MB", "the device's memory"};
    unit_range used = {0, m->memory_bytes, "0B", "the vGPU's framebuffer"};
    in->framebuffer_bytes = m->memory_bytes / m->max_vgpus;
    if (yget_quantity_in(L->d, map, "framebuffer", UNIT_SIZE, true, all,
                         &in->framebuffer_bytes) < 0)
        return -1;
    in->framebuffer_used_bytes = in->framebuffer_bytes;
    if (yget_quantity_in(L->d, map, "framebuffer_used", UNIT_SIZE, false, used,
                         &in->framebuffer_used_bytes) < 0)
        return -1;
    if (in->framebuffer_used_bytes > in->framebuffer_bytes) {
        ynode_error(L->d, ynode_get(map, "framebuffer_used"),
                    "give at most the vGPU's framebuffer (or raise 'framebuffer')",
                    "framebuffer_used %.6g B is above the vGPU's framebuffer %.6g B",
                    in->framebuffer_used_bytes, in->framebuffer_bytes);
        return -1;
    }
    return 0;
}

static int read_instance(loader *L, const ynode *map, const gpu_config *g, gpu_instance *in)
{
    static const char *const keys[] = {"name", "vm", "profile", "jobs", "framebuffer",
                                       "framebuffer_used", NULL};
    if (ld_item_map(L, map, keys, "a GPU instance") ||
        ld_read_name(L, map, "GPU instance", &in->name) ||
        ld_require(L, map, "vm", "a GPU instance"))
        return -1;
    in->profile = -1;
    in->vm_idx = ld_resolve_vm(L, ynode_get(map, "vm"));
    if (in->vm_idx < 0)
        return -1;
    if (L->cfg->vms[in->vm_idx].host_idx != g->host_idx) {
        ynode_error(L->d, ynode_get(map, "vm"), "give the GPU to a VM of its host",
                    "VM '%s' is not on host '%s'", L->cfg->vms[in->vm_idx].name,
                    L->cfg->hosts[g->host_idx].name);
        return -1;
    }
    const ynode *p = ynode_get(map, "profile");
    if (g->sharing == GPU_MIG) {
        if (ld_require(L, map, "profile", "a MIG instance"))
            return -1;
        if ((in->profile = find_profile(L, p, &g->model)) < 0)
            return -1;
    } else if (p) {
        ynode_error(L->d, p, "remove it: profiles are for sharing: mig",
                    "'profile' on a %s GPU", g->sharing == GPU_VGPU ? "vgpu" : "passthrough");
        return -1;
    }
    if (read_framebuffer(L, map, g, in))
        return -1;
    size_t n;
    const ynode *list = ld_get_seq(L, map, "jobs", &n);
    if (!list)
        return ynode_get(map, "jobs") && !ynode_is_null(ynode_get(map, "jobs")) ? -1 : 0;
    if (n > GPU_MAX_JOBS_PER_INSTANCE) {
        ynode_error(L->d, list, "merge jobs (count, interval): at most 64 entries",
                    "%zu job entries", n);
        return -1;
    }
    in->jobs = sc_xcalloc(n ? n : 1, sizeof *in->jobs);
    int errors = 0;
    for (size_t i = 0; i < n; i++)
        errors += read_job(L, list->items[i], &g->model, &in->jobs[i]) < 0;
    in->n_jobs = n;
    return errors ? -1 : 0;
}

/* The sharing mode's limits on the instances of one GPU. */
static int check_instances(loader *L, const ynode *list, const gpu_config *g)
{
    const gpu_model *m = &g->model;
    if (g->sharing == GPU_PASSTHROUGH && g->n_instances != 1) {
        ynode_error(L->d, list, "give the whole device to one VM, or use sharing: vgpu or mig",
                    "passthrough gives the GPU to one VM, got %zu instances", g->n_instances);
        return -1;
    }
    if (g->sharing == GPU_VGPU && g->n_instances > (size_t)m->max_vgpus) {
        ynode_error(L->d, list, "use fewer vGPUs or another GPU",
                    "%zu vGPUs on %s, which takes at most %d", g->n_instances, m->name,
                    m->max_vgpus);
        return -1;
    }
    double fb = 0;
    for (size_t i = 0; g->sharing == GPU_VGPU && i < g->n_instances; i++)
        fb += g->instances[i].framebuffer_bytes;
    if (fb > m->memory_bytes * (1 + 1e-12)) {
        ynode_error(L->d, list, "use smaller framebuffers or fewer vGPUs",
                    "the vGPUs' framebuffers take %.6g B of %s's %.6g B", fb, m->name,
                    m->memory_bytes);
        return -1;
    }
    if (g->sharing != GPU_MIG)
        return 0;
    int cs = 0, ms = 0, per[GPU_MAX_PROFILES] = {0};
    for (size_t i = 0; i < g->n_instances; i++) {
        const gpu_profile *p = &m->profiles[g->instances[i].profile];
        cs += p->compute_slices;
        ms += p->memory_slices;
        if (++per[g->instances[i].profile] > p->max_instances) {
            ynode_error(L->d, list, "use fewer instances of that profile",
                        "more than %d instances of %s on one %s", p->max_instances, p->name,
                        m->name);
            return -1;
        }
    }
    if (cs > m->compute_slices || ms > m->memory_slices) {
        ynode_error(L->d, list, "use smaller profiles or fewer instances",
                    "the MIG instances take %d of %d compute slices and %d of %d memory slices",
                    cs, m->compute_slices, ms, m->memory_slices);
        return -1;
    }
    return 0;
}

/* The scheduler's steps stay bounded: every vGPU time slice is one. */
static int check_slices(loader *L, const ynode *map, const gpu_config *g)
{
    if (g->sharing != GPU_VGPU)
        return 0;
    double slices = 0;
    for (size_t i = 0; i < g->n_instances; i++)
        for (size_t k = 0; k < g->instances[i].n_jobs; k++) {
            const gpu_job *j = &g->instances[i].jobs[k];
            slices += j->count * (ceil(full_device_s(&g->model, j) / g->time_slice_s) + 1);
        }
    if (slices * (double)g->n_instances > GPU_MAX_SLICES) {
        ynode_error(L->d, map, "use a longer time_slice, or fewer or smaller jobs",
                    "GPU '%s' would run about %.3g scheduler steps (at most 1e7)", g->name,
                    slices * (double)g->n_instances);
        return -1;
    }
    return 0;
}

static int read_vgpu_keys(loader *L, const ynode *map, gpu_config *g)
{
    static const char *const policies[] = {"best_effort", "equal_share", NULL};
    const char *keys[] = {"policy", "time_slice", "context_switch"};
    g->time_slice_s = g->model.time_slice_s;
    g->context_switch_s = g->model.context_switch_s;
    if (g->sharing != GPU_VGPU) {
        for (size_t i = 0; i < 3; i++)
            if (ynode_get(map, keys[i])) {
                ynode_error(L->d, ynode_get(map, keys[i]), "remove it, or use sharing: vgpu",
                            "'%s' is for time-sliced vGPUs only", keys[i]);
                return -1;
            }
        return 0;
    }
    int pol = GPU_BEST_EFFORT;
    unit_range ts = {1e-4, 1.0, "100us", "1s"};
    unit_range cs = {1e-9, 0.1, "1ns", "100ms"};
    int errors = yget_enum(L->d, map, "policy", policies, &pol) < 0;
    errors += yget_quantity_in(L->d, map, "time_slice", UNIT_TIME, true, ts, &g->time_slice_s) < 0;
    errors += yget_quantity_in(L->d, map, "context_switch", UNIT_TIME, false, cs,
                               &g->context_switch_s) < 0;
    g->policy = (gpu_policy_t)pol;
    return errors ? -1 : 0;
}

static int load_gpu(loader *L, size_t idx, const ynode *map)
{
    static const char *const keys[] = {"name", "host", "model", "sharing", "policy",
                                       "time_slice", "context_switch", "instances", NULL};
    static const char *const modes[] = {"mig", "vgpu", "passthrough", NULL};
    gpu_config *g = &L->cfg->gpus[idx];
    g->line = map->line;
    g->col = map->col;
    if (ld_item_map(L, map, keys, "a GPU") || ld_read_name(L, map, "GPU", &g->name))
        return -1;
    const char **names = LD_NAMES(L->cfg->gpus, idx);
    int errors = ld_unique(L, ynode_get(map, "name"), names, idx, "GPU") < 0;
    free(names);
    if (errors || ld_require(L, map, "host", "a GPU") || ld_require(L, map, "model", "a GPU") ||
        ld_require(L, map, "sharing", "a GPU"))
        return -1;
    if ((g->host_idx = ld_resolve_host(L, ynode_get(map, "host"))) < 0 ||
        load_model(L, ynode_get(map, "model"), &g->model))
        return -1;
    int mode = 0;
    if (yget_enum(L->d, map, "sharing", modes, &mode) < 0)
        return -1;
    g->sharing = (gpu_sharing_t)mode;
    if (read_vgpu_keys(L, map, g))
        return -1;
    size_t n;
    if (ld_require(L, map, "instances", "a GPU"))
        return -1;
    const ynode *list = ld_get_seq(L, map, "instances", &n);
    if (!list)
        return -1;
    if (n == 0 || n > GPU_MAX_INSTANCES) {
        ynode_error(L->d, list, "give 1 to 64 instances", "%zu GPU instances", n);
        return -1;
    }
    g->instances = sc_xcalloc(n, sizeof *g->instances);
    for (size_t i = 0; i < n; i++) {
        g->n_instances = i + 1;
        if (read_instance(L, list->items[i], g, &g->instances[i]))
            errors++;
        else {
            const char **in_names = LD_NAMES(g->instances, i);
            errors += ld_unique(L, ynode_get(list->items[i], "name"), in_names, i,
                                "GPU instance") < 0;
            free(in_names);
        }
    }
    if (errors || check_instances(L, list, g) || check_slices(L, map, g))
        return -1;
    return 0;
}

/* The migrate events in time order, ties in file order. */
static int cmp_event_at(const void *a, const void *b)
{
    const event_config *const *x = a, *const *y = b;
    if ((*x)->at_s != (*y)->at_s)
        return (*x)->at_s < (*y)->at_s ? -1 : 1;
    return *x < *y ? -1 : *x > *y;
}

/* A vGPU of VM ev->vm_idx, now on GPU *at, lands by gpu_place.h's rule;
 * 0, or -1 with the diagnostic when the destination has no vGPU GPU of
 * that model or every one is full then. */
static int place_vgpu(loader *L, const event_config *ev, size_t home, int *at, int *present)
{
    const scenario_config *cfg = L->cfg;
    const gpu_config *gc = &cfg->gpus[home];
    bool any;
    present[*at]--;
    int to = gpu_place_target(cfg, home, ev->to_host_idx, present, &any);
    present[to >= 0 ? to : *at]++;
    if (to >= 0) {
        *at = to;
        return 0;
    }
    if (!any)
        diag_error(L->d, cfg->path, ev->mark.line, ev->mark.col,
                   "give the destination a GPU of the same model with sharing: vgpu",
                   "VM '%s' holds a vGPU of GPU '%s' (%s): the destination has no "
                   "vGPU GPU of that model to restore it on",
                   cfg->vms[ev->vm_idx].name, gc->name, gc->model.name);
    else
        diag_error(L->d, cfg->path, ev->mark.line, ev->mark.col,
                   "give the destination another vGPU GPU of that model, or move a vGPU VM "
                   "off it first",
                   "VM '%s' holds a vGPU of GPU '%s' (%s): every vGPU GPU of that model on "
                   "host '%s' holds max_vgpus (%d) instances at this migration (counting the "
                   "earlier ones)",
                   cfg->vms[ev->vm_idx].name, gc->name, gc->model.name,
                   cfg->hosts[ev->to_host_idx].name, gc->model.max_vgpus);
    return -1;
}

/* A MIG instance or a passed-through GPU cannot move with its VM (the
 * device is the VM's hardware: docs/gpu.md), so a migrate of its VM is
 * refused. A vGPU moves (its state is saved at stop-and-copy and restored
 * on the destination, src/migration) to a vGPU GPU of the same model with
 * room (gpu_place.h), the migrations replayed in time order. */
static int check_migrations(loader *L)
{
    const scenario_config *cfg = L->cfg;
    int errors = 0;
    size_t n_inst = 0, k = 0;
    for (size_t g = 0; g < cfg->n_gpus; g++)
        n_inst += cfg->gpus[g].n_instances;
    const event_config **order = sc_xcalloc(cfg->n_events + 1, sizeof *order);
    int *present = sc_xcalloc(cfg->n_gpus + 1, sizeof *present);
    int *at = sc_xcalloc(n_inst + 1, sizeof *at);
    for (size_t g = 0; g < cfg->n_gpus; g++)
        for (size_t i = 0; i < cfg->gpus[g].n_instances; i++, present[g]++)
            at[k++] = (int)g;
    for (size_t e = 0; e < cfg->n_events; e++)
        order[e] = &cfg->events[e];
    qsort(order, cfg->n_events, sizeof *order, cmp_event_at);
    for (size_t e = 0; e < cfg->n_events; e++) {
        const event_config *ev = order[e];
        if (ev->type != EV_MIGRATE)
            continue;
        k = 0;
        for (size_t g = 0; g < cfg->n_gpus; g++)
            for (size_t i = 0; i < cfg->gpus[g].n_instances; i++, k++) {
                const gpu_config *gc = &cfg->gpus[g];
                if (gc->instances[i].vm_idx != ev->vm_idx)
                    continue;
                if (gc->sharing == GPU_VGPU) {
                    errors += place_vgpu(L, ev, g, &at[k], present) < 0;
                    continue;
                }
                diag_error(L->d, cfg->path, ev->mark.line, ev->mark.col,
                           "remove the migration: the VM cannot move while it holds the GPU "
                           "(use a vgpu GPU if it must move)",
                           "VM '%s' holds GPU '%s' (%s)", cfg->vms[ev->vm_idx].name, gc->name,
                           gc->sharing == GPU_MIG ? "a MIG partition does not live-migrate"
                                                  : "a passed-through device does not live-migrate");
                errors++;
            }
    }
    free(order);
    free(present);
    free(at);
    return errors ? -1 : 0;
}

int load_gpus(loader *L, const ynode *root)
{
    size_t n;
    const ynode *list = ld_get_seq(L, root, "gpus", &n);
    if (!list)
        return ynode_get(root, "gpus") && !ynode_is_null(ynode_get(root, "gpus")) ? -1 : 0;
    if (n > GPU_MAX_GPUS) {
        ynode_error(L->d, list, "at most 1024 GPUs", "%zu GPUs", n);
        return -1;
    }
    L->cfg->gpus = sc_xcalloc(n ? n : 1, sizeof *L->cfg->gpus);
    int errors = 0;
    for (size_t i = 0; i < n; i++) {
        L->cfg->n_gpus = i + 1;
        errors += load_gpu(L, i, list->items[i]) < 0;
    }
    return errors || check_migrations(L) ? -1 : 0;
}
