/* models.h -- how a model (PF control plane, QoS, PCIe/IOMMU datapath,
 * virtio and migration, ...) plugs into a run. Each model provides one
 * sim_model_ops and is listed once in models.c; every hook is optional
 * (NULL). Hooks run inside the SimGrid simulation (from the controller
 * actor) except init and fini, which run around it.
 *
 * Ownership: a model keeps its state behind its own pointer in sim_ctx
 * (c->pf, c->qos, ...), allocated in init, freed in fini.
 */
#ifndef SRIOV_MODELS_H
#define SRIOV_MODELS_H

#include "sim/engine.h"
#include "sim/simctx.h"

typedef struct sim_model_ops {
    const char *name;
    /* After the platform is loaded and flows are resolved, before time 0.
     * May set link capacities and schedule timers. 0, or -1 with c->error. */
    int (*init)(sim_ctx *c);
    /* Which scenario event types this model plays: returns 1 if it can. */
    int (*supports_event)(event_type_t type);
    /* Plays one event at its (epoch-quantised) time. 0, or -1 with c->error. */
    int (*handle_event)(sim_ctx *c, const event_config *ev);
    /* Re-plans capacities after a change (see sim_request_replan). */
    void (*replan)(sim_ctx *c);
    /* Right after a flow starts offering (its transfer is running): a model
     * may pause it at once (a blocked or unassigned VF). */
    void (*flow_started)(sim_ctx *c, size_t f);
    /* The model's fixed per-packet cost for flow f now (seconds), added to
     * the per-hop queueing latency (an IOTLB walk, a software hop). */
    double (*fixed_latency_s)(const sim_ctx *c, size_t f);
    /* At each sample, after throughput and link accounting (k: sample
     * index, dt: interval length). */
    void (*sample)(sim_ctx *c, size_t k, double dt_s);
    /* The run ended (still inside the controller actor): stops what the
     * model runs in SimGrid (execs), which only an actor can cancel. */
    void (*stop)(sim_ctx *c);
    /* After the run, adds the model's columns and tables to r. 0 or -1. */
    int (*collect)(const sim_ctx *c, run_results *r);
    /* Frees the model's state. Called even when init failed or never ran,
     * so it must accept a NULL state pointer. */
    void (*fini)(sim_ctx *c);
} sim_model_ops;

/* The models of this build, in the order their hooks run. */
extern const sim_model_ops *const sim_models[];
extern const size_t sim_n_models;

int models_init(sim_ctx *c);
int models_supports_event(event_type_t type);
int models_handle_event(sim_ctx *c, const event_config *ev);
void models_replan(sim_ctx *c);
void models_sample(sim_ctx *c, size_t k, double dt_s);
void models_flow_started(sim_ctx *c, size_t f);
double models_fixed_latency_s(const sim_ctx *c, size_t f);
void models_stop(sim_ctx *c);
int models_collect(const sim_ctx *c, run_results *r);
void models_fini(sim_ctx *c);

#endif
