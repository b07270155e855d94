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
    /* whose instance this slot runs: the configured instance oi of GPU
     * home (its config hg, its tables o: rows stay per configured
     * instance); present 0: it has not arrived or has left (gpu_run_move) */
    const gpu_config *hg;
    gpu_sched *o;
    size_t oi;
    int home, present;
} inst_run;

typedef struct vgpu_run {
    int owner;                  /* whose turn, -1 device idle */
    int resident;               /* whose context is loaded, -1 none */
    size_t rr;                  /* the next in rotation (modulo the slots) */
    int switching, turn_idle, was_idle;
    double switch_end_s, turn_end_s;
} vgpu_run;

/* A schedule in progress (gpu_sched.h). */
struct gpu_run {
    const gpu_config *g;
    gpu_sched *out;
    inst_run *ir;
    double *ev;
    size_t n;                   /* slots in ir: the GPU's instances, then visitors */
    int gpu;                    /* this GPU's index (gpu_job_out.end_gpu) */
    vgpu_run v;
    double t, link_Bps;
    const gpu_pause *pauses;    /* all VMs' (a visitor's slot takes them) */
    size_t n_pauses;
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
                                   NAN, NAN, NAN, 0, -1};
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


static gpu_job_out *cur_job(const inst_run *r)
{
    return &r->o->jobs[r->cur];
}

static void finish_job(inst_run *r, double t, int gpu)
{
    gpu_job_out *o = cur_job(r);
    o->end_s = t;
    o->end_gpu = gpu;
    r->o->inst[r->oi].done++;
    r->cur = -1;
    r->phase = PH_NONE;
}

static void to_kernel(inst_run *r, double t, int gpu)
{
    gpu_job_out *o = cur_job(r);
    o->h2d_end_s = t;
    r->phase = PH_KERNEL;
    r->rem_s = gpu_kernel_s(job_cfg(r->hg, o), r->flops, r->Bps);
    if (r->rem_s <= 0)
        finish_job(r, t, gpu);
}

/* Instances present without a job take their next one that has arrived by t. */
static void admit(struct gpu_run *R, double t)
{
    for (size_t i = 0; i < R->n; i++) {
        inst_run *r = &R->ir[i];
        while (r->present && !r->paused && r->cur < 0 && r->head < r->n &&
               r->o->jobs[r->list[r->head]].arrive_s <= t) {
            r->cur = (long)r->list[r->head++];
            gpu_job_out *o = cur_job(r);
            o->start_s = t;
            r->rem_bytes = job_cfg(r->hg, o)->h2d_bytes;
            r->phase = PH_H2D;
            if (r->rem_bytes <= 0)
                to_kernel(r, t, R->gpu);
            else if (R->copy_start)
                R->copy_start(R->arg, i, r->rem_bytes, t);
        }
    }
}

/* A kernel in hand that may run: present, not paused. */
static int ready(const inst_run *r)
{
    return r->present && r->phase == PH_KERNEL && !r->paused;
}

/* The vGPU scheduler picks the next turn when the device has none. The
 * rotation skips slots absent (a visitor not arrived yet, an instance
 * that left with its VM's live migration). */
static void vgpu_decide(struct gpu_run *R, double t)
{
    vgpu_run *v = &R->v;
    size_t n = R->n, pick = n;
    if (v->owner >= 0)
        return;
    for (size_t s = 0; s < n && pick == n; s++)
        if (ready(&R->ir[(v->rr + s) % n]))
            pick = (v->rr + s) % n;
    if (pick == n) {            /* nothing ready: the device idles */
        v->was_idle = 1;
        return;
    }
    if (R->g->policy == GPU_EQUAL_SHARE && !v->was_idle) {
        pick = v->rr % n;       /* every vGPU present keeps its turn */
        while (!R->ir[pick].present)
            pick = (pick + 1) % n;
    }
    v->was_idle = 0;
    v->rr = pick + 1;           /* taken modulo the slots then: a visitor joins
                                   the rotation after the last slot */
    v->owner = (int)pick;
    v->turn_idle = !ready(&R->ir[pick]);
    v->switching = 0;
    if (!v->turn_idle && v->resident >= 0 && v->resident != (int)pick &&
        R->g->context_switch_s > 0) {
        v->switching = 1;
        v->switch_end_s = t + R->g->context_switch_s;
        R->out->switches++;
    }
    if (!v->turn_idle)
        v->resident = (int)pick;
    v->turn_end_s = (v->switching ? v->switch_end_s : t) + R->g->time_slice_s;
}

static int vgpu_running(const struct gpu_run *R)
{
    const vgpu_run *v = &R->v;
    return v->owner >= 0 && !v->switching && !v->turn_idle && ready(&R->ir[v->owner]);
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

/* The earliest next event after R->t (or until_s). R->ev[i]: slot i's own
 * event (copy or kernel end), INFINITY when none. */
static double next_event(struct gpu_run *R, double until_s, double h2d_rate, int live,
                         double *ev_sched)
{
    const gpu_config *g = R->g;
    double tn = until_s, t = R->t;
    *ev_sched = INFINITY;
    for (size_t i = 0; i < R->n; i++) {
        const inst_run *r = &R->ir[i];
        R->ev[i] = INFINITY;
        if (!r->present)
            continue;
        if (r->cur < 0 && r->head < r->n)
            tn = fmin(tn, r->o->jobs[r->list[r->head]].arrive_s);
        tn = fmin(tn, next_pause_edge(r, t));
        if (r->paused)
            continue;
        if (r->phase == PH_H2D && live)
            R->ev[i] = r->rem_bytes <= 0 ? t : INFINITY; /* its flow's end says */
        else if (r->phase == PH_H2D)
            R->ev[i] = t + r->rem_bytes / h2d_rate;
        else if (r->phase == PH_KERNEL &&
                 (g->sharing != GPU_VGPU || (vgpu_running(R) && R->v.owner == (int)i)))
            R->ev[i] = t + r->rem_s;
        tn = fmin(tn, R->ev[i]);
    }
    if (g->sharing == GPU_VGPU && R->v.owner >= 0) {
        *ev_sched = R->v.switching ? R->v.switch_end_s : R->v.turn_end_s;
        tn = fmin(tn, *ev_sched);
    }
    return tn;
}

/* Moves every rate's progress from R->t to tn; slot events due at tn
 * land on exactly 0 left. A moved instance's busy and copy times go to its
 * configured row (r->o), the device's to this GPU. */
static void advance(struct gpu_run *R, double dt, double tn, double h2d_rate, int live)
{
    const gpu_config *g = R->g;
    const double *ev = R->ev;
    int vrun = g->sharing == GPU_VGPU && vgpu_running(R);
    for (size_t i = 0; i < R->n; i++) {
        inst_run *r = &R->ir[i];
        gpu_inst_out *io = &r->o->inst[r->oi];
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
                R->out->device_busy_s += dt * r->flops / g->model.flops;
        }
    }
    if (vrun || g->sharing == GPU_PASSTHROUGH)
        for (size_t i = 0; i < R->n; i++)
            if (R->ir[i].phase == PH_KERNEL && ev[i] < INFINITY) {
                R->out->device_busy_s += dt;
                break;
            }
    if (g->sharing == GPU_VGPU && R->v.switching)
        R->out->switch_s += dt;
}

/* What happens at t: copies and kernels ending, the turn's end. */
static void transitions(struct gpu_run *R, double t)
{
    vgpu_run *v = &R->v;
    for (size_t i = 0; i < R->n; i++)
        update_pause(&R->ir[i], t);
    for (size_t i = 0; i < R->n; i++) {
        inst_run *r = &R->ir[i];
        if (!r->present || r->paused)
            continue;
        if (r->phase == PH_H2D && r->rem_bytes <= 0)
            to_kernel(r, t, R->gpu);
        else if (r->phase == PH_KERNEL && r->rem_s <= 0)
            finish_job(r, t, R->gpu);
    }
    admit(R, t);
    if (R->g->sharing != GPU_VGPU || v->owner < 0)
        return;
    if (v->switching && t >= v->switch_end_s)
        v->switching = 0;
    if (v->switching)
        return;
    int out_of_work = !ready(&R->ir[v->owner]);
    if (t >= v->turn_end_s || (R->g->policy == GPU_BEST_EFFORT && out_of_work))
        v->owner = -1;
}

/* Runs the schedule from R->t to until_s (events at until_s included). */
static void step_to(struct gpu_run *R, double until_s)
{
    int live = R->copy_start != NULL;
    while (R->t < until_s) {
        if (R->g->sharing == GPU_VGPU)
            vgpu_decide(R, R->t);
        size_t n_h2d = 0;
        for (size_t i = 0; i < R->n; i++)
            n_h2d += R->ir[i].present && R->ir[i].phase == PH_H2D && !R->ir[i].paused;
        double rate = n_h2d ? R->link_Bps / (double)n_h2d : 0, ev_sched;
        double tn = next_event(R, until_s, rate, live, &ev_sched);
        advance(R, tn - R->t, tn, rate, live);
        R->t = tn;
        transitions(R, R->t);
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
        *R = (gpu_run){.g = g, .out = out, .ir = calloc(n, sizeof *R->ir),
                       .ev = calloc(n, sizeof *R->ev), .n = g->n_instances,
                       .v = {.owner = -1, .resident = -1, .was_idle = 1}, .link_Bps = link_Bps,
                       .copy_start = copy_start, .arg = arg, .pauses = pauses,
                       .n_pauses = n_pauses};
    }
    if (!R || !out->inst || !R->ir || !R->ev) {
        gpu_run_end(R);
        gpu_sched_free(out);
        return NULL;
    }
    for (size_t i = 0; i < g->n_instances; i++)
        R->ir[i] = (inst_run){.pauses = pauses, .n_pauses = n_pauses,
                              .vm = g->instances[i].vm_idx, .hg = g, .o = out, .oi = i,
                              .present = 1};
    if (expand(g, link_Bps, out, R->ir) != 0) {
        gpu_run_end(R);
        gpu_sched_free(out);
        return NULL;
    }
    for (size_t i = 0; i < g->n_instances; i++)
        update_pause(&R->ir[i], 0);
    admit(R, 0);
    return R;
}

void gpu_run_to(gpu_run *R, double t)
{
    step_to(R, t);
}

void gpu_run_set_gpu(gpu_run *R, int gpu)
{
    for (size_t i = 0; i < R->n; i++)
        if (R->ir[i].o == R->out)
            R->ir[i].home = gpu;
    R->gpu = gpu;
}

double gpu_run_until(gpu_run *R, double t)
{
    step_to(R, t);
    if (R->g->sharing == GPU_VGPU)
        vgpu_decide(R, R->t);
    double ev_sched;
    return next_event(R, INFINITY, 0, 1, &ev_sched);
}

double gpu_run_copy_done(gpu_run *R, size_t inst, double t)
{
    step_to(R, t);
    /* a copy of an instance that left since (gpu_run_move) ends: ignored */
    if (R->ir[inst].present && R->ir[inst].phase == PH_H2D)
        R->ir[inst].rem_bytes = 0;
    transitions(R, R->t);
    return gpu_run_until(R, t);
}

double gpu_run_set_pauses(gpu_run *R, const gpu_pause *pauses, size_t n_pauses, double t)
{
    step_to(R, t);
    R->pauses = pauses;
    R->n_pauses = n_pauses;
    for (size_t i = 0; i < R->n; i++) {
        R->ir[i].pauses = pauses;
        R->ir[i].n_pauses = n_pauses;
        R->ir[i].pi = 0;
    }
    transitions(R, R->t);
    return gpu_run_until(R, t);
}

static long find_slot(const gpu_run *R, int home, size_t oi)
{
    for (size_t i = 0; i < R->n; i++)
        if (R->ir[i].home == home && R->ir[i].oi == oi)
            return (long)i;
    return -1;
}

/* dst's slot for (home, oi): the one it had, or a new one at the end. */
static long dst_slot(gpu_run *dst, int home, size_t oi)
{
    long di = find_slot(dst, home, oi);
    if (di >= 0)
        return di;
    inst_run *ir = realloc(dst->ir, (dst->n + 1) * sizeof *ir);
    if (!ir)
        return -1;
    dst->ir = ir;
    double *ev = realloc(dst->ev, (dst->n + 1) * sizeof *ev);
    if (!ev)
        return -1;
    dst->ev = ev;
    dst->ir[dst->n] = (inst_run){.cur = -1};
    return (long)dst->n++;
}

int gpu_run_move(gpu_run *src, gpu_run *dst, int home, size_t inst, double t)
{
    long si = find_slot(src, home, inst);
    if (src == dst || si < 0 || !src->ir[si].present)
        return src == dst ? 0 : -1;
    step_to(src, t);
    step_to(dst, t);
    long di = dst_slot(dst, home, inst);
    if (di < 0)
        return -1;
    inst_run *s = &src->ir[si], *d = &dst->ir[di];
    free(d->list);              /* NULL: it left with its list before */
    *d = *s;                    /* its job in hand, queue and rates (same model) */
    d->pauses = dst->pauses;
    d->n_pauses = dst->n_pauses;
    d->pi = 0;
    update_pause(d, t);
    /* live: the copy in flight was a flow on the source's link, which no
     * longer reports to this slot; the destination does the copy again */
    if (dst->copy_start && d->phase == PH_H2D && d->rem_bytes > 0) {
        d->rem_bytes = job_cfg(d->hg, cur_job(d))->h2d_bytes;
        dst->copy_start(dst->arg, (size_t)di, d->rem_bytes, t);
    }
    *s = (inst_run){.cur = -1, .pauses = s->pauses, .n_pauses = s->n_pauses, .vm = s->vm,
                    .hg = s->hg, .o = s->o, .oi = s->oi, .home = s->home, .flops = s->flops,
                    .Bps = s->Bps};
    if (src->v.owner == (int)si) /* its turn goes to the others now */
        src->v.owner = -1;
    return 0;
}

void gpu_run_end(gpu_run *R)
{
    if (!R)
        return;
    for (size_t i = 0; R->ir && i < R->n; i++)
        free(R->ir[i].list);
    for (size_t i = 0; R->ir && i < R->g->n_instances; i++) {
        uint32_t all = 0;
        for (size_t e = 0; e < R->g->instances[i].n_jobs; e++)
            all += R->g->instances[i].jobs[e].count;
        R->out->inst[i].unfinished = all - R->out->inst[i].done;
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
