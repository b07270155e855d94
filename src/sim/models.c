/* models.c -- the list of models and the loops that call their hooks. */
#include <stdio.h>

#include "sim/models.h"

extern const sim_model_ops eswitch_model;
extern const sim_model_ops qos_shaper_model;
extern const sim_model_ops datapath_model;
extern const sim_model_ops virt_model_ops;
extern const sim_model_ops migration_model_ops;
extern const sim_model_ops pf_control_model;

/* One line per model. Order matters only where a model reads what another
 * set in the same hook (documented at the model). */
const sim_model_ops *const sim_models[] = {
    &eswitch_model,     /* before QoS: it pauses blocked flows, QoS counts the rest */
    &qos_shaper_model,
    &datapath_model,    /* PCIe and IOMMU capacities from the running flows */
    &virt_model_ops,    /* vhost capacities; before migration, which uses its state */
    &migration_model_ops,
    &pf_control_model,  /* last: pauses flows whose VF is not usable after the others ran */
};
const size_t sim_n_models = sizeof sim_models / sizeof sim_models[0];

/* At packet granularity SimGrid's ns-3 links cannot change capacity
 * (LinkNS3::set_bandwidth throws UnimplementedError in 3.32), so the
 * models that set capacities while the run goes (PCIe/IOMMU, vhost,
 * migration) stay out: their capacities are frozen into the star platform
 * (platform/platform_star.h, docs/granularity.md). */
static int model_runs(const sim_ctx *c, const sim_model_ops *m)
{
    if (c->cfg->sim.granularity != GRAN_PACKET)
        return 1;
    return m != &datapath_model && m != &virt_model_ops && m != &migration_model_ops;
}

int models_init(sim_ctx *c)
{
    for (size_t i = 0; i < sim_n_models; i++)
        if (model_runs(c, sim_models[i]) && sim_models[i]->init && sim_models[i]->init(c) != 0)
            return -1;
    return 0;
}

int models_supports_event(event_type_t type)
{
    for (size_t i = 0; i < sim_n_models; i++)
        if (sim_models[i]->supports_event && sim_models[i]->supports_event(type))
            return 1;
    return 0;
}

int models_handle_event(sim_ctx *c, const event_config *ev)
{
    for (size_t i = 0; i < sim_n_models; i++)
        if (sim_models[i]->supports_event && sim_models[i]->supports_event(ev->type)) {
            if (model_runs(c, sim_models[i]))
                return sim_models[i]->handle_event(c, ev);
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
    for (size_t i = 0; i < sim_n_models; i++)
        if (sim_models[i]->replan && model_runs(c, sim_models[i]))
            sim_models[i]->replan(c);
}

void models_sample(sim_ctx *c, size_t k, double dt_s)
{
    for (size_t i = 0; i < sim_n_models; i++)
        if (sim_models[i]->sample && model_runs(c, sim_models[i]))
            sim_models[i]->sample(c, k, dt_s);
}

void models_stop(sim_ctx *c)
{
    for (size_t i = 0; i < sim_n_models; i++)
        if (sim_models[i]->stop && model_runs(c, sim_models[i]))
            sim_models[i]->stop(c);
}

int models_collect(const sim_ctx *c, run_results *r)
{
    for (size_t i = 0; i < sim_n_models; i++)
        if (sim_models[i]->collect && model_runs(c, sim_models[i]) &&
            sim_models[i]->collect(c, r) != 0)
            return -1;
    return 0;
}

void models_fini(sim_ctx *c)
{
    for (size_t i = sim_n_models; i-- > 0;)
        if (sim_models[i]->fini && model_runs(c, sim_models[i]))
            sim_models[i]->fini(c);
}

void models_flow_started(sim_ctx *c, size_t f)
{
    for (size_t i = 0; i < sim_n_models; i++)
        if (sim_models[i]->flow_started)
            sim_models[i]->flow_started(c, f);
}

double models_fixed_latency_s(const sim_ctx *c, size_t f)
{
    double sum = 0;
    for (size_t i = 0; i < sim_n_models; i++)
        if (sim_models[i]->fixed_latency_s)
            sum += sim_models[i]->fixed_latency_s(c, f);
    return sum;
}
