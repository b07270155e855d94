/* controller.c -- the one actor that plays a run: the static timeline
 * (flow starts and stops, scenario events, samples) merged with the
 * models' timers. Between two times it waits on the running transfers, so
 * natural completions (an elastic flow done) happen at their exact time. */
#include "sim/controller.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stddef.h>
#include <stdio.h>

#include "sim/capacity.h"
#include "sim/driver.h"
#include "sim/flows.h"
#include "sim/ledger.h"
#include "sim/models.h"
#include "sim/sampler.h"
#include "sim/timers.h"

/* At packet granularity SimGrid 3.32 moves its clock in ns-3's whole
 * nanoseconds and asks ns-3 to run for the time left to the next timer;
 * ns-3 rounds that to whole nanoseconds, so a wake-up a rounding error
 * (below half a nanosecond) past a reachable instant is asked for as 0 s,
 * forever: the clock never reaches it and the run hangs (seen with bursts
 * every 192 us). A deadline a quarter nanosecond before a whole one is
 * always reached: ns-3 rounds the time left up to that nanosecond. */
static double reachable_deadline(const sim_ctx *c, double t_s)
{
    if (c->cfg->sim.granularity != GRAN_PACKET || !isfinite(t_s))
        return t_s;
    return (ceil(t_s * 1e9 - 1e-3) - 0.25) * 1e-9;
}

/* The flows the driver times that are done by now (driver.h). */
static void complete_due(sim_ctx *c)
{
    const size_t *due;
    size_t n = c->drv->due(c, simgrid_get_clock(), &due);
    for (size_t i = 0; i < n; i++)
        flow_completed(c, due[i]);
    capacity_replan_if_due(c);
}

/* Waits until t_s, or until the earliest model timer if a completion
 * handled on the way scheduled one sooner. */
static void advance_to(sim_ctx *c, double t_s)
{
    for (;;) {
        double target = reachable_deadline(c, fmin(t_s, timers_next(c)));
        double dt = target - simgrid_get_clock();
        /* Below SimGrid's time precision a wait would be a no-op it warns
         * about (times like 0.2 + 0.1 land a rounding error short). */
        if (dt < 1e-9)
            return;
        /* Last moment before time moves: decide which flows the solver
         * must see, now that this instant's changes are all in. */
        if (c->drv->before_advance)
            c->drv->before_advance(c);
        int own_done = 0;
        if (c->drv->next_done_s && c->drv->next_done_s(c) < target) {
            /* A flow the driver times finishes first: wake then. */
            target = c->drv->next_done_s(c);
            dt = target - simgrid_get_clock();
            own_done = 1;
            if (dt < 1e-9) {
                complete_due(c);
                continue;
            }
        }
        ledger_note_peaks(c);
        size_t n = ledger_collect_waitable(c);
        shim_xfer *const *xs = c->wait_xfers;
        if (c->n_model_waits > 0) {
            if (!(xs = ledger_all_waits(c, n))) {
                snprintf(c->error, sizeof c->error, "out of memory (transfer waits)");
                c->failed = 1;
                return;
            }
        }
        ssize_t k = shim_xfer_wait_any_for(xs, n + c->n_model_waits, dt);
        if (k < 0 && own_done) {
            complete_due(c);
            continue;
        }
        if (k < 0)
            return;
        if ((size_t)k >= n) {
            ledger_model_wait_done(c, (size_t)k - n);
            capacity_replan_if_due(c);
            continue;
        }
        flow_completed(c, c->wait_flows[k]);
        capacity_replan_if_due(c);
    }
}

static void end_run(sim_ctx *c)
{
    double now = simgrid_get_clock();
    for (size_t f = 0; f < c->n_flows; f++) {
        flow_rt *fl = &c->flows[f];
        int offering = fl->phase == FLOW_ACTIVE || fl->phase == FLOW_PAUSED;
        if (offering && fl->cfg->kind == FLOW_INELASTIC && fl->stop_s > now)
            fl->offered_bytes = fl->offered_Bps * (now - fl->start_s);
        flow_end(c, f);
    }
}

static void apply(sim_ctx *c, const action *a)
{
    switch (a->kind) {
    case ACT_SAMPLE:
        if (sampler_take(c) != 0)
            c->failed = 1;
        break;
    case ACT_FLOW_STOP:
        flow_end(c, a->index);
        break;
    case ACT_EVENT:
        if (models_handle_event(c, &c->cfg->events[a->index]) != 0)
            c->failed = 1;
        break;
    case ACT_FLOW_START:
        flow_begin(c, a->index);
        break;
    case ACT_END:
        end_run(c);
        break;
    }
}

void controller_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    sim_ctx *c = sg_actor_self_get_data();
    size_t i = 0;
    while (!c->failed && i < c->n_actions) {
        advance_to(c, fmin(c->actions[i].time_s, timers_next(c)));
        double now = simgrid_get_clock();
        /* Static actions first (a sample closes the interval that ends
         * now), then the models' timers due now. Times within SimGrid's
         * precision of now count as now. */
        while (i < c->n_actions && c->actions[i].time_s <= now + 1e-9 && !c->failed)
            apply(c, &c->actions[i++]);
        timers_run_due(c, now + 1e-9);
        capacity_replan_if_due(c);
    }
    if (c->failed)
        end_run(c);
    models_stop(c);
}
