/* gpu_model.c -- the GPU model's hooks and tables (gpu.h). */
#include "gpu/gpu.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "gpu/gpu_live.h"
#include "gpu/gpu_sched.h"
#include "scenario/gpu_place.h"
#include "metrics/results.h"
#include "platform/topo.h"
#include "sim/eventlog.h"

/* A copy engine reads host memory in requests of MRRS bytes, answered in
 * completions of MPS bytes: the PCIe defaults (256 B, 512 B) of the
 * adapters' model, as no GPU figure says otherwise (inferred); the
 * topology sizes the GPU's link with it (topo.h). */
double gpu_link_Bps(const gpu_config *g)
{
    return topo_gpu_up_Bps(g);
}

static const char *sharing_name(gpu_sharing_t s)
{
    return s == GPU_MIG ? "mig" : s == GPU_VGPU ? "vgpu" : "passthrough";
}

static const char *migration_text(gpu_sharing_t s)
{
    return s == GPU_MIG ? "cannot live-migrate (MIG partition)"
           : s == GPU_PASSTHROUGH ? "cannot live-migrate (passthrough)"
                                  : "can live-migrate (vGPU state saved and restored)";
}

/* ---- pauses reported by live migrations -------------------------------- */

/* A vGPU instance (configured as inst of GPU home) left GPU from for GPU
 * to at t (a live migration's resume). */
typedef struct gpu_move {
    double t;
    int from, to, home;
    size_t inst;
} gpu_move;

typedef struct gpu_state {
    gpu_pause *p;
    size_t n;
    gpu_live_set *live;         /* the live schedules; NULL: pure, at collect */
    int *at;                    /* [base[g] + i] the GPU instance i of g is on now */
    size_t *base;               /* [gpu] */
    int *present;               /* [gpu] instances on it now (gpu_place.h) */
    gpu_move *moves;            /* in time order; the pure run replays them */
    size_t n_moves;
} gpu_state;

int gpu_vm_pause(sim_ctx *c, int vm, double t)
{
    gpu_state *st = sim_model_state(c, &gpu_sim_model);
    if (!st)
        return 0;
    gpu_pause *grown = realloc(st->p, (st->n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    st->p = grown;
    st->p[st->n++] = (gpu_pause){vm, t, INFINITY};
    if (st->live)
        gpu_live_pauses(c, st->live, st->p, st->n, t);
    return 0;
}

/* Instance i of GPU g follows its VM to host to (gpu_place.h). The loader
 * replayed the migrations in time order and refused any that finds every
 * candidate full; if the run resumes them in another order and one does,
 * the instance stays where it is (logged). */
static int move_instance(sim_ctx *c, gpu_state *st, size_t g, size_t i, int to_host, double t)
{
    int *at = &st->at[st->base[g] + i], from = *at;
    bool any;
    st->present[from]--;
    int to = gpu_place_target(c->cfg, g, to_host, st->present, &any);
    st->present[to >= 0 ? to : from]++;
    if (to < 0 || to == from) {
        return to < 0 ? eventlog_add(c, t, to_host, -1, -1, "gpu_vgpu_no_room",
                                     "every vGPU GPU of the model is full: the vGPU stays")
                      : 0;
    }
    *at = to;
    gpu_move *grown = realloc(st->moves, (st->n_moves + 1) * sizeof *grown);
    if (!grown)
        return -1;
    st->moves = grown;
    st->moves[st->n_moves++] = (gpu_move){t, from, to, (int)g, i};
    char detail[320];
    snprintf(detail, sizeof detail, "gpu %s instance %s: from gpu %s to gpu %s",
             c->cfg->gpus[g].name, c->cfg->gpus[g].instances[i].name, c->cfg->gpus[from].name,
             c->cfg->gpus[to].name);
    if (eventlog_add(c, t, c->cfg->gpus[to].host_idx, -1, -1, "gpu_vgpu_moved", detail))
        return -1;
    return st->live ? gpu_live_move(st->live, (size_t)from, (size_t)to, (int)g, i, t) : 0;
}

int gpu_vm_resume(sim_ctx *c, int vm, int to_host, double t)
{
    gpu_state *st = sim_model_state(c, &gpu_sim_model);
    for (size_t g = 0; st && g < c->cfg->n_gpus; g++)
        for (size_t i = 0; c->cfg->gpus[g].sharing == GPU_VGPU && i < c->cfg->gpus[g].n_instances;
             i++)
            if (c->cfg->gpus[g].instances[i].vm_idx == vm &&
                move_instance(c, st, g, i, to_host, t) != 0)
                return -1;
    for (size_t k = st ? st->n : 0; k-- > 0;)
        if (st->p[k].vm == vm && st->p[k].to_s == INFINITY) {
            st->p[k].to_s = t;
            if (st->live)
                gpu_live_pauses(c, st->live, st->p, st->n, t);
            return 0;
        }
    return 0;
}

/* The copies' route (gpu_live.h): host memory to each GPU. */
static int gpu_add_pairs(const scenario_config *cfg, const topo *t, ep_pair **pairs, size_t *n,
                         size_t *cap)
{
    for (size_t g = 0; g < cfg->n_gpus; g++)
        if (t->gpu_endpoint[g] >= 0 &&
            sim_pairs_push(pairs, n, cap, t->host_mem_endpoint[cfg->gpus[g].host_idx],
                           t->gpu_endpoint[g]) != 0)
            return -1;
    return 0;
}

static int gpu_init(sim_ctx *c)
{
    if (c->cfg->n_gpus == 0)
        return 0;
    gpu_state *st = calloc(1, sizeof *st);
    if (!st)
        return -1;
    sim_set_model_state(c, &gpu_sim_model, st);
    const scenario_config *cfg = c->cfg;
    size_t n_inst = 0;
    st->base = calloc(cfg->n_gpus, sizeof *st->base);
    st->present = calloc(cfg->n_gpus, sizeof *st->present);
    for (size_t g = 0; st->base && g < cfg->n_gpus; g++) {
        st->base[g] = n_inst;
        n_inst += cfg->gpus[g].n_instances;
        st->present[g] = (int)cfg->gpus[g].n_instances;
    }
    st->at = calloc(n_inst + 1, sizeof *st->at);
    if (!st->base || !st->present || !st->at)
        return -1;
    for (size_t g = 0; g < cfg->n_gpus; g++)
        for (size_t i = 0; i < cfg->gpus[g].n_instances; i++)
            st->at[st->base[g] + i] = (int)g;
    if (gpu_live_enabled(c) && !(st->live = gpu_live_start(c, st->p, st->n))) {
        snprintf(c->error, sizeof c->error, "out of memory (GPU schedules)");
        return -1;
    }
    return 0;
}

static void gpu_fini(sim_ctx *c)
{
    gpu_state *st = sim_model_state(c, &gpu_sim_model);
    if (!st)
        return;
    gpu_live_free(st->live);
    free(st->p);
    free(st->at);
    free(st->base);
    free(st->present);
    free(st->moves);
    free(st);
    sim_set_model_state(c, &gpu_sim_model, NULL);
}

/* ---- the event log: one line per instance at time 0 ------------------- */

static int gpu_log_initial(sim_ctx *c)
{
    const scenario_config *cfg = c->cfg;
    for (size_t g = 0; g < cfg->n_gpus; g++) {
        const gpu_config *gc = &cfg->gpus[g];
        for (size_t i = 0; i < gc->n_instances; i++) {
            const gpu_instance *in = &gc->instances[i];
            char detail[320];
            snprintf(detail, sizeof detail, "gpu %s instance %s vm %s: %s%s%s; %s", gc->name,
                     in->name, cfg->vms[in->vm_idx].name, sharing_name(gc->sharing),
                     in->profile >= 0 ? " " : "",
                     in->profile >= 0 ? gc->model.profiles[in->profile].name : "",
                     migration_text(gc->sharing));
            if (eventlog_add(c, 0, gc->host_idx, -1, -1, "gpu_attach", detail))
                return -1;
        }
    }
    return 0;
}

/* ---- tables ------------------------------------------------------------ */

typedef struct gpu_row {
    char *name, *host, *model, *sharing, *policy;
    double time_slice_s, context_switch_s;
    double link_Bps, flops, memory_Bps;
    double busy_s, utilisation, switch_s;
    uint64_t switches, jobs_done, jobs_unfinished;
} gpu_row;

static const results_column gpu_cols[] = {
    RESULTS_STR(gpu_row, name),
    RESULTS_STR(gpu_row, host),
    RESULTS_STR(gpu_row, model),
    RESULTS_STR(gpu_row, sharing),
    RESULTS_STR(gpu_row, policy),
    RESULTS_F64(gpu_row, time_slice_s, "s"),
    RESULTS_F64(gpu_row, context_switch_s, "s"),
    RESULTS_F64(gpu_row, link_Bps, "bytes/s"),
    RESULTS_F64(gpu_row, flops, "FLOP/s"),
    RESULTS_F64(gpu_row, memory_Bps, "bytes/s"),
    RESULTS_F64(gpu_row, busy_s, "s"),
    RESULTS_F64(gpu_row, utilisation, "1"),
    RESULTS_F64(gpu_row, switch_s, "s"),
    RESULTS_U64(gpu_row, switches, "count"),
    RESULTS_U64(gpu_row, jobs_done, "count"),
    RESULTS_U64(gpu_row, jobs_unfinished, "count"),
};
static const results_schema gpu_schema = RESULTS_SCHEMA("gpus", gpu_row, gpu_cols);

typedef struct inst_row {
    int32_t gpu;
    char *name, *vm, *profile, *migration;
    double share_flops, share_memory_Bps;
    double busy_s, utilisation, h2d_s;
    uint64_t jobs_done, jobs_unfinished;
} inst_row;

static const results_column inst_cols[] = {
    RESULTS_I32(inst_row, gpu, "index"),
    RESULTS_STR(inst_row, name),
    RESULTS_STR(inst_row, vm),
    RESULTS_STR(inst_row, profile),
    RESULTS_STR(inst_row, migration),
    RESULTS_F64(inst_row, share_flops, "FLOP/s"),
    RESULTS_F64(inst_row, share_memory_Bps, "bytes/s"),
    RESULTS_F64(inst_row, busy_s, "s"),
    RESULTS_F64(inst_row, utilisation, "1"),
    RESULTS_F64(inst_row, h2d_s, "s"),
    RESULTS_U64(inst_row, jobs_done, "count"),
    RESULTS_U64(inst_row, jobs_unfinished, "count"),
};
static const results_schema inst_schema = RESULTS_SCHEMA("gpu_instances", inst_row, inst_cols);

typedef struct job_row {
    int32_t gpu, instance, entry;
    uint64_t job;
    int32_t kernel_gpu;         /* the GPU its kernel ended on (-1: none) */
    double arrive_s, start_s, h2d_end_s, end_s;
    double completion_s, alone_s, slowdown;
} job_row;

static const results_column job_cols[] = {
    RESULTS_I32(job_row, gpu, "index"),
    RESULTS_I32(job_row, instance, "index"),
    RESULTS_I32(job_row, entry, "index"),
    RESULTS_U64(job_row, job, "index"),
    RESULTS_I32(job_row, kernel_gpu, "index"),
    RESULTS_F64(job_row, arrive_s, "s"),
    RESULTS_F64(job_row, start_s, "s"),
    RESULTS_F64(job_row, h2d_end_s, "s"),
    RESULTS_F64(job_row, end_s, "s"),
    RESULTS_F64(job_row, completion_s, "s"),
    RESULTS_F64(job_row, alone_s, "s"),
    RESULTS_F64(job_row, slowdown, "1"),
};
static const results_schema job_schema = RESULTS_SCHEMA("gpu_jobs", job_row, job_cols);

/* The jobs configured on instance i of g. */
static uint64_t inst_jobs(const gpu_config *g, size_t i)
{
    uint64_t n = 0;
    for (size_t e = 0; e < g->instances[i].n_jobs; e++)
        n += g->instances[i].jobs[e].count;
    return n;
}

static int fill_gpu_row(const scenario_config *cfg, const gpu_config *g, const gpu_sched *s,
                        double link, gpu_row *r)
{
    double dur = cfg->sim.duration_s;
    r->name = results_strdup(g->name);
    r->host = results_strdup(cfg->hosts[g->host_idx].name);
    r->model = results_strdup(g->model.name);
    r->sharing = results_strdup(sharing_name(g->sharing));
    r->policy = results_strdup(g->sharing != GPU_VGPU ? ""
                               : g->policy == GPU_EQUAL_SHARE ? "equal_share" : "best_effort");
    r->time_slice_s = g->sharing == GPU_VGPU ? g->time_slice_s : NAN;
    r->context_switch_s = g->sharing == GPU_VGPU ? g->context_switch_s : NAN;
    r->link_Bps = link;
    r->flops = g->model.flops;
    r->memory_Bps = g->model.memory_Bps;
    r->busy_s = s->device_busy_s;
    r->utilisation = s->device_busy_s / dur;
    r->switch_s = s->switch_s;
    r->switches = s->switches;
    for (size_t i = 0; i < g->n_instances; i++) {
        r->jobs_done += s->inst[i].done;
        r->jobs_unfinished += inst_jobs(g, i) - s->inst[i].done;
    }
    return r->name && r->host && r->model && r->sharing && r->policy ? 0 : -1;
}

static int fill_inst_row(const scenario_config *cfg, size_t gi, const gpu_sched *s, size_t i,
                         inst_row *r)
{
    const gpu_config *g = &cfg->gpus[gi];
    const gpu_instance *in = &g->instances[i];
    const gpu_inst_out *o = &s->inst[i];
    r->gpu = (int32_t)gi;
    r->name = results_strdup(in->name);
    r->vm = results_strdup(cfg->vms[in->vm_idx].name);
    r->profile = results_strdup(in->profile >= 0 ? g->model.profiles[in->profile].name : "");
    r->migration = results_strdup(migration_text(g->sharing));
    r->share_flops = o->share_flops;
    r->share_memory_Bps = o->share_Bps;
    r->busy_s = o->busy_s;
    r->utilisation = o->busy_s / cfg->sim.duration_s;
    r->h2d_s = o->h2d_s;
    r->jobs_done = o->done;
    r->jobs_unfinished = inst_jobs(g, i) - o->done;
    return r->name && r->vm && r->profile && r->migration ? 0 : -1;
}

static void fill_job_row(size_t gi, const gpu_job_out *o, job_row *r)
{
    *r = (job_row){(int32_t)gi, o->instance, o->entry, o->k, o->end_gpu, o->arrive_s,
                   o->start_s, o->h2d_end_s, o->end_s, o->end_s - o->arrive_s, o->alone_s, NAN};
    r->slowdown = r->completion_s / o->alone_s;
}

/* The pure run (at collect): every GPU's schedule together, the vGPU
 * moves replayed at their times (gpu_run_move), then each to the end. */
static int run_pure(const sim_ctx *c, const gpu_state *st, gpu_sched *out)
{
    const scenario_config *cfg = c->cfg;
    gpu_run **R = calloc(cfg->n_gpus, sizeof *R);
    int rc = R ? 0 : -1;
    for (size_t g = 0; rc == 0 && g < cfg->n_gpus; g++) {
        R[g] = gpu_run_start(&cfg->gpus[g], gpu_link_Bps(&cfg->gpus[g]), st ? st->p : NULL,
                             st ? st->n : 0, NULL, NULL, &out[g]);
        rc = R[g] ? 0 : -1;
        if (R[g])
            gpu_run_set_gpu(R[g], (int)g);
    }
    for (size_t k = 0; rc == 0 && st && k < st->n_moves; k++) {
        const gpu_move *m = &st->moves[k];
        rc = gpu_run_move(R[m->from], R[m->to], m->home, m->inst, m->t);
    }
    for (size_t g = 0; rc == 0 && g < cfg->n_gpus; g++)
        gpu_run_to(R[g], cfg->sim.duration_s);
    for (size_t g = 0; R && g < cfg->n_gpus; g++)
        gpu_run_end(R[g]);
    free(R);
    return rc;
}

/* Every GPU's schedule run to the end, live or pure, before any row is
 * filled: a moved instance's jobs end on another GPU's run. */
static int run_all(const sim_ctx *c, gpu_sched *pure, const gpu_sched **s)
{
    const scenario_config *cfg = c->cfg;
    gpu_state *st = sim_model_state(c, &gpu_sim_model);
    if (!(st && st->live)) {
        if (run_pure(c, st, pure))
            return -1;
        for (size_t g = 0; g < cfg->n_gpus; g++)
            s[g] = &pure[g];
        return 0;
    }
    for (size_t g = 0; g < cfg->n_gpus; g++)
        s[g] = gpu_live_finish(st->live, g, cfg->sim.duration_s);
    for (size_t g = 0; g < cfg->n_gpus; g++) {
        /* the run ended before time 0's timers: nothing ran */
        if (!s[g] && gpu_sched_run_paused(&cfg->gpus[g], gpu_link_Bps(&cfg->gpus[g]), 0, NULL,
                                          0, &pure[g]))
            return -1;
        if (!s[g])
            s[g] = &pure[g];
    }
    return 0;
}

static int gpu_collect(const sim_ctx *c, run_results *res)
{
    const scenario_config *cfg = c->cfg;
    if (cfg->n_gpus == 0)
        return 0;
    size_t n_inst = 0, n_jobs = 0;
    for (size_t g = 0; g < cfg->n_gpus; g++) {
        n_inst += cfg->gpus[g].n_instances;
        for (size_t i = 0; i < cfg->gpus[g].n_instances; i++)
            n_jobs += inst_jobs(&cfg->gpus[g], i);
    }
    gpu_row *gr = results_table_add(&res->reg, &gpu_schema, cfg->n_gpus);
    inst_row *ir = gr ? results_table_add(&res->reg, &inst_schema, n_inst) : NULL;
    job_row *jr = ir ? results_table_add(&res->reg, &job_schema, n_jobs) : NULL;
    gpu_sched *pure = calloc(cfg->n_gpus, sizeof *pure);
    const gpu_sched **s = calloc(cfg->n_gpus, sizeof *s);
    int rc = jr && pure && s ? run_all(c, pure, s) : -1;
    size_t ki = 0, kj = 0;
    for (size_t g = 0; rc == 0 && g < cfg->n_gpus; g++) {
        const gpu_config *gc = &cfg->gpus[g];
        rc = fill_gpu_row(cfg, gc, s[g], gpu_link_Bps(gc), &gr[g]);
        for (size_t i = 0; rc == 0 && i < gc->n_instances; i++)
            rc = fill_inst_row(cfg, g, s[g], i, &ir[ki++]);
        for (size_t j = 0; rc == 0 && j < s[g]->n_jobs; j++)
            fill_job_row(g, &s[g]->jobs[j], &jr[kj++]);
    }
    for (size_t g = 0; pure && g < cfg->n_gpus; g++)
        gpu_sched_free(&pure[g]);
    free(pure);
    free(s);
    return rc;
}

const sim_model_ops gpu_sim_model = {
    .name = "gpu",
    .add_pairs = gpu_add_pairs,
    .init = gpu_init,
    .log_initial = gpu_log_initial,
    .collect = gpu_collect,
    .fini = gpu_fini,
};
