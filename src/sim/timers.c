/* timers.c -- model callbacks at simulated times: a binary min-heap on
 * (time, insertion order), so equal times run first-in first-out and runs
 * are deterministic. */
#include <math.h>
#include <stdlib.h>

#include "sim/timers.h"

static int timer_before(const sim_timer *a, const sim_timer *b)
{
    if (a->time_s != b->time_s)
        return a->time_s < b->time_s;
    return a->seq < b->seq;
}

static void swap_timers(sim_timer *a, sim_timer *b)
{
    sim_timer t = *a;
    *a = *b;
    *b = t;
}

static void sift_up(sim_timer *h, size_t i)
{
    while (i > 0 && timer_before(&h[i], &h[(i - 1) / 2])) {
        swap_timers(&h[i], &h[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
}

static void sift_down(sim_timer *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && timer_before(&h[l], &h[m]))
            m = l;
        if (r < n && timer_before(&h[r], &h[m]))
            m = r;
        if (m == i)
            return;
        swap_timers(&h[i], &h[m]);
        i = m;
    }
}

int sim_schedule(sim_ctx *c, double time_s, timer_fn fn, void *arg)
{
    if (c->n_timers == c->timers_cap) {
        size_t ncap = c->timers_cap ? c->timers_cap * 2 : 32;
        sim_timer *n = realloc(c->timers, ncap * sizeof *n);
        if (!n)
            return -1;
        c->timers = n;
        c->timers_cap = ncap;
    }
    c->timers[c->n_timers] = (sim_timer){time_s, c->timer_seq++, fn, arg};
    sift_up(c->timers, c->n_timers++);
    return 0;
}

double timers_next(const sim_ctx *c)
{
    return c->n_timers ? c->timers[0].time_s : INFINITY;
}

void timers_run_due(sim_ctx *c, double now_s)
{
    while (c->n_timers && c->timers[0].time_s <= now_s && !c->failed) {
        sim_timer t = c->timers[0];
        c->timers[0] = c->timers[--c->n_timers];
        sift_down(c->timers, c->n_timers, 0);
        t.fn(c, t.arg);
    }
}

void timers_free(sim_ctx *c)
{
    free(c->timers);
    c->timers = NULL;
    c->n_timers = c->timers_cap = 0;
}
