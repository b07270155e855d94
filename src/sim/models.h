/* models.h -- how a model (PF control plane, QoS, PCIe/IOMMU datapath,
 * virtio and migration, ...) plugs into a run. Each model provides one
 * sim_model_ops; the application lists the models of its build
 * (src/cli/model_list.c) and hands the list to the engine in the run
 * request (run.h): the engine references no model. Every hook is optional
 * (NULL). Hooks run inside the SimGrid simulation (from the controller
 * actor) except add_pairs, init, log_initial and fini, which run around it.
 *
 * Ownership: the engine keeps one opaque state pointer per listed model
 * (sim_ctx.model_state, NULL until set); a model allocates its state in
 * init, stores it with sim_set_model_state, reads it back with
 * sim_model_state, and frees it in fini. Models reach the engine's state
 * only through engine functions (query.h for reads).
 */
#ifndef SRIOV_MODELS_H
#define SRIOV_MODELS_H

#include <stdbool.h>
#include <stdlib.h>

#include "platform/platform.h"
#include "sim/engine.h"
#include "sim/query.h"
#include "sim/simctx.h"

typedef struct sim_model_ops {
    const char *name;
    /* The model only works when link capacities can change while the run
     * goes. At packet granularity SimGrid's ns-3 links cannot change
     * capacity (LinkNS3::set_bandwidth throws UnimplementedError in 3.32),
     * so such a model stays out: its init does not run (it has no state;
     * flow_started and fixed_latency_s, still called, find none), its other
     * hooks are skipped, and an event it plays is refused. Its capacities
     * are frozen into the star platform (platform/platform_star.h,
     * docs/granularity.md). */
    bool needs_live_capacities;
    /* Before the platform is written: adds the endpoint pairs the model
     * may move a flow to during the run (they need a route: pairs.h) to
     * *pairs, growing it (*cap its capacity). 0, or -1 when out of memory. */
    int (*add_pairs)(const scenario_config *cfg, const topo *t, ep_pair **pairs, size_t *n,
                     size_t *cap);
    /* After the platform is loaded and flows are resolved, before time 0.
     * May set link capacities and schedule timers. 0, or -1 with c->error. */
    int (*init)(sim_ctx *c);
    /* After every model's init: the model's lines of the event log at
     * time 0 (the state it starts in). 0, or -1 when out of memory. */
    int (*log_initial)(sim_ctx *c);
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
    /* A VM NIC moved while the run goes, from endpoint from_ep to to_ep
     * (live migration: its VF -> the standby virtio endpoint -> a VF on the
     * destination). Models that keep per-VF state follow it (the PF frees
     * and assigns its VFs). Called through sim_nic_moved. */
    void (*nic_moved)(sim_ctx *c, endpoint_ref nic, int from_ep, int to_ep);
    /* True when endpoint ep must not be handed to a NIC now, in this
     * model's view (the PF: a VF not enabled and free). Through
     * sim_endpoint_taken. */
    bool (*endpoint_taken)(const sim_ctx *c, int ep);
    /* After the run, adds the model's columns and tables to r. 0 or -1. */
    int (*collect)(const sim_ctx *c, run_results *r);
    /* Frees the model's state. Called even when init failed or never ran,
     * so it must accept a NULL state. */
    void (*fini)(sim_ctx *c);
} sim_model_ops;

/* The models of a run, in the order their hooks run (fini: reversed). */
typedef struct sim_model_list {
    const sim_model_ops *const *ops;
    size_t n;
} sim_model_list;

/* Model m's state in this run; NULL before its init stored one, or when m
 * is not in the run's list. Inline: some models read it for every flow at
 * every sample (fixed_latency_s), and the list has a handful of entries. */
static inline void *sim_model_state(const sim_ctx *c, const sim_model_ops *m)
{
    for (size_t i = 0; i < c->models->n; i++)
        if (c->models->ops[i] == m)
            return c->model_state[i];
    return NULL;
}

/* add_pairs' helper: appends (src, dst) to *pairs, growing it. 0, or -1
 * when out of memory. */
static inline int sim_pairs_push(ep_pair **pairs, size_t *n, size_t *cap, int src, int dst)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        ep_pair *g = realloc(*pairs, ncap * sizeof *g);
        if (!g)
            return -1;
        *pairs = g;
        *cap = ncap;
    }
    (*pairs)[(*n)++] = (ep_pair){src, dst};
    return 0;
}

/* Stops the run from a hook that cannot return an error (replan, a
 * timer, flow_started): the controller ends it at its next step and the
 * run fails with c->error (set it first). */
void sim_fail(sim_ctx *c);

/* The model that moves a NIC (migration) says so: every model's
 * nic_moved hook runs, in list order. */
void sim_nic_moved(sim_ctx *c, endpoint_ref nic, int from_ep, int to_ep);

/* True when some model says endpoint ep is not free to hand to a NIC. */
bool sim_endpoint_taken(const sim_ctx *c, int ep);

/* Stores model m's state (NULL when it frees it). No-op when m is not in
 * the run's list. */
void sim_set_model_state(sim_ctx *c, const sim_model_ops *m, void *state);

int models_collect_pairs(const sim_model_list *l, const scenario_config *cfg, const topo *t,
                         ep_pair **pairs, size_t *n, size_t *cap);
int models_supports_event(const sim_model_list *l, event_type_t type);
int models_init(sim_ctx *c);
int models_log_initial(sim_ctx *c);
int models_handle_event(sim_ctx *c, const event_config *ev);
void models_replan(sim_ctx *c);
void models_sample(sim_ctx *c, size_t k, double dt_s);
void models_flow_started(sim_ctx *c, size_t f);
double models_fixed_latency_s(const sim_ctx *c, size_t f);
void models_stop(sim_ctx *c);
int models_collect(const sim_ctx *c, run_results *r);
void models_fini(sim_ctx *c);

#endif
