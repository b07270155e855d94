/* controller.c -- the one actor that plays a run's timeline. Between two
 * actions it waits on the running transfers, so natural completions (an
 * elastic flow done) are handled at their exact time. */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stddef.h>
#include <simgrid/link.h>
#include <stdio.h>

#include "sim/simctx.h"

/* A shaper with no cap, as in topo.c: far above any link. */
#define CONTROLLER_UNCAPPED_Bps 1e15

static void advance_to(sim_ctx *c, double t_s)
{
    for (;;) {
        double dt = t_s - simgrid_get_clock();
        if (dt <= 0)
            return;
        ssize_t k = shim_xfer_wait_any_for(c->active_xfers, c->n_active, dt);
        if (k < 0)
            return;
        flow_completed(c, c->active[k]);
    }
}

static void log_nic_event(sim_ctx *c, const event_config *ev, const char *type,
                          const char *detail)
{
    int ep = topo_flow_endpoint(c->topo, ev->nic);
    const topo_endpoint *e = &c->topo->endpoints[ep];
    eventlog_add(c, simgrid_get_clock(), e->host_idx, e->adapter_idx, e->vf, type, detail);
}

static void apply_set_qos(sim_ctx *c, const event_config *ev)
{
    int ep = topo_flow_endpoint(c->topo, ev->nic);
    int shaper = c->topo->endpoints[ep].shaper_link;
    char detail[128];
    if (shaper >= 0 && ev->qos.max_rate_bps >= 0) {
        double Bps = ev->qos.max_rate_bps > 0 ? ev->qos.max_rate_bps / 8.0
                                              : CONTROLLER_UNCAPPED_Bps;
        sg_link_set_bandwidth(c->dlinks[c->dlink_of_topo[shaper]].sg, Bps);
    }
    snprintf(detail, sizeof detail, "max_tx_rate=%.0f bps", ev->qos.max_rate_bps);
    log_nic_event(c, ev, "qos_set", detail);
}

static void apply_event(sim_ctx *c, size_t e)
{
    const event_config *ev = &c->cfg->events[e];
    switch (ev->type) {
    case EV_SET_QOS:
        apply_set_qos(c, ev);
        break;
    default:
        /* run.c refuses scenarios with events this version cannot play. */
        break;
    }
}

static void end_run(sim_ctx *c)
{
    double now = simgrid_get_clock();
    for (size_t f = 0; f < c->n_flows; f++) {
        flow_rt *fl = &c->flows[f];
        if (fl->phase == FLOW_ACTIVE && fl->cfg->kind == FLOW_INELASTIC && fl->stop_s > now)
            fl->offered_bytes = fl->rate_cap_Bps * (now - fl->start_s);
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
        apply_event(c, a->index);
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
    for (size_t i = 0; i < c->n_actions && !c->failed; i++) {
        advance_to(c, c->actions[i].time_s);
        apply(c, &c->actions[i]);
    }
    if (c->failed)
        end_run(c);
}
