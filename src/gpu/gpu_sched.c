/* gpu_sched.c -- one GPU's schedule (gpu_sched.h). An exact event loop:
 * between two events every rate is constant, so each step moves time to
 * the earliest of the next arrival, copy end, kernel end, switch end and
 * turn end, and the instance whose event it is lands on exactly 0 left. */
#include "gpu/gpu_sched.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { PH_NONE = 0, PH_H2D, PH_KERNEL };

typedef struct inst_run {
    size_t *list;               /* its jobs' indices in out->jobs, by arrival */
    size_t n, head;
    long cur;                   /* the job in hand, -1 none */
    int phase;
    double rem_bytes, rem_s;    /* of the copy; of the kernel, at its share's rate */
    double flops, Bps;
    const gpu_pause *pauses;    /* all VMs' pauses; this instance's VM's only count */
    size_t n_pauses, pi;        /* pi: the first not yet over */
    int vm, paused;
} inst_run;

typedef struct vgpu_run {
    int owner;                  /* whose turn, -1 device idle */
    int resident;               /* whose context is loaded, -1 none */
    size_t rr;                  /* the next in rotation */
    int switching, turn_idle, was_idle;
    double switch_end_s, turn_end_s;
} vgpu_run;

/* A schedule in progress (gpu_sched.h). */
struct gpu_run {
    const gpu_config *g;
    gpu_sched *out;
    inst_run *ir;
    double *ev;
    vgpu_run v;
    double t, link_Bps;
    gpu_copy_fn copy_start;     /* live: copies are the caller's; NULL: pure */
    void *arg;
};

void gpu_share(const gpu_config *g, size_t inst, double *flops, double *Bps)
{
    const gpu_model *m = &g->model;
    *flops = m->flops;
    *Bps = m->memory_Bps;
    if (g->sharing == GPU_MIG) {
        const gpu_profile *p = &m->profiles[g->instances[inst].profile];
        *flops = m->flops * p->compute_slices / m->compute_slices;
        *Bps = m->memory_Bps * p->memory_slices / m->memory_slices;
    }
}

double gpu_kernel_s(const gpu_job *j, double flops, double Bps)
{
    if (j->cap_flops > 0)
        flops = fmin(flops, j->cap_flops);
    if (j->cap_Bps > 0)
        Bps = fmin(Bps, j->cap_Bps);
    return fmax(j->flop / flops, j->memory_bytes / Bps);
}

static const gpu_job *job_cfg(const gpu_config *g, const gpu_job_out *o)
{
    return &g->instances[o->instance].jobs[o->entry];
}

static int cmp_jobs(const void *a, const void *b)
{
    const gpu_job_out *x = a, *y = b;
    if (x->arrive_s != y->arrive_s)
        return x->arrive_s < y->arrive_s ? -1 : 1;
    if (x->instance != y->instance)
        return x->instance < y->instance ? -1 : 1;
    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

/* Every job of every instance, sorted by arrival; each instance's list. */
static int expand(const gpu_config *g, double link_Bps, gpu_sched *out, inst_run *ir)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n_instances; i++)
        for (size_t e = 0; e < g->instances[i].n_jobs; e++)
            n += g->instances[i].jobs[e].count;
    out->jobs = calloc(n ? n : 1, sizeof *out->jobs);
    if (!out->jobs)
        return -1;
    for (size_t i = 0; i < g->n_instances; i++) {
        gpu_share(g, i, &ir[i].flops, &ir[i].Bps);
        out->inst[i].share_flops = ir[i].flops;
        out->inst[i].share_Bps = ir[i].Bps;
        for (size_t e = 0; e < g->instances[i].n_jobs; e++) {
            const gpu_job *j = &g->instances[i].jobs[e];
            for (uint32_t k = 0; k < j->count; k++) {
                gpu_job_out *o = &out->jobs[out->n_jobs++];
                *o = (gpu_job_out){(int32_t)i, (int32_t)e, k, j->start_s + k * j->interval_s,
                                   NAN, NAN, NAN, 0};
                o->alone_s = j->h2d_bytes / link_Bps + gpu_kernel_s(j, ir[i].flops, ir[i].Bps);
            }
        }
    }
    qsort(out->jobs, out->n_jobs, sizeof *out->jobs, cmp_jobs);
    for (size_t i = 0; i < g->n_instances; i++) {
        ir[i].cur = -1;
        ir[i].list = malloc((n ? n : 1) * sizeof *ir[i].list);
        if (!ir[i].list)
            return -1;
    }
    for (size_t x = 0; x < out->n_jobs; x++) {
        inst_run *r = &ir[out->jobs[x].instance];
        r->list[r->n++] = x;
    }
    return 0;
}

static void finish_job(gpu_sched *out, inst_run *r, double t)
{
    gpu_job_out *o = &out->jobs[r->cur];
    o->end_s = t;
    out->inst[o->instance].done++;
    r->cur = -1;
    r->phase = PH_NONE;
}

static void to_kernel(const gpu_config *g, gpu_sched *out, inst_run *r, double t)
{
    gpu_job_out *o = &out->jobs[r->cur];
    o->h2d_end_s = t;
    r->phase = PH_KERNEL;
    r->rem_s = gpu_kernel_s(job_cfg(g, o), r->flops, r->Bps);
    if (r->rem_s <= 0)
        finish_job(out, r, t);
}

/* Instances without a job take their next one that has arrived by t. */
static void admit(const gpu_config *g, gpu_sched *out, inst_run *ir, double t,
                  const struct gpu_run *R)
{
    for (size_t i = 0; i < g->n_instances; i++) {
        inst_run *r = &ir[i];
        while (!r->paused && r->cur < 0 && r->head < r->n &&
               out->jobs[r->list[r->head]].arrive_s <= t) {
            r->cur = (long)r->list[r->head++];
            gpu_job_out *o = &out->jobs[r->cur];
            o->start_s = t;
            r->rem_bytes = job_cfg(g, o)->h2d_bytes;
            r->phase = PH_H2D;
            if (r->rem_bytes <= 0)
                to_kernel(g, out, r, t);
            else if (R->copy_start)
                R->copy_start(R->arg, i, r->rem_bytes, t);
        }
    }
}

/* The vGPU scheduler picks the next turn when the device has none. */
static void vgpu_decide(const gpu_config *g, gpu_sched *out, inst_run *ir, vgpu_run *v, double t)
{
    size_t n = g->n_instances, pick = n;
    if (v->owner >= 0)
        return;
    for (size_t s = 0; s < n && pick == n; s++)
        if (ir[(v->rr + s) % n].phase == PH_KERNEL && !ir[(v->rr + s) % n].paused)
            pick = (v->rr + s) % n;
    if (pick == n) {            /* nothing ready: the device idles */
        v->was_idle = 1;
        return;
    }
    if (g->policy == GPU_EQUAL_SHARE && !v->was_idle)
        pick = v->rr;           /* every vGPU keeps its turn */
    v->was_idle = 0;
    v->rr = (pick + 1) % n;
    v->owner = (int)pick;
    v->turn_idle = ir[pick].phase != PH_KERNEL || ir[pick].paused;
    v->switching = 0;
    if (!v->turn_idle && v->resident >= 0 && v->resident != (int)pick &&
        g->context_switch_s > 0) {
        v->switching = 1;
        v->switch_end_s = t + g->context_switch_s;
        out->switches++;
    }
    if (!v->turn_idle)
        v->resident = (int)pick;
    v->turn_end_s = (v->switching ? v->switch_end_s : t) + g->time_slice_s;
}

static int vgpu_running(const vgpu_run *v, const inst_run *ir)
{
    return v->owner >= 0 && !v->switching && !v->turn_idle && ir[v->owner].phase == PH_KERNEL &&
           !ir[v->owner].paused;
}

/* Pauses of instance r's VM: the next start or end after t. */
static double next_pause_edge(const inst_run *r, double t)
{
    for (size_t k = r->pi; k < r->n_pauses; k++) {
        const gpu_pause *p = &r->pauses[k];
        if (p->vm != r->vm || p->to_s <= t)
            continue;
        return p->from_s > t ? p->from_s : p->to_s;
    }
    return INFINITY;
}

/* Sets r->paused for time t, skipping the pauses already over. */
static void update_pause(inst_run *r, double t)
{
    while (r->pi < r->n_pauses && (r->pauses[r->pi].vm != r->vm || r->pauses[r->pi].to_s <= t))
        r->pi++;
    r->paused = r->pi < r->n_pauses && r->pauses[r->pi].from_s <= t;
}

/* The earliest next event after t (or until_s). ev[i]: instance i's own
 * event (copy or kernel end), INFINITY when none. */
static double next_event(const gpu_config *g, const gpu_sched *out, const inst_run *ir,
                         const vgpu_run *v, double t, double until_s, double h2d_rate,
                         int live, double *ev, double *ev_sched)
{
    double tn = until_s;
    *ev_sched = INFINITY;
    for (size_t i = 0; i < g->n_instances; i++) {
        const inst_run *r = &ir[i];
        ev[i] = INFINITY;
        if (r->cur < 0 && r->head < r->n)
            tn = fmin(tn, out->jobs[r->list[r->head]].arrive_s);
        tn = fmin(tn, next_pause_edge(r, t));
        if (r->paused)
            continue;
        if (r->phase == PH_H2D && live)
            ev[i] = r->rem_bytes <= 0 ? t : INFINITY; /* its flow's end says */
        else if (r->phase == PH_H2D)
            ev[i] = t + r->rem_bytes / h2d_rate;
        else if (r->phase == PH_KERNEL &&
                 (g->sharing != GPU_VGPU || (vgpu_running(v, ir) && v->owner == (int)i)))
            ev[i] = t + r->rem_s;
        tn = fmin(tn, ev[i]);
    }
    if (g->sharing == GPU_VGPU && v->owner >= 0) {
        *ev_sched = v->switching ? v->switch_end_s : v->turn_end_s;
        tn = fmin(tn, *ev_sched);
    }
    return tn;
}

/* Moves every rate's progress from t to tn; instance events due at tn
 * land on exactly 0 left. */
static void advance(const gpu_config *g, gpu_sched *out, inst_run *ir, const vgpu_run *v,
                    double dt, double tn, double h2d_rate, int live, const double *ev)
{
    int vrun = g->sharing == GPU_VGPU && vgpu_running(v, ir);
    for (size_t i = 0; i < g->n_instances; i++) {
        inst_run *r = &ir[i];
        gpu_inst_out *io = &out->inst[i];
        if (r->phase == PH_H2D && live) {
            if (r->rem_bytes > 0) /* its flow moves, paused VM or not */
                io->h2d_s += dt;
        } else if (r->phase == PH_H2D && ev[i] < INFINITY) {
            r->rem_bytes = ev[i] <= tn ? 0 : r->rem_bytes - h2d_rate * dt;
            io->h2d_s += dt;
        } else if (r->phase == PH_KERNEL && ev[i] < INFINITY) {
            r->rem_s = ev[i] <= tn ? 0 : r->rem_s - dt;
            io->busy_s += dt;
            if (g->sharing == GPU_MIG)
                out->device_busy_s += dt * r->flops / g->model.flops;
        }
    }
    if (vrun || g->sharing == GPU_PASSTHROUGH)
        for (size_t i = 0; i < g->n_instances; i++)
            if (ir[i].phase == PH_KERNEL && ev[i] < INFINITY) {
                out->device_busy_s += dt;
                break;
            }
    if (g->sharing == GPU_VGPU && v->switching)
        out->switch_s += dt;
}

/* What happens at t: copies and kernels ending, the turn's end. */
static void transitions(const gpu_config *g, gpu_sched *out, inst_run *ir, vgpu_run *v,
                        double t, const struct gpu_run *R)
{
    for (size_t i = 0; i < g->n_instances; i++)
        update_pause(&ir[i], t);
    for (size_t i = 0; i < g->n_instances; i++) {
        inst_run *r = &ir[i];
        if (r->paused)
            continue;
        if (r->phase == PH_H2D && r->rem_bytes <= 0)
            to_kernel(g, out, r, t);
        else if (r->phase == PH_KERNEL && r->rem_s <= 0)
            finish_job(out, r, t);
    }
    admit(g, out, ir, t, R);
    if (g->sharing != GPU_VGPU || v->owner < 0)
        return;
    if (v->switching && t >= v->switch_end_s)
        v->switching = 0;
    if (v->switching)
        return;
    int out_of_work = ir[v->owner].phase != PH_KERNEL || ir[v->owner].paused;
    if (t >= v->turn_end_s || (g->policy == GPU_BEST_EFFORT && out_of_work))
        v->owner = -1;
}

/* Runs the schedule from R->t to until_s (events at until_s included). */
static void step_to(struct gpu_run *R, double until_s)
{
    const gpu_config *g = R->g;
    int live = R->copy_start != NULL;
    while (R->t < until_s) {
        if (g->sharing == GPU_VGPU)
            vgpu_decide(g, R->out, R->ir, &R->v, R->t);
        size_t n_h2d = 0;
        for (size_t i = 0; i < g->n_instances; i++)
            n_h2d += R->ir[i].phase == PH_H2D && !R->ir[i].paused;
        double rate = n_h2d ? R->link_Bps / (double)n_h2d : 0, ev_sched;
        double tn = next_event(g, R->out, R->ir, &R->v, R->t, until_s, rate, live, R->ev,
                               &ev_sched);
        advance(g, R->out, R->ir, &R->v, tn - R->t, tn, rate, live, R->ev);
        R->t = tn;
        transitions(g, R->out, R->ir, &R->v, R->t, R);
    }
}

gpu_run *gpu_run_start(const gpu_config *g, double link_Bps, const gpu_pause *pauses,
                       size_t n_pauses, gpu_copy_fn copy_start, void *arg, gpu_sched *out)
{
    memset(out, 0, sizeof *out);
    size_t n = g->n_instances ? g->n_instances : 1;
    gpu_run *R = calloc(1, sizeof *R);
    out->inst = calloc(n, sizeof *out->inst);
    if (R) {
        *R = (gpu_run){g, out, calloc(n, sizeof *R->ir), calloc(n, sizeof *R->ev),
                       {.owner = -1, .resident = -1, .was_idle = 1}, 0, link_Bps, copy_start,
                       arg};
    }
    if (!R || !out->inst || !R->ir || !R->ev) {
        gpu_run_end(R);
        gpu_sched_free(out);
        return NULL;
    }
    for (size_t i = 0; i < g->n_instances; i++)
        R->ir[i] = (inst_run){.pauses = pauses, .n_pauses = n_pauses,
                              .vm = g->instances[i].vm_idx};
    if (expand(g, link_Bps, out, R->ir) != 0) {
        gpu_run_end(R);
        gpu_sched_free(out);
        return NULL;
    }
    for (size_t i = 0; i < g->n_instances; i++)
        update_pause(&R->ir[i], 0);
    admit(g, out, R->ir, 0, R);
    return R;
}

double gpu_run_until(gpu_run *R, double t)
{
    step_to(R, t);
    const gpu_config *g = R->g;
    if (g->sharing == GPU_VGPU)
        vgpu_decide(g, R->out, R->ir, &R->v, R->t);
    double ev_sched;
    return next_event(g, R->out, R->ir, &R->v, R->t, INFINITY, 0, 1, R->ev, &ev_sched);
}

double gpu_run_copy_done(gpu_run *R, size_t inst, double t)
{
    step_to(R, t);
    R->ir[inst].rem_bytes = 0;
    transitions(R->g, R->out, R->ir, &R->v, R->t, R);
    return gpu_run_until(R, t);
}

double gpu_run_set_pauses(gpu_run *R, const gpu_pause *pauses, size_t n_pauses, double t)
{
    step_to(R, t);
    for (size_t i = 0; i < R->g->n_instances; i++) {
        R->ir[i].pauses = pauses;
        R->ir[i].n_pauses = n_pauses;
        R->ir[i].pi = 0;
    }
    transitions(R->g, R->out, R->ir, &R->v, R->t, R);
    return gpu_run_until(R, t);
}

void gpu_run_end(gpu_run *R)
{
    if (!R)
        return;
    for (size_t i = 0; R->ir && i < R->g->n_instances; i++) {
        R->out->inst[i].unfinished = (uint32_t)(R->ir[i].n - R->out->inst[i].done);
        free(R->ir[i].list);
    }
    free(R->ir);
    free(R->ev);
    free(R);
}

int gpu_sched_run(const gpu_config *g, double link_Bps, double until_s, gpu_sched *out)
{
    return gpu_sched_run_paused(g, link_Bps, until_s, NULL, 0, out);
}

int gpu_sched_run_paused(const gpu_config *g, double link_Bps, double until_s,
                         const gpu_pause *pauses, size_t n_pauses, gpu_sched *out)
{
    gpu_run *R = gpu_run_start(g, link_Bps, pauses, n_pauses, NULL, NULL, out);
    if (!R)
        return -1;
    step_to(R, until_s);
    gpu_run_end(R);
    return 0;
}

void gpu_sched_free(gpu_sched *s)
{
    free(s->jobs);
    free(s->inst);
    memset(s, 0, sizeof *s);
}
