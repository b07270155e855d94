/* timeline.c -- every action of a run, in time order, built up front. */
#include <math.h>
#include <stdlib.h>

#include "sim/timeline.h"

/* Rounding tolerance when snapping a time onto an epoch boundary, so 0.3s
 * with a 0.1s epoch stays 0.3s despite binary floating point. */
#define TIMELINE_EPOCH_SLACK 1e-9

/* t_s moved onto the next simulation.rate_epoch boundary (not past the
 * run's end); t_s itself when there is no epoch. */
static double timeline_quantise(const sim_ctx *c, double t_s)
{
    double epoch = c->cfg->sim.rate_epoch_s;
    if (epoch <= 0)
        return t_s;
    double q = ceil(t_s / epoch - TIMELINE_EPOCH_SLACK) * epoch;
    return q < c->cfg->sim.duration_s ? q : c->cfg->sim.duration_s;
}

static int action_cmp(const void *a, const void *b)
{
    const action *x = a, *y = b;
    if (x->time_s != y->time_s)
        return x->time_s < y->time_s ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static size_t count_samples(const sim_ctx *c)
{
    double interval = c->cfg->output.sample_interval_s;
    size_t n = (size_t)floor(c->cfg->sim.duration_s / interval + TIMELINE_EPOCH_SLACK);
    /* A last, shorter interval closes the run when the duration is not a
     * whole number of intervals. */
    if ((double)n * interval < c->cfg->sim.duration_s * (1 - TIMELINE_EPOCH_SLACK))
        n++;
    return n;
}

static void plan_flow(sim_ctx *c, size_t f, action *acts, size_t *n)
{
    flow_rt *fl = &c->flows[f];
    const flow_config *fc = fl->cfg;
    double duration = c->cfg->sim.duration_s;
    double start = timeline_quantise(c, fc->start_s);
    if (start >= duration)
        return;
    acts[(*n)++] = (action){start, ACT_FLOW_START, f};
    if (fc->kind != FLOW_INELASTIC)
        return;
    double stop = fc->duration_s > 0 ? fc->start_s + fc->duration_s : duration;
    stop = timeline_quantise(c, stop < duration ? stop : duration);
    fl->stop_s = stop > start ? stop : start;
    acts[(*n)++] = (action){fl->stop_s, ACT_FLOW_STOP, f};
}

int timeline_build(sim_ctx *c)
{
    size_t n_samples = count_samples(c);
    size_t cap = 2 * c->n_flows + c->cfg->n_events + n_samples + 1;
    action *acts = malloc(cap * sizeof *acts);
    if (!acts)
        return -1;
    size_t n = 0;
    for (size_t f = 0; f < c->n_flows; f++)
        plan_flow(c, f, acts, &n);
    for (size_t e = 0; e < c->cfg->n_events; e++)
        acts[n++] = (action){timeline_quantise(c, c->cfg->events[e].at_s), ACT_EVENT, e};
    double interval = c->cfg->output.sample_interval_s;
    for (size_t s = 0; s < n_samples; s++) {
        double t = (double)(s + 1) * interval;
        acts[n++] = (action){t < c->cfg->sim.duration_s ? t : c->cfg->sim.duration_s, ACT_SAMPLE, s};
    }
    acts[n++] = (action){c->cfg->sim.duration_s, ACT_END, 0};
    qsort(acts, n, sizeof *acts, action_cmp);
    c->actions = acts;
    c->n_actions = n;
    c->max_samples = n_samples;
    return 0;
}
