/* controller.c -- the one actor that plays a run: the static timeline
 * (flow starts and stops, scenario events, samples) merged with the
 * models' timers. Between two times it waits on the running transfers, so
 * natural completions (an elastic flow done) happen at their exact time. */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stddef.h>
#include <simgrid/link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/flow_xfer.h"
#include "sim/fluid.h"
#include "sim/models.h"
#include "sim/simctx.h"

/* Replans requested while handling one time are run once, after it. */
static void replan_if_dirty(sim_ctx *c)
{
    if (c->replan_dirty && !c->failed) {
        c->replan_dirty = 0;
        models_replan(c);
    }
}

/* The running transfers that can finish on their own: elastic flows', and
 * every transfer at burst or packet granularity. A fluid inelastic
 * transfer is sized past its stop (flows.c) and ends by its stop action,
 * so waiting on it would only make SimGrid register and unregister the
 * wait on thousands of transfers at every wake-up. Returns the count;
 * c->wait_flows[i] is the flow of c->wait_xfers[i]. */
static size_t collect_waitable(sim_ctx *c)
{
    /* Rebuilt only when something changed: model timers (bursts, token
     * buckets, migration phases) wake the controller often with the same
     * transfers running. */
    if (c->n_waitable == 0)
        return c->n_wait = 0;
    if (!c->waitable_stale)
        return c->n_wait;
    c->waitable_stale = 0;
    size_t n = 0;
    for (size_t i = 0; i < c->n_active; i++) {
        const flow_rt *fl = &c->flows[c->active[i]];
        if (!c->active_xfers[i] || !flow_can_finish_alone(c, fl))
            continue;
        c->wait_flows[n] = c->active[i];
        c->wait_xfers[n++] = c->active_xfers[i];
    }
    c->n_wait = n;
    return n;
}

/* The flows' waitable transfers followed by the models' (scratch). */
static shim_xfer *const *with_model_waits(sim_ctx *c, size_t n_flow)
{
    size_t need = n_flow + c->n_model_waits;
    if (need > c->all_waits_cap) {
        shim_xfer **grown = realloc(c->all_waits, need * sizeof *grown);
        if (!grown)
            return NULL;
        c->all_waits = grown;
        c->all_waits_cap = need;
    }
    memcpy(c->all_waits, c->wait_xfers, n_flow * sizeof *c->all_waits);
    for (size_t i = 0; i < c->n_model_waits; i++)
        c->all_waits[n_flow + i] = c->model_waits[i].xfer;
    return c->all_waits;
}

/* Model wait i finished: it leaves the list, then its callback runs. */
static void model_wait_done(sim_ctx *c, size_t i)
{
    struct model_wait w = c->model_waits[i];
    c->model_waits[i] = c->model_waits[--c->n_model_waits];
    w.on_done(c, w.arg);
}

int sim_wait_xfer(sim_ctx *c, shim_xfer *x, timer_fn on_done, void *arg)
{
    if (c->n_model_waits == c->model_waits_cap) {
        size_t cap = c->model_waits_cap ? 2 * c->model_waits_cap : 8;
        struct model_wait *grown = realloc(c->model_waits, cap * sizeof *grown);
        if (!grown)
            return -1;
        c->model_waits = grown;
        c->model_waits_cap = cap;
    }
    c->model_waits[c->n_model_waits++] = (struct model_wait){x, on_done, arg};
    return 0;
}

/* What the run held while time moved (run_meta's peaks). */
static void note_peaks(sim_ctx *c)
{
    if (c->n_active > c->peak_active)
        c->peak_active = c->n_active;
    if (c->n_bound > c->peak_bound)
        c->peak_bound = c->n_bound;
}

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
        flows_order_active(c);
        fluid_classify(c);
        note_peaks(c);
        size_t n = collect_waitable(c);
        shim_xfer *const *xs = c->wait_xfers;
        if (c->n_model_waits > 0) {
            if (!(xs = with_model_waits(c, n))) {
                snprintf(c->error, sizeof c->error, "out of memory (transfer waits)");
                c->failed = 1;
                return;
            }
        }
        ssize_t k = shim_xfer_wait_any_for(xs, n + c->n_model_waits, dt);
        if (k < 0)
            return;
        if ((size_t)k >= n) {
            model_wait_done(c, (size_t)k - n);
            replan_if_dirty(c);
            continue;
        }
        flow_completed(c, c->wait_flows[k]);
        replan_if_dirty(c);
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
        replan_if_dirty(c);
    }
    if (c->failed)
        end_run(c);
    models_stop(c);
}

void sim_request_replan(sim_ctx *c)
{
    double epoch = c->cfg->sim.rate_epoch_s;
    if (epoch <= 0) {
        c->replan_dirty = 1;
        return;
    }
    if (c->replan_pending)
        return;
    double now = simgrid_get_clock();
    double next = (floor(now / epoch + 1e-9) + 1) * epoch;
    if (sim_schedule(c, next, sim_replan_timer, NULL) == 0)
        c->replan_pending = 1;
}

void sim_replan_timer(sim_ctx *c, void *arg)
{
    (void)arg;
    c->replan_pending = 0;
    models_replan(c);
}

void sim_set_link_Bps(sim_ctx *c, int topo_link, double Bps)
{
    int first = c->dlink_of_topo[topo_link];
    int dirs = c->topo->links[topo_link].split_duplex ? 2 : 1;
    for (int d = 0; d < dirs; d++)
        sim_set_dlink_Bps(c, first + d, Bps);
}

void sim_set_dlink_Bps(sim_ctx *c, int dlink, double Bps)
{
    dlink_load *ld = &c->load[dlink];
    double now = simgrid_get_clock();
    ld->cap_bytes += ld->capacity_Bps * (now - ld->cap_since_s);
    ld->cap_since_s = now;
    /* ns-3 links cannot change bandwidth (3.32 throws): at packet
     * granularity capacities stay as the star platform froze them
     * (docs/granularity.md); the QoS shaper still re-plans its rates. */
    if (c->cfg->sim.granularity != GRAN_PACKET)
        sg_link_set_bandwidth(c->dlinks[dlink].sg, Bps);
    ld->capacity_Bps = Bps;
    fluid_mark_dirty(c);
}
