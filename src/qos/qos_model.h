/* qos_model.h -- the state behind sim_ctx.qos, shared by the two models
 * of this area: the QoS shapers (shaper.c) and the eSwitch rules
 * (eswitch/eswitch.c). sim_ctx has one pointer for both (no eSwitch slot
 * yet), so each model owns its half and the container goes when both
 * halves are gone.
 */
#ifndef SRIOV_QOS_MODEL_H
#define SRIOV_QOS_MODEL_H

#include <stdlib.h>

#include "sim/simctx.h"

struct shaper_state;
struct esw_state;

struct qos_model {
    struct shaper_state *shaper;    /* owned by qos/shaper.c */
    struct esw_state *esw;          /* owned by eswitch/eswitch.c */
};

/* The container, allocated on first use; NULL when out of memory. */
static inline struct qos_model *qos_model_of(sim_ctx *c)
{
    if (!c->qos)
        c->qos = calloc(1, sizeof *c->qos);
    return c->qos;
}

/* Frees the container once both halves are gone. */
static inline void qos_model_release(sim_ctx *c)
{
    if (c->qos && !c->qos->shaper && !c->qos->esw) {
        free(c->qos);
        c->qos = NULL;
    }
}

#endif
