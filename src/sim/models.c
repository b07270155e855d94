/* models.c -- the loops that call the models' hooks (models.h). The list
 * itself belongs to the application (src/cli/model_list.c). */
#include <stdio.h>

#include "sim/models.h"

void sim_set_model_state(sim_ctx *c, const sim_model_ops *m, void *state)
{
    for (size_t i = 0; i < c->models->n; i++)
        if (c->models->ops[i] == m)
            c->model_state[i] = state;
}

void sim_fail(sim_ctx *c)
{
    c->failed = 1;
}

/* At packet granularity the models that need live capacities stay out
 * (sim_model_ops.needs_live_capacities). */
static int model_runs(const sim_ctx *c, const sim_model_ops *m)
{
    return c->cfg->sim.granularity != GRAN_PACKET || !m->needs_live_capacities;
}

int models_collect_pairs(const sim_model_list *l, const scenario_config *cfg, const topo *t,
                         ep_pair **pairs, size_t *n, size_t *cap)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->ops[i]->add_pairs && l->ops[i]->add_pairs(cfg, t, pairs, n, cap) != 0)
            return -1;
    return 0;
}

int models_supports_event(const sim_model_list *l, event_type_t type)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->ops[i]->supports_event && l->ops[i]->supports_event(type))
            return 1;
    return 0;
}

int models_init(sim_ctx *c)
{
    const sim_model_list *l = c->models;
    for (size_t i = 0; i < l->n; i++)
        if (model_runs(c, l->ops[i]) && l->ops[i]->init && l->ops[i]->init(c) != 0)
            return -1;
    return 0;
}

int models_log_initial(sim_ctx *c)
{
    const sim_model_list *l = c->models;
    for (size_t i = 0; i < l->n; i++)
        if (model_runs(c, l->ops[i]) && l->ops[i]->log_initial && l->ops[i]->log_initial(c) != 0)
            return -1;
    return 0;
}

int models_handle_event(sim_ctx *c, const event_config *ev)
{
    const sim_model_list *l = c->models;
    for (size_t i = 0; i < l->n; i++)
        if (l->ops[i]->supports_event && l->ops[i]->supports_event(ev->type)) {
            if (model_runs(c, l->ops[i]))
                return l->ops[i]->handle_event(c, ev);
            snprintf(c->error, sizeof c->error, "%s:%d:%d: event '%s' is not modelled at "
                     "packet granularity; use flow or burst", c->cfg->path, ev->mark.line,
                     ev->mark.col, event_type_name(ev->type));
            return -1;
        }
    snprintf(c->error, sizeof c->error, "no model plays event type %d", (int)ev->type);
    return -1;
}

void models_replan(sim_ctx *c)
{
    const sim_model_list *l = c->models;
    for (size_t i = 0; i < l->n; i++)
        if (l->ops[i]->replan && model_runs(c, l->ops[i]))
            l->ops[i]->replan(c);
}

void models_sample(sim_ctx *c, size_t k, double dt_s)
{
    const sim_model_list *l = c->models;
    for (size_t i = 0; i < l->n; i++)
        if (l->ops[i]->sample && model_runs(c, l->ops[i]))
            l->ops[i]->sample(c, k, dt_s);
}

void models_stop(sim_ctx *c)
{
    const sim_model_list *l = c->models;
    for (size_t i = 0; i < l->n; i++)
        if (l->ops[i]->stop && model_runs(c, l->ops[i]))
            l->ops[i]->stop(c);
}

int models_collect(const sim_ctx *c, run_results *r)
{
    const sim_model_list *l = c->models;
    for (size_t i = 0; i < l->n; i++)
        if (l->ops[i]->collect && model_runs(c, l->ops[i]) && l->ops[i]->collect(c, r) != 0)
            return -1;
    return 0;
}

void models_fini(sim_ctx *c)
{
    const sim_model_list *l = c->models;
    for (size_t i = l->n; i-- > 0;)
        if (l->ops[i]->fini && model_runs(c, l->ops[i]))
            l->ops[i]->fini(c);
}

/* A model left out at packet granularity has no state, and its hooks
 * below answer as if it were absent (no pause, no cost); they are called
 * without model_runs, as before the list moved out of the engine. */
void models_flow_started(sim_ctx *c, size_t f)
{
    const sim_model_list *l = c->models;
    for (size_t i = 0; i < l->n; i++)
        if (l->ops[i]->flow_started)
            l->ops[i]->flow_started(c, f);
}

double models_fixed_latency_s(const sim_ctx *c, size_t f)
{
    const sim_model_list *l = c->models;
    double sum = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->ops[i]->fixed_latency_s)
            sum += l->ops[i]->fixed_latency_s(c, f);
    return sum;
}

void sim_nic_moved(sim_ctx *c, endpoint_ref nic, int from_ep, int to_ep)
{
    const sim_model_list *l = c->models;
    c->nic_now[c->nic_first[nic.vm_idx] + (size_t)nic.nic_idx] = to_ep;
    for (size_t i = 0; i < l->n; i++)
        if (l->ops[i]->nic_moved && model_runs(c, l->ops[i]))
            l->ops[i]->nic_moved(c, nic, from_ep, to_ep);
}

bool sim_endpoint_taken(const sim_ctx *c, int ep)
{
    const sim_model_list *l = c->models;
    for (size_t i = 0; i < l->n; i++)
        if (l->ops[i]->endpoint_taken && model_runs(c, l->ops[i]) &&
            l->ops[i]->endpoint_taken(c, ep))
            return true;
    return false;
}
