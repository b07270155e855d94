/* driver.h -- how flows move: one implementation of these ops per way of
 * moving them, chosen once at prepare time (flows_init) and kept in
 * sim_ctx.drv:
 *   - fluid_driver (fluid.h): flow granularity, one capped SimGrid transfer
 *     per active flow, or none on the uncongested fast path;
 *   - burst_driver (burst.h): burst and packet granularity, one transfer
 *     per burst.
 * flows.c (the public flow_* calls) checks the flow's phase and then calls
 * the driver; the drivers keep the ledger (ledger.h) and ask for re-plans
 * (capacity.h). They never call flows.c or the controller.
 *
 * Phases (simctx.h flow_phase_t) each op is called in, and may leave:
 *   begin      PENDING (start_s, offered_bytes set) -> ACTIVE, or DONE
 *              when nothing is left to offer
 *   end        ACTIVE or PAUSED -> DONE (stop offering; keeps the bytes)
 *   completed  its transfer finished -> DONE, or ACTIVE with the next one
 *   pause      ACTIVE -> PAUSED
 *   resume     PAUSED, before an inelastic flow's stop -> ACTIVE (or DONE)
 *   rebind_settle / rebind_restart
 *              ACTIVE, around a move of the flow's endpoints (flow_rebind)
 *              or a capacity raise its transfer does not follow
 *              (capacity.h): the flow stops moving, then moves again,
 *              losing no byte.
 * Units: bytes, bytes per second, seconds.
 */
#ifndef SRIOV_DRIVER_H
#define SRIOV_DRIVER_H

#include <stddef.h>

#include "sim/simctx.h"

typedef struct flow_driver {
    const char *name;
    /* Allocates the driver's state (after the flows and links are
     * resolved, before the models' init). 0, or -1 when out of memory.
     * user_network_cfg: the user passed a network/ SimGrid setting. */
    int (*init)(sim_ctx *c, int user_network_cfg);
    void (*fini)(sim_ctx *c);
    void (*begin)(sim_ctx *c, size_t f);
    void (*end)(sim_ctx *c, size_t f);
    void (*completed)(sim_ctx *c, size_t f);
    void (*pause)(sim_ctx *c, size_t f);
    void (*resume)(sim_ctx *c, size_t f);
    void (*rebind_settle)(sim_ctx *c, size_t f);
    void (*rebind_restart)(sim_ctx *c, size_t f);
    /* The flow's rate cap changed (any phase); NULL: applies by itself. */
    void (*cap_changed)(sim_ctx *c, size_t f);
    /* A link capacity changed; NULL: nothing to do. */
    void (*capacity_changed)(sim_ctx *c);
    /* The last moment before simulated time moves, after this instant's
     * changes are all in; NULL: nothing to do. */
    void (*before_advance)(sim_ctx *c);
    /* Flows the driver times itself (fluid.h: our own solver's elastic
     * flows): the earliest time one finishes, after before_advance
     * (INFINITY: none), and the flows finished by now_s (their indices in
     * *out, valid until the next call; the controller completes them).
     * NULL: every completion is a SimGrid transfer's. */
    double (*next_done_s)(sim_ctx *c);
    size_t (*due)(sim_ctx *c, double now_s, const size_t **out);
} flow_driver;

#endif
