/* gpu_live.c -- the GPU schedules run live (gpu_live.h). */
#include "gpu/gpu_live.h"

#include <math.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>

#include "gpu/gpu.h"
#include "sim/query.h"

typedef struct copy_ref {
    struct gpu_one *G;
    size_t inst;
} copy_ref;

/* One GPU's live schedule. */
typedef struct gpu_one {
    sim_ctx *c;
    const struct gpu_live_set *set;
    size_t g;
    gpu_run *R;                 /* NULL before time 0 and once finished */
    gpu_sched s;
    double wake_s;              /* the earliest timer pending, INFINITY: none */
    copy_ref *refs;             /* [slot]: its instances, then visitors (gpu_run_move) */
    ssize_t *copy_flow;         /* [slot]: the engine flow of its latest copy, -1: none */
    int started;
} gpu_one;

struct gpu_live_set {
    gpu_one *gpus;              /* [cfg->n_gpus] */
    size_t n;
    const gpu_pause *pauses;
    size_t n_pauses;
};

/* A copy is a stream of DMA reads of MPS completions (gpu_link_Bps): the
 * packet size only matters to models that weigh flows per packet, and no
 * model plans the GPU's link (not LK_PCIE). */
static const pkt_size copy_pkt = {.size_bytes = 256, .weight = 1.0};

int gpu_live_enabled(const sim_ctx *c)
{
    return c->cfg->n_gpus > 0 && c->topo->gpu_endpoint[0] >= 0;
}

static void on_wake(sim_ctx *c, void *arg);

/* Wakes G's schedule at next (its next own event) unless a timer is due
 * by then; events at or past the run's end wait for finish. */
static void wake_at(gpu_one *G, double next)
{
    if (!(next < G->c->cfg->sim.duration_s) || next >= G->wake_s)
        return;
    if (sim_schedule(G->c, next, on_wake, G) != 0) {
        snprintf(G->c->error, sizeof G->c->error, "out of memory (GPU timers)");
        sim_fail(G->c);
        return;
    }
    G->wake_s = next;
}

static void on_wake(sim_ctx *c, void *arg)
{
    gpu_one *G = arg;
    double now = simgrid_get_clock();
    if (!G->R || sim_failed(c))
        return;
    /* SimGrid's clock moves in steps of its timing precision (1e-9 s):
     * a timer due less than that after the last event fires at the old
     * clock. Run the schedule to the timer's own time then, or its event
     * would wait for the next one (two arrivals 1e-15 s apart did). */
    if (G->wake_s > now && G->wake_s - now < 1e-9)
        now = G->wake_s;
    if (now >= G->wake_s)
        G->wake_s = INFINITY;
    wake_at(G, gpu_run_until(G->R, now));
}

static void copy_ended(sim_ctx *c, size_t f, void *arg)
{
    copy_ref *r = arg;
    gpu_one *G = r->G;
    /* cut by the end of the run: the copy never finished */
    if (!G->R || isnan(sim_flow_completion_s(c, f)) || sim_failed(c))
        return;
    /* a copy left behind by a move (the instance went away, came back and
     * started its copy again) ends: not the slot's copy now */
    if (G->copy_flow[r->inst] != (ssize_t)f)
        return;
    G->copy_flow[r->inst] = -1;
    wake_at(G, gpu_run_copy_done(G->R, r->inst, sim_flow_end_s(c, f)));
}

static void copy_start(void *arg, size_t inst, double bytes, double t)
{
    gpu_one *G = arg;
    sim_ctx *c = G->c;
    const gpu_config *g = &c->cfg->gpus[G->g];
    (void)t;
    flow_spawn_req q = {.name = g->name, .size_bytes = bytes, .pkt_sizes = &copy_pkt,
                        .n_pkt_sizes = 1, .dma_stream = true};
    ssize_t f = flow_spawn_ep(c, &q, c->topo->host_mem_endpoint[g->host_idx],
                              c->topo->gpu_endpoint[G->g], copy_ended, &G->refs[inst]);
    if (f < 0)
        sim_fail(c);
    G->copy_flow[inst] = f;
}

static void begin(sim_ctx *c, void *arg)
{
    gpu_one *G = arg;
    const gpu_config *g = &c->cfg->gpus[G->g];
    G->started = 1;
    G->R = gpu_run_start(g, gpu_link_Bps(g), G->set->pauses, G->set->n_pauses, copy_start, G,
                         &G->s);
    if (!G->R) {
        snprintf(c->error, sizeof c->error, "out of memory (GPU schedule)");
        sim_fail(c);
        return;
    }
    gpu_run_set_gpu(G->R, (int)G->g);
    wake_at(G, gpu_run_until(G->R, simgrid_get_clock()));
}

gpu_live_set *gpu_live_start(sim_ctx *c, const gpu_pause *pauses, size_t n_pauses)
{
    const scenario_config *cfg = c->cfg;
    gpu_live_set *L = calloc(1, sizeof *L);
    if (!L || !(L->gpus = calloc(cfg->n_gpus, sizeof *L->gpus))) {
        free(L);
        return NULL;
    }
    L->n = cfg->n_gpus;
    L->pauses = pauses;
    L->n_pauses = n_pauses;
    /* a GPU's slots: at most every instance of the scenario once */
    size_t slots = 1;
    for (size_t g = 0; g < cfg->n_gpus; g++)
        slots += cfg->gpus[g].n_instances;
    for (size_t g = 0; g < cfg->n_gpus; g++) {
        gpu_one *G = &L->gpus[g];
        *G = (gpu_one){.c = c, .set = L, .g = g, .wake_s = INFINITY};
        G->refs = calloc(slots, sizeof *G->refs);
        G->copy_flow = malloc(slots * sizeof *G->copy_flow);
        if (!G->refs || !G->copy_flow || sim_schedule(c, 0, begin, G) != 0) {
            gpu_live_free(L);
            return NULL;
        }
        for (size_t i = 0; i < slots; i++) {
            G->refs[i] = (copy_ref){G, i};
            G->copy_flow[i] = -1;
        }
        /* device to host: posted writes (topo.h); the link's UP is its
         * DMA reads, set by the topology */
        int down = sim_dlink_of_topo(c, c->topo->gpu_link[g]) + 1;
        sim_set_dlink_Bps(c, down, topo_gpu_down_Bps(&cfg->gpus[g]));
    }
    return L;
}

void gpu_live_pauses(sim_ctx *c, gpu_live_set *L, const gpu_pause *pauses, size_t n_pauses,
                     double t)
{
    (void)c;
    L->pauses = pauses;
    L->n_pauses = n_pauses;
    for (size_t g = 0; g < L->n; g++)
        if (L->gpus[g].R)
            wake_at(&L->gpus[g], gpu_run_set_pauses(L->gpus[g].R, pauses, n_pauses, t));
}

int gpu_live_move(gpu_live_set *L, size_t from, size_t to, int home, size_t inst, double t)
{
    gpu_one *S = &L->gpus[from], *D = &L->gpus[to];
    if (!S->R || !D->R)         /* not begun (before time 0's timers) or finished */
        return 0;
    return gpu_run_move(S->R, D->R, home, inst, t);
}

const gpu_sched *gpu_live_finish(gpu_live_set *L, size_t g, double end_s)
{
    gpu_one *G = &L->gpus[g];
    if (G->R) {
        gpu_run_until(G->R, end_s);
        gpu_run_end(G->R);
        G->R = NULL;
    }
    return G->started ? &G->s : NULL;
}

void gpu_live_free(gpu_live_set *L)
{
    if (!L)
        return;
    for (size_t g = 0; g < L->n; g++) {
        gpu_run_end(L->gpus[g].R);
        gpu_sched_free(&L->gpus[g].s);
        free(L->gpus[g].refs);
        free(L->gpus[g].copy_flow);
    }
    free(L->gpus);
    free(L);
}
